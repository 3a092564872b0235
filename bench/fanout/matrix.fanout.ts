/**
 * Matrix fanout: one message to N people in their DM rooms through the real
 * adapter (MatrixPlatform → matrix-js-sdk 36 with Rust crypto) against the
 * fake homeserver, which enforces Synapse's default message rate limit.
 *
 * Limit modelled: Synapse `rc_message` defaults, per sender: a token bucket
 * of 10 (burst_count) refilled at 0.2 per second (per_second). Servers may
 * configure it, and bot accounts usually get an override; the default is the
 * worst case. At 0.2/s, 1,000 messages need (1,000 − 10) / 0.2 = 4,950 s, so
 * time is scaled by `MATRIX_FANOUT_TIME_SCALE` (default 100): the fake's
 * refill rate and `retry_after_ms`, and the adapter's window, are scaled
 * alike. The adapter's rule is the bucket as a sliding window (10 sends per
 * 50 s, scaled), plus a small margin: the homeserver counts a send when it
 * arrives, a little after the limiter let it go.
 *
 * The 1,000 DM rooms exist beforehand (created by each person inviting the
 * bot, and listed in the bot's `m.direct`), unencrypted: encrypting for
 * 1,000 devices would measure Megolm key sharing, not the fanout. The timed
 * part is `openDirect` (reuse from `m.direct`) + `send` for each person.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MatrixPlatform } from '../../src/adapters/chat/matrix/matrix.platform.js';
import type { MatrixRateRules } from '../../src/adapters/chat/matrix/matrix-sender.js';
import { createSilentLogger } from '../../src/adapters/log/pino-logger.js';
import { InMemoryEventDeduplicator } from '../../src/adapters/memory/in-memory-event-deduplicator.js';
import { InMemoryLeaderLock } from '../../src/adapters/memory/in-memory-leader-lock.js';
import { InMemoryPlatformStateStore } from '../../src/adapters/memory/in-memory-platform-state.js';
import { InMemoryRateLimiter } from '../../src/adapters/rate-limit/in-memory-rate-limiter.js';
import { systemClock } from '../../src/core/ports/clock.js';
import { MatrixHomeserverFake, type FakeRateLimit } from '../../test/fakes/matrix-homeserver-fake.js';
import type { FanoutResult } from './fanout-result.js';
import { fanoutEnvelope } from './fanout-message.js';

const SYNAPSE_DEFAULT: FakeRateLimit = { perSecond: 0.2, burst: 10 };
const TIME_SCALE = Number(process.env.MATRIX_FANOUT_TIME_SCALE ?? 100);
/** Fraction added to the adapter's window (arrival at the homeserver lags the limiter's decision). */
const MARGIN = Number(process.env.MATRIX_FANOUT_MARGIN ?? 0.04);
const CONCURRENCY = Number(process.env.MATRIX_FANOUT_CONCURRENCY ?? 4);
const UNLIMITED: MatrixRateRules = { account: [{ limit: 1_000_000_000, windowMs: 1000 }], room: [{ limit: 1_000_000_000, windowMs: 1000 }] };

interface Setup {
  fake: MatrixHomeserverFake;
  platform: MatrixPlatform;
  users: string[];
  botId: string;
  cleanup(): Promise<void>;
}

async function setUp(recipients: number, rateLimit: FakeRateLimit | undefined, rules: MatrixRateRules): Promise<Setup> {
  const fake = await new MatrixHomeserverFake({ ...(rateLimit ? { rateLimit } : {}), timeScale: TIME_SCALE }).start();
  const bot = fake.registerUser('relais', 'Relais', 'BENCHBOT');
  const users: string[] = [];
  const direct: Record<string, string[]> = {};
  for (let i = 0; i < recipients; i++) {
    const user = fake.registerUser(`etudiant${i}`).userId;
    const roomId = fake.createRoomDirect(user, { invite: [bot.userId], join: [bot.userId], isDirect: true });
    users.push(user);
    direct[user] = [roomId];
  }
  fake.setAccountData(bot.userId, 'm.direct', direct);
  const dataDir = await mkdtemp(join(tmpdir(), 'relais-matrix-fanout-'));
  const platform = new MatrixPlatform({
    homeserverUrl: fake.url,
    userId: bot.userId,
    accessToken: bot.accessToken,
    deviceId: bot.deviceId,
    allow: { domains: [fake.serverName], rooms: [], users: [] },
    dataDir,
    logger: createSilentLogger(),
    clock: systemClock,
    dedup: new InMemoryEventDeduplicator(),
    limiter: new InMemoryRateLimiter(),
    state: new InMemoryPlatformStateStore(),
    leaderLock: new InMemoryLeaderLock(),
    rateRules: rules,
    polls: false,
  });
  await platform.start(async () => undefined);
  return {
    fake,
    platform,
    users,
    botId: bot.userId,
    cleanup: async () => {
      await platform.stop();
      await fake.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function fanout(setup: Setup, count: number): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const n = next++;
      const ref = await setup.platform.openDirect(setup.users[n]!);
      await setup.platform.send(ref, fanoutEnvelope(n));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return performance.now() - started;
}

function delivered(setup: Setup): number {
  return setup.fake.allEvents().filter((e) => e.sender === setup.botId && e.type === 'm.room.message').length;
}

export async function runMatrixFanout(recipients: number): Promise<FanoutResult> {
  // Overhead: the same path with no limit anywhere (render + limiter + SDK + local HTTP round trip).
  const sample = Math.min(recipients, 200);
  const free = await setUp(sample, undefined, UNLIMITED);
  let overheadMsPerMessage: number;
  try {
    const ms = await fanout(free, sample);
    overheadMsPerMessage = (ms * CONCURRENCY) / sample;
  } finally {
    await free.cleanup();
  }

  const windowMs = ((SYNAPSE_DEFAULT.burst / SYNAPSE_DEFAULT.perSecond) * 1000 * (1 + MARGIN)) / TIME_SCALE;
  const rules: MatrixRateRules = { account: [{ limit: SYNAPSE_DEFAULT.burst, windowMs }], room: [{ limit: 5, windowMs: 3_000 }] };
  const setup = await setUp(recipients, SYNAPSE_DEFAULT, rules);
  try {
    const totalMs = await fanout(setup, recipients);
    const theoreticalMinMs = (Math.max(0, recipients - SYNAPSE_DEFAULT.burst) / (SYNAPSE_DEFAULT.perSecond * TIME_SCALE)) * 1000;
    return {
      platform: 'matrix',
      recipients,
      totalMs: Math.round(totalMs),
      theoreticalMinMs: Math.round(theoreticalMinMs),
      rateLimited: setup.fake.rateLimited,
      delivered: delivered(setup),
      overheadMsPerMessage: Math.round(overheadMsPerMessage * 100) / 100,
      limits: `Synapse default rc_message per sender: burst 10, 0.2/s (time ×${TIME_SCALE})`,
    };
  } finally {
    await setup.cleanup();
  }
}
