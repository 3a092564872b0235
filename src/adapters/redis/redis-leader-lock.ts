/**
 * Leadership shared through Redis: `SET <prefix>:leader:<name> <token> NX PX ttl`.
 * The holder extends its key every ttl/3 with a compare-and-extend script;
 * when the key holds another token (it expired and someone took it) or Redis
 * stays unreachable long enough that the key may expire before the next
 * try, the lease is lost. A dead holder stops extending, and another instance
 * takes over within one ttl.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { LeaderLease, LeaderLock } from '../../core/ports/leader-lock.js';
import type { Logger } from '../../core/ports/logger.js';
import { onRedis } from './redis-errors.js';
import { RedisScript } from './redis-script.js';

export interface RedisLeaderLockOptions {
  redis: Redis;
  /** Key prefix (REDIS_PREFIX). */
  prefix: string;
  logger: Logger;
  /** Time to live of the leader key in ms: the longest takeover after a crash (default 15 s). */
  ttlMs?: number;
}

const EXTEND = new RedisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`);

const RELEASE = new RedisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`);

export class RedisLeaderLock implements LeaderLock {
  private readonly ttlMs: number;
  private readonly log: Logger;
  private readonly leases = new Set<RedisLease>();

  constructor(private readonly options: RedisLeaderLockOptions) {
    this.ttlMs = Math.max(30, Math.ceil(options.ttlMs ?? 15_000));
    this.log = options.logger.child({ scope: 'leader-lock', store: 'redis' });
  }

  async tryAcquire(name: string): Promise<LeaderLease | undefined> {
    const key = `${this.options.prefix}:leader:${name}`;
    const token = randomBytes(16).toString('hex');
    // Measured before the request: the key lives at least ttl from here.
    const askedAt = Date.now();
    const set = await onRedis('leader lock', () => this.options.redis.set(key, token, 'PX', this.ttlMs, 'NX'));
    if (set !== 'OK') return undefined;
    const lease = new RedisLease(this.options.redis, name, key, token, this.ttlMs, askedAt, this.log, () => this.leases.delete(lease));
    this.leases.add(lease);
    return lease;
  }

  /** Releases every lease still held (shutdown). */
  async close(): Promise<void> {
    await Promise.all([...this.leases].map((lease) => lease.release()));
  }
}

class RedisLease implements LeaderLease {
  readonly lost: Promise<void>;
  private resolveLost!: () => void;
  private done = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly name: string,
    private readonly key: string,
    private readonly token: string,
    private readonly ttlMs: number,
    /** When the key was last known to live a full ttl from (ms since epoch). */
    private confirmedAt: number,
    private readonly log: Logger,
    private readonly onEnd: () => void,
  ) {
    this.lost = new Promise<void>((resolve) => (this.resolveLost = resolve));
    this.schedule();
  }

  async release(): Promise<void> {
    if (this.done) return;
    this.finish();
    await RELEASE.run(this.redis, [this.key], [this.token]).catch(() => undefined);
  }

  private schedule(delayMs = this.ttlMs / 3): void {
    this.timer = setTimeout(() => void this.extend(), Math.max(1, Math.floor(delayMs)));
    // Leadership alone must not keep a stopping process alive.
    this.timer.unref();
  }

  private async extend(): Promise<void> {
    const startedAt = Date.now();
    // Past two thirds of the ttl without a confirmed extension, the key may expire
    // before the next try: the holder must stop leading before someone else starts.
    const deadline = this.confirmedAt + (this.ttlMs * 2) / 3;
    let extended: boolean;
    try {
      extended = Number(await withTimeout(EXTEND.run(this.redis, [this.key], [this.token, this.ttlMs]), deadline - startedAt)) === 1;
    } catch (error) {
      if (this.done) return;
      if (Date.now() >= deadline) return this.lose(`cannot reach Redis: ${(error as Error).message}`);
      return this.schedule(Math.min(this.ttlMs / 3, deadline - Date.now()));
    }
    if (this.done) return;
    if (!extended) return this.lose('the leader key expired or belongs to another instance');
    this.confirmedAt = startedAt;
    this.schedule();
  }

  private lose(reason: string): void {
    this.log.warn({ lock: this.name, reason }, 'leadership lost');
    this.finish();
  }

  private finish(): void {
    this.done = true;
    clearTimeout(this.timer);
    this.onEnd();
    this.resolveLost();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(ms)} ms`)), Math.max(0, ms));
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
