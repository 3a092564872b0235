/**
 * Slack fanout: one message to N people in their DMs through the real
 * adapter (SlackPlatform → @slack/web-api) against the Slack fake enforcing
 * chat.postMessage's documented limits.
 *
 * Limits modelled: 1 message per second per channel (each person has their
 * own DM, so it never binds here) and a per-workspace cap, which Slack only
 * documents as "several hundred messages per minute": we take 300 per minute,
 * the low end. At that rate 1,000 messages need 3 full minutes, so time is
 * scaled by `SLACK_FANOUT_TIME_SCALE` (default 0.1): every window and
 * Retry-After of the fake, and every window of the adapter's limiter, are
 * multiplied by it alike. DM channels are opened beforehand (cached in the
 * adapter state, as after a first `conversations.open`), so the timed part is
 * `chat.postMessage` only. The fake runs in its own process, so it stamps
 * each call when it arrives, not when this process's event loop gets to it.
 *
 * Slack counts a call when it arrives; the limiter when it lets it go. On a
 * loaded 2-core machine the gap reached ~100 ms with many senders in flight,
 * and a call landing early in the next window gets a 429 whose Retry-After
 * (whole seconds, unscaled) costs far more than the gap. So the adapter's
 * windows get a 100 ms margin and 4 senders run at once (measured: 0 × 429;
 * with 10 senders and 60 ms, 0 to 7 × 429 per run).
 */
import { InMemoryRateLimiter } from '../../src/adapters/rate-limit/in-memory-rate-limiter.js';
import { InMemoryEventDeduplicator } from '../../src/adapters/memory/in-memory-event-deduplicator.js';
import { InMemoryPlatformStateStore } from '../../src/adapters/memory/in-memory-platform-state.js';
import { createSilentLogger } from '../../src/adapters/log/pino-logger.js';
import { SlackPlatform } from '../../src/adapters/chat/slack/slack.platform.js';
import type { SlackRateRules } from '../../src/adapters/chat/slack/slack-web-api.js';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { SlackFakeOptions } from '../../test/fakes/slack-fake-server.js';
import type { FanoutResult } from './fanout-result.js';
import { fanoutEnvelope } from './fanout-message.js';

const PER_CHANNEL = { limit: 1, windowMs: 1000 };
const PER_WORKSPACE = { limit: 300, windowMs: 60_000 };
/** Added to each of the adapter's windows: the fake stamps a send when it arrives, a little after the limiter let it go. */
const MARGIN_MS = Number(process.env.SLACK_FANOUT_MARGIN_MS ?? 100);
const CONCURRENCY = Number(process.env.SLACK_FANOUT_CONCURRENCY ?? 4);
const UNLIMITED = { limit: 1_000_000_000, windowMs: 1000 };

const FAKE_SCRIPT = fileURLToPath(new URL('../../test/fakes/slack/slack-fake-process.ts', import.meta.url));
const TOKEN = 'xoxb-fanout-token';

export interface FakeProcess {
  apiUrl: string;
  token: string;
  stats(): Promise<{ rateLimited: number; calls: Record<string, Record<string, number>> }>;
  stop(): Promise<void>;
}

export async function startFakeProcess(options: SlackFakeOptions): Promise<FakeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', FAKE_SCRIPT, JSON.stringify({ ...options, token: TOKEN })], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the Slack fake exited (${code})`)));
    createInterface({ input: child.stdout }).once('line', resolve);
  });
  const { apiUrl, statsUrl } = JSON.parse(line) as { apiUrl: string; statsUrl: string };
  return {
    apiUrl,
    token: TOKEN,
    stats: async () => (await (await fetch(statsUrl)).json()) as Awaited<ReturnType<FakeProcess['stats']>>,
    stop: async () => {
      child.removeAllListeners('exit');
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function build(fake: FakeProcess, rules: Partial<SlackRateRules>, recipients: number): Promise<{ platform: SlackPlatform; users: string[] }> {
  const state = new InMemoryPlatformStateStore();
  const users = Array.from({ length: recipients }, (_, i) => `U${String(i).padStart(8, '0')}`);
  for (const user of users) await state.set('slack', `dm:${user}`, `D${user.slice(1)}`);
  const platform = new SlackPlatform({
    botToken: fake.token,
    signingSecret: 'unused-in-fanout',
    apiUrl: fake.apiUrl,
    logger: createSilentLogger(),
    clock: { now: () => new Date() },
    dedup: new InMemoryEventDeduplicator({ now: () => new Date() }),
    limiter: new InMemoryRateLimiter(),
    state,
    rateRules: rules,
  });
  return { platform, users };
}

async function fanout(platform: SlackPlatform, users: string[]): Promise<number> {
  // A running bot has warm connections: open them (auth.test is not limited) before timing.
  await Promise.all(Array.from({ length: 100 }, () => platform.api.authTest()));
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

export async function runSlackFanout(recipients: number): Promise<FanoutResult> {
  const scale = Number(process.env.SLACK_FANOUT_TIME_SCALE ?? 0.1);
  const scaled = (rule: { limit: number; windowMs: number }) => ({ limit: rule.limit, windowMs: Math.round(rule.windowMs * scale) + MARGIN_MS });

  // Adapter overhead: same path, no limits anywhere, one message at a time.
  const free = await startFakeProcess({ postPerChannel: UNLIMITED, postPerWorkspace: UNLIMITED });
  let overheadMsPerMessage: number;
  try {
    const sample = Math.min(recipients, 200);
    const { platform, users } = await build(free, { postPerChannel: [UNLIMITED], postPerWorkspace: [UNLIMITED] }, sample);
    await platform.send(await platform.openDirect(users[0]!), fanoutEnvelope(0)); // warm-up: connections, JIT
    const started = performance.now();
    for (const [n, user] of users.entries()) await platform.send(await platform.openDirect(user), fanoutEnvelope(n));
    overheadMsPerMessage = (performance.now() - started) / sample;
  } finally {
    await free.stop();
  }

  const fake = await startFakeProcess({ timeScale: scale, postPerChannel: PER_CHANNEL, postPerWorkspace: PER_WORKSPACE });
  try {
    const { platform, users } = await build(fake, { postPerChannel: [scaled(PER_CHANNEL)], postPerWorkspace: [scaled(PER_WORKSPACE)] }, recipients);
    const totalMs = await fanout(platform, users);
    const windows = Math.floor((recipients - 1) / PER_WORKSPACE.limit);
    const stats = await fake.stats();
    return {
      platform: 'slack',
      recipients,
      totalMs: Math.round(totalMs),
      theoreticalMinMs: Math.round(windows * PER_WORKSPACE.windowMs * scale),
      rateLimited: stats.rateLimited,
      delivered: stats.calls['chat.postMessage']?.ok ?? 0,
      overheadMsPerMessage: Number(overheadMsPerMessage.toFixed(3)),
      limits: `chat.postMessage 1/s per channel + 300/min per workspace (Slack: "several hundred per minute", low end); DM channels pre-opened; time scale ${scale} (fake windows ×${scale}; adapter windows ×${scale} + ${MARGIN_MS} ms jitter margin); ${CONCURRENCY} concurrent senders; fake in its own process`,
    };
  } finally {
    await fake.stop();
  }
}
