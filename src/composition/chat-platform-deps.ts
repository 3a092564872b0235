/**
 * What a platform adapter factory receives and returns (kept apart from
 * `chat-platforms.ts` so the factories do not import the module that
 * imports them).
 */
import type { Router } from 'express';
import type { RelaisConfig } from '../config.js';
import type { ChatPlatform } from '../core/ports/chat-platform.js';
import type { Clock } from '../core/ports/clock.js';
import type { EventDeduplicator } from '../core/ports/event-deduplicator.js';
import type { HealthProbe } from '../core/ports/health.js';
import type { LeaderLock } from '../core/ports/leader-lock.js';
import type { Logger } from '../core/ports/logger.js';
import type { PlatformStateStore } from '../core/ports/platform-state.js';
import type { RateLimiter } from '../adapters/rate-limit/rate-limiter.js';
import type { SlackRateRules } from '../adapters/chat/slack/slack-web-api.js';

/**
 * Adapter settings that are not configuration: benchmarks run the whole bot
 * against a fake whose clock is scaled, and scale the adapter's limits alike.
 */
export interface PlatformTuning {
  slack?: { rateRules?: Partial<SlackRateRules> };
}

/** What every platform adapter may use; one instance of each per process. */
export interface ChatPlatformDeps {
  config: RelaisConfig;
  logger: Logger;
  clock: Clock;
  dedup: EventDeduplicator;
  limiter: RateLimiter;
  state: PlatformStateStore;
  leaderLock: LeaderLock;
  tuning?: PlatformTuning;
}

/** A built adapter and what it adds to the HTTP server. */
export interface BuiltPlatform {
  platform: ChatPlatform;
  /** Routes that need the raw request body (signature checks): mounted before JSON parsing. */
  rawBodyRouter?: Router;
  /** Routes mounted after JSON parsing. */
  router?: Router;
  /** Checked by /readyz. */
  health?: HealthProbe;
}
