import type { TeamsSettings } from '../config.js';
import { RelaisError } from '../core/errors.js';
import { TeamsPlatform } from '../adapters/chat/teams/teams.platform.js';
import type { BuiltPlatform, ChatPlatformDeps } from './chat-platform-deps.js';

/** Builds the Teams adapter (src/adapters/chat/teams): `POST /api/messages` after JSON parsing. */
export async function createTeamsPlatform(settings: TeamsSettings, deps: ChatPlatformDeps): Promise<BuiltPlatform> {
  // config.ts already refuses this; a second lock where the adapter is built costs nothing.
  if (settings.allowAnonymous && deps.config.env === 'production') {
    throw new RelaisError('teams.anonymous_in_production', 'TEAMS_ALLOW_ANONYMOUS must not be true when NODE_ENV=production');
  }
  const platform = new TeamsPlatform({
    ...(settings.appId ? { appId: settings.appId } : {}),
    ...(settings.appPassword ? { appPassword: settings.appPassword } : {}),
    ...(settings.tenantId ? { tenantId: settings.tenantId } : {}),
    allowAnonymous: settings.allowAnonymous,
    dedup: deps.dedup,
    limiter: deps.limiter,
    state: deps.state,
    logger: deps.logger,
    clock: deps.clock,
  });
  return { platform, router: platform.router(), health: platform.health() };
}
