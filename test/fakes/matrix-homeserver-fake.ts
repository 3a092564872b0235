/**
 * A local homeserver speaking the subset of the Matrix client-server API
 * (v1.12) that matrix-js-sdk 36 with Rust crypto uses, enough for the bot and
 * test users ("students", driven by a second matrix-js-sdk client) to share
 * rooms and exchange end-to-end encrypted messages:
 *
 * - `/versions`, `/capabilities`, `/pushrules/`, filters, `/account/whoami`, profiles;
 * - `/sync` with long-polling: joined rooms (state + timeline), invites
 *   (stripped state), global account data, `to_device`, `device_lists.changed`,
 *   `device_one_time_keys_count`, unused fallback key types;
 * - `/keys/upload|query|claim|changes`, `/keys/device_signing/upload`,
 *   `/keys/signatures/upload`, `/sendToDevice`, `/room_keys/*` (key backup);
 * - rooms: `send` (idempotent per transaction id), `state`, `members`,
 *   `createRoom` (initial state, invites, `is_direct`), `join`, `invite`, `leave`;
 * - account data (`m.direct`), `/_matrix/media/v3/upload`, authenticated
 *   download `/_matrix/client/v1/media/download/{server}/{id}`.
 *
 * It behaves like Synapse where it matters for the adapter: a per-user token
 * bucket on sending messages and creating rooms (`rc_message`; 429 with
 * `M_LIMIT_EXCEEDED` and `retry_after_ms`), events larger than 65,536 bytes
 * refused with 413 `M_TOO_LARGE`, 401 `M_UNKNOWN_TOKEN` for a bad token,
 * 404 `M_UNRECOGNIZED` for unknown endpoints.
 *
 * `timeScale` divides every rate-limit duration (refill period and
 * `retry_after_ms`) so that benchmarks of slow documented limits finish.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRateLimit {
  /** Tokens refilled per second (Synapse `rc_message.per_second`, default 0.2). */
  perSecond: number;
  /** Bucket size (Synapse `rc_message.burst_count`, default 10). */
  burst: number;
}

export interface MatrixHomeserverFakeOptions {
  /** Server name, the part after ":" in ids (default "relais.test"). */
  serverName?: string;
  /** Rate limit on sends and room creation per user; undefined: none. */
  rateLimit?: FakeRateLimit;
  /** Divides every rate-limit duration (default 1). */
  timeScale?: number;
  /** Longest event content accepted, in bytes of the whole event JSON (default 65,536). */
  maxEventBytes?: number;
  /** Longest long-poll, in ms (default 30,000, or the client's timeout if shorter). */
  maxSyncWaitMs?: number;
}

export interface FakeUser {
  userId: string;
  accessToken: string;
  deviceId: string;
}

export interface FakeEvent {
  event_id: string;
  type: string;
  sender: string;
  origin_server_ts: number;
  content: Record<string, unknown>;
  state_key?: string;
  room_id: string;
  /** Stream position (our sync tokens are positions). */
  pos: number;
  /** Transaction id and access token of the request that sent it (for local echoes). */
  txn?: { token: string; txnId: string };
}

interface FakeRoom {
  roomId: string;
  events: FakeEvent[];
  state: Map<string, FakeEvent>;
}

interface ToDevice {
  pos: number;
  sender: string;
  type: string;
  content: unknown;
}

interface DeviceRecord {
  keys?: Record<string, unknown>;
  oneTimeKeys: Map<string, unknown>;
  fallbackKeys: Map<string, unknown>;
  toDevice: ToDevice[];
}

type Json = Record<string, unknown>;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.error ?? body.errcode));
  }
}

const matrixError = (status: number, errcode: string, error: string, extra: Json = {}): HttpError =>
  new HttpError(status, { errcode, error, ...extra });

export class MatrixHomeserverFake {
  readonly serverName: string;
  private server: Server | undefined;
  private readonly emitter = new EventEmitter();
  private position = 1;
  private readonly tokens = new Map<string, FakeUser>();
  private readonly devices = new Map<string, Map<string, DeviceRecord>>();
  private readonly rooms = new Map<string, FakeRoom>();
  private readonly accountData = new Map<string, Map<string, { pos: number; content: unknown }>>();
  private readonly deviceListChanges = new Map<string, number>();
  private readonly crossSigning = new Map<string, Record<string, Json>>();
  private readonly profiles = new Map<string, string>();
  private readonly buckets = new Map<string, { tokens: number; updated: number }>();
  private readonly txnEvents = new Map<string, string>();
  private readonly media = new Map<string, { type: string; bytes: Buffer }>();
  private backup: { version: string; algorithm: string; auth_data: unknown; keys: Json; etag: number } | undefined;
  private rateLimit: FakeRateLimit | undefined;
  private readonly timeScale: number;
  private readonly maxEventBytes: number;
  private readonly maxSyncWaitMs: number;
  /** Number of 429 M_LIMIT_EXCEEDED answers given. */
  rateLimited = 0;
  /** Requests received, as "METHOD path" (no query), for assertions. */
  readonly requests: string[] = [];
  /** When set, the next matching requests get this error (consumed in order). */
  private readonly failures: { match: RegExp; status: number; body: Json; headers?: Record<string, string>; userId?: string }[] = [];

  constructor(options: MatrixHomeserverFakeOptions = {}) {
    this.serverName = options.serverName ?? 'relais.test';
    this.rateLimit = options.rateLimit;
    this.timeScale = options.timeScale ?? 1;
    this.maxEventBytes = options.maxEventBytes ?? 65_536;
    this.maxSyncWaitMs = options.maxSyncWaitMs ?? 30_000;
    this.emitter.setMaxListeners(0);
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('the fake homeserver is not started');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.route(req, res));
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.emitter.emit('change');
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Creates an account with one device and an access token. */
  registerUser(localpart: string, displayName?: string, deviceId = `DEV${randomBytes(4).toString('hex').toUpperCase()}`): FakeUser {
    const user: FakeUser = { userId: `@${localpart}:${this.serverName}`, accessToken: `tok_${localpart}_${randomBytes(6).toString('hex')}`, deviceId };
    this.tokens.set(user.accessToken, user);
    if (displayName) this.profiles.set(user.userId, displayName);
    return user;
  }

  setRateLimit(limit: FakeRateLimit | undefined): void {
    this.rateLimit = limit;
    this.buckets.clear();
  }

  /** The next request whose "METHOD path" matches (from `userId` when given) gets this answer instead. */
  failNext(match: RegExp, status: number, body: Json, options: { headers?: Record<string, string>; userId?: string } = {}): void {
    this.failures.push({ match, status, body, ...options });
  }

  /** Creates a room directly (test setup), as if `creator` had called /createRoom. */
  createRoomDirect(creator: string, options: { invite?: string[]; join?: string[]; isDirect?: boolean; encrypted?: boolean; name?: string } = {}): string {
    const roomId = this.newRoom(creator, options.name, options.encrypted ?? false);
    for (const invitee of options.invite ?? []) this.membership(roomId, creator, invitee, 'invite', options.isDirect ? { is_direct: true } : {});
    for (const member of options.join ?? []) this.membership(roomId, member, member, 'join');
    this.notify();
    return roomId;
  }

  /** Sets global account data for a user (test setup). */
  setAccountData(userId: string, type: string, content: unknown): void {
    this.userAccountData(userId).set(type, { pos: this.nextPos(), content });
    this.notify();
  }

  getAccountData(userId: string, type: string): unknown {
    return this.accountData.get(userId)?.get(type)?.content;
  }

  /** Every event of a room, in order. */
  roomEvents(roomId: string): FakeEvent[] {
    return [...(this.rooms.get(roomId)?.events ?? [])];
  }

  /** Every event of every room, in order. */
  allEvents(): FakeEvent[] {
    return [...this.rooms.values()].flatMap((r) => r.events).sort((a, b) => a.pos - b.pos);
  }

  roomIds(): string[] {
    return [...this.rooms.keys()];
  }

  membershipOf(roomId: string, userId: string): string | undefined {
    return (this.rooms.get(roomId)?.state.get(`m.room.member|${userId}`)?.content.membership as string | undefined) ?? undefined;
  }

  stateOf(roomId: string, type: string, stateKey = ''): Json | undefined {
    return this.rooms.get(roomId)?.state.get(`${type}|${stateKey}`)?.content;
  }

  /** Device keys uploaded for a user's device (ed25519 identity check across restarts). */
  deviceKeys(userId: string, deviceId: string): Json | undefined {
    return this.devices.get(userId)?.get(deviceId)?.keys as Json | undefined;
  }

  /** Server-side injection of an event (e.g. replayed or crafted by a test). */
  injectEvent(roomId: string, sender: string, type: string, content: Json, stateKey?: string): FakeEvent {
    const event = this.appendEvent(roomId, sender, type, content, stateKey);
    this.notify();
    return event;
  }

  /**
   * Delivers an existing event again, as a homeserver may after a lost sync
   * response or a replayed sync: same event id, new stream position.
   */
  redeliver(eventId: string): void {
    for (const room of this.rooms.values()) {
      const event = room.events.find((e) => e.event_id === eventId);
      if (!event) continue;
      room.events.push({ ...event, pos: this.nextPos() });
      this.notify();
      return;
    }
    throw new Error(`no event ${eventId}`);
  }

  /** Media uploaded to the repository (mxc id → bytes). */
  mediaCount(): number {
    return this.media.size;
  }

  // --- internals -----------------------------------------------------------

  private nextPos(): number {
    return ++this.position;
  }

  private notify(): void {
    this.emitter.emit('change');
  }

  private userAccountData(userId: string): Map<string, { pos: number; content: unknown }> {
    let data = this.accountData.get(userId);
    if (!data) this.accountData.set(userId, (data = new Map()));
    return data;
  }

  private device(userId: string, deviceId: string): DeviceRecord {
    let userDevices = this.devices.get(userId);
    if (!userDevices) this.devices.set(userId, (userDevices = new Map()));
    let device = userDevices.get(deviceId);
    if (!device) userDevices.set(deviceId, (device = { oneTimeKeys: new Map(), fallbackKeys: new Map(), toDevice: [] }));
    return device;
  }

  private newRoom(creator: string, name: string | undefined, encrypted: boolean): string {
    const roomId = `!${randomBytes(9).toString('hex')}:${this.serverName}`;
    this.rooms.set(roomId, { roomId, events: [], state: new Map() });
    this.appendEvent(roomId, creator, 'm.room.create', { creator, room_version: '10' }, '');
    this.membership(roomId, creator, creator, 'join');
    this.appendEvent(roomId, creator, 'm.room.power_levels', { users: { [creator]: 100 }, users_default: 0, events_default: 0, state_default: 50, invite: 0 }, '');
    this.appendEvent(roomId, creator, 'm.room.join_rules', { join_rule: 'invite' }, '');
    this.appendEvent(roomId, creator, 'm.room.history_visibility', { history_visibility: 'shared' }, '');
    if (name) this.appendEvent(roomId, creator, 'm.room.name', { name }, '');
    if (encrypted) this.appendEvent(roomId, creator, 'm.room.encryption', { algorithm: 'm.megolm.v1.aes-sha2' }, '');
    return roomId;
  }

  private membership(roomId: string, sender: string, target: string, membership: string, extra: Json = {}): FakeEvent {
    const displayname = this.profiles.get(target);
    return this.appendEvent(roomId, sender, 'm.room.member', { membership, ...(displayname ? { displayname } : {}), ...extra }, target);
  }

  private appendEvent(roomId: string, sender: string, type: string, content: Json, stateKey?: string, txn?: FakeEvent['txn']): FakeEvent {
    const room = this.rooms.get(roomId);
    if (!room) throw matrixError(404, 'M_NOT_FOUND', 'unknown room');
    const event: FakeEvent = {
      event_id: `$${randomBytes(12).toString('base64url')}`,
      type,
      sender,
      origin_server_ts: Date.now(),
      content,
      room_id: roomId,
      pos: this.nextPos(),
      ...(stateKey !== undefined ? { state_key: stateKey } : {}),
      ...(txn ? { txn } : {}),
    };
    room.events.push(event);
    if (stateKey !== undefined) room.state.set(`${type}|${stateKey}`, event);
    return event;
  }

  private checkRateLimit(userId: string): void {
    const limit = this.rateLimit;
    if (!limit) return;
    const now = Date.now();
    const perMs = (limit.perSecond * this.timeScale) / 1000;
    const bucket = this.buckets.get(userId) ?? { tokens: limit.burst, updated: now };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + (now - bucket.updated) * perMs);
    bucket.updated = now;
    this.buckets.set(userId, bucket);
    if (bucket.tokens >= 1 - 1e-9) {
      bucket.tokens -= 1;
      return;
    }
    this.rateLimited++;
    const retryAfterMs = Math.max(1, Math.ceil((1 - bucket.tokens) / perMs));
    throw matrixError(429, 'M_LIMIT_EXCEEDED', 'Too Many Requests', { retry_after_ms: retryAfterMs });
  }

  private auth(req: IncomingMessage, url: URL): FakeUser {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : url.searchParams.get('access_token');
    const user = token ? this.tokens.get(token) : undefined;
    if (!user) throw matrixError(401, 'M_UNKNOWN_TOKEN', 'Unknown access token', { soft_logout: false });
    return user;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    this.requests.push(`${method} ${path}`);
    try {
      const raw = await readBody(req);
      const caller = this.tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''))?.userId;
      const failure = this.failures.findIndex((f) => f.match.test(`${method} ${path}`) && (!f.userId || f.userId === caller));
      if (failure >= 0) {
        const [f] = this.failures.splice(failure, 1);
        throw new HttpError(f!.status, f!.body, f!.headers);
      }
      const body = await this.dispatch(method, path, url, req, raw, res);
      if (body === undefined) return; // already answered (long poll closed)
      send(res, 200, body);
    } catch (error) {
      if (error instanceof HttpError) send(res, error.status, error.body, error.headers);
      else send(res, 500, { errcode: 'M_UNKNOWN', error: (error as Error).message });
    }
  }

  private async dispatch(method: string, path: string, url: URL, req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<Json | undefined> {
    if (path === '/_matrix/client/versions') {
      return { versions: ['v1.1', 'v1.2', 'v1.3', 'v1.4', 'v1.5', 'v1.6', 'v1.7', 'v1.8', 'v1.9', 'v1.10', 'v1.11', 'v1.12'], unstable_features: {} };
    }
    if (method === 'POST' && path === '/_matrix/media/v3/upload') {
      const user = this.auth(req, url);
      void user;
      if (raw.length > 50 * 1024 * 1024) throw matrixError(413, 'M_TOO_LARGE', 'Upload too large');
      const id = randomBytes(12).toString('hex');
      this.media.set(id, { type: String(req.headers['content-type'] ?? 'application/octet-stream'), bytes: raw });
      return { content_uri: `mxc://${this.serverName}/${id}` };
    }
    // Authenticated media (spec v1.11): the uploaded bytes as they were sent (ciphertext for encrypted attachments).
    const download = /^\/_matrix\/client\/v1\/media\/download\/([^/]+)\/([^/]+)(?:\/[^/]*)?$/.exec(path);
    if (method === 'GET' && download) {
      this.auth(req, url);
      const media = download[1] === this.serverName ? this.media.get(decodeURIComponent(download[2]!)) : undefined;
      if (!media) throw matrixError(404, 'M_NOT_FOUND', 'Media not found');
      res.writeHead(200, { 'content-type': media.type, 'content-length': media.bytes.length, 'content-disposition': 'attachment' });
      res.end(media.bytes);
      return undefined;
    }
    if (path.startsWith('/_matrix/client/v1/media/config') || path.startsWith('/_matrix/media/v3/config')) return { 'm.upload.size': 50 * 1024 * 1024 };
    const m = /^\/_matrix\/client\/(?:v3|r0|v1|unstable)(\/.*)$/.exec(path);
    if (!m) throw matrixError(404, 'M_UNRECOGNIZED', 'Unrecognized request');
    const route = m[1]!.split('/').map((s) => decodeURIComponent(s));
    const p = route.slice(1); // without the leading ""
    const user = this.auth(req, url);
    const body = raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as Json) : {};
    const key = `${method} /${p[0] ?? ''}`;

    switch (key) {
      case 'GET /capabilities':
        return { capabilities: { 'm.change_password': { enabled: false } } };
      case 'GET /pushrules':
        return { global: { override: [], content: [], room: [], sender: [], underride: [] } };
      case 'GET /account':
        if (p[1] === 'whoami') return { user_id: user.userId, device_id: user.deviceId };
        break;
      case 'GET /profile': {
        const name = this.profiles.get(p[1]!);
        return p[2] === 'displayname' ? { displayname: name ?? null } : { displayname: name ?? null };
      }
      case 'GET /sync':
        return this.sync(user, url, res);
      case 'POST /keys':
      case 'GET /keys':
        return this.keys(user, p[1]!, p[2], body, url);
      case 'PUT /sendToDevice':
        return this.sendToDevice(user, p[1]!, body);
      case 'POST /user':
        if (p[2] === 'filter') return { filter_id: '1' };
        break;
      case 'GET /user':
        if (p[2] === 'filter') return {};
        if (p[2] === 'account_data') {
          const data = this.accountData.get(p[1]!)?.get(p[3]!);
          if (!data) throw matrixError(404, 'M_NOT_FOUND', 'Account data not found');
          return data.content as Json;
        }
        if (p[2] === 'rooms') throw matrixError(404, 'M_NOT_FOUND', 'Room account data not found');
        break;
      case 'PUT /user':
        if (p[2] === 'account_data') {
          if (p[1] !== user.userId) throw matrixError(403, 'M_FORBIDDEN', 'Cannot set account data for other users');
          this.setAccountData(user.userId, p[3]!, body);
          return {};
        }
        if (p[2] === 'rooms') return {};
        break;
      case 'POST /createRoom':
        return this.createRoom(user, body);
      case 'POST /join':
        return this.join(user, p[1]!);
      case 'POST /rooms':
      case 'PUT /rooms':
      case 'GET /rooms':
        return this.roomRoute(method, user, p, body, req, raw, url);
      case 'GET /room_keys':
      case 'PUT /room_keys':
      case 'POST /room_keys':
      case 'DELETE /room_keys':
        return this.roomKeys(method, p, body);
      case 'POST /publicRooms':
        return { chunk: [] };
      case 'GET /thirdparty':
        return {};
      case 'GET /voip':
        return {};
      case 'POST /org.matrix.msc3575':
        break;
      default:
        break;
    }
    throw matrixError(404, 'M_UNRECOGNIZED', 'Unrecognized request');
  }

  private roomRoute(method: string, user: FakeUser, p: string[], body: Json, req: IncomingMessage, raw: Buffer, url: URL): Json {
    const roomId = p[1]!;
    const room = this.rooms.get(roomId);
    if (!room) throw matrixError(404, 'M_NOT_FOUND', 'Unknown room');
    const action = p[2];
    const membership = this.membershipOf(roomId, user.userId);
    if (method === 'POST' && action === 'join') return this.join(user, roomId);
    if (method === 'POST' && action === 'leave') {
      this.membership(roomId, user.userId, user.userId, 'leave');
      this.notify();
      return {};
    }
    if (method === 'POST' && action === 'invite') {
      if (membership !== 'join') throw matrixError(403, 'M_FORBIDDEN', 'Not in room');
      this.membership(roomId, user.userId, String(body.user_id), 'invite');
      this.notify();
      return {};
    }
    if (method === 'POST' && (action === 'receipt' || action === 'read_markers')) return {};
    if (method === 'PUT' && action === 'typing') return {};
    if (membership !== 'join') throw matrixError(403, 'M_FORBIDDEN', 'You are not joined to this room');
    if (method === 'PUT' && action === 'send') {
      const [type, txnId] = [p[3]!, p[4]!];
      const txnKey = `${user.accessToken}|${roomId}|${txnId}`;
      const existing = this.txnEvents.get(txnKey);
      if (existing) return { event_id: existing };
      this.checkRateLimit(user.userId);
      this.checkSize(type, user.userId, body);
      const event = this.appendEvent(roomId, user.userId, type, body, undefined, { token: user.accessToken, txnId });
      this.txnEvents.set(txnKey, event.event_id);
      this.notify();
      return { event_id: event.event_id };
    }
    if (method === 'PUT' && action === 'state') {
      this.checkSize(p[3]!, user.userId, body);
      const event = this.appendEvent(roomId, user.userId, p[3]!, body, p[4] ?? '');
      this.notify();
      return { event_id: event.event_id };
    }
    if (method === 'GET' && action === 'state') {
      if (!p[3]) return [...room.state.values()].map((e) => this.clientEvent(e, user)) as unknown as Json;
      const event = room.state.get(`${p[3]}|${p[4] ?? ''}`);
      if (!event) throw matrixError(404, 'M_NOT_FOUND', 'Event not found');
      return event.content;
    }
    if (method === 'GET' && action === 'members') {
      return { chunk: [...room.state.values()].filter((e) => e.type === 'm.room.member').map((e) => this.clientEvent(e, user)) };
    }
    if (method === 'GET' && action === 'joined_members') {
      const joined: Json = {};
      for (const e of room.state.values()) if (e.type === 'm.room.member' && e.content.membership === 'join') joined[e.state_key!] = {};
      return { joined };
    }
    if (method === 'GET' && action === 'messages') return { chunk: [], start: 's0', end: 's0' };
    if (method === 'GET' && action === 'event') {
      const event = room.events.find((e) => e.event_id === p[3]);
      if (!event) throw matrixError(404, 'M_NOT_FOUND', 'Event not found');
      return this.clientEvent(event, user);
    }
    if (method === 'GET' && action === 'relations') return { chunk: [] };
    void req;
    void raw;
    void url;
    throw matrixError(404, 'M_UNRECOGNIZED', 'Unrecognized request');
  }

  private checkSize(type: string, sender: string, content: Json): void {
    const size = Buffer.byteLength(JSON.stringify({ type, sender, content, room_id: '!x', event_id: '$x', origin_server_ts: 0 }));
    if (size > this.maxEventBytes) throw matrixError(413, 'M_TOO_LARGE', 'Event too large');
  }

  private createRoom(user: FakeUser, body: Json): Json {
    this.checkRateLimit(user.userId);
    const initial = (body.initial_state as { type: string; state_key?: string; content: Json }[] | undefined) ?? [];
    const encrypted = initial.some((s) => s.type === 'm.room.encryption');
    const roomId = this.newRoom(user.userId, typeof body.name === 'string' ? body.name : undefined, false);
    for (const state of initial) this.appendEvent(roomId, user.userId, state.type, state.content, state.state_key ?? '');
    void encrypted;
    for (const invitee of (body.invite as string[] | undefined) ?? []) {
      this.membership(roomId, user.userId, invitee, 'invite', body.is_direct ? { is_direct: true } : {});
    }
    this.notify();
    return { room_id: roomId };
  }

  private join(user: FakeUser, roomId: string): Json {
    const membership = this.membershipOf(roomId, user.userId);
    if (membership !== 'invite' && membership !== 'join') throw matrixError(403, 'M_FORBIDDEN', 'You are not invited to this room');
    if (membership !== 'join') this.membership(roomId, user.userId, user.userId, 'join');
    this.notify();
    return { room_id: roomId };
  }

  private keys(user: FakeUser, action: string, sub: string | undefined, body: Json, url: URL): Json {
    if (action === 'upload') {
      const device = this.device(user.userId, user.deviceId);
      if (body.device_keys) {
        device.keys = body.device_keys as Json;
        this.deviceListChanges.set(user.userId, this.nextPos());
      }
      for (const [id, key] of Object.entries((body.one_time_keys as Json | undefined) ?? {})) device.oneTimeKeys.set(id, key);
      for (const [id, key] of Object.entries((body.fallback_keys as Json | undefined) ?? {})) {
        device.fallbackKeys.clear();
        device.fallbackKeys.set(id, key);
      }
      this.notify();
      return { one_time_key_counts: { signed_curve25519: device.oneTimeKeys.size } };
    }
    if (action === 'query') {
      const wanted = (body.device_keys as Record<string, string[]> | undefined) ?? {};
      const result: Json = { device_keys: {}, master_keys: {}, self_signing_keys: {}, user_signing_keys: {}, failures: {} };
      for (const [userId, deviceIds] of Object.entries(wanted)) {
        const devices: Json = {};
        for (const [deviceId, record] of this.devices.get(userId) ?? []) {
          if (record.keys && (deviceIds.length === 0 || deviceIds.includes(deviceId))) devices[deviceId] = record.keys;
        }
        (result.device_keys as Json)[userId] = devices;
        const cs = this.crossSigning.get(userId);
        if (cs?.master) (result.master_keys as Json)[userId] = cs.master;
        if (cs?.self_signing) (result.self_signing_keys as Json)[userId] = cs.self_signing;
        if (cs?.user_signing && userId === user.userId) (result.user_signing_keys as Json)[userId] = cs.user_signing;
      }
      return result;
    }
    if (action === 'claim') {
      const wanted = (body.one_time_keys as Record<string, Record<string, string>> | undefined) ?? {};
      const claimed: Json = {};
      for (const [userId, devices] of Object.entries(wanted)) {
        const userClaims: Json = {};
        for (const deviceId of Object.keys(devices)) {
          const record = this.devices.get(userId)?.get(deviceId);
          if (!record) continue;
          const first = record.oneTimeKeys.entries().next();
          if (!first.done) {
            record.oneTimeKeys.delete(first.value[0]);
            userClaims[deviceId] = { [first.value[0]]: first.value[1] };
          } else {
            const fallback = record.fallbackKeys.entries().next();
            if (!fallback.done) userClaims[deviceId] = { [fallback.value[0]]: fallback.value[1] };
          }
        }
        claimed[userId] = userClaims;
      }
      return { one_time_keys: claimed, failures: {} };
    }
    if (action === 'changes') {
      const from = parsePos(url.searchParams.get('from'));
      return { changed: [...this.deviceListChanges].filter(([, pos]) => pos > from).map(([u]) => u), left: [] };
    }
    if (action === 'device_signing' && sub === 'upload') {
      const current = this.crossSigning.get(user.userId) ?? {};
      for (const k of ['master_key', 'self_signing_key', 'user_signing_key'] as const) {
        if (body[k]) current[k.replace(/_key$/, '')] = body[k] as Json;
      }
      this.crossSigning.set(user.userId, current);
      this.deviceListChanges.set(user.userId, this.nextPos());
      this.notify();
      return {};
    }
    if (action === 'signatures' && sub === 'upload') {
      for (const [userId, byKey] of Object.entries(body as Record<string, Record<string, Json>>)) {
        for (const [keyId, signed] of Object.entries(byKey)) {
          const device = this.devices.get(userId)?.get(keyId);
          const target = device?.keys ?? Object.values(this.crossSigning.get(userId) ?? {}).find((k) => Object.values((k.keys as Json) ?? {}).includes(keyId));
          if (!target) continue;
          const signatures = ((target.signatures as Record<string, Json> | undefined) ??= {});
          for (const [signer, sigs] of Object.entries((signed.signatures as Record<string, Json>) ?? {})) {
            signatures[signer] = { ...(signatures[signer] ?? {}), ...sigs };
          }
        }
        this.deviceListChanges.set(userId, this.nextPos());
      }
      this.notify();
      return { failures: {} };
    }
    throw matrixError(404, 'M_UNRECOGNIZED', 'Unrecognized request');
  }

  private sendToDevice(user: FakeUser, type: string, body: Json): Json {
    const messages = (body.messages as Record<string, Record<string, unknown>> | undefined) ?? {};
    for (const [userId, byDevice] of Object.entries(messages)) {
      for (const [deviceId, content] of Object.entries(byDevice)) {
        const targets = deviceId === '*' ? [...(this.devices.get(userId)?.keys() ?? [])] : [deviceId];
        for (const target of targets) this.device(userId, target).toDevice.push({ pos: this.nextPos(), sender: user.userId, type, content });
      }
    }
    this.notify();
    return {};
  }

  private roomKeys(method: string, p: string[], body: Json): Json {
    if (p[1] === 'version') {
      if (method === 'POST') {
        this.backup = { version: String(Number(this.backup?.version ?? 0) + 1), algorithm: String(body.algorithm), auth_data: body.auth_data, keys: {}, etag: 0 };
        return { version: this.backup.version };
      }
      if (method === 'PUT') return {};
      if (!this.backup) throw matrixError(404, 'M_NOT_FOUND', 'No current backup version');
      const count = Object.values(this.backup.keys).reduce<number>((n, room) => n + Object.keys(((room as Json).sessions as Json) ?? {}).length, 0);
      return { version: this.backup.version, algorithm: this.backup.algorithm, auth_data: this.backup.auth_data, count, etag: String(this.backup.etag) };
    }
    if (p[1] === 'keys') {
      if (!this.backup) throw matrixError(404, 'M_NOT_FOUND', 'No current backup version');
      if (method === 'PUT') {
        const rooms = (body.rooms as Record<string, { sessions: Json }> | undefined) ?? {};
        for (const [roomId, room] of Object.entries(rooms)) {
          const stored = ((this.backup.keys[roomId] as { sessions: Json } | undefined) ?? { sessions: {} });
          Object.assign(stored.sessions, room.sessions);
          this.backup.keys[roomId] = stored;
        }
        this.backup.etag++;
        const count = Object.values(this.backup.keys).reduce<number>((n, room) => n + Object.keys((room as { sessions: Json }).sessions).length, 0);
        return { count, etag: String(this.backup.etag) };
      }
      return { rooms: this.backup.keys };
    }
    throw matrixError(404, 'M_UNRECOGNIZED', 'Unrecognized request');
  }

  private clientEvent(event: FakeEvent, viewer: FakeUser): Json {
    const unsigned: Json = { age: Date.now() - event.origin_server_ts };
    if (event.txn && event.txn.token === viewer.accessToken) unsigned.transaction_id = event.txn.txnId;
    return {
      event_id: event.event_id,
      type: event.type,
      sender: event.sender,
      origin_server_ts: event.origin_server_ts,
      content: event.content,
      room_id: event.room_id,
      unsigned,
      ...(event.state_key !== undefined ? { state_key: event.state_key } : {}),
    };
  }

  private async sync(user: FakeUser, url: URL, res: ServerResponse): Promise<Json | undefined> {
    const since = url.searchParams.has('since') ? parsePos(url.searchParams.get('since')) : undefined;
    const timeout = Math.min(Number(url.searchParams.get('timeout') ?? 0) || 0, this.maxSyncWaitMs);
    if (since !== undefined) {
      // The next sync acknowledges the to-device messages delivered before `since`.
      const device = this.device(user.userId, user.deviceId);
      device.toDevice = device.toDevice.filter((m) => m.pos > since);
    }
    let response = this.buildSync(user, since, url);
    if (since !== undefined && timeout > 0 && isEmptySync(response)) {
      let closed = false;
      res.on('close', () => (closed = true));
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.emitter.off('change', done);
          resolve();
        };
        const timer = setTimeout(done, timeout);
        this.emitter.on('change', done);
        res.on('close', done);
      });
      if (closed) return undefined;
      response = this.buildSync(user, since, url);
    }
    return response;
  }

  private buildSync(user: FakeUser, since: number | undefined, url: URL): Json {
    const from = since ?? 0;
    const filter = parseFilter(url.searchParams.get('filter'));
    const limit = filter?.room?.timeline?.limit ?? 20;
    const join: Json = {};
    const invite: Json = {};
    const leave: Json = {};
    for (const room of this.rooms.values()) {
      const member = room.state.get(`m.room.member|${user.userId}`);
      const membership = member?.content.membership;
      if (membership === 'join') {
        const joinedAt = member!.pos;
        const newer = room.events.filter((e) => e.pos > from);
        if (since !== undefined && newer.length === 0) continue;
        const fresh = since === undefined || joinedAt > from;
        let timeline = fresh ? room.events.filter((e) => e.pos >= Math.min(joinedAt, Infinity)) : newer;
        if (fresh) timeline = room.events.slice(-limit);
        const limited = fresh && room.events.length > timeline.length;
        const timelineIds = new Set(timeline.map((e) => e.event_id));
        const state = fresh ? [...room.state.values()].filter((e) => !timelineIds.has(e.event_id)) : [];
        join[room.roomId] = {
          state: { events: state.map((e) => this.clientEvent(e, user)) },
          timeline: { events: timeline.map((e) => this.clientEvent(e, user)), limited, prev_batch: `s${from}` },
          account_data: { events: [] },
          ephemeral: { events: [] },
          unread_notifications: { notification_count: 0, highlight_count: 0 },
          summary: {},
        };
      } else if (membership === 'invite' && member!.pos > from) {
        const stripped = [...room.state.values()]
          .filter((e) => ['m.room.create', 'm.room.name', 'm.room.join_rules', 'm.room.encryption', 'm.room.member'].includes(e.type))
          .filter((e) => e.type !== 'm.room.member' || e.state_key === user.userId || e.state_key === member!.sender)
          .map((e) => ({ type: e.type, state_key: e.state_key, sender: e.sender, content: e.content, ...(e === member ? { event_id: e.event_id, origin_server_ts: e.origin_server_ts } : {}) }));
        invite[room.roomId] = { invite_state: { events: stripped } };
      } else if (membership === 'leave' && since !== undefined && member!.pos > from) {
        leave[room.roomId] = { timeline: { events: [this.clientEvent(member!, user)] }, state: { events: [] } };
      }
    }
    const accountData = [...(this.accountData.get(user.userId) ?? [])]
      .filter(([, v]) => v.pos > from)
      .map(([type, v]) => ({ type, content: v.content }));
    const device = this.device(user.userId, user.deviceId);
    const toDevice = device.toDevice.filter((m) => m.pos > from).map((m) => ({ sender: m.sender, type: m.type, content: m.content }));
    const changed = since === undefined ? [] : [...this.deviceListChanges].filter(([, pos]) => pos > from).map(([u]) => u);
    return {
      next_batch: `s${this.position}`,
      rooms: { join, invite, leave },
      account_data: { events: accountData },
      presence: { events: [] },
      to_device: { events: toDevice },
      device_lists: { changed, left: [] },
      device_one_time_keys_count: { signed_curve25519: device.oneTimeKeys.size },
      device_unused_fallback_key_types: device.fallbackKeys.size > 0 ? ['signed_curve25519'] : [],
    };
  }
}

function isEmptySync(response: Json): boolean {
  const rooms = response.rooms as Record<string, Json>;
  return (
    Object.keys(rooms.join!).length === 0 &&
    Object.keys(rooms.invite!).length === 0 &&
    Object.keys(rooms.leave!).length === 0 &&
    ((response.account_data as Json).events as unknown[]).length === 0 &&
    ((response.to_device as Json).events as unknown[]).length === 0 &&
    ((response.device_lists as Json).changed as unknown[]).length === 0
  );
}

function parsePos(token: string | null): number {
  const n = Number(/^s(\d+)$/.exec(token ?? '')?.[1]);
  return Number.isFinite(n) ? n : 0;
}

function parseFilter(raw: string | null): { room?: { timeline?: { limit?: number } } } | undefined {
  if (!raw || !raw.startsWith('{')) return undefined;
  try {
    return JSON.parse(raw) as { room?: { timeline?: { limit?: number } } };
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
