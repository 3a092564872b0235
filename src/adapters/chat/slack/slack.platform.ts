/**
 * Slack through Bolt 5: events, interactivity and the `/relais` command on
 * `POST /slack/events` (HTTP mode, Bolt's ExpressReceiver checks the signing
 * secret and the 5-minute timestamp window on the raw body), or over Socket
 * Mode when an app-level token is configured.
 *
 * Every payload is acknowledged at once (Bolt acks events before any
 * middleware; interactions and commands are acked first thing here), then
 * handled in the background: a long answer never delays the ack, so Slack
 * does not retry. Each event is handled once across instances: it is claimed
 * in the shared deduplicator under its `event_id` (retries carrying
 * `X-Slack-Retry-Num` have the same id), completed when handled, released
 * when it failed before anything was posted — so a retry after a crash is
 * still answered, once.
 */
import express, { type Router } from 'express';
import bolt from '@slack/bolt';
import { WebClient, type Logger as SlackLogger, LogLevel } from '@slack/web-api';
import { describeError, UnavailableError } from '../../../core/errors.js';
import type { HealthProbe } from '../../../core/ports/health.js';
import type { ConversationRef } from '../../../core/messages/conversation-ref.js';
import type { OutboundEnvelope } from '../../../core/messages/outbound.js';
import type { ChatPlatform, InboundHandler } from '../../../core/ports/chat-platform.js';
import type { Clock } from '../../../core/ports/clock.js';
import { DEDUP_KEEP_MS, DEDUP_LEASE_MS, type EventDeduplicator } from '../../../core/ports/event-deduplicator.js';
import type { Logger } from '../../../core/ports/logger.js';
import type { PlatformStateStore } from '../../../core/ports/platform-state.js';
import type { RateLimiter } from '../../rate-limit/rate-limiter.js';
import { mapSlackPayload, type SlackMappedEvent } from './slack-inbound.js';
import type { SlackRenderOptions } from './slack-render.js';
import { postParts, renderEnvelope, SlackResponder } from './slack-responder.js';
import { DEFAULT_SLACK_RATE_RULES, SlackWebApi, type SlackRateRules } from './slack-web-api.js';

const { App, ExpressReceiver } = bolt;
type BoltApp = InstanceType<typeof App>;

export interface SlackPlatformOptions {
  /** Bot token (xoxb-…). */
  botToken: string;
  /** Signing secret of the app (HTTP mode). */
  signingSecret: string;
  /** App-level token (xapp-…): when set, events arrive over Socket Mode instead of HTTP. */
  appToken?: string;
  /** Web API base URL (default https://slack.com/api/); tests and gateways point it elsewhere. */
  apiUrl?: string;
  logger: Logger;
  clock: Clock;
  dedup: EventDeduplicator;
  limiter: RateLimiter;
  state: PlatformStateStore;
  /** Overrides of the documented limits (benchmarks scale time with them). */
  rateRules?: Partial<SlackRateRules>;
  /** Least time between two visible updates of a streamed answer (default: the per-message limit, 1.1 s, so updates never wait on the limiter). */
  streamUpdateMs?: number;
  /** Overrides of Block Kit limits (tests). */
  renderLimits?: SlackRenderOptions['limits'];
  /** The slash command declared in the app manifest (default `/relais`). */
  command?: string;
  /** Prompts offered in a new assistant thread (default: DEFAULT_SUGGESTED_PROMPTS; empty: none). */
  suggestedPrompts?: { title: string; message: string }[];
  /** How long stop() waits for events being handled (default 5000 ms). */
  drainMs?: number;
}

const STATE_NAMESPACE = 'slack';

/** Offered when a person opens a new assistant thread (Agents & AI Apps); French, the product's default language. */
export const DEFAULT_SUGGESTED_PROMPTS: { title: string; message: string }[] = [
  { title: 'Décrire une situation de stage', message: 'Je voudrais réfléchir à une situation vécue en stage.' },
  { title: 'Que sais-tu faire ?', message: 'aide' },
  { title: 'Confidentialité', message: 'à propos' },
];
const SUGGESTED_PROMPTS_TITLE = 'Par exemple :';

function assistantKey(channel: string, threadTs: string): string {
  return `assistant:${channel}:${threadTs}`;
}

export class SlackPlatform implements ChatPlatform {
  readonly name = 'slack' as const;
  readonly mode: 'http' | 'socket';
  /** Outbound calls (also used by the fanout benchmark). */
  readonly api: SlackWebApi;
  private readonly log: Logger;
  private readonly client: WebClient;
  private app: BoltApp | undefined;
  private receiverRouter: Router | undefined;
  private handler: InboundHandler | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private botUserId: string | undefined;
  private readonly editIntervalMs: number;

  constructor(private readonly options: SlackPlatformOptions) {
    this.log = options.logger.child({ scope: 'slack' });
    this.mode = options.appToken ? 'socket' : 'http';
    this.client = new WebClient(options.botToken, this.clientOptions());
    const rules = { ...DEFAULT_SLACK_RATE_RULES, ...options.rateRules };
    this.api = new SlackWebApi(this.client, options.limiter, rules, this.log);
    this.editIntervalMs = Math.max(...rules.editPerMessage.map((r) => r.windowMs / r.limit));
  }

  /** `POST /slack/events`, to mount before JSON parsing: Bolt verifies the signature on the raw body. */
  router(): Router {
    const router = express.Router();
    router.use((req, res, next) => {
      if (this.receiverRouter) return this.receiverRouter(req, res, next);
      if (req.path !== '/slack/events') return next();
      // Not acknowledged: Slack retries later, when this instance (or another) is ready.
      res.status(503).json({ error: { code: 'slack.not_ready', message: 'the Slack adapter is starting or stopping' } });
    });
    return router;
  }

  async start(handler: InboundHandler): Promise<void> {
    this.handler = handler;
    const logger = boltLogger(this.log);
    const clientOptions = this.clientOptions();
    let app: BoltApp;
    let router: Router | undefined;
    // Our own auth.test (a wrong token fails the start with a coded error); Bolt then reuses its answer.
    const auth = await this.api.authTest();
    this.botUserId = auth.userId;
    const identity = { ...(auth.botId ? { botId: auth.botId } : {}), ...(auth.userId ? { botUserId: auth.userId } : {}), tokenVerificationEnabled: false, deferInitialization: true };
    if (this.options.appToken) {
      app = new App({ token: this.options.botToken, appToken: this.options.appToken, socketMode: true, logger, clientOptions, ...identity });
    } else {
      router = express.Router();
      const receiver = new ExpressReceiver({
        signingSecret: this.options.signingSecret,
        endpoints: '/slack/events',
        router,
        // Bolt wants an express app to mount its router on; ours is never started: the main HTTP server serves the router.
        app: express(),
        logger,
        processBeforeResponse: false,
      });
      app = new App({ token: this.options.botToken, receiver, logger, clientOptions, ...identity });
    }
    app.use(async (args) => {
      const { body, context } = args;
      const ack = (args as { ack?: (response?: unknown) => Promise<void> }).ack;
      if (ack) await ack();
      this.dispatch(body, context);
    });
    await app.init();
    if (this.options.appToken) await app.start();
    this.app = app;
    this.receiverRouter = router;
    this.log.info({ mode: this.mode }, 'Slack adapter started');
  }

  async stop(): Promise<void> {
    this.receiverRouter = undefined;
    const app = this.app;
    this.app = undefined;
    if (app && this.options.appToken) await app.stop().catch((error: unknown) => this.log.warn({ err: describeError(error) }, 'Socket Mode stop failed'));
    const drain = Promise.allSettled([...this.inFlight]);
    await Promise.race([drain, new Promise((resolve) => setTimeout(resolve, this.options.drainMs ?? 5000).unref())]);
    this.handler = undefined;
  }

  async send(ref: ConversationRef, envelope: OutboundEnvelope): Promise<void> {
    await postParts(this.api, ref.externalId, ref.threadId, renderEnvelope(envelope, this.options.renderLimits));
  }

  /** conversations.open, once per person: the DM channel id is kept in the shared adapter state. */
  async openDirect(userExternalId: string): Promise<ConversationRef> {
    const key = `dm:${userExternalId}`;
    let channel = await this.options.state.get<string>(STATE_NAMESPACE, key);
    if (!channel) {
      channel = await this.api.openDirect(userExternalId);
      await this.options.state.set(STATE_NAMESPACE, key, channel);
    }
    return { platform: 'slack', externalId: channel, kind: 'direct' };
  }

  /** For /readyz and `relais doctor`: started, and as which bot user (no call to Slack). */
  health(): HealthProbe {
    return {
      name: 'slack',
      check: async () => {
        if (!this.app) throw new UnavailableError('slack.not_started', 'the Slack adapter is not started');
        return `${this.mode === 'socket' ? 'Socket Mode' : 'HTTP /slack/events'}, bot user ${this.botUserId ?? 'unknown'}`;
      },
    };
  }

  /** Events being handled in the background (tests wait for them). */
  get pending(): number {
    return this.inFlight.size;
  }

  /** Resolves when nothing is being handled. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private dispatch(body: unknown, context: { botUserId?: string; botId?: string; retryNum?: number }): void {
    const result = mapSlackPayload(body, {
      ...(context.botUserId ? { botUserId: context.botUserId } : {}),
      ...(context.botId ? { botId: context.botId } : {}),
      ...(this.options.command ? { command: this.options.command } : {}),
      receivedAt: this.options.clock.now(),
    });
    if (result.kind === 'ignored') {
      this.log.debug({ reason: result.reason }, 'Slack payload ignored');
      return;
    }
    if (result.kind === 'url_verification') return;
    const events = result.kind === 'events' ? result.events : [result.mapped];
    if (result.kind === 'assistant_thread') {
      const { channel, threadTs } = result;
      this.track(this.startAssistantThread(channel, threadTs), result.mapped.event.id);
    }
    for (const mapped of events) {
      this.track(this.handle(mapped, context.retryNum), mapped.event.id);
    }
  }

  private track(task: Promise<void>, correlationId: string): void {
    const work = task.catch((error: unknown) => this.log.error({ err: describeError(error), correlationId }, 'Slack event failed'));
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** Remembers the assistant thread (status lines) and offers its suggested prompts. */
  private async startAssistantThread(channel: string, threadTs: string): Promise<void> {
    await this.options.state.set(STATE_NAMESPACE, assistantKey(channel, threadTs), true);
    const prompts = this.options.suggestedPrompts ?? DEFAULT_SUGGESTED_PROMPTS;
    if (prompts.length > 0) await this.api.setSuggestedPrompts(channel, threadTs, SUGGESTED_PROMPTS_TITLE, prompts);
  }

  private async handle(mapped: SlackMappedEvent, retryNum: number | undefined): Promise<void> {
    const handler = this.handler;
    if (!handler) return;
    const { dedup } = this.options;
    if ((await dedup.claim(mapped.dedupKey, DEDUP_LEASE_MS)) === 'duplicate') {
      this.log.info({ correlationId: mapped.event.id, retryNum: retryNum ?? 0 }, 'duplicate Slack delivery ignored');
      return;
    }
    const ref = mapped.event.conversation;
    const assistantThread = ref.kind === 'direct' && ref.threadId !== undefined && (await this.options.state.get<boolean>(STATE_NAMESPACE, assistantKey(ref.externalId, ref.threadId))) === true;
    const responder = new SlackResponder(
      this.api,
      ref,
      { userId: mapped.userId, ...(mapped.teamId ? { teamId: mapped.teamId } : {}) },
      { updateIntervalMs: this.options.streamUpdateMs ?? this.editIntervalMs, now: () => this.options.clock.now().getTime(), ...(this.options.renderLimits ? { renderLimits: this.options.renderLimits } : {}) },
      assistantThread,
    );
    try {
      await handler(mapped.event, responder);
      await dedup.complete(mapped.dedupKey, DEDUP_KEEP_MS);
    } catch (error) {
      // Nothing reached the person: give the event back so a retry (or another instance) answers it.
      if (responder.delivered) await dedup.complete(mapped.dedupKey, DEDUP_KEEP_MS);
      else await dedup.release(mapped.dedupKey);
      throw error;
    }
  }

  private clientOptions(): ConstructorParameters<typeof WebClient>[1] {
    return {
      ...(this.options.apiUrl ? { slackApiUrl: withTrailingSlash(this.options.apiUrl) } : {}),
      logger: boltLogger(this.log),
      // 429s are honoured by SlackWebApi through the shared limiter, never retried blindly by the SDK.
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 2000 },
    };
  }
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** Bolt's and the Web API's logger, onto ours; their debug chatter is dropped. */
function boltLogger(log: Logger): SlackLogger {
  let level = LogLevel.INFO;
  const text = (msgs: unknown[]): string => msgs.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : '')).join(' ').slice(0, 300);
  return {
    debug: () => undefined,
    info: (...msgs) => log.debug({ sdk: 'slack' }, text(msgs)),
    warn: (...msgs) => log.warn({ sdk: 'slack' }, text(msgs)),
    error: (...msgs) => log.error({ sdk: 'slack' }, text(msgs)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

