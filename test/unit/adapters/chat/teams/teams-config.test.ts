/**
 * Anonymous Teams activities are a development convenience only: refused by
 * the configuration and by the adapter factory in production.
 */
import { ConfigError, loadConfig } from '../../../../../src/config.js';
import { createTeamsPlatform } from '../../../../../src/composition/teams-platform.factory.js';
import type { ChatPlatformDeps } from '../../../../../src/composition/chat-platforms.js';
import { createSilentLogger } from '../../../../../src/adapters/log/pino-logger.js';
import { InMemoryEventDeduplicator } from '../../../../../src/adapters/memory/in-memory-event-deduplicator.js';
import { InMemoryLeaderLock } from '../../../../../src/adapters/memory/in-memory-leader-lock.js';
import { InMemoryPlatformStateStore } from '../../../../../src/adapters/memory/in-memory-platform-state.js';
import { InMemoryRateLimiter } from '../../../../../src/adapters/rate-limit/in-memory-rate-limiter.js';
import { systemClock } from '../../../../../src/core/ports/clock.js';

function deps(env: Record<string, string>): ChatPlatformDeps {
  return {
    config: loadConfig(env),
    logger: createSilentLogger(),
    clock: systemClock,
    dedup: new InMemoryEventDeduplicator(systemClock),
    limiter: new InMemoryRateLimiter(),
    state: new InMemoryPlatformStateStore(),
    leaderLock: new InMemoryLeaderLock(),
  };
}

describe('Teams configuration', () => {
  it('refuses TEAMS_ALLOW_ANONYMOUS in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', TEAMS_ALLOW_ANONYMOUS: 'true', RELAIS_SECRET: 'x'.repeat(48) })).toThrow(ConfigError);
  });

  it('builds the adapter with its route and health probe when anonymous in development, or with a registration', async () => {
    const anonymous = await createTeamsPlatform({ allowAnonymous: true }, deps({ TEAMS_ALLOW_ANONYMOUS: 'true' }));
    expect(anonymous.platform.name).toBe('teams');
    expect(anonymous.router).toBeDefined();
    expect(anonymous.rawBodyRouter).toBeUndefined();
    await expect(anonymous.health!.check()).rejects.toMatchObject({ code: 'teams.not_started' });
    await anonymous.platform.start(async () => undefined);
    expect(anonymous.health!.name).toBe('teams');
    expect(await anonymous.health!.check()).toBe('HTTP /api/messages, anonymous activities accepted (development only); connector throttled 0 time(s)');
    await anonymous.platform.stop();
    const registered = await createTeamsPlatform({ appId: 'app', appPassword: 'pw', allowAnonymous: false }, deps({ TEAMS_APP_ID: 'app', TEAMS_APP_PASSWORD: 'pw' }));
    expect(registered.platform.name).toBe('teams');
  });

  it('refuses to build an anonymous adapter in production even if the configuration let it through', async () => {
    const production = deps({ TEAMS_APP_ID: 'app', TEAMS_APP_PASSWORD: 'pw' });
    const config = { ...production.config, env: 'production' as const };
    await expect(createTeamsPlatform({ allowAnonymous: true }, { ...production, config })).rejects.toMatchObject({ code: 'teams.anonymous_in_production' });
  });
});
