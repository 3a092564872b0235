/**
 * A campaign launched to N people on Slack through the whole bot: the real
 * server (core, campaign jobs, Slack adapter on @slack/web-api) against the
 * Slack fake in its own process enforcing chat.postMessage's limits (1/s per
 * channel, 300/min per workspace — Slack's "several hundred per minute", low
 * end). At 300/min, 5,000 invitations need 16.6 minutes of real time, so time
 * is scaled as in the fan-out benchmark: the fake's windows and the adapter's
 * limits are multiplied by `SURVEYS_SLACK_TIME_SCALE` (default 0.05).
 *
 * Each person's DM channel is known beforehand (as after a first contact):
 * conversations.open is Tier 3 (~50/min) and would otherwise be the whole
 * measure for people the bot has never written to.
 */
import { DEFAULT_SLACK_RATE_RULES } from '../../src/adapters/chat/slack/slack-web-api.js';
import type { RateRule } from '../../src/adapters/rate-limit/rate-limiter.js';
import { startFakeProcess } from '../fanout/slack.fanout.js';
import { invitationsMarked, startBenchRelais } from './bench-relais.js';

export interface PlatformLaunchResult {
  platform: string;
  recipients: number;
  launchMs: number;
  deliverMs: number;
  theoreticalMinMs: number;
  posted: number;
  rateLimited: number;
  limits: string;
}

const PER_CHANNEL = { limit: 1, windowMs: 1000 };
const PER_WORKSPACE = { limit: 300, windowMs: 60_000 };
/** As in the fan-out benchmark: the fake stamps a call when it arrives, a little after the limiter let it go. */
const MARGIN_MS = 100;

export async function launchOnSlack(recipients: number, databaseUrl = 'memory://'): Promise<PlatformLaunchResult> {
  const scale = Number(process.env.SURVEYS_SLACK_TIME_SCALE ?? 0.05);
  const scaled = (rules: RateRule[]): RateRule[] => rules.map((r) => ({ limit: r.limit, windowMs: Math.round((r.windowMs - (r.windowMs % 1000)) * scale) + MARGIN_MS }));
  const fake = await startFakeProcess({ timeScale: scale, postPerChannel: PER_CHANNEL, postPerWorkspace: PER_WORKSPACE });
  const rateRules = {
    postPerChannel: scaled(DEFAULT_SLACK_RATE_RULES.postPerChannel),
    postPerWorkspace: scaled(DEFAULT_SLACK_RATE_RULES.postPerWorkspace),
    tier3: scaled(DEFAULT_SLACK_RATE_RULES.tier3),
    tier4: scaled(DEFAULT_SLACK_RATE_RULES.tier4),
  };
  const { relais, stop } = await startBenchRelais(
    databaseUrl,
    { SLACK_BOT_TOKEN: fake.token, SLACK_SIGNING_SECRET: 'bench-signing-secret', SLACK_API_URL: fake.apiUrl },
    { platformTuning: { slack: { rateRules } } },
  );
  try {
    const users = Array.from({ length: recipients }, (_, i) => `U${String(i).padStart(8, '0')}`);
    for (const user of users) await relais.platformServices.state.set('slack', `dm:${user}`, `D${user.slice(1)}`);
    const { teams, campaigns } = relais.surveys;
    const team = await teams.create({ name: `Bench Slack ${Date.now()}` }, null);
    await teams.add(team.id, users.map((externalId) => ({ platform: 'slack' as const, externalId })), 'member', null);

    const started = performance.now();
    const { campaign } = await campaigns.launch({ surveyId: 'irritants', audience: { kind: 'team', teamId: team.id }, createdBy: null });
    const launchMs = performance.now() - started;
    await invitationsMarked(relais, campaign.id, recipients, 100);
    // An invitation is marked just before it is sent: wait for the last posts to land too
    // (each person is new to the bot, so the AI disclosure comes first: two posts each).
    let stats = await fake.stats();
    while ((stats.calls['chat.postMessage']?.ok ?? 0) < 2 * recipients && performance.now() - started < 3_600_000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      stats = await fake.stats();
    }
    const deliverMs = performance.now() - started;
    const posted = stats.calls['chat.postMessage']?.ok ?? 0;
    // Least time the workspace cap allows for the messages actually posted (first window is free).
    const theoreticalMinMs = Math.floor((posted - 1) / PER_WORKSPACE.limit) * PER_WORKSPACE.windowMs * scale;
    return {
      platform: 'slack',
      recipients,
      launchMs,
      deliverMs,
      theoreticalMinMs,
      posted,
      rateLimited: stats.rateLimited,
      limits: `chat.postMessage 1/s per channel + 300/min per workspace; time scale ${scale}; DM channels known`,
    };
  } finally {
    await stop();
    await fake.stop();
  }
}
