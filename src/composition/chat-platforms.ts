/**
 * Builds the platform adapters whose credentials are configured (Slack,
 * Teams, Matrix), with the shared services they need: exactly-once delivery,
 * rate limiting, durable adapter state and leadership. The web chat is built
 * by main.ts (it is always there unless disabled).
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
import { createSlackPlatform } from './slack-platform.factory.js';
import { createTeamsPlatform } from './teams-platform.factory.js';
import { createMatrixPlatform } from './matrix-platform.factory.js';

/** What every platform adapter may use; one instance of each per process. */
export interface ChatPlatformDeps {
  config: RelaisConfig;
  logger: Logger;
  clock: Clock;
  dedup: EventDeduplicator;
  limiter: RateLimiter;
  state: PlatformStateStore;
  leaderLock: LeaderLock;
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

export async function createChatPlatforms(deps: ChatPlatformDeps): Promise<BuiltPlatform[]> {
  const built: BuiltPlatform[] = [];
  const { platforms } = deps.config;
  if (platforms.slack.settings) built.push(await createSlackPlatform(platforms.slack.settings, deps));
  if (platforms.teams.settings) built.push(await createTeamsPlatform(platforms.teams.settings, deps));
  if (platforms.matrix.settings) built.push(await createMatrixPlatform(platforms.matrix.settings, deps));
  return built;
}
