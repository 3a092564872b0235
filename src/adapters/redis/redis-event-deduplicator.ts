/**
 * Exactly-once handling of platform events on Redis, shared by every
 * instance: one key per event id, `claimed` with the lease as its time to
 * live, then `done` with the memory period. Redis runs each command (and
 * each script) alone, so one `SET NX` decides between racing instances.
 * Losing these keys (Redis restarted empty) only lets a late redelivery
 * through: nothing else depends on them.
 */
import type { Redis } from 'ioredis';
import type { ClaimResult, EventDeduplicator } from '../../core/ports/event-deduplicator.js';
import { onRedis } from './redis-errors.js';
import { RedisScript } from './redis-script.js';

export interface RedisEventDeduplicatorOptions {
  redis: Redis;
  /** Key prefix (REDIS_PREFIX); keys are `<prefix>:dedup:<key>`. */
  prefix: string;
}

const CLAIMED = 'claimed';
const DONE = 'done';

// Deletes the key only while it is still a claim: a completed event stays remembered.
const RELEASE = new RedisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`);

export class RedisEventDeduplicator implements EventDeduplicator {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(options: RedisEventDeduplicatorOptions) {
    this.redis = options.redis;
    this.prefix = `${options.prefix}:dedup:`;
  }

  async claim(key: string, leaseMs: number): Promise<ClaimResult> {
    const set = await onRedis('dedup claim', () => this.redis.set(this.prefix + key, CLAIMED, 'PX', toTtl(leaseMs), 'NX'));
    return set === 'OK' ? 'claimed' : 'duplicate';
  }

  async complete(key: string, keepMs: number): Promise<void> {
    await onRedis('dedup complete', () => this.redis.set(this.prefix + key, DONE, 'PX', toTtl(keepMs)));
  }

  async release(key: string): Promise<void> {
    await onRedis('dedup release', () => RELEASE.run(this.redis, [this.prefix + key], [CLAIMED]));
  }
}

/** Redis refuses a zero or fractional PX. */
function toTtl(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}
