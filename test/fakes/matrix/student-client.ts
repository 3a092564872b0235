/**
 * A test user ("student") driven by a real matrix-js-sdk client with Rust
 * crypto (in-memory store) against the fake homeserver: creates rooms,
 * invites the bot, accepts the bot's invitations, writes (encrypted when the
 * room is), reacts, votes, and reads the bot's messages decrypted.
 */
import { ClientEvent, createClient, MatrixEventEvent, RoomEvent, SyncState, type MatrixClient, type MatrixEvent } from 'matrix-js-sdk';
import { createSilentLogger } from '../../../src/adapters/log/pino-logger.js';
import { routeSdkLogging, withQuietConsole } from '../../../src/adapters/chat/matrix/matrix-session.js';
import { waitFor } from '../../support/wait-for.js';
import type { FakeUser } from '../matrix-homeserver-fake.js';

export interface SeenEvent {
  eventId: string;
  roomId: string;
  sender: string;
  type: string;
  content: Record<string, unknown>;
  encrypted: boolean;
  decryptionFailed: boolean;
}

const silent = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  getChild: () => silent,
};

export class StudentClient {
  readonly client: MatrixClient;
  /** Every timeline event seen, in order of arrival (content decrypted when possible). */
  readonly events: SeenEvent[] = [];
  private readonly pending = new Set<Promise<void>>();

  constructor(
    readonly user: FakeUser,
    baseUrl: string,
  ) {
    this.client = createClient({ baseUrl, userId: user.userId, accessToken: user.accessToken, deviceId: user.deviceId, logger: silent });
  }

  get userId(): string {
    return this.user.userId;
  }

  async start(): Promise<this> {
    routeSdkLogging(createSilentLogger());
    await withQuietConsole(() => this.client.initRustCrypto({ useIndexedDB: false }));
    this.client.on(RoomEvent.Timeline, (event, room, toStart) => {
      if (toStart || !room) return;
      const work = this.record(event, room.roomId);
      this.pending.add(work);
      void work.finally(() => this.pending.delete(work));
    });
    const prepared = new Promise<void>((resolve) =>
      this.client.on(ClientEvent.Sync, (state) => {
        if (state === SyncState.Prepared) resolve();
      }),
    );
    await this.client.startClient({ initialSyncLimit: 10 });
    await prepared;
    return this;
  }

  stop(): void {
    this.client.stopClient();
  }

  private async record(event: MatrixEvent, roomId: string): Promise<void> {
    const encrypted = event.isEncrypted();
    if (encrypted) {
      await this.client.decryptEventIfNeeded(event);
      if (event.isDecryptionFailure()) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 5_000);
          event.on(MatrixEventEvent.Decrypted, (ev) => {
            if (!ev.isDecryptionFailure()) {
              clearTimeout(timer);
              resolve();
            }
          });
        });
      }
    }
    this.events.push({
      eventId: event.getId() ?? '',
      roomId,
      sender: event.getSender() ?? '',
      type: event.getType(),
      content: event.getContent(),
      encrypted,
      decryptionFailed: event.isDecryptionFailure(),
    });
  }

  /** Creates a room with the bot invited (a DM unless `direct: false`). */
  async inviteBot(botUserId: string, options: { encrypted?: boolean; direct?: boolean; name?: string } = {}): Promise<string> {
    const { room_id: roomId } = await this.client.createRoom({
      is_direct: options.direct ?? true,
      invite: [botUserId],
      ...(options.name ? { name: options.name } : {}),
      initial_state: options.encrypted ? [{ type: 'm.room.encryption', state_key: '', content: { algorithm: 'm.megolm.v1.aes-sha2' } }] : [],
    });
    await waitFor(() => this.client.getRoom(roomId)?.getMyMembership() === 'join', 10_000);
    return roomId;
  }

  /**
   * Joins every room `inviter` invites this user to, as a person accepting
   * the bot's direct message would; returns the ids of the rooms joined so far.
   */
  acceptInvitesFrom(inviter: string): string[] {
    const joined: string[] = [];
    this.client.on(RoomEvent.MyMembership, (room, membership) => {
      if (membership !== 'invite') return;
      if (room.getMember(this.userId)?.events.member?.getSender() !== inviter) return;
      const work = this.client.joinRoom(room.roomId).then(() => {
        joined.push(room.roomId);
      });
      this.pending.add(work);
      void work.finally(() => this.pending.delete(work));
    });
    return joined;
  }

  async joinRoom(roomId: string): Promise<void> {
    await this.client.joinRoom(roomId);
    await waitFor(() => this.client.getRoom(roomId)?.getMyMembership() === 'join', 10_000);
  }

  /** Sends a text message (encrypted by the SDK in an encrypted room); returns its event id. */
  async say(roomId: string, text: string, extra: Record<string, unknown> = {}): Promise<string> {
    const { event_id } = await (this.client.sendEvent as (r: string, t: string, c: Record<string, unknown>) => Promise<{ event_id: string }>)(
      roomId,
      'm.room.message',
      { msgtype: 'm.text', body: text, ...extra },
    );
    return event_id;
  }

  async sendEvent(roomId: string, type: string, content: Record<string, unknown>): Promise<string> {
    const { event_id } = await (this.client.sendEvent as (r: string, t: string, c: Record<string, unknown>) => Promise<{ event_id: string }>)(roomId, type, content);
    return event_id;
  }

  async react(roomId: string, eventId: string, key: string): Promise<string> {
    return this.sendEvent(roomId, 'm.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: eventId, key } });
  }

  /** Events from `sender` in `roomId` (messages and polls, edits included). */
  from(sender: string, roomId?: string): SeenEvent[] {
    return this.events.filter((e) => e.sender === sender && (!roomId || e.roomId === roomId) && e.type !== 'm.room.member');
  }

  /** Waits until `sender` has sent at least `count` room messages (not edits, not state) in `roomId`. */
  async waitForMessages(sender: string, roomId: string, count: number, timeoutMs = 15_000): Promise<SeenEvent[]> {
    const messages = (): SeenEvent[] => this.from(sender, roomId).filter((e) => isMessage(e));
    await waitFor(() => messages().length >= count, timeoutMs);
    await Promise.all([...this.pending]);
    return messages();
  }
}

/** A message or poll (not an edit, reaction or state event). */
export function isMessage(e: SeenEvent): boolean {
  const relation = e.content['m.relates_to'] as { rel_type?: string } | undefined;
  return (e.type === 'm.room.message' || e.type.endsWith('poll.start')) && relation?.rel_type !== 'm.replace';
}

/** Plain text of a seen message (its latest edit is not applied). */
export function bodyOf(e: SeenEvent): string {
  return String(e.content.body ?? e.content['org.matrix.msc1767.text'] ?? '');
}
