/**
 * The built-in web chat: a JSON + SSE API (docs/web-api.md) and the page
 * served at `/` that uses it. It is the first chat adapter and the
 * reference for the others: same core, same neutral messages.
 */
import { timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { RelaisError, ValidationError } from '../../../core/errors.js';
import type { DeliveryHistory } from '../../../core/conversation/delivery-history.js';
import type { ConversationRef } from '../../../core/messages/conversation-ref.js';
import type { OutboundEnvelope } from '../../../core/messages/outbound.js';
import type { ChatPlatform, InboundHandler } from '../../../core/ports/chat-platform.js';
import type { Clock } from '../../../core/ports/clock.js';
import type { Logger } from '../../../core/ports/logger.js';
import { openEventStream, writeComment, writeEvent } from '../../http/sse.js';
import { WebDeliveryHub } from './web-delivery-hub.js';
import { renderWebMessage, type WebMessage } from './web-message.js';
import {
  INBOX_CONVERSATION_ID,
  parseActionRequest,
  parseMessageRequest,
  toInboundAction,
  toInboundMessage,
  USER_ID,
  webConversationRef,
} from './web-request.js';
import { CollectingResponder, EventStreamResponder } from './web-responders.js';

export interface WebChatOptions {
  history: DeliveryHistory;
  logger: Logger;
  clock: Clock;
  /** Longest accepted message text, in characters. */
  maxTextLength: number;
  /** When set, `/api/web/*` requires `Authorization: Bearer <token>`. */
  apiToken?: string;
  /** Keep-alive comment and store poll period of live streams (default 15 s). */
  streamPollMs?: number;
}

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
const MAX_PAGE = 200;

export class WebChatPlatform implements ChatPlatform {
  readonly name = 'web' as const;
  private readonly hub = new WebDeliveryHub();
  private readonly streams = new Set<ServerResponse>();
  private handler: InboundHandler | undefined;
  private readonly log: Logger;

  constructor(private readonly options: WebChatOptions) {
    this.log = options.logger.child({ scope: 'web' });
  }

  async start(handler: InboundHandler): Promise<void> {
    this.handler = handler;
  }

  /** Ends live streams so the HTTP server can close; clients reconnect to another instance. */
  async stop(): Promise<void> {
    this.handler = undefined;
    for (const res of this.streams) {
      writeEvent(res, 'bye', { reason: 'server-shutdown' });
      res.end();
    }
    this.streams.clear();
  }

  async send(ref: ConversationRef, envelope: OutboundEnvelope): Promise<void> {
    const userId = ref.routing?.userId;
    if (!userId) throw new RelaisError('web.bad_ref', 'web conversation reference without a user id');
    this.hub.publish(userId, renderWebMessage(envelope, ref.routing?.conversationId ?? INBOX_CONVERSATION_ID));
  }

  async openDirect(userExternalId: string): Promise<ConversationRef> {
    return webConversationRef(userExternalId, INBOX_CONVERSATION_ID);
  }

  /** Live stream connections (for metrics and tests). */
  get openStreams(): number {
    return this.streams.size;
  }

  /** Routes of the page and the API, mounted at the server root. */
  router(): Router {
    const router = express.Router();
    router.use('/api/web', (req, res, next) => this.authorize(req, next));
    router.post('/api/web/messages', (req, res) => this.postMessage(req, res));
    router.post('/api/web/actions', (req, res) => this.postAction(req, res));
    router.get('/api/web/users/:userId/messages', (req, res) => this.listMessages(req, res));
    router.get('/api/web/users/:userId/stream', (req, res) => this.streamMessages(req, res));
    // Revalidate on every load (ETag): after an upgrade, no browser mixes an old app.js with a new page.
    router.use(express.static(PUBLIC_DIR, { index: 'index.html', maxAge: 0 }));
    return router;
  }

  private authorize(req: Request, next: NextFunction): void {
    const expected = this.options.apiToken;
    if (!expected) return next();
    const given = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1] ?? '';
    const ok = given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
    if (ok) return next();
    next(new RelaisError('web.unauthorized', 'missing or wrong bearer token (RELAIS_WEB_API_TOKEN)'));
  }

  private requireHandler(): InboundHandler {
    if (!this.handler) throw new RelaisError('web.not_ready', 'the bot is starting or stopping', { transient: true });
    return this.handler;
  }

  private async postMessage(req: Request, res: Response): Promise<void> {
    const handler = this.requireHandler();
    const request = parseMessageRequest(req.body, this.options.maxTextLength);
    const event = toInboundMessage(request, this.options.clock.now());
    await this.respond(req, res, request.userId, request.conversationId, (responder) => handler(event, responder));
  }

  private async postAction(req: Request, res: Response): Promise<void> {
    const handler = this.requireHandler();
    const request = parseActionRequest(req.body);
    const event = toInboundAction(request, this.options.clock.now());
    await this.respond(req, res, request.userId, request.conversationId, (responder) => handler(event, responder));
  }

  private async respond(
    req: Request,
    res: Response,
    userId: string,
    conversationId: string,
    run: (responder: CollectingResponder | EventStreamResponder) => Promise<void>,
  ): Promise<void> {
    if (wantsEventStream(req)) {
      openEventStream(res);
      const responder = new EventStreamResponder(this.hub, userId, conversationId, res);
      await run(responder);
      writeEvent(res, 'done', { conversationId, cursor: responder.cursor ?? null });
      res.end();
      return;
    }
    const responder = new CollectingResponder(this.hub, userId, conversationId);
    await run(responder);
    res.json({ conversationId, replies: responder.replies, cursor: responder.cursor ?? null });
  }

  private async listMessages(req: Request, res: Response): Promise<void> {
    const userId = parseUserId(req.params.userId);
    const after = typeof req.query.after === 'string' ? req.query.after : undefined;
    const limit = parseLimit(req.query.limit);
    const messages = await this.history(userId, after, limit);
    res.json({ messages, cursor: messages.at(-1)?.cursor ?? after ?? null });
  }

  private async history(userId: string, after: string | undefined, limit: number): Promise<WebMessage[]> {
    const delivered = await this.options.history.listForUser('web', userId, { ...(after ? { after } : {}), limit });
    return delivered.map(({ envelope, ref }) => renderWebMessage(envelope, ref.routing?.conversationId ?? INBOX_CONVERSATION_ID));
  }

  private async streamMessages(req: Request, res: Response): Promise<void> {
    const userId = parseUserId(req.params.userId);
    const resumeFrom = req.get('last-event-id') ?? (typeof req.query.after === 'string' ? req.query.after : undefined);
    // Read (and validate the cursor) before switching the response to an event stream.
    const backlog = resumeFrom ? await this.history(userId, resumeFrom, MAX_PAGE) : [];
    let polledCursor =
      backlog.at(-1)?.cursor ?? resumeFrom ?? (await this.options.history.latestCursor('web', userId)) ?? undefined;

    openEventStream(res);
    this.streams.add(res);
    const sent = new Set<string>();
    const deliver = (message: WebMessage): void => {
      if (sent.has(message.id)) return;
      sent.add(message.id);
      if (sent.size > 1000) sent.delete(sent.values().next().value!);
      writeEvent(res, 'message', message, message.cursor);
    };
    const unsubscribe = this.hub.subscribe(userId, deliver);
    writeEvent(res, 'ready', { userId });
    backlog.forEach(deliver);

    const timer = setInterval(() => {
      writeComment(res, 'keep-alive');
      // Another instance may have sent to this user: catch up from the store.
      void this.history(userId, polledCursor, MAX_PAGE)
        .then((messages) => {
          messages.forEach(deliver);
          polledCursor = messages.at(-1)?.cursor ?? polledCursor;
        })
        .catch((error: unknown) => this.log.warn({ err: (error as Error).message }, 'stream poll failed'));
    }, this.options.streamPollMs ?? 15_000);
    req.on('close', () => {
      clearInterval(timer);
      unsubscribe();
      this.streams.delete(res);
    });
  }
}

function wantsEventStream(req: Request): boolean {
  return (req.get('accept') ?? '').includes('text/event-stream');
}

function parseUserId(value: unknown): string {
  if (typeof value !== 'string' || !USER_ID.test(value)) {
    throw new ValidationError('web.invalid_request', 'userId: letters, digits and . _ : @ - only, 1 to 128 characters');
  }
  return value;
}

function parseLimit(value: unknown): number {
  if (value === undefined) return 50;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new ValidationError('web.invalid_request', `limit: an integer from 1 to ${MAX_PAGE}`);
  }
  return limit;
}
