/**
 * Microsoft Teams through the Microsoft 365 Agents SDK (`CloudAdapter`).
 *
 * `POST /api/messages` receives activities: the SDK checks the Bot Service
 * JWT (unless `allowAnonymous`, development only), the pure mapper turns them
 * into neutral events, and the HTTP request is answered at once (with the
 * invoke response Teams awaits for card actions and feedback). The core then
 * handles the event in the background, in a continued turn of the same
 * conversation — Teams redelivers activities that are not acknowledged in
 * time, and each delivery is claimed in the shared deduplicator, so one
 * activity gives one answer across instances.
 *
 * Files (exports) go to personal chats through Teams' file consent: the
 * consent card is rendered with the message, the bytes wait in the platform
 * state store, and the person's "Allow" (`fileConsent/invoke`) makes this
 * adapter upload them to the OneDrive URL Teams gives and post the file
 * card — the core is not involved after its message was sent.
 *
 * Conversation references are captured at install and at each message, so
 * `openDirect` + `send` reach a person later; a person who never wrote gets
 * a personal conversation created in the tenant when the app is installed
 * for them (otherwise `platform.not_installed`).
 */
import express, { type Request, type Response, type Router } from 'express';
import { Activity, type ConversationReference } from '@microsoft/agents-activity';
import { HttpError, type TurnContext } from '@microsoft/agents-hosting';
import type { JwtPayload } from 'jsonwebtoken';
import { describeError, RelaisError, UnavailableError } from '../../../core/errors.js';
import type { ConversationRef } from '../../../core/messages/conversation-ref.js';
import type { InboundEvent } from '../../../core/messages/inbound.js';
import type { OutboundEnvelope } from '../../../core/messages/outbound.js';
import type { ChatPlatform, InboundHandler } from '../../../core/ports/chat-platform.js';
import type { Clock } from '../../../core/ports/clock.js';
import type { HealthProbe } from '../../../core/ports/health.js';
import { DEDUP_KEEP_MS, DEDUP_LEASE_MS, type EventDeduplicator } from '../../../core/ports/event-deduplicator.js';
import type { Logger } from '../../../core/ports/logger.js';
import type { PlatformStateStore } from '../../../core/ports/platform-state.js';
import type { RateLimiter, RateRule } from '../../rate-limit/rate-limiter.js';
import { joinThread, tenantOf, type TeamsActivity } from './teams-activity.js';
import { FILE_CONSENT_INVOKE, fileInfoActivity, type FileConsentAnswer, type FileUploadInfo } from './teams-file-consent.js';
import { teamsLabels } from './teams-labels.js';
import { TeamsPendingFiles } from './teams-pending-files.js';
import { nativeFeedbackEvents, toTeamsInbound, type TeamsInbound } from './teams-inbound.js';
import { scaleRules, TEAMS_CONVERSATION_RULES, TEAMS_TENANT_RULES } from './teams-rate-limits.js';
import { TeamsReferences } from './teams-references.js';
import { TeamsResponder } from './teams-responder.js';
import { RelaisCloudAdapter } from './relais-cloud-adapter.js';

export interface TeamsPlatformOptions {
  /** Microsoft Entra app (client) id of the bot registration. */
  appId?: string;
  appPassword?: string;
  /** Single-tenant registrations: the tenant id (also the tenant where people are reached first). */
  tenantId?: string;
  /**
   * Accept activities without a Bot Service token and post replies without
   * one (development and tests only; `appId`/`appPassword` are then unused).
   */
  allowAnonymous: boolean;
  dedup: EventDeduplicator;
  limiter: RateLimiter;
  state: PlatformStateStore;
  logger: Logger;
  clock: Clock;
  /** Scales the rate-limit windows and Retry-After (a fake running faster); default 1. */
  timeScale?: number;
  /**
   * Added to every rate-limit window, in ms (default 25): room for network
   * jitter between the limiter letting a request go and Teams stamping it.
   * The tenant limit is also paced (see `paced`), which absorbs most of it.
   */
  limitMarginMs?: number;
  /** Replaces Teams' documented limits (benchmarks measuring the adapter alone). */
  rateRules?: { conversation: RateRule[]; tenant: RateRule[] };
  /** Pause between streamed sends; default the SDK's (1,000 ms for Teams). */
  streamDelayMs?: number;
  /** Close streams after this long and go on by updates (default 100,000 ms; Teams stops at 2 min). */
  streamMaxMs?: number;
  /** Least time between two updates of a closed stream (default 2,000 ms). */
  updateIntervalMs?: number;
  /** Longest wait for the upload of a file to OneDrive, in ms (default 60,000). */
  uploadTimeoutMs?: number;
}

const INVOKE_OK = { status: 200, body: {} };
const CARD_ACTION_OK = { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: '' } };

export class TeamsPlatform implements ChatPlatform {
  readonly name = 'teams' as const;
  private handler: InboundHandler | undefined;
  private adapter: RelaisCloudAdapter | undefined;
  private readonly references: TeamsReferences;
  private readonly files: TeamsPendingFiles;
  private readonly pending = new Set<Promise<void>>();
  private readonly log: Logger;
  /** 429/503 answers received from the connector (metrics, benchmark). */
  throttled = 0;

  constructor(private readonly options: TeamsPlatformOptions) {
    this.log = options.logger.child({ scope: 'teams' });
    this.references = new TeamsReferences(options.state);
    this.files = new TeamsPendingFiles(options.state, () => options.clock.now().getTime());
  }

  async start(handler: InboundHandler): Promise<void> {
    const { options } = this;
    const scale = options.timeScale ?? 1;
    const margin = options.limitMarginMs ?? 25;
    // Explicit keys: the SDK merges settings it finds in process.env (clientId, tenantId…) under ours.
    const auth = options.allowAnonymous
      ? { clientId: undefined, clientSecret: undefined, tenantId: undefined }
      : { clientId: options.appId, clientSecret: options.appPassword, tenantId: options.tenantId };
    if (options.allowAnonymous) this.log.warn('TEAMS_ALLOW_ANONYMOUS: activities are accepted without a Bot Service token (development only)');
    this.adapter = new RelaisCloudAdapter(auth, {
      limiter: options.limiter,
      // A person answering a survey quickly fills one conversation's 7-per-second window; the service counts a request
      // when it arrives, so a 25 ms margin let an 8th land inside the window (one 429 seen). The tenant window keeps 25 ms:
      // it is what bounds a fan-out, and per-conversation windows never bind there.
      conversationRules: withMargin(options.rateRules?.conversation ?? scaleRules(TEAMS_CONVERSATION_RULES, scale), Math.max(margin, CONVERSATION_MARGIN_MS)),
      tenantRules: paced(withMargin(options.rateRules?.tenant ?? scaleRules(TEAMS_TENANT_RULES, scale), margin)),
      defaultTenant: options.tenantId ?? 'default',
      timeScale: scale,
      onThrottled: (status, waitMs) => {
        this.throttled++;
        this.log.warn({ status, waitMs }, 'Teams connector throttled a request; retrying after the pause it asked');
      },
    });
    // The SDK's default tells users "fix the source code": log instead (the core already answered or will).
    this.adapter.onTurnError = async (_context, error) => {
      this.log.error({ err: describeError(error) }, 'Teams turn failed');
    };
    this.handler = handler;
  }

  async stop(): Promise<void> {
    this.handler = undefined;
    await Promise.allSettled([...this.pending]);
  }

  /** `POST /api/messages`, mounted after JSON parsing. */
  router(): Router {
    const router = express.Router();
    router.post('/api/messages', async (req, res, next) => {
      try {
        await this.receive(req, res);
      } catch (error) {
        next(error);
      }
    });
    return router;
  }

  /** For /readyz and `relais doctor`: started, and how activities are authenticated (no call to Microsoft). */
  health(): HealthProbe {
    return {
      name: 'teams',
      check: async () => {
        if (!this.adapter || !this.handler) throw new UnavailableError('teams.not_started', 'the Teams adapter is not started');
        const auth = this.options.allowAnonymous ? 'anonymous activities accepted (development only)' : 'Bot Service tokens checked';
        return `HTTP /api/messages, ${auth}; connector throttled ${this.throttled} time(s)`;
      },
    };
  }

  /** Waits until every event received so far has been handled (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  async send(ref: ConversationRef, envelope: OutboundEnvelope): Promise<void> {
    const reference = toSdkReference(ref);
    await this.inContinuedTurn(reference, ref, { sent: false }, true, async (responder) => {
      await responder.send(envelope);
    });
  }

  async openDirect(userExternalId: string): Promise<ConversationRef> {
    const known = await this.references.direct(userExternalId);
    if (known) return known;
    const tenant = await this.references.tenant(this.options.tenantId);
    if (!tenant) {
      throw new RelaisError('platform.not_installed', 'no Teams conversation with this person and no known tenant to create one in');
    }
    const adapter = this.requireAdapter();
    // Teams names members by their Teams account id; the Entra object id is what we have for people seen elsewhere.
    const teamsUserId = await this.references.teamsUserId(userExternalId);
    let conversationId: string | undefined;
    try {
      await adapter.createConversationAsync(
        this.options.appId ?? '',
        tenant.route.channelId,
        tenant.route.serviceUrl,
        'https://api.botframework.com',
        {
          isGroup: false,
          agent: { id: tenant.route.botId },
          // The REST API names the bot account "bot"; the SDK's type calls it "agent".
          bot: { id: tenant.route.botId },
          members: [{ id: teamsUserId ?? userExternalId, aadObjectId: userExternalId }],
          tenantId: tenant.tenantId,
          channelData: { tenant: { id: tenant.tenantId } },
        } as never,
        async (context) => {
          conversationId = context.activity.conversation?.id;
        },
      );
    } catch (error) {
      const status = error instanceof HttpError ? error.status : undefined;
      if (status === 403 || status === 404) {
        throw new RelaisError('platform.not_installed', 'Teams refused to open a personal chat: the app is not installed for this person', { details: { status } });
      }
      throw new RelaisError('platform.unavailable', 'Teams could not open a personal chat', { transient: true, details: { status }, cause: error });
    }
    if (!conversationId) throw new RelaisError('platform.not_installed', 'Teams opened no personal chat');
    const ref: ConversationRef = {
      platform: 'teams',
      externalId: conversationId,
      kind: 'direct',
      routing: { serviceUrl: tenant.route.serviceUrl, channelId: tenant.route.channelId, tenantId: tenant.tenantId, botId: tenant.route.botId },
    };
    await this.references.rememberDirect(userExternalId, ref);
    return ref;
  }

  private requireAdapter(): RelaisCloudAdapter {
    if (!this.adapter) throw new RelaisError('teams.not_ready', 'the Teams adapter is not started', { transient: true });
    return this.adapter;
  }

  private async receive(req: Request, res: Response): Promise<void> {
    const adapter = this.adapter;
    if (!adapter || !this.handler) {
      res.status(503).json({ error: 'starting or stopping' });
      return;
    }
    const sdkReq = req as unknown as Parameters<RelaisCloudAdapter['process']>[0];
    const sdkRes = res as unknown as Parameters<RelaisCloudAdapter['process']>[1];
    if (!this.options.allowAnonymous) {
      let authorized = false;
      await adapter.authorizeRequest(sdkReq, sdkRes, () => {
        authorized = true;
      });
      if (!authorized) return;
    }
    await adapter.process(sdkReq, sdkRes, (context) => this.onTurn(context));
  }

  /** The synchronous part of a turn: map, answer the invoke, remember, claim, then hand over. */
  private async onTurn(context: TurnContext): Promise<void> {
    const activity = context.activity as unknown as TeamsActivity;
    const mapped = toTeamsInbound(activity, { now: this.options.clock.now() });
    if (mapped.kind === 'ignored') {
      this.log.debug({ type: activity.type, reason: mapped.reason }, 'activity ignored');
      const answered = ['adaptiveCard/action', 'message/submitAction', FILE_CONSENT_INVOKE];
      if (mapped.invoke && answered.includes(activity.name ?? '')) await this.answerInvoke(context, activity.name);
      return;
    }
    // Invokes are answered at once (Teams shows an error after a few seconds); the work follows in the background.
    if (activity.type === 'invoke') await this.answerInvoke(context, activity.name);
    await this.capture(activity, mapped);
    const events = mapped.kind === 'fileConsent' ? [] : await this.eventsOf(mapped);
    if (mapped.kind !== 'fileConsent' && events.length === 0) return;
    const key = activity.id ? `teams:${activity.conversation?.id}:${activity.id}` : undefined;
    if (key && (await this.options.dedup.claim(key, DEDUP_LEASE_MS)) === 'duplicate') {
      this.log.debug({ type: activity.type }, 'redelivered activity ignored');
      return;
    }
    const reference = context.activity.getConversationReference();
    if (mapped.kind === 'fileConsent') {
      this.track(this.handleFileConsent(reference, mapped.base.conversation, mapped.answer, mapped.base.localeHint, key));
      return;
    }
    this.track(this.handleInBackground(reference, events, key));
  }

  /**
   * A person answered a file consent card: on "Allow", the bytes go to the
   * OneDrive upload URL Teams gave and a file card follows; on "Decline",
   * a line says the file was not sent. Either way the stored bytes are
   * deleted (taken) first, so a file is never delivered twice.
   */
  private async handleFileConsent(
    reference: ConversationReference,
    ref: ConversationRef,
    answer: FileConsentAnswer,
    localeHint: string | undefined,
    key: string | undefined,
  ): Promise<void> {
    const progress = { sent: false };
    try {
      const taken = await this.files.take(answer.token, ref.externalId);
      const labels = teamsLabels('file' in taken ? taken.file.locale : (localeHint ?? 'fr'));
      let reply: TeamsActivity;
      if (answer.action === 'decline') {
        reply = textActivity(labels.fileDeclined);
      } else if (!('file' in taken) || !answer.uploadInfo) {
        this.log.warn({ reason: 'missing' in taken ? 'unknown or used' : 'expired' }, 'file consent accepted for a file no longer kept');
        reply = textActivity(labels.fileExpired);
      } else {
        const bytes = Buffer.from(taken.file.base64, 'base64');
        try {
          await this.upload(answer.uploadInfo, bytes);
          reply = fileInfoActivity(answer.uploadInfo, labels);
          this.log.info({ bytes: bytes.length, mimeType: taken.file.mimeType }, 'file uploaded to OneDrive after consent');
        } catch (error) {
          this.log.error({ err: describeError(error), bytes: bytes.length }, 'file upload to OneDrive failed');
          reply = textActivity(labels.fileUploadFailed);
        }
      }
      await this.inContinuedTurn(reference, ref, progress, true, async (responder) => {
        await responder.deliver({ activities: [reply] });
      });
      if (key) await this.options.dedup.complete(key, DEDUP_KEEP_MS);
    } catch (error) {
      this.log.error({ err: describeError(error) }, 'Teams file consent could not be handled');
      // The bytes are gone once taken: a redelivery could only say "no longer available", so never release.
      if (key) await this.options.dedup.complete(key, DEDUP_KEEP_MS).catch(() => undefined);
    }
  }

  /** One PUT of the whole file to a OneDrive upload session (Teams' pre-authorized `uploadUrl`, no token needed). */
  private async upload(info: FileUploadInfo, bytes: Buffer): Promise<void> {
    const response = await fetch(info.uploadUrl, {
      method: 'PUT',
      headers: {
        'content-length': String(bytes.length),
        'content-range': `bytes 0-${bytes.length - 1}/${bytes.length}`,
      },
      body: bytes,
      signal: AbortSignal.timeout(this.options.uploadTimeoutMs ?? 60_000),
    });
    await response.arrayBuffer().catch(() => undefined);
    // 200/201: the upload session is complete; 202 would mean it still expects bytes.
    if (response.status !== 200 && response.status !== 201) {
      throw new RelaisError('teams.upload_failed', `OneDrive answered ${response.status} to the file upload`, { transient: response.status >= 500 || response.status === 429, details: { status: response.status } });
    }
  }

  private async answerInvoke(context: TurnContext, name: string | undefined): Promise<void> {
    const value = name === 'adaptiveCard/action' ? CARD_ACTION_OK : INVOKE_OK;
    await context.sendActivity(Activity.fromObject({ type: 'invokeResponse', value }));
  }

  private async eventsOf(mapped: Exclude<TeamsInbound, { kind: 'ignored' | 'fileConsent' }>): Promise<InboundEvent[]> {
    if (mapped.kind === 'event') return [mapped.event];
    const conversationId = mapped.base.conversation.externalId;
    const actionId = await this.references.feedbackAction(conversationId, mapped.replyToId);
    if (!actionId) {
      this.log.warn('native feedback on a message whose answer is unknown (expired or not ours)');
      return [];
    }
    return nativeFeedbackEvents(mapped, actionId);
  }

  /** Remembers how to reach the person (personal chats) and the tenant, for proactive messages. */
  private async capture(activity: TeamsActivity, mapped: Exclude<TeamsInbound, { kind: 'ignored' }>): Promise<void> {
    // A file consent answer comes from a personal chat already known.
    if (mapped.kind === 'fileConsent') return;
    try {
      const ref = mapped.kind === 'event' ? mapped.event.conversation : mapped.base.conversation;
      const tenantId = tenantOf(activity);
      const botId = activity.recipient?.id;
      if (tenantId && activity.serviceUrl && botId) {
        await this.references.rememberTenant(tenantId, { serviceUrl: activity.serviceUrl, botId, channelId: activity.channelId ?? 'msteams' });
      }
      const sender = mapped.kind === 'event' ? mapped.event.sender.externalId : mapped.base.sender.externalId;
      if (ref.kind === 'direct') await this.references.rememberDirect(sender, ref);
      if (activity.from?.id && activity.from.aadObjectId) await this.references.rememberUser(sender, activity.from.id);
    } catch (error) {
      this.log.warn({ err: describeError(error) }, 'could not store the Teams conversation reference');
    }
  }

  private track(work: Promise<void>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  private async handleInBackground(reference: ConversationReference, events: InboundEvent[], key: string | undefined): Promise<void> {
    const handler = this.handler;
    if (!handler) return;
    const ref = events[0]!.conversation;
    const progress = { sent: false };
    // A greeting is a new message, not a reply to the install event.
    const newMessages = events.every((e) => e.kind === 'joined');
    try {
      await this.inContinuedTurn(reference, ref, progress, newMessages, async (responder) => {
        for (const event of events) await handler(event, responder);
      });
      if (key) await this.options.dedup.complete(key, DEDUP_KEEP_MS);
    } catch (error) {
      this.log.error({ err: describeError(error) }, 'Teams event could not be handled');
      if (!key) return;
      // Nothing reached the person: let Teams' redelivery try again; otherwise never answer twice.
      if (progress.sent) await this.options.dedup.complete(key, DEDUP_KEEP_MS).catch(() => undefined);
      else await this.options.dedup.release(key).catch(() => undefined);
    }
  }

  /**
   * Runs `work` in a continued turn of a conversation (`progress.sent` tells
   * whether anything reached Teams). `newMessages`: post new messages rather
   * than replies to the activity the reference names.
   */
  private async inContinuedTurn(
    reference: ConversationReference,
    ref: ConversationRef,
    progress: { sent: boolean },
    newMessages: boolean,
    work: (responder: TeamsResponder) => Promise<void>,
  ): Promise<void> {
    const adapter = this.requireAdapter();
    let failure: unknown;
    await adapter.continueConversation(this.identity(), reference, async (context) => {
      if (newMessages) {
        // A continued turn replies to the activity it continues (or to a made-up id): post instead.
        context.onSendActivities(async (_ctx, activities, next) => {
          for (const activity of activities) delete activity.replyToId;
          return next();
        });
      }
      const responder = new TeamsResponder(context, {
        conversationKind: ref.kind,
        streamMaxMs: this.options.streamMaxMs ?? 100_000,
        updateIntervalMs: this.options.updateIntervalMs ?? 2_000,
        ...(this.options.streamDelayMs !== undefined ? { streamDelayMs: this.options.streamDelayMs } : {}),
        now: () => this.options.clock.now().getTime(),
        onSent: () => {
          progress.sent = true;
        },
        onFeedbackMessage: (messageId, actionId) => this.references.rememberFeedback(ref.externalId, messageId, actionId),
        onFileOffered: (file, locale) => this.files.offer(file.token, file.block, ref.externalId, locale),
      });
      try {
        await work(responder);
      } catch (error) {
        failure = error;
      }
    });
    if (failure !== undefined) {
      const status = failure instanceof HttpError ? failure.status : undefined;
      if (status === 403 || status === 404) {
        throw new RelaisError('platform.not_installed', 'Teams refused the message: the app is not installed in this conversation', { details: { status } });
      }
      throw failure;
    }
  }

  /** Who the bot is when it continues a conversation: its app id, or nobody (anonymous development mode). */
  private identity(): string | JwtPayload {
    return this.options.allowAnonymous || !this.options.appId ? ({} as JwtPayload) : this.options.appId;
  }
}

function textActivity(text: string): TeamsActivity {
  return { type: 'message', text, textFormat: 'markdown' };
}

/** Added to each per-conversation window (see start()). */
const CONVERSATION_MARGIN_MS = 150;

function withMargin(rules: readonly RateRule[], marginMs: number): RateRule[] {
  return rules.map((r) => ({ limit: r.limit, windowMs: r.windowMs + marginMs }));
}

/**
 * Adds an even spacing to a tenant's limits (30 per 1,025 ms → two per
 * 69 ms): a burst of 30 requests let go at once reaches Teams spread by the
 * event loop and the network, and the next burst, let go exactly one window
 * later, overran the sliding window by a few requests (measured with the
 * fake: 73 × 429 for 300 messages). Spaced pairs gave none for 1,000
 * messages at about 94 % of the documented rate (bench/fanout/teams.fanout.ts,
 * on a loaded 2-core machine); single requests spaced by 34 ms lost more to
 * timer lateness, larger bursts brought 429s back, a 15 ms margin left one
 * 429 in some runs.
 */
function paced(rules: readonly RateRule[]): RateRule[] {
  const burst = 2;
  const spacing = rules.filter((r) => r.limit > burst).map((r) => ({ limit: burst, windowMs: Math.ceil((r.windowMs * burst) / r.limit) }));
  return [...rules, ...spacing];
}

/** An SDK conversation reference for a stored neutral reference (proactive messages). */
export function toSdkReference(ref: ConversationRef): ConversationReference {
  const routing = ref.routing ?? {};
  if (!routing.serviceUrl) throw new RelaisError('teams.bad_ref', 'Teams conversation reference without a service URL');
  return {
    channelId: routing.channelId ?? 'msteams',
    serviceUrl: routing.serviceUrl,
    conversation: {
      id: joinThread(ref.externalId, ref.threadId),
      isGroup: ref.kind !== 'direct',
      conversationType: ref.kind === 'direct' ? 'personal' : ref.kind === 'channel' ? 'channel' : 'groupChat',
      ...(routing.tenantId ? { tenantId: routing.tenantId } : {}),
    },
    agent: { id: routing.botId ?? '' },
  } as ConversationReference;
}
