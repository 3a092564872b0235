/**
 * A local stand-in for the Bot Framework connector that Teams bots post to
 * (the `serviceUrl` of each activity), for driving the real
 * @microsoft/agents-hosting SDK in tests (ARCHITECTURE.md rule 4):
 *
 * - `POST /v3/conversations` — creates a personal conversation (one member,
 *   `isGroup: false`; 403 when the app is not installed for the member, as
 *   Teams answers);
 * - `POST /v3/conversations/{id}/activities` and
 *   `POST /v3/conversations/{id}/activities/{replyToId}` — records the
 *   activity and answers `{ id }` (streamed activities keep their stream's id);
 * - `PUT /v3/conversations/{id}/activities/{activityId}` — records an update;
 * - `PUT /upload/{id}` — plays the OneDrive upload session Teams opens when
 *   a person allows a file offered by a bot's file consent card
 *   (`createUpload` makes the `uploadInfo` Teams would put in the
 *   `fileConsent/invoke`): the whole file in one request with
 *   `Content-Range: bytes 0-(n-1)/n`, recorded in `uploads`, answered 201
 *   with the drive item; a wrong range gets 400, a second upload 409.
 *   `GET /files/{id}` gives the uploaded bytes back (the `contentUrl`).
 *
 * It enforces Teams' documented limits — per conversation 7 per second,
 * 8 per 2 s, 60 per 30 s, 1,800 per hour; per tenant 30 requests per second
 * — with `429` and `Retry-After`, and refuses activities over 28 KB with 413.
 * `timeScale` shrinks every window and Retry-After alike (benchmarks).
 *
 * `postActivity` plays the Teams service: it posts an activity to the bot's
 * `/api/messages` (again, for a redelivery).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRule {
  limit: number;
  windowMs: number;
}

export const CONVERSATION_LIMITS: FakeRule[] = [
  { limit: 7, windowMs: 1_000 },
  { limit: 8, windowMs: 2_000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 1_800, windowMs: 3_600_000 },
];
export const TENANT_LIMITS: FakeRule[] = [{ limit: 30, windowMs: 1_000 }];
/** Teams' documented message size limit (about 28 KB). */
export const MAX_ACTIVITY_BYTES = 28 * 1024;

export interface RecordedActivity {
  /** Conversation id as addressed in the URL. */
  conversationId: string;
  /** POST …/activities/{replyToId}, or undefined for POST …/activities. */
  replyToId?: string;
  /** The id the fake gave (or the id updated). */
  id: string;
  method: 'POST' | 'PUT';
  activity: Record<string, unknown>;
  authorization?: string;
  at: number;
}

/** What Teams puts in `uploadInfo` of an accepted file consent. */
export interface FakeUploadInfo {
  name: string;
  uploadUrl: string;
  contentUrl: string;
  uniqueId: string;
  fileType: string;
}

export interface RecordedUpload {
  id: string;
  name: string;
  /** The bytes received, once uploaded. */
  bytes?: Buffer;
  contentRange?: string;
  /** Upload requests received (1 when all went well). */
  requests: number;
}

export interface CreatedConversation {
  id: string;
  body: Record<string, unknown>;
}

export interface TeamsConnectorFakeOptions {
  /** Multiplies every window and Retry-After (1 = documented limits). */
  timeScale?: number;
  /** Only these member ids (Teams or Entra ids) may get a personal chat created (undefined: everyone). */
  installedFor?: string[];
  maxActivityBytes?: number;
  /** Replaces the documented limits (before scaling). */
  limits?: { conversation?: FakeRule[]; tenant?: FakeRule[] };
}

export interface TeamsConnectorFake {
  url: string;
  /** Base URL to put in activities' `serviceUrl` (ends with a slash, like Teams'). */
  serviceUrl: string;
  activities: RecordedActivity[];
  conversations: CreatedConversation[];
  /** 429 answers given. */
  rateLimited: number;
  /** 413 answers given. */
  tooLarge: number;
  /** Upload sessions opened by `createUpload`, by id. */
  uploads: Map<string, RecordedUpload>;
  /** Opens an upload session for a file named `name`, as Teams does when a person allows a file. */
  createUpload(name: string): FakeUploadInfo;
  /** Answers the next matching requests with this status (and Retry-After seconds), before any limit. */
  failNext(status: number, retryAfterSeconds?: number, times?: number): void;
  /** Activities posted into one conversation (thread ids included unless `exact`). */
  activitiesIn(conversationId: string): RecordedActivity[];
  /** Polls until `predicate` holds for the recorded activities. */
  waitFor(predicate: (activities: RecordedActivity[]) => boolean, timeoutMs?: number): Promise<RecordedActivity[]>;
  setInstalledFor(ids: string[] | undefined): void;
  close(): Promise<void>;
}

export async function startTeamsConnectorFake(options: TeamsConnectorFakeOptions = {}): Promise<TeamsConnectorFake> {
  const scale = options.timeScale ?? 1;
  const maxBytes = options.maxActivityBytes ?? MAX_ACTIVITY_BYTES;
  let installedFor = options.installedFor;
  const activities: RecordedActivity[] = [];
  const conversations: CreatedConversation[] = [];
  const uploads = new Map<string, RecordedUpload>();
  const hits = new Map<string, number[]>();
  const script: { status: number; retryAfter?: number }[] = [];
  let counter = 0;
  let rateLimited = 0;
  let tooLarge = 0;

  const scaled = (rules: FakeRule[]): FakeRule[] => rules.map((r) => ({ limit: r.limit, windowMs: r.windowMs * scale }));
  const conversationRules = scaled(options.limits?.conversation ?? CONVERSATION_LIMITS);
  const tenantRules = scaled(options.limits?.tenant ?? TENANT_LIMITS);

  /** Seconds until every rule of `key` has room, or 0 when it has room now. */
  const waitMsFor = (key: string, rules: FakeRule[], now: number): number => {
    const list = hits.get(key) ?? [];
    let waitMs = 0;
    for (const rule of rules) {
      const recent = list.filter((t) => t > now - rule.windowMs);
      if (recent.length >= rule.limit) waitMs = Math.max(waitMs, recent[recent.length - rule.limit]! + rule.windowMs - now);
    }
    return waitMs;
  };
  const count = (key: string, now: number): void => {
    const list = hits.get(key) ?? [];
    list.push(now);
    const longest = Math.max(...conversationRules.map((r) => r.windowMs));
    while (list.length > 0 && list[0]! <= now - longest) list.shift();
    hits.set(key, list);
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // A request counts from its arrival, as on the real service (not from the end of its body).
    const now = Date.now();
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/\/+/g, '/');
    if (path.startsWith('/upload/') || path.startsWith('/files/')) return handleFile(req, res, path, raw);
    let body: Record<string, unknown>;
    try {
      body = raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
    } catch {
      send(res, 400, { error: { code: 'BadSyntax', message: 'body is not JSON' } });
      return;
    }
    const scripted = script.shift();
    if (scripted) {
      if (scripted.status === 429) rateLimited++;
      send(res, scripted.status, { error: { code: scripted.status === 429 ? 'TooManyRequests' : 'ServiceError', message: 'scripted failure' } }, scripted.retryAfter !== undefined ? { 'retry-after': String(scripted.retryAfter) } : {});
      return;
    }
    const tenant = tenantOf(body);

    if (req.method === 'POST' && path === '/v3/conversations') {
      const tenantWait = waitMsFor(`tenant:${tenant}`, tenantRules, now);
      if (tenantWait > 0) return tooMany(res, tenantWait);
      count(`tenant:${tenant}`, now);
      const members = Array.isArray(body.members) ? (body.members as { id?: string; aadObjectId?: string }[]) : [];
      const member = members[0];
      const known = (id: string | undefined): boolean => !!id && (!installedFor || installedFor.includes(id));
      if (members.length !== 1 || body.isGroup !== false || !(known(member?.id) || known(member?.aadObjectId))) {
        send(res, 403, { error: { code: 'Forbidden', message: 'The bot is not part of the conversation roster.' } });
        return;
      }
      const id = `a:fake-personal-${++counter}`;
      conversations.push({ id, body });
      send(res, 201, { id });
      return;
    }

    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
    if (!match || (req.method !== 'POST' && req.method !== 'PUT') || (req.method === 'PUT' && !match[2])) {
      send(res, 404, { error: { code: 'NotFound', message: `no route ${req.method} ${path}` } });
      return;
    }
    const conversationId = decodeURIComponent(match[1]!);
    const second = match[2] ? decodeURIComponent(match[2]) : undefined;
    if (raw.length > maxBytes) {
      tooLarge++;
      send(res, 413, { error: { code: 'MessageSizeTooBig', message: `activity of ${raw.length} bytes is over ${maxBytes}` } });
      return;
    }
    const conversationKey = `conv:${conversationId.split(';messageid=')[0]}`;
    const wait = Math.max(waitMsFor(conversationKey, conversationRules, now), waitMsFor(`tenant:${tenant}`, tenantRules, now));
    if (wait > 0) return tooMany(res, wait);
    count(conversationKey, now);
    count(`tenant:${tenant}`, now);

    const streamId = streamIdOf(body);
    const id = req.method === 'PUT' ? second! : (streamId ?? `msg-${++counter}`);
    activities.push({
      conversationId,
      ...(req.method === 'POST' && second ? { replyToId: second } : {}),
      id,
      method: req.method as 'POST' | 'PUT',
      activity: body,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      at: now,
    });
    send(res, req.method === 'PUT' ? 200 : 201, { id });
  };

  /** The OneDrive side of a file consent: one upload session per file, then its bytes by `contentUrl`. */
  const handleFile = (req: IncomingMessage, res: ServerResponse, path: string, raw: Buffer): void => {
    const upload = uploads.get(decodeURIComponent(path.split('/')[2] ?? ''));
    if (!upload) return send(res, 404, { error: { code: 'itemNotFound', message: 'no such upload session' } });
    if (req.method === 'GET' && path.startsWith('/files/') && upload.bytes) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(upload.bytes);
      return;
    }
    if (req.method !== 'PUT' || !path.startsWith('/upload/')) return send(res, 404, { error: { code: 'itemNotFound', message: `no route ${req.method} ${path}` } });
    upload.requests++;
    if (upload.bytes) return send(res, 409, { error: { code: 'nameAlreadyExists', message: 'the upload session is complete' } });
    const range = req.headers['content-range'];
    if (raw.length === 0 || range !== `bytes 0-${raw.length - 1}/${raw.length}`) {
      return send(res, 400, { error: { code: 'invalidRange', message: `Content-Range ${String(range)} does not describe the ${raw.length} bytes sent` } });
    }
    upload.bytes = raw;
    upload.contentRange = range;
    send(res, 201, { id: upload.id, name: upload.name, size: raw.length, file: {} });
  };

  const tooMany = (res: ServerResponse, waitMs: number): void => {
    rateLimited++;
    // Retry-After in (possibly fractional, when scaled) seconds.
    const seconds = Math.max(0.001, Math.ceil(waitMs) / 1000);
    send(res, 429, { error: { code: 'TooManyRequests', message: 'Too many requests' } }, { 'retry-after': String(seconds) });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { error: { code: 'ServiceError', message: String(error) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  const fake: TeamsConnectorFake = {
    url,
    serviceUrl: `${url}/`,
    activities,
    conversations,
    get rateLimited() {
      return rateLimited;
    },
    get tooLarge() {
      return tooLarge;
    },
    uploads,
    createUpload(name) {
      const id = randomUUID();
      uploads.set(id, { id, name, requests: 0 });
      return {
        name,
        uploadUrl: `${url}/upload/${id}`,
        contentUrl: `${url}/files/${id}`,
        uniqueId: id.toUpperCase(),
        fileType: name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : '',
      };
    },
    failNext(status, retryAfterSeconds, times = 1) {
      for (let i = 0; i < times; i++) script.push({ status, ...(retryAfterSeconds !== undefined ? { retryAfter: retryAfterSeconds } : {}) });
    },
    activitiesIn(conversationId) {
      return activities.filter((a) => a.conversationId === conversationId || a.conversationId.startsWith(`${conversationId};messageid=`));
    },
    async waitFor(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(activities)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for Teams activities (${activities.length} recorded)`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return activities;
    },
    setInstalledFor(ids) {
      installedFor = ids;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function tenantOf(body: Record<string, unknown>): string {
  const conversation = body.conversation as { tenantId?: string } | undefined;
  const channelData = body.channelData as { tenant?: { id?: string } } | undefined;
  return conversation?.tenantId ?? (typeof body.tenantId === 'string' ? body.tenantId : undefined) ?? channelData?.tenant?.id ?? 'unknown';
}

function streamIdOf(body: Record<string, unknown>): string | undefined {
  const entities = Array.isArray(body.entities) ? (body.entities as { type?: string; streamId?: string }[]) : [];
  return entities.find((e) => e.type === 'streaminfo' && typeof e.streamId === 'string')?.streamId;
}

/** Result of posting an activity to the bot. */
export interface BotAnswer {
  status: number;
  body: unknown;
}

/** Posts an activity to the bot's `/api/messages` as the Teams service does. */
export async function postActivity(botUrl: string, activity: Record<string, unknown>, headers: Record<string, string> = {}): Promise<BotAnswer> {
  const response = await fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(activity),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // keep the text
  }
  return { status: response.status, body };
}

/** A fresh activity id like Teams' (for tests building activities). */
export function newActivityId(): string {
  return `1${Date.now()}${randomUUID().slice(0, 6)}`;
}
