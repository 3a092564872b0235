/**
 * A small Slack: the Web API subset the adapter calls, behaving like the
 * documented service, plus a sender of signed events to the bot like Slack's
 * Events API.
 *
 * Web API: form-encoded or JSON POSTs to `/api/<method>` with a bearer token
 * (`invalid_auth` otherwise). Enforced: `chat.postMessage` 1 per second per
 * channel and a per-workspace cap (429 + Retry-After), 50 blocks per message,
 * 3,000 characters per section text (`invalid_blocks`), 40,000 characters per
 * message (`msg_too_long`). Files go through the external upload flow
 * (`files.getUploadURLExternal`, a POST of the bytes to the URL it gives,
 * `files.completeUploadExternal`); each file keeps its bytes, type, title and
 * conversation so tests read them back. Everything received is recorded. A `timeScale`
 * below 1 shrinks every window and Retry-After alike (benchmarks).
 *
 * Events: `deliverEvent` signs the raw body (`v0=` HMAC-SHA256 of
 * `v0:<ts>:<body>`), and `deliverWithRetries` retries with
 * `X-Slack-Retry-Num`/`X-Slack-Retry-Reason` when the bot does not answer 2xx
 * within 3 seconds, like Slack (three retries: at once, ~1 min, ~5 min).
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RateRuleSpec {
  limit: number;
  windowMs: number;
}

export interface SlackFakeOptions {
  token?: string;
  botUserId?: string;
  botId?: string;
  teamId?: string;
  /** Multiplies every window and Retry-After (default 1). */
  timeScale?: number;
  /** chat.postMessage per channel (default 1 per 1000 ms). */
  postPerChannel?: RateRuleSpec;
  /** chat.postMessage per workspace (default 300 per 60,000 ms). */
  postPerWorkspace?: RateRuleSpec;
  /** Clock jitter tolerated between the bot's limiter and the fake's (default 40 ms). */
  toleranceMs?: number;
  /** Behave like a workspace without the `feedback_buttons` element (invalid_blocks). */
  refuseNativeFeedback?: boolean;
}

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
  /** What the fake answered: ok, a Slack error, or 429. */
  outcome: string;
}

export interface FakeMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  text: string;
  blocks: Array<Record<string, unknown>>;
  /** Text appended through chat.startStream/appendStream/stopStream. */
  streamed?: string;
  streaming?: boolean;
  updates: number;
}

/** A file uploaded through files.getUploadURLExternal → upload URL → files.completeUploadExternal. */
export interface FakeFile {
  id: string;
  filename: string;
  /** Size received at the upload URL. */
  bytes: number;
  /** The bytes received at the upload URL (empty until uploaded). */
  content: Buffer;
  /** Content-Type of the upload POST. */
  mimeType?: string;
  /** `length` declared to files.getUploadURLExternal. */
  declaredLength: number;
  altText?: string;
  /** Title given to files.completeUploadExternal. */
  title?: string;
  /** Shared in a conversation (files.completeUploadExternal). */
  channel?: string;
  threadTs?: string;
}

interface Failure {
  error?: string;
  status?: number;
  retryAfterSeconds?: number;
}

export class SlackFake {
  readonly calls: RecordedCall[] = [];
  readonly messages: FakeMessage[] = [];
  readonly files: FakeFile[] = [];
  rateLimited = 0;
  readonly token: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly teamId: string;
  private server: Server | undefined;
  private baseUrl = '';
  private seq = 0;
  private readonly failures = new Map<string, Failure[]>();
  private readonly channelSends = new Map<string, number[]>();
  private readonly workspaceSends: number[] = [];
  private readonly scale: number;
  private readonly perChannel: RateRuleSpec;
  private readonly perWorkspace: RateRuleSpec;
  private readonly tolerance: number;
  private readonly refuseNativeFeedback: boolean;

  constructor(options: SlackFakeOptions = {}) {
    this.token = options.token ?? 'xoxb-test-token';
    this.botUserId = options.botUserId ?? 'UBOT0001';
    this.botId = options.botId ?? 'BBOT0001';
    this.teamId = options.teamId ?? 'T0TEAM001';
    this.scale = options.timeScale ?? 1;
    this.perChannel = options.postPerChannel ?? { limit: 1, windowMs: 1000 };
    this.perWorkspace = options.postPerWorkspace ?? { limit: 300, windowMs: 60_000 };
    this.tolerance = options.toleranceMs ?? 40;
    this.refuseNativeFeedback = options.refuseNativeFeedback ?? false;
  }

  /** Base URL of the Web API, for `slackApiUrl`/`SLACK_API_URL`. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.route(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
  }

  /** The next call of `method` fails this way (e.g. `{ status: 429, retryAfterSeconds: 1 }`, `{ error: 'not_in_channel' }`). */
  failNext(method: string, failure: Failure): void {
    const list = this.failures.get(method) ?? [];
    list.push(failure);
    this.failures.set(method, list);
  }

  /** Counters, also served at `GET /__fake/stats` (the fake may run in another process). */
  stats(): { rateLimited: number; calls: Record<string, Record<string, number>> } {
    const calls: Record<string, Record<string, number>> = {};
    for (const call of this.calls) {
      const byOutcome = (calls[call.method] ??= {});
      byOutcome[call.outcome] = (byOutcome[call.outcome] ?? 0) + 1;
    }
    return { rateLimited: this.rateLimited, calls };
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  messagesIn(channel: string): FakeMessage[] {
    return this.messages.filter((m) => m.channel === channel);
  }

  /** Files shared in a conversation, in upload order. */
  filesIn(channel: string): FakeFile[] {
    return this.files.filter((f) => f.channel === channel);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', this.baseUrl);
    if (url.pathname === '/__fake/stats') return send(res, 200, JSON.stringify(this.stats()));
    if (url.pathname.startsWith('/upload/')) {
      const file = this.files.find((f) => f.id === url.pathname.slice('/upload/'.length));
      if (!file) return send(res, 404, 'not found');
      file.bytes = body.length;
      file.content = body;
      const type = req.headers['content-type'];
      if (type) file.mimeType = type;
      return send(res, 200, 'OK - ' + body.length);
    }
    const method = /^\/api\/([\w.]+)$/.exec(url.pathname)?.[1];
    if (!method || req.method !== 'POST') return send(res, 404, JSON.stringify({ ok: false, error: 'unknown_method' }));
    const args = parseArgs(req.headers['content-type'] ?? '', body.toString('utf8'));
    const auth = req.headers.authorization ?? (typeof args.token === 'string' ? `Bearer ${args.token}` : '');
    const answer = (outcome: string, status: number, payload: Record<string, unknown>, headers: Record<string, string> = {}): void => {
      this.calls.push({ method, args, at: Date.now(), outcome });
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(payload));
    };
    if (auth !== `Bearer ${this.token}`) return answer('invalid_auth', 200, { ok: false, error: auth ? 'invalid_auth' : 'not_authed' });
    const failure = this.failures.get(method)?.shift();
    if (failure?.status === 429) {
      this.rateLimited++;
      return answer('429', 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.retryAfterSeconds ?? 1) });
    }
    if (failure) return answer(failure.error ?? 'internal_error', failure.status ?? 200, { ok: false, error: failure.error ?? 'internal_error' });
    const result = this.handle(method, args);
    if ('retryAfterSeconds' in result) {
      this.rateLimited++;
      return answer('429', 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(result.retryAfterSeconds) });
    }
    if (result.ok === false) return answer(String(result.error), 200, result);
    answer('ok', 200, result);
  }

  private handle(method: string, args: Record<string, unknown>): Record<string, unknown> | { retryAfterSeconds: number } {
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://relais-test.slack.com/', team: 'Relais test', user: 'relais', team_id: this.teamId, user_id: this.botUserId, bot_id: this.botId };
      case 'chat.postMessage': {
        const channel = String(args.channel ?? '');
        if (!channel) return { ok: false, error: 'channel_not_found' };
        const invalid = this.check(args);
        if (invalid) return { ok: false, error: invalid };
        const wait = this.admit(channel);
        if (wait > 0) return { retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)) };
        const message = this.store(channel, args);
        return { ok: true, channel, ts: message.ts, message: { text: message.text, ts: message.ts } };
      }
      case 'chat.update': {
        const message = this.find(args);
        if (!message) return { ok: false, error: 'message_not_found' };
        const invalid = this.check(args);
        if (invalid) return { ok: false, error: invalid };
        message.text = String(args.text ?? message.text);
        if (args.blocks !== undefined) message.blocks = asBlocks(args.blocks);
        message.updates++;
        return { ok: true, channel: message.channel, ts: message.ts };
      }
      case 'chat.startStream': {
        const channel = String(args.channel ?? '');
        if (!args.thread_ts) return { ok: false, error: 'invalid_arguments' };
        const message = this.store(channel, { ...args, text: '' });
        message.streaming = true;
        message.streamed = String(args.markdown_text ?? '');
        return { ok: true, channel, ts: message.ts };
      }
      case 'chat.appendStream':
      case 'chat.stopStream': {
        const message = this.find(args);
        if (!message) return { ok: false, error: 'message_not_found' };
        if (!message.streaming) return { ok: false, error: 'message_not_in_streaming_state' };
        message.streamed = (message.streamed ?? '') + String(args.markdown_text ?? '');
        if (method === 'chat.stopStream') message.streaming = false;
        return { ok: true, channel: message.channel, ts: message.ts };
      }
      case 'conversations.open': {
        const users = String(args.users ?? '');
        if (!users || users.includes(',')) return { ok: false, error: 'user_not_found' };
        return { ok: true, channel: { id: `D${users.replace(/^U/, '')}` } };
      }
      case 'files.getUploadURLExternal': {
        const id = `F${String(++this.seq).padStart(8, '0')}`;
        const length = Number(args.length);
        // Slack: "Typically only occurs when the `length` provided is 0."
        if (!args.filename || !Number.isInteger(length) || length <= 0) return { ok: false, error: 'missing_argument' };
        this.files.push({ id, filename: String(args.filename), bytes: 0, content: Buffer.alloc(0), declaredLength: length, ...(args.alt_text ? { altText: String(args.alt_text) } : {}) });
        return { ok: true, upload_url: `${this.baseUrl}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const list = JSON.parse(String(args.files ?? '[]')) as { id: string; title?: string }[];
        const found = list.map(({ id }) => this.files.find((f) => f.id === id));
        // A file whose bytes never reached the upload URL cannot be completed.
        if (found.some((f) => !f || f.bytes === 0)) return { ok: false, error: 'file_not_found' };
        for (const [i, file] of found.entries()) {
          if (!file) continue;
          if (args.channel_id) file.channel = String(args.channel_id);
          if (args.thread_ts) file.threadTs = String(args.thread_ts);
          if (list[i]!.title) file.title = String(list[i]!.title);
        }
        return { ok: true, files: list };
      }
      case 'assistant.threads.setSuggestedPrompts':
      case 'assistant.threads.setStatus':
      case 'assistant.threads.setTitle':
        if (!args.channel_id || !args.thread_ts) return { ok: false, error: 'invalid_arguments' };
        return { ok: true };
      case 'views.open':
        return { ok: true, view: { id: `V${++this.seq}` } };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  private check(args: Record<string, unknown>): string | undefined {
    const invalid = checkMessage(args);
    if (invalid || !this.refuseNativeFeedback) return invalid;
    return asBlocks(args.blocks).some((b) => b.type === 'context_actions') ? 'invalid_blocks' : undefined;
  }

  /** Milliseconds to wait before this post would be allowed; counts it when allowed. */
  private admit(channel: string): number {
    const now = Date.now();
    const times = this.channelSends.get(channel) ?? [];
    const wait = Math.max(waitFor(times, this.perChannel, now, this.scale, this.tolerance), waitFor(this.workspaceSends, this.perWorkspace, now, this.scale, this.tolerance));
    if (wait > 0) return wait;
    times.push(now);
    this.channelSends.set(channel, times);
    this.workspaceSends.push(now);
    return 0;
  }

  private store(channel: string, args: Record<string, unknown>): FakeMessage {
    const n = ++this.seq;
    const ts = `${Math.floor(Date.now() / 1000)}.${String(n).padStart(6, '0')}`;
    const message: FakeMessage = { channel, ts, text: String(args.text ?? ''), blocks: asBlocks(args.blocks), updates: 0, ...(args.thread_ts ? { threadTs: String(args.thread_ts) } : {}) };
    this.messages.push(message);
    return message;
  }

  private find(args: Record<string, unknown>): FakeMessage | undefined {
    return this.messages.find((m) => m.channel === String(args.channel) && m.ts === String(args.ts));
  }
}

function waitFor(times: number[], rule: RateRuleSpec, now: number, scale: number, tolerance: number): number {
  const window = rule.windowMs * scale - tolerance;
  while (times.length > 0 && times[0]! <= now - window) times.shift();
  if (times.length < rule.limit) return 0;
  return times[times.length - rule.limit]! + window - now;
}

function asBlocks(value: unknown): Array<Record<string, unknown>> {
  if (value === undefined) return [];
  const parsed = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(parsed) ? (parsed as Array<Record<string, unknown>>) : [];
}

/** Block Kit limits Slack checks on chat.postMessage / chat.update. */
function checkMessage(args: Record<string, unknown>): string | undefined {
  let blocks: Array<Record<string, unknown>>;
  try {
    blocks = asBlocks(args.blocks);
  } catch {
    return 'invalid_blocks_format';
  }
  if (blocks.length > 50) return 'invalid_blocks';
  let chars = String(args.text ?? '').length;
  for (const block of blocks) {
    if (typeof block.type !== 'string') return 'invalid_blocks';
    const text = (block.text as { text?: string } | undefined)?.text;
    if (block.type === 'section' && typeof text === 'string' && text.length > 3000) return 'invalid_blocks';
    if (block.type === 'actions' && Array.isArray(block.elements) && block.elements.length > 25) return 'invalid_blocks';
    chars += JSON.stringify(block).length > 0 ? visible(block) : 0;
  }
  if (chars > 40_000) return 'msg_too_long';
  const ids = blocks.flatMap((b) => (Array.isArray(b.elements) ? (b.elements as Array<{ action_id?: string }>) : [b.element as { action_id?: string } | undefined]).flatMap((e) => (e?.action_id ? [e.action_id] : [])));
  if (new Set(ids).size !== ids.length) return 'invalid_blocks';
  if (!args.text && blocks.length === 0) return 'no_text';
  return undefined;
}

function visible(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + visible(v), 0);
  if (value && typeof value === 'object') {
    return Object.entries(value).reduce((sum, [k, v]) => sum + (k === 'text' && typeof v === 'string' ? v.length : visible(v)), 0);
  }
  return 0;
}

function parseArgs(contentType: string, raw: string): Record<string, unknown> {
  if (contentType.includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  return Object.fromEntries(new URLSearchParams(raw));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(text);
}

// ---------------------------------------------------------------- events

export interface DeliveryOptions {
  signingSecret: string;
  /** Seconds since the epoch written in X-Slack-Request-Timestamp (default now). */
  timestamp?: number;
  /** Replaces the computed signature (bad-signature tests). */
  signature?: string;
  retryNum?: number;
  retryReason?: string;
  /** Abort and report a timeout when the bot does not answer within this time (default 3000 ms, Slack's limit). */
  timeoutMs?: number;
}

export interface DeliveryResult {
  status: number;
  body: string;
  elapsedMs: number;
}

/** Encodes an interactivity payload like Slack: `payload=<json>`, form-encoded. */
export function interactivityBody(payload: object): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** Encodes a slash command like Slack: its fields, form-encoded. */
export function slashCommandBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

export function signSlackRequest(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** POSTs a payload to the bot's events URL, signed like Slack. `body` is an object (JSON) or a form-encoded string. */
export async function deliverEvent(eventsUrl: string, body: object | string, options: DeliveryOptions): Promise<DeliveryResult> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': typeof body === 'string' ? 'application/x-www-form-urlencoded' : 'application/json',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': options.signature ?? signSlackRequest(options.signingSecret, timestamp, raw),
  };
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = options.retryReason ?? 'http_timeout';
  }
  const started = Date.now();
  try {
    const response = await fetch(eventsUrl, { method: 'POST', headers, body: raw, signal: AbortSignal.timeout(options.timeoutMs ?? 3000) });
    return { status: response.status, body: await response.text(), elapsedMs: Date.now() - started };
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') return { status: 0, body: 'timeout', elapsedMs: Date.now() - started };
    throw error;
  }
}

/**
 * Delivers like Slack's Events API: when the bot does not answer 2xx within
 * 3 s, retries up to three times with X-Slack-Retry-Num 1..3 (delays
 * `retryDelaysMs`, default Slack's ~0 s, 1 min, 5 min).
 */
export async function deliverWithRetries(
  eventsUrl: string,
  body: object,
  options: DeliveryOptions & { retryDelaysMs?: number[] },
): Promise<DeliveryResult[]> {
  const delays = options.retryDelaysMs ?? [0, 60_000, 300_000];
  const results: DeliveryResult[] = [];
  for (let attempt = 0; attempt <= delays.length; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, delays[attempt - 1]));
    const result = await deliverEvent(eventsUrl, body, { ...options, ...(attempt > 0 ? { retryNum: attempt, retryReason: results.at(-1)?.status === 0 ? 'http_timeout' : 'http_error' } : {}) });
    results.push(result);
    if (result.status >= 200 && result.status < 300) break;
  }
  return results;
}

/** An Events API envelope around `event`, as Slack sends it. */
export function eventEnvelope(event: Record<string, unknown>, eventId: string, teamId = 'T0TEAM001', botUserId = 'UBOT0001'): Record<string, unknown> {
  return {
    token: 'verification-token-unused',
    team_id: teamId,
    api_app_id: 'A0RELAIS01',
    event: { event_ts: String(event.ts ?? `${Math.floor(Date.now() / 1000)}.000100`), ...event },
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: teamId, user_id: botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: `4-${eventId}`,
  };
}
