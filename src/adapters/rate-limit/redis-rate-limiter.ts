/**
 * Sliding-window rate limiter shared by every instance through Redis.
 *
 * Each (key, rule) has a sorted set of recent sends scored by time in ms.
 * One Lua script, run atomically, trims every window, checks every rule and
 * the key's pause, and records the send only when all allow it; otherwise it
 * returns how long to wait, and the caller sleeps and asks again. Times come
 * from the Redis clock, so instances with drifting clocks share one timeline.
 * Within a process, callers of one key take turns in arrival order, so only
 * one of them polls Redis at a time.
 *
 * Keys: `<prefix>:rl:{<key>}:<limit>/<windowMs>` and `<prefix>:rl:{<key>}:pause`
 * (the braces keep a key's sets in one Redis Cluster slot). Each expires
 * after its window, so Redis holds only recent sends — losing them (a Redis
 * restart) at worst lets one window's worth of sends through early.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { onRedis } from '../redis/redis-errors.js';
import { RedisScript } from '../redis/redis-script.js';
import type { RateLimiter, RateRule } from './rate-limiter.js';
import { TurnsPerKey } from './turns-per-key.js';
import { validateRules } from './validate-rules.js';

export interface RedisRateLimiterOptions {
  redis: Redis;
  /** Key prefix (REDIS_PREFIX). */
  prefix: string;
}

// KEYS[1] = pause key, KEYS[2..n] = one sorted set per rule.
// ARGV[1] = unique member for this send, then limit and window (ms) per rule.
// Returns 0 when the send was recorded, else the wait in ms (>= 1).
// Scores are formatted by hand: Lua would print a ms timestamp with 14
// significant digits, i.e. rounded to 100 ms.
const ACQUIRE = new RedisScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local wait = redis.call('PTTL', KEYS[1])
if wait < 0 then wait = 0 end
for i = 2, #KEYS do
  local limit = tonumber(ARGV[2 * i - 2])
  local window = tonumber(ARGV[2 * i - 1])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', string.format('%.3f', now - window))
  local count = redis.call('ZCARD', KEYS[i])
  if count >= limit then
    local blocking = redis.call('ZRANGE', KEYS[i], count - limit, count - limit, 'WITHSCORES')
    local w = tonumber(blocking[2]) + window - now
    if w > wait then wait = w end
  end
end
if wait > 0 then return math.ceil(wait) end
local score = string.format('%.3f', now)
for i = 2, #KEYS do
  redis.call('ZADD', KEYS[i], score, ARGV[1])
  redis.call('PEXPIRE', KEYS[i], ARGV[2 * i - 1])
end
return 0`);

// Keeps the longest pause: a shorter Retry-After never shortens a running one.
const PAUSE = new RedisScript(`
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
end
return 0`);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly turns = new TurnsPerKey();
  /** Members must be unique across instances: a random instance id and a counter. */
  private readonly instanceId = randomBytes(6).toString('hex');
  private sends = 0;

  constructor(options: RedisRateLimiterOptions) {
    this.redis = options.redis;
    this.prefix = `${options.prefix}:rl:`;
  }

  acquire(key: string, rules: readonly RateRule[]): Promise<void> {
    try {
      validateRules(rules);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return this.turns.run(key, () => this.waitForRoom(key, rules));
  }

  async pause(key: string, ms: number): Promise<void> {
    if (!(ms > 0)) return;
    await onRedis('rate limit pause', () => PAUSE.run(this.redis, [this.pauseKey(key)], [Math.ceil(ms)]));
  }

  private async waitForRoom(key: string, rules: readonly RateRule[]): Promise<void> {
    const keys = [this.pauseKey(key), ...rules.map((rule) => `${this.base(key)}:${rule.limit}/${Math.ceil(rule.windowMs)}`)];
    const args = rules.flatMap((rule) => [rule.limit, Math.ceil(rule.windowMs)]);
    const member = `${this.instanceId}:${++this.sends}`;
    for (;;) {
      const wait = Number(await onRedis('rate limit', () => ACQUIRE.run(this.redis, keys, [member, ...args])));
      if (wait <= 0) return;
      await sleep(wait);
    }
  }

  private base(key: string): string {
    return `${this.prefix}{${key}}`;
  }

  private pauseKey(key: string): string {
    return `${this.base(key)}:pause`;
  }
}
