/**
 * Teams fanout: one message to N people of one tenant, each in their
 * personal chat, through the real adapter (TeamsPlatform → Agents SDK
 * CloudAdapter.continueConversation → ConnectorClient) against the Bot
 * Framework connector fake enforcing Teams' documented limits.
 *
 * Limits modelled: per bot per conversation 7/1 s, 8/2 s, 60/30 s,
 * 1,800/hour (one message per person: never binding here) and 30 requests
 * per second per app per tenant, which is what binds: 1,000 messages need
 * at least ⌊999 / 30⌋ = 33 full windows, 33 s. That fits in a minute, so
 * the fake runs on real time by default (`TEAMS_FANOUT_TIME_SCALE`, default
 * 1, scales every window and Retry-After of the fake and of the adapter
 * alike). Personal conversations are known beforehand (references captured
 * at install), so the timed part is the message posts only.
 */
import { InMemoryRateLimiter } from '../../src/adapters/rate-limit/in-memory-rate-limiter.js';
import { InMemoryEventDeduplicator } from '../../src/adapters/memory/in-memory-event-deduplicator.js';
import { InMemoryPlatformStateStore } from '../../src/adapters/memory/in-memory-platform-state.js';
import { createSilentLogger } from '../../src/adapters/log/pino-logger.js';
import { TeamsPlatform } from '../../src/adapters/chat/teams/teams.platform.js';
import { TeamsReferences } from '../../src/adapters/chat/teams/teams-references.js';
import { startTeamsConnectorFake, type TeamsConnectorFake } from '../../test/fakes/teams-connector-fake-server.js';
import type { FanoutResult } from './fanout-result.js';
import { fanoutEnvelope } from './fanout-message.js';

const TENANT = 'bench-tenant-0000';
const BOT = '28:bench-bot';
const TENANT_LIMIT = { limit: 30, windowMs: 1000 };
const CONCURRENCY = Number(process.env.TEAMS_FANOUT_CONCURRENCY ?? 50);
const UNLIMITED = { limit: 1_000_000_000, windowMs: 1000 };
const clock = { now: () => new Date() };

async function build(fake: TeamsConnectorFake, recipients: number, options: { timeScale?: number; unlimited?: boolean }): Promise<{ platform: TeamsPlatform; users: string[] }> {
  const state = new InMemoryPlatformStateStore();
  const references = new TeamsReferences(state);
  const users = Array.from({ length: recipients }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
  for (const [i, user] of users.entries()) {
    await references.rememberDirect(user, {
      platform: 'teams',
      externalId: `a:1bench-${i}`,
      kind: 'direct',
      routing: { serviceUrl: fake.serviceUrl, channelId: 'msteams', tenantId: TENANT, botId: BOT },
    });
  }
  const platform = new TeamsPlatform({
    allowAnonymous: true,
    dedup: new InMemoryEventDeduplicator(clock),
    limiter: new InMemoryRateLimiter(),
    state,
    logger: createSilentLogger(),
    clock,
    ...(options.timeScale !== undefined ? { timeScale: options.timeScale } : {}),
    ...(process.env.TEAMS_FANOUT_MARGIN_MS ? { limitMarginMs: Number(process.env.TEAMS_FANOUT_MARGIN_MS) } : {}),
    ...(options.unlimited ? { rateRules: { conversation: [UNLIMITED], tenant: [UNLIMITED] }, limitMarginMs: 0 } : {}),
  });
  await platform.start(async () => undefined);
  return { platform, users };
}

async function fanout(platform: TeamsPlatform, users: string[]): Promise<number> {
  const started = performance.now();
  let next = 0;
  // A pool of senders, like a campaign job's concurrency: the limiter decides when each may post.
  const workers = Array.from({ length: Math.min(CONCURRENCY, users.length) }, async () => {
    while (next < users.length) {
      const n = next++;
      await platform.send(await platform.openDirect(users[n]!), fanoutEnvelope(n));
    }
  });
  await Promise.all(workers);
  return performance.now() - started;
}

export async function runTeamsFanout(recipients: number): Promise<FanoutResult> {
  const scale = Number(process.env.TEAMS_FANOUT_TIME_SCALE ?? 1);

  // Adapter overhead: same path, no limits anywhere, one message at a time.
  const free = await startTeamsConnectorFake({ limits: { conversation: [UNLIMITED], tenant: [UNLIMITED] } });
  let overheadMsPerMessage: number;
  try {
    const sample = Math.min(recipients, 200);
    const { platform, users } = await build(free, sample, { unlimited: true });
    await platform.send(await platform.openDirect(users[0]!), fanoutEnvelope(0)); // warm-up: connections, JIT
    const started = performance.now();
    for (const [n, user] of users.entries()) await platform.send(await platform.openDirect(user), fanoutEnvelope(n));
    overheadMsPerMessage = (performance.now() - started) / sample;
    await platform.stop();
  } finally {
    await free.close();
  }

  const fake = await startTeamsConnectorFake({ timeScale: scale });
  try {
    const { platform, users } = await build(fake, recipients, { timeScale: scale });
    const totalMs = await fanout(platform, users);
    await platform.stop();
    const windows = Math.floor((recipients - 1) / TENANT_LIMIT.limit);
    return {
      platform: 'teams',
      recipients,
      totalMs: Math.round(totalMs),
      theoreticalMinMs: Math.round(windows * TENANT_LIMIT.windowMs * scale),
      rateLimited: fake.rateLimited,
      delivered: fake.activities.length,
      overheadMsPerMessage: Number(overheadMsPerMessage.toFixed(3)),
      limits: `30 requests/s per app per tenant (binding) + per conversation 7/1 s, 8/2 s, 60/30 s, 1,800/h; one tenant, personal chats known; adapter windows +25 ms, tenant requests paced two per 69 ms; time scale ${scale}`,
    };
  } finally {
    await fake.close();
  }
}
