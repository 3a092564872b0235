/**
 * The services platform adapters share: exactly-once delivery, outbound rate
 * limits, durable adapter state and leadership.
 *
 * | Deployment              | dedup      | limiter    | leadership            | state    |
 * |-------------------------|------------|------------|-----------------------|----------|
 * | REDIS_URL set           | Redis      | Redis      | Redis                 | database |
 * | PostgreSQL server       | PostgreSQL | in memory  | PostgreSQL (advisory) | database |
 * | embedded PGlite         | PGlite     | in memory  | in memory             | database |
 * | DATABASE_URL=memory://  | in memory  | in memory  | in memory             | memory   |
 *
 * Without Redis the limiter counts this process's sends only: run one
 * instance, or set REDIS_URL, so that several instances share the limits.
 * Adapter state always lives in the database when there is one (rule 10:
 * Redis keeps only what can be rebuilt).
 */
import { Redis } from 'ioredis';
import type { Database } from '../adapters/store/prisma/database.js';
import type { RelaisConfig } from '../config.js';
import { UnavailableError } from '../core/errors.js';
import type { Clock } from '../core/ports/clock.js';
import type { EventDeduplicator } from '../core/ports/event-deduplicator.js';
import type { LeaderLock } from '../core/ports/leader-lock.js';
import type { Logger } from '../core/ports/logger.js';
import type { PlatformStateStore } from '../core/ports/platform-state.js';
import type { RateLimiter } from '../adapters/rate-limit/rate-limiter.js';
import { InMemoryRateLimiter } from '../adapters/rate-limit/in-memory-rate-limiter.js';
import { RedisRateLimiter } from '../adapters/rate-limit/redis-rate-limiter.js';
import { InMemoryEventDeduplicator } from '../adapters/memory/in-memory-event-deduplicator.js';
import { InMemoryLeaderLock } from '../adapters/memory/in-memory-leader-lock.js';
import { InMemoryPlatformStateStore } from '../adapters/memory/in-memory-platform-state.js';
import { RedisEventDeduplicator } from '../adapters/redis/redis-event-deduplicator.js';
import { RedisLeaderLock } from '../adapters/redis/redis-leader-lock.js';
import { PostgresEventDeduplicator } from '../adapters/store/prisma/postgres-event-deduplicator.js';
import { PostgresLeaderLock } from '../adapters/store/prisma/postgres-leader-lock.js';
import { PrismaPlatformStateStore } from '../adapters/store/prisma/prisma-platform-state.store.js';

export interface PlatformServices {
  dedup: EventDeduplicator;
  limiter: RateLimiter;
  state: PlatformStateStore;
  leaderLock: LeaderLock;
  /** Which implementation each service uses, for logs and `relais doctor`. */
  description: { dedup: string; limiter: string; state: string; leaderLock: string };
  close(): Promise<void>;
}

export interface PlatformServicesDeps {
  config: RelaisConfig;
  database?: Database;
  logger: Logger;
  clock: Clock;
}

export async function createPlatformServices(deps: PlatformServicesDeps): Promise<PlatformServices> {
  const { config, database, logger, clock } = deps;
  const log = logger.child({ scope: 'platform-services' });
  const state = database ? new PrismaPlatformStateStore(database.prisma) : new InMemoryPlatformStateStore();
  const stateLabel = database ? database.kind : 'memory';

  if (config.redis.url) {
    const redis = await connectRedis(config.redis.url, log);
    const { prefix } = config.redis;
    const leaderLock = new RedisLeaderLock({ redis, prefix, logger });
    return {
      dedup: new RedisEventDeduplicator({ redis, prefix }),
      limiter: new RedisRateLimiter({ redis, prefix }),
      state,
      leaderLock,
      description: { dedup: 'redis', limiter: 'redis', state: stateLabel, leaderLock: 'redis' },
      async close() {
        await leaderLock.close();
        await redis.quit().catch(() => redis.disconnect());
      },
    };
  }

  if (database) {
    // Embedded PGlite is served by exactly one process per data directory
    // (database.ts holds a lock on it), so in-process leadership is exact there.
    const leaderLock =
      database.kind === 'postgres' && config.database.url ? new PostgresLeaderLock({ url: config.database.url, logger }) : new InMemoryLeaderLock();
    return {
      dedup: new PostgresEventDeduplicator(database.sql),
      limiter: new InMemoryRateLimiter(),
      state,
      leaderLock,
      description: { dedup: database.kind, limiter: 'memory', state: stateLabel, leaderLock: leaderLock instanceof PostgresLeaderLock ? 'postgres' : 'memory' },
      async close() {
        if (leaderLock instanceof PostgresLeaderLock) await leaderLock.close();
      },
    };
  }

  return {
    dedup: new InMemoryEventDeduplicator(clock),
    limiter: new InMemoryRateLimiter(),
    state,
    leaderLock: new InMemoryLeaderLock(),
    description: { dedup: 'memory', limiter: 'memory', state: 'memory', leaderLock: 'memory' },
    close: async () => undefined,
  };
}

async function connectRedis(url: string, log: Logger): Promise<Redis> {
  // Bounded retries: a send or a claim fails (and is retried by its caller) rather than hanging on a lost Redis.
  const redis = new Redis(url, { maxRetriesPerRequest: 3, lazyConnect: true });
  redis.on('error', (error: Error) => log.warn({ err: error.message }, 'redis connection error'));
  try {
    await redis.connect();
  } catch (cause) {
    redis.disconnect();
    throw new UnavailableError('redis.unavailable', `cannot connect to Redis for the platform services: ${(cause as Error).message}`, { cause });
  }
  return redis;
}
