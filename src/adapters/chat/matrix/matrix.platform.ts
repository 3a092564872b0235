/**
 * The Matrix / Tchap adapter: matrix-js-sdk 36 with Rust crypto, so the bot
 * talks in end-to-end encrypted rooms (Tchap rooms always are).
 *
 * - Only the instance holding the `matrix-sync` leadership runs the client
 *   (sync loop, crypto); the others retry to take it over periodically. The
 *   crypto store belongs to one device, so it lives in that instance's data
 *   directory (matrix-session.ts).
 * - Inbound: room events are decrypted, mapped by `mapMatrixEvent` and
 *   handled exactly once (`dedup` on the event id), in order per room. The
 *   sync position (SDK sync store + `state` "sync") is saved only when every
 *   received event has been handled: after a crash, the unhandled ones come
 *   again and are answered once; history before the last run is never
 *   answered.
 * - Outbound: `renderMatrixMessage` → events sent through `MatrixSender`
 *   (limits, M_LIMIT_EXCEEDED); images and files are uploaded first,
 *   encrypted client-side in encrypted rooms. Replies go in the thread the
 *   user wrote in; streamed answers are edits; DMs are reused from
 *   `m.direct` or created encrypted.
 */
import { ClientEvent, MatrixEventEvent, RoomEvent, SyncState, type MatrixClient, type MatrixEvent, type Room } from 'matrix-js-sdk';
import { RelaisError, ValidationError } from '../../../core/errors.js';
import type { ConversationRef } from '../../../core/messages/conversation-ref.js';
import type { InboundEvent } from '../../../core/messages/inbound.js';
import type { OutboundEnvelope } from '../../../core/messages/outbound.js';
import type { ChatPlatform, InboundHandler, ReplyStream, Responder } from '../../../core/ports/chat-platform.js';
import type { Clock } from '../../../core/ports/clock.js';
import { DEDUP_KEEP_MS, DEDUP_LEASE_MS, type EventDeduplicator } from '../../../core/ports/event-deduplicator.js';
import type { LeaderLease, LeaderLock } from '../../../core/ports/leader-lock.js';
import type { Logger } from '../../../core/ports/logger.js';
import type { PlatformStateStore } from '../../../core/ports/platform-state.js';
import type { RateLimiter } from '../../rate-limit/rate-limiter.js';
import { encryptAttachment } from './encrypted-attachment.js';
import {
  allowListRefusal,
  joinedEvent,
  mapMatrixEvent,
  type MatrixAllowList,
  type MatrixInboundContext,
  type PendingQuestion,
  type PollRecord,
  type RawMatrixEvent,
} from './matrix-inbound.js';
import { editContent, fileContent, fileFallbackContent, imageContent, renderMatrixMessage, threadRelation, type MatrixPart, type MatrixTextContent } from './matrix-render.js';
import { MatrixReplyStream } from './matrix-reply-stream.js';
import { defaultMatrixRules, MatrixSender, type MatrixRateRules } from './matrix-sender.js';
import { MatrixSession } from './matrix-session.js';

export interface MatrixPlatformOptions {
  homeserverUrl: string;
  userId: string;
  accessToken: string;
  /** Device of the access token; asked to the homeserver (`/whoami`) when absent. */
  deviceId?: string;
  /** Secret-storage recovery key: cross-signing and key backup (see docs/platforms/matrix.*.md). */
  recoveryKey?: string;
  allow: MatrixAllowList;
  /** Relais data directory; the crypto store goes to `<dataDir>/matrix/`. */
  dataDir: string;
  logger: Logger;
  clock: Clock;
  dedup: EventDeduplicator;
  limiter: RateLimiter;
  state: PlatformStateStore;
  leaderLock: LeaderLock;
  /** Client-side rate rules (default `defaultMatrixRules()`, see matrix-sender.ts). */
  rateRules?: MatrixRateRules;
  /** Least time between two edits of a streamed answer, in ms (default 1,000). */
  streamEditIntervalMs?: number;
  /** How often a non-leader instance tries to take the sync over, in ms (default 15,000). */
  leaderRetryMs?: number;
  /** Polls for single-choice questions and scales in direct rooms (default true); numbered text otherwise. */
  polls?: boolean;
  /** How long an undecryptable event waits for its room key, in ms (default 60,000). */
  decryptTimeoutMs?: number;
  /** How long start() waits for the first sync, in ms (default 60,000). */
  startTimeoutMs?: number;
  /**
   * Least time between two snapshots of the stores when no crypto material
   * arrived, in ms (default 10,000). A sync that brings to-device messages
   * (room keys, Olm sessions) is saved at once: a kill -9 must not lose them.
   */
  snapshotIntervalMs?: number;
}

const NS = 'matrix';
const LEADERSHIP = 'matrix-sync';

interface SyncMark {
  token: string;
  /** Latest origin_server_ts among handled events: older ones are history at the next start. */
  lastEventTs: number;
  savedAt: string;
}

const POLL_RESPONSES = new Set(['m.poll.response', 'org.matrix.msc3381.poll.response']);

export class MatrixPlatform implements ChatPlatform {
  readonly name = 'matrix' as const;
  readonly sender: MatrixSender;
  private readonly log: Logger;
  private handler: InboundHandler | undefined;
  private session: MatrixSession | undefined;
  private lease: LeaderLease | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private leading: Promise<void> | undefined;
  private readonly roomQueues = new Map<string, Promise<void>>();
  private inflight = 0;
  private replayingCache = false;
  private latestToken: string | undefined;
  private handledMaxTs = 0;
  private historyCutoff = 0;
  private displayName: string | undefined;
  private readonly directRooms = new Set<string>();
  /** `m.direct` as this instance knows it (see `recordDirect`); undefined until first read. */
  private directKnown: Record<string, string[]> | undefined;
  private directWrites: Promise<void> = Promise.resolve();
  private readonly opening = new Map<string, Promise<ConversationRef>>();
  private cryptoDirty = false;
  private lastSnapshot = 0;
  private snapshotTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: MatrixPlatformOptions) {
    this.log = options.logger.child({ scope: 'matrix' });
    this.sender = new MatrixSender(options.userId, options.limiter, options.rateRules ?? defaultMatrixRules(), this.log);
  }

  /** Whether this instance runs the Matrix client now. */
  get isLeader(): boolean {
    return this.session?.client !== undefined;
  }

  /** The running SDK client (tests, diagnostics). */
  get client(): MatrixClient | undefined {
    return this.session?.client;
  }

  /** The crypto store file in the data directory. */
  get storeFile(): string {
    return new MatrixSession({ ...this.options, canPersistSync: () => true }).snapshotFile;
  }

  async start(handler: InboundHandler): Promise<void> {
    this.handler = handler;
    this.stopping = false;
    await this.tryLead();
    if (!this.isLeader) this.scheduleLeaderRetry();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.retryTimer = undefined;
    await this.leading?.catch(() => undefined);
    await this.stopClient();
    const lease = this.lease;
    this.lease = undefined;
    await lease?.release().catch(() => undefined);
    this.handler = undefined;
  }

  async send(ref: ConversationRef, envelope: OutboundEnvelope): Promise<void> {
    await this.deliver(ref, envelope);
  }

  /**
   * The DM with a person: the one recorded in `m.direct` if both are still in
   * it, otherwise a new encrypted one. One at a time per person: a campaign's
   * invitation and a reminder racing must not open two rooms.
   */
  openDirect(userExternalId: string): Promise<ConversationRef> {
    const running = this.opening.get(userExternalId);
    if (running) return running;
    const opening = this.openDirectNow(userExternalId).finally(() => this.opening.delete(userExternalId));
    this.opening.set(userExternalId, opening);
    return opening;
  }

  private async openDirectNow(userExternalId: string): Promise<ConversationRef> {
    const client = this.requireClient();
    if (!/^@[^:]+:.+$/.test(userExternalId)) throw new ValidationError('matrix.bad_user_id', 'not a Matrix user id');
    const refusal = allowListRefusal({ ...this.options.allow, rooms: [] }, userExternalId, undefined);
    if (refusal) throw new ValidationError('matrix.user_not_allowed', `cannot open a DM: ${refusal}`);

    const direct = await this.directMap(client);
    for (const roomId of direct[userExternalId] ?? []) {
      const room = client.getRoom(roomId);
      const theirs = room?.getMember(userExternalId)?.membership;
      if (room?.getMyMembership() === 'join' && (theirs === 'join' || theirs === 'invite')) {
        return { platform: 'matrix', externalId: roomId, kind: 'direct' };
      }
    }
    const { room_id: roomId } = await this.sender.withLimits(undefined, () =>
      client.createRoom({
        is_direct: true,
        invite: [userExternalId],
        preset: 'trusted_private_chat' as never,
        initial_state: [{ type: 'm.room.encryption', state_key: '', content: { algorithm: 'm.megolm.v1.aes-sha2' } }],
      }),
    );
    await this.recordDirect(client, userExternalId, roomId);
    await this.waitForRoom(client, roomId);
    this.log.info({ roomId }, 'direct room created');
    return { platform: 'matrix', externalId: roomId, kind: 'direct' };
  }

  // --- leadership and lifecycle ------------------------------------------------------

  private scheduleLeaderRetry(): void {
    if (this.retryTimer || this.stopping) return;
    this.retryTimer = setInterval(() => {
      if (this.isLeader || this.leading) return;
      void this.tryLead().catch((error: unknown) => this.log.warn({ err: (error as Error).message }, 'taking the Matrix sync over failed'));
    }, this.options.leaderRetryMs ?? 15_000);
    this.retryTimer.unref();
  }

  private tryLead(): Promise<void> {
    this.leading ??= this.lead().finally(() => (this.leading = undefined));
    return this.leading;
  }

  private async lead(): Promise<void> {
    if (this.stopping || this.isLeader) return;
    const lease = await this.options.leaderLock.tryAcquire(LEADERSHIP);
    if (!lease) {
      this.log.debug('another instance syncs Matrix');
      return;
    }
    this.lease = lease;
    try {
      await this.startClient();
    } catch (error) {
      this.lease = undefined;
      await this.stopClient().catch(() => undefined);
      await lease.release().catch(() => undefined);
      throw error;
    }
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.retryTimer = undefined;
    void lease.lost.then(async () => {
      if (this.stopping || this.lease !== lease) return;
      this.log.warn('Matrix sync leadership lost: stopping the client');
      this.lease = undefined;
      await this.stopClient();
      this.scheduleLeaderRetry();
    });
  }

  private async startClient(): Promise<void> {
    const session = new MatrixSession({ ...this.options, canPersistSync: () => this.inflight === 0 });
    this.session = session;
    const client = await session.open();
    const mark = await this.options.state.get<SyncMark>(NS, 'sync');
    // Without a saved sync the first sync returns recent history: only what came after the last run is
    // answered. With one, the sync resumes after it (nothing older comes), even if the state store was reset.
    this.historyCutoff = mark?.lastEventTs ?? (session.resumed ? 0 : this.options.clock.now().getTime());
    this.handledMaxTs = mark?.lastEventTs ?? 0;
    this.replayingCache = session.resumed;
    this.displayName = await client
      .getProfileInfo(this.options.userId)
      .then((p) => p.displayname)
      .catch(() => undefined);

    client.on(RoomEvent.Timeline, (event, room, toStartOfTimeline, removed, data) => {
      if (toStartOfTimeline || removed || !room || data?.liveEvent === false || this.replayingCache) return;
      this.enqueue(room.roomId, () => this.onRoomEvent(client, event, room));
    });
    client.on(RoomEvent.MyMembership, (room, membership) => {
      if (membership === 'invite') this.enqueue(room.roomId, () => this.onInvite(client, room));
    });
    client.on(ClientEvent.ToDeviceEvent, () => {
      this.cryptoDirty = true;
    });
    client.on(ClientEvent.AccountData, (event) => {
      if (event.getType() === 'm.direct') this.refreshDirect(event.getContent() as Record<string, string[]>);
    });
    const prepared = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new RelaisError('matrix.sync_timeout', 'the first Matrix sync did not complete', { transient: true })), this.options.startTimeoutMs ?? 60_000);
      client.on(ClientEvent.Sync, (state, _previous, data) => {
        if (data?.fromCache) {
          this.replayingCache = false;
          return;
        }
        if (state === SyncState.Prepared) {
          this.replayingCache = false;
          clearTimeout(timer);
          resolve();
        }
        if ((state === SyncState.Prepared || state === SyncState.Syncing) && data?.nextSyncToken) {
          this.latestToken = data.nextSyncToken;
          void this.persistIfDrained();
        }
      });
    });
    await client.startClient({ initialSyncLimit: 30, lazyLoadMembers: false });
    await prepared;
    // After the first sync: the crypto's own requests (device keys upload, key queries) flow by then.
    await session.setUpCrossSigningAndBackup().catch((error: unknown) =>
      this.log.warn({ err: describe(error) }, 'cross-signing or key backup could not be set up: the device stays unverified'),
    );
    // Without m.direct in the first sync, `directMap` asks the server when a DM is first needed.
    const direct = client.getAccountData('m.direct' as never)?.getContent() as Record<string, string[]> | undefined;
    if (direct) this.refreshDirect(direct);
    this.log.info({ deviceId: client.getDeviceId(), resumed: session.resumed }, 'Matrix client syncing');
  }

  private async stopClient(): Promise<void> {
    const session = this.session;
    if (!session) return;
    // Finish what is being handled (bounded: shutdown has a 10 s budget), then save everything.
    await Promise.race([Promise.allSettled([...this.roomQueues.values()]), new Promise((r) => setTimeout(r, 5_000).unref())]);
    session.client?.removeAllListeners();
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    this.snapshotTimer = undefined;
    await this.persistIfDrained(true);
    await session.close();
    this.session = undefined;
    // Another instance may write m.direct while we do not sync: read it afresh when leading again.
    this.directKnown = undefined;
  }

  private requireClient(): MatrixClient {
    const client = this.session?.client;
    if (!client) throw new RelaisError('matrix.not_leader', 'this instance does not run the Matrix client (another one syncs)', { transient: true, userMessage: 'error.unavailable' });
    return client;
  }

  // --- inbound --------------------------------------------------------------------

  private enqueue(roomId: string, work: () => Promise<void>): void {
    this.inflight++;
    const previous = this.roomQueues.get(roomId) ?? Promise.resolve();
    const next = previous
      .then(work)
      .catch((error: unknown) => this.log.error({ err: describe(error) }, 'handling a Matrix event failed'))
      .finally(() => {
        this.inflight--;
        if (this.roomQueues.get(roomId) === next) this.roomQueues.delete(roomId);
        if (this.inflight === 0) void this.persistIfDrained();
      });
    this.roomQueues.set(roomId, next);
  }

  /**
   * Saves the sync position when every received event has been handled, and
   * snapshots the stores: at once after crypto material arrived, otherwise at
   * most every `snapshotIntervalMs` (a trailing snapshot follows).
   */
  private async persistIfDrained(force = false): Promise<void> {
    const session = this.session;
    if (this.inflight > 0 || !session || !this.latestToken) return;
    const mark: SyncMark = { token: this.latestToken, lastEventTs: this.handledMaxTs, savedAt: this.options.clock.now().toISOString() };
    await this.options.state.set(NS, 'sync', mark).catch((error: unknown) => this.log.warn({ err: describe(error) }, 'saving the sync token failed'));
    const interval = this.options.snapshotIntervalMs ?? 10_000;
    const due = this.lastSnapshot + interval - Date.now();
    if (force || this.cryptoDirty || due <= 0) {
      this.cryptoDirty = false;
      this.lastSnapshot = Date.now();
      if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
      this.snapshotTimer = undefined;
      await session.persist();
    } else if (!this.snapshotTimer) {
      this.snapshotTimer = setTimeout(() => {
        this.snapshotTimer = undefined;
        void this.persistIfDrained();
      }, due);
      this.snapshotTimer.unref();
    }
  }

  private async onRoomEvent(client: MatrixClient, event: MatrixEvent, room: Room): Promise<void> {
    const id = event.getId();
    if (!id || event.getSender() === this.options.userId || event.isState() || event.status !== null) return;
    const ts = event.getTs();
    if (ts < this.historyCutoff) return this.ignore(id, 'history from before the last run');
    const joinedAt = room.getMember(this.options.userId)?.events.member?.getTs() ?? 0;
    if (ts < joinedAt) return this.ignore(id, 'sent before the bot joined');

    if (event.isEncrypted() && !(await this.decrypted(client, event))) return this.ignore(id, 'undecryptable event');
    const raw = rawOf(event, room.roomId);
    const key = `matrix:${id}`;
    if ((await this.options.dedup.claim(key, DEDUP_LEASE_MS)) === 'duplicate') return;
    try {
      const result = mapMatrixEvent(raw, await this.contextFor(raw, room));
      if (result.kind === 'ignored') {
        this.log.debug({ eventId: id, reason: result.reason }, 'event ignored');
      } else if (result.kind === 'event') {
        if (result.consumesPending) await this.options.state.delete(NS, `pending:${room.roomId}`);
        await this.dispatch(result.event, id);
      }
      await this.options.dedup.complete(key, DEDUP_KEEP_MS);
      this.handledMaxTs = Math.max(this.handledMaxTs, ts);
    } catch (error) {
      await this.options.dedup.release(key);
      throw error;
    }
  }

  private ignore(eventId: string, reason: string): void {
    this.log.debug({ eventId, reason }, 'event ignored');
  }

  private async dispatch(event: InboundEvent, inReplyTo: string | undefined): Promise<void> {
    const handler = this.handler;
    if (!handler) throw new RelaisError('matrix.not_ready', 'the adapter is stopping', { transient: true });
    await handler(event, this.responderFor(event.conversation, inReplyTo));
  }

  private async contextFor(raw: RawMatrixEvent, room: Room): Promise<MatrixInboundContext> {
    const relatesTo = (raw.content?.['m.relates_to'] as { event_id?: string } | undefined)?.event_id;
    const state = this.options.state;
    const poll = POLL_RESPONSES.has(raw.type) && relatesTo ? await state.get<PollRecord>(NS, `poll:${relatesTo}`) : undefined;
    const feedback = raw.type === 'm.reaction' && relatesTo ? await state.get<string>(NS, `feedback:${relatesTo}`) : undefined;
    const pending = raw.type === 'm.room.message' ? await state.get<PendingQuestion>(NS, `pending:${room.roomId}`) : undefined;
    return {
      botUserId: this.options.userId,
      ...(this.displayName ? { botDisplayName: this.displayName } : {}),
      isDirect: this.isDirect(room),
      allow: this.options.allow,
      now: this.options.clock.now(),
      ...(poll ? { poll } : {}),
      ...(feedback ? { feedbackActionId: feedback } : {}),
      ...(pending ? { pending } : {}),
    };
  }

  private async decrypted(client: MatrixClient, event: MatrixEvent): Promise<boolean> {
    await client.decryptEventIfNeeded(event);
    if (!event.isDecryptionFailure()) return true;
    // The room key may still be on its way (to-device): wait for a successful retry.
    return new Promise<boolean>((resolve) => {
      const onDecrypted = (ev: MatrixEvent): void => {
        if (ev.isDecryptionFailure()) return;
        clearTimeout(timer);
        event.off(MatrixEventEvent.Decrypted, onDecrypted);
        resolve(true);
      };
      const timer = setTimeout(() => {
        event.off(MatrixEventEvent.Decrypted, onDecrypted);
        resolve(false);
      }, this.options.decryptTimeoutMs ?? 60_000);
      event.on(MatrixEventEvent.Decrypted, onDecrypted);
    });
  }

  private async onInvite(client: MatrixClient, room: Room): Promise<void> {
    const member = room.currentState.getMember(this.options.userId)?.events.member;
    if (!member) return;
    const raw = rawOf(member, room.roomId);
    const result = mapMatrixEvent(raw, { botUserId: this.options.userId, isDirect: false, allow: this.options.allow, now: this.options.clock.now() });
    if (result.kind !== 'invite') return;
    const key = `matrix:invite:${room.roomId}:${member.getId() ?? member.getTs()}`;
    if ((await this.options.dedup.claim(key, DEDUP_LEASE_MS)) === 'duplicate') return;
    try {
      if (!result.accept) {
        this.log.info({ reason: result.reason }, 'invite declined');
        await client.leave(room.roomId);
      } else {
        await this.sender.withLimits(undefined, () => client.joinRoom(room.roomId));
        await this.waitForRoom(client, room.roomId);
        if (result.isDirect) await this.recordDirect(client, result.inviter, room.roomId);
        this.log.info({ direct: result.isDirect }, 'joined a room on invitation');
        await this.dispatch(joinedEvent(`join:${room.roomId}`, room.roomId, result.inviter, result.isDirect || this.isDirect(room), this.options.clock.now()), undefined);
      }
      await this.options.dedup.complete(key, DEDUP_KEEP_MS);
    } catch (error) {
      await this.options.dedup.release(key);
      throw error;
    }
  }

  // --- direct rooms -----------------------------------------------------------------

  /**
   * Merges `m.direct` as synced into what we know. A union, not a
   * replacement: the sync may echo an older write of ours after a newer one
   * (only the bot writes its own `m.direct`, and only adds to it).
   */
  private refreshDirect(content: Record<string, string[]>): void {
    const known = this.directKnown ?? {};
    for (const [userId, rooms] of Object.entries(content)) {
      if (!Array.isArray(rooms)) continue;
      const mine = known[userId] ?? [];
      known[userId] = [...mine, ...rooms.filter((r) => typeof r === 'string' && !mine.includes(r))];
      for (const roomId of rooms) this.directRooms.add(roomId);
    }
    this.directKnown = known;
  }

  private isDirect(room: Room): boolean {
    if (this.directRooms.has(room.roomId)) return true;
    return room.getInvitedAndJoinedMemberCount() <= 2;
  }

  private async directMap(client: MatrixClient): Promise<Record<string, string[]>> {
    if (!this.directKnown) {
      const local = client.getAccountData('m.direct' as never)?.getContent() as Record<string, string[]> | undefined;
      this.refreshDirect(local ?? (((await client.getAccountDataFromServer('m.direct' as never).catch(() => null)) as Record<string, string[]> | null) ?? {}));
    }
    return this.directKnown ?? {};
  }

  /**
   * Adds a DM to `m.direct`. Writes go one at a time from what we know, not
   * from the client's copy: that copy changes only when the sync echoes a
   * write, so two DMs opened together (a campaign's invitations) would each
   * overwrite the other's entry and the next message would open a third room.
   */
  private recordDirect(client: MatrixClient, userId: string, roomId: string): Promise<void> {
    const write = this.directWrites.then(async () => {
      const current = await this.directMap(client);
      const rooms = current[userId] ?? [];
      this.directRooms.add(roomId);
      if (rooms.includes(roomId)) return;
      const next = { ...current, [userId]: [...rooms, roomId] };
      await client.setAccountData('m.direct' as never, next as never);
      this.directKnown = next;
    });
    this.directWrites = write.catch(() => undefined);
    return write;
  }

  /** Waits until the client has synced the room with the bot joined (encryption needs its state and members). */
  private async waitForRoom(client: MatrixClient, roomId: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (client.getRoom(roomId)?.getMyMembership() !== 'join') {
      if (Date.now() > deadline) throw new RelaisError('matrix.room_not_synced', 'the room did not appear in the sync', { transient: true });
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  // --- outbound ----------------------------------------------------------------------

  private responderFor(ref: ConversationRef, inReplyTo: string | undefined): Responder {
    return {
      send: async (envelope) => {
        await this.deliver(ref, envelope, inReplyTo);
      },
      startStream: async (): Promise<ReplyStream> =>
        new MatrixReplyStream(
          {
            post: (content) => this.sendMessage(ref, content, inReplyTo),
            edit: async (eventId, content) => {
              await this.sender.sendEvent(this.requireClient(), ref.externalId, 'm.room.message', editContent(eventId, content));
            },
            finish: async (envelope, eventId) => {
              await this.deliver(ref, envelope, inReplyTo, eventId);
            },
          },
          this.options.streamEditIntervalMs ?? 1_000,
        ),
    };
  }

  /**
   * Renders and sends an envelope; with `editOf`, the first text message
   * becomes the final edit of that (streamed) message.
   */
  private async deliver(ref: ConversationRef, envelope: OutboundEnvelope, inReplyTo?: string, editOf?: string): Promise<string | undefined> {
    const client = this.requireClient();
    const encrypted = await this.isEncrypted(client, ref.externalId);
    const parts = renderMatrixMessage(envelope.message, { locale: envelope.locale, allowPolls: (this.options.polls ?? true) && ref.kind === 'direct' });
    let first: string | undefined;
    let edited = false;
    for (const part of parts) {
      const eventId = await this.sendPart(client, ref, part, inReplyTo, encrypted, !edited && part.kind === 'message' ? editOf : undefined, envelope.locale);
      if (part.kind === 'message') edited = true;
      first ??= eventId;
      await this.rememberPart(ref, part, eventId);
    }
    return first;
  }

  private async sendPart(
    client: MatrixClient,
    ref: ConversationRef,
    part: MatrixPart,
    inReplyTo: string | undefined,
    encrypted: boolean,
    editOf: string | undefined,
    locale: string,
  ): Promise<string> {
    const roomId = ref.externalId;
    switch (part.kind) {
      case 'message':
        if (editOf) {
          await this.sender.sendEvent(client, roomId, 'm.room.message', editContent(editOf, part.content));
          return editOf;
        }
        return this.sendMessage(ref, part.content, inReplyTo);
      case 'poll':
        return this.sender.sendEvent(client, roomId, part.type, withThread(part.content, ref, inReplyTo));
      case 'image': {
        const content = imageContent(part, '');
        await this.attachMedia(client, content, part.bytes, part.mimeType, 'image', encrypted);
        return this.sender.sendEvent(client, roomId, 'm.room.message', withThread(content, ref, inReplyTo));
      }
      case 'file': {
        const content = fileContent(part, '');
        try {
          await this.attachMedia(client, content, part.bytes, part.mimeType, part.filename, encrypted);
        } catch (error) {
          // Transient failures are retried by the caller; a refusal (size limit, media forbidden) is said in text.
          if (error instanceof RelaisError && error.transient) throw error;
          this.log.warn({ err: describe(error), bytes: part.bytes.length }, 'file upload refused: sending a text instead');
          return this.sendMessage(ref, fileFallbackContent(part, locale), inReplyTo);
        }
        return this.sender.sendEvent(client, roomId, 'm.room.message', withThread(content, ref, inReplyTo));
      }
    }
  }

  /**
   * Uploads `bytes` to the media repository and points `content` at them: a
   * plain `url`, or in an encrypted room an encrypted attachment (`file`
   * with its key, IV and hash; spec "Sending encrypted attachments"), whose
   * upload says nothing of its type or name.
   */
  private async attachMedia(client: MatrixClient, content: Record<string, unknown>, bytes: Buffer, mimeType: string, name: string, encrypted: boolean): Promise<void> {
    const upload = encrypted ? encryptAttachment(bytes) : undefined;
    const { content_uri: mxc } = await this.sender.withLimits(undefined, () =>
      client.uploadContent(upload?.ciphertext ?? bytes, upload ? { type: 'application/octet-stream', includeFilename: false } : { type: mimeType, name, includeFilename: true }),
    );
    delete content.url;
    if (upload) content.file = { ...upload.file, url: mxc };
    else content.url = mxc;
  }

  private sendMessage(ref: ConversationRef, content: MatrixTextContent, inReplyTo: string | undefined): Promise<string> {
    return this.sender.sendEvent(this.requireClient(), ref.externalId, 'm.room.message', withThread(content, ref, inReplyTo));
  }

  /** What later events refer to: the poll's answers, the feedback message, the question pending in the room. */
  private async rememberPart(ref: ConversationRef, part: MatrixPart, eventId: string): Promise<void> {
    const state = this.options.state;
    if (part.kind === 'poll') await state.set(NS, `poll:${eventId}`, part.poll);
    if (part.kind === 'message' && part.feedbackActionId) await state.set(NS, `feedback:${eventId}`, part.feedbackActionId);
    if ((part.kind === 'message' || part.kind === 'poll') && part.pending) {
      await state.set(NS, `pending:${ref.externalId}`, { ...part.pending, messageId: eventId });
    }
  }

  private async isEncrypted(client: MatrixClient, roomId: string): Promise<boolean> {
    const crypto = client.getCrypto();
    if (crypto && (await crypto.isEncryptionEnabledInRoom(roomId))) return true;
    return client.getRoom(roomId)?.hasEncryptionStateEvent() ?? false;
  }
}

function withThread(content: Record<string, unknown>, ref: ConversationRef, inReplyTo: string | undefined): Record<string, unknown> {
  return ref.threadId ? { ...content, 'm.relates_to': threadRelation(ref.threadId, inReplyTo) } : content;
}

function rawOf(event: MatrixEvent, roomId: string): RawMatrixEvent {
  const stateKey = event.getStateKey();
  return {
    event_id: event.getId() ?? undefined,
    type: event.getType(),
    sender: event.getSender() ?? undefined,
    room_id: roomId,
    origin_server_ts: event.getTs(),
    content: event.getContent(),
    ...(stateKey !== undefined ? { state_key: stateKey } : {}),
  } as RawMatrixEvent;
}

function describe(error: unknown): Record<string, unknown> {
  if (error instanceof RelaisError) return { code: error.code, message: error.message };
  return { message: (error as Error)?.message ?? String(error) };
}
