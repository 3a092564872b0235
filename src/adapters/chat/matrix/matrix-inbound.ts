/**
 * Pure mapping of Matrix room events (already decrypted) to neutral inbound
 * events, or to an explicit reason for ignoring them.
 *
 * What the mapper needs to know beyond the event itself (is the room a DM,
 * which poll or feedback message an event relates to, the choice question
 * pending in the room) is looked up by the platform beforehand and passed in
 * `MatrixInboundContext`, so the mapping stays a pure function.
 */
import type { ConversationRef } from '../../../core/messages/conversation-ref.js';
import type { ActionValue, InboundEvent } from '../../../core/messages/inbound.js';

/** A room event as the client-server API gives it (decrypted content for encrypted rooms). */
export interface RawMatrixEvent {
  event_id?: string;
  type: string;
  sender?: string;
  room_id?: string;
  origin_server_ts?: number;
  state_key?: string;
  content?: Record<string, unknown>;
  unsigned?: Record<string, unknown>;
}

/** Which homeservers, rooms and users the bot talks to. */
export interface MatrixAllowList {
  /** Server names (the part after ":" in a user id); empty: everyone. */
  domains: string[];
  /** Room ids; empty: any room. */
  rooms: string[];
  /** User ids; empty: anyone within the domains. */
  users: string[];
}

/** The poll the bot posted for a choice or scale question (kept in the platform state). */
export interface PollRecord {
  actionId: string;
  /** Poll answer id → value sent back to the core. */
  answers: Record<string, string>;
  /** Scale questions answer with numbers. */
  numeric: boolean;
}

/** A question answerable by a numbered (or typed) text reply, the last one asked in a room. */
export interface PendingQuestion {
  kind: 'options' | 'scale' | 'number' | 'text';
  /** Options in the order shown (1-based numbers in the text); each may carry its own action. */
  options?: { actionId: string; value: string }[];
  /** Scale, number and text questions. */
  actionId?: string;
  min?: number;
  max?: number;
  multiple?: boolean;
  /** Message the question belongs to. */
  messageId?: string;
}

export interface MatrixInboundContext {
  botUserId: string;
  /** Display name of the bot (mentions by name). */
  botDisplayName?: string;
  /** Whether the event's room is a direct conversation with one person. */
  isDirect: boolean;
  allow: MatrixAllowList;
  /** The poll a poll response refers to, when the bot posted it. */
  poll?: PollRecord;
  /** Feedback action of the bot message a reaction refers to. */
  feedbackActionId?: string;
  /** The question pending in the room, for numbered text replies. */
  pending?: PendingQuestion;
  now: Date;
}

export type MatrixInboundResult =
  | { kind: 'event'; event: InboundEvent; consumesPending?: boolean }
  | { kind: 'invite'; roomId: string; inviter: string; isDirect: boolean; accept: boolean; reason?: string }
  | { kind: 'ignored'; reason: string };

const POLL_RESPONSE_TYPES = new Set(['m.poll.response', 'org.matrix.msc3381.poll.response']);
const THUMBS_UP = '👍';
const THUMBS_DOWN = '👎';

const ignored = (reason: string): MatrixInboundResult => ({ kind: 'ignored', reason });

/** The server name of a Matrix id (`@user:server` → `server`). */
export function serverNameOf(id: string): string {
  const colon = id.indexOf(':');
  return colon < 0 ? '' : id.slice(colon + 1);
}

/** Why a sender or room is not allowed, or undefined when it is. */
export function allowListRefusal(allow: MatrixAllowList, sender: string, roomId: string | undefined): string | undefined {
  if (allow.domains.length > 0 && !allow.domains.includes(serverNameOf(sender))) return 'sender domain not allowed';
  if (allow.users.length > 0 && !allow.users.includes(sender)) return 'sender not allowed';
  if (roomId && allow.rooms.length > 0 && !allow.rooms.includes(roomId)) return 'room not allowed';
  return undefined;
}

export function mapMatrixEvent(event: RawMatrixEvent, ctx: MatrixInboundContext): MatrixInboundResult {
  const content = event.content ?? {};
  const sender = event.sender;
  const roomId = event.room_id;
  if (!sender) return ignored('no sender');
  if (!roomId) return ignored('no room id');
  if (!event.event_id) return ignored('no event id');

  if (event.type === 'm.room.member') return mapMembership(event, roomId, sender, ctx);
  if (sender === ctx.botUserId) return ignored("the bot's own event");
  if (event.type === 'm.room.encrypted') return ignored('undecryptable event');
  if (event.state_key !== undefined) return ignored(`state event ${event.type}`);

  const refusal = allowListRefusal(ctx.allow, sender, roomId);
  if (refusal) return ignored(refusal);

  const relation = relationOf(content);
  const ref = conversationRef(roomId, ctx.isDirect, relation);
  const base = {
    id: event.event_id,
    platform: 'matrix' as const,
    conversation: ref,
    sender: { externalId: sender },
    receivedAt: ctx.now,
  };

  if (POLL_RESPONSE_TYPES.has(event.type)) {
    if (!ctx.poll) return ignored('response to a poll the bot did not post');
    const selections = pollSelections(event.type, content).map((id) => ctx.poll!.answers[id]).filter((v): v is string => v !== undefined);
    if (selections.length === 0) return ignored('poll response without a known answer');
    const value: ActionValue = ctx.poll.numeric ? Number(selections[0]) : selections.length === 1 ? selections[0]! : selections;
    return { kind: 'event', event: { ...base, kind: 'action', actionId: ctx.poll.actionId, value, ...(relation.eventId ? { messageId: relation.eventId } : {}) } };
  }

  if (event.type === 'm.reaction') {
    if (relation.type !== 'm.annotation' || !relation.key) return ignored('reaction without annotation');
    if (!ctx.feedbackActionId) return ignored('reaction on a message without feedback');
    const rating = ratingOf(relation.key);
    if (!rating) return ignored('reaction other than thumbs up or down');
    return { kind: 'event', event: { ...base, kind: 'action', actionId: ctx.feedbackActionId, value: rating, ...(relation.eventId ? { messageId: relation.eventId } : {}) } };
  }

  if (event.type !== 'm.room.message') return ignored(`event type ${event.type}`);
  if (relation.type === 'm.replace' || content['m.new_content'] !== undefined) return ignored('edit of an earlier message');
  const msgtype = content.msgtype;
  if (msgtype === 'm.notice') return ignored('notice (bot message)');
  if (msgtype !== 'm.text') return ignored(`message type ${String(msgtype)}`);
  const body = typeof content.body === 'string' ? content.body : '';

  let text = stripReplyFallback(body, relation.inReplyTo !== undefined);
  if (!ctx.isDirect) {
    if (!mentionsBot(content, text, ctx)) return ignored('group message without a mention of the bot');
    text = stripMention(text, ctx);
  }

  const answer = ctx.pending ? answerPending(ctx.pending, text) : undefined;
  if (answer) {
    return {
      kind: 'event',
      event: { ...base, kind: 'action', actionId: answer.actionId, value: answer.value, ...(ctx.pending?.messageId ? { messageId: ctx.pending.messageId } : {}) },
      consumesPending: true,
    };
  }
  return { kind: 'event', event: { ...base, kind: 'message', text } };
}

function mapMembership(event: RawMatrixEvent, roomId: string, sender: string, ctx: MatrixInboundContext): MatrixInboundResult {
  const content = event.content ?? {};
  if (event.state_key !== ctx.botUserId) return ignored('membership of someone else');
  if (content.membership !== 'invite') return ignored(`bot membership ${String(content.membership)}`);
  const isDirect = content.is_direct === true;
  const refusal = allowListRefusal(ctx.allow, sender, roomId);
  return { kind: 'invite', roomId, inviter: sender, isDirect, accept: refusal === undefined, ...(refusal ? { reason: refusal } : {}) };
}

/** The neutral event announcing the bot joined a room (after accepting an invite). */
export function joinedEvent(id: string, roomId: string, inviter: string, isDirect: boolean, now: Date): InboundEvent {
  return {
    id,
    kind: 'joined',
    platform: 'matrix',
    conversation: { platform: 'matrix', externalId: roomId, kind: isDirect ? 'direct' : 'channel' },
    sender: { externalId: inviter },
    receivedAt: now,
  };
}

interface Relation {
  type?: string;
  eventId?: string;
  key?: string;
  inReplyTo?: string;
}

function relationOf(content: Record<string, unknown>): Relation {
  const raw = content['m.relates_to'];
  if (!raw || typeof raw !== 'object') return {};
  const r = raw as Record<string, unknown>;
  const inReply = r['m.in_reply_to'] as { event_id?: unknown } | undefined;
  return {
    ...(typeof r.rel_type === 'string' ? { type: r.rel_type } : {}),
    ...(typeof r.event_id === 'string' ? { eventId: r.event_id } : {}),
    ...(typeof r.key === 'string' ? { key: r.key } : {}),
    ...(typeof inReply?.event_id === 'string' ? { inReplyTo: inReply.event_id } : {}),
  };
}

function conversationRef(roomId: string, isDirect: boolean, relation: Relation): ConversationRef {
  return {
    platform: 'matrix',
    externalId: roomId,
    kind: isDirect ? 'direct' : 'channel',
    ...(relation.type === 'm.thread' && relation.eventId ? { threadId: relation.eventId } : {}),
  };
}

function pollSelections(type: string, content: Record<string, unknown>): string[] {
  const raw =
    type === 'm.poll.response'
      ? content['m.selections']
      : (content['org.matrix.msc3381.poll.response'] as { answers?: unknown } | undefined)?.answers;
  return Array.isArray(raw) ? raw.filter((s): s is string => typeof s === 'string') : [];
}

function ratingOf(key: string): 'up' | 'down' | undefined {
  // Clients add variation selectors and skin tones: compare the base emoji only.
  const base = key.replace(/\uFE0E|\uFE0F|[\u{1F3FB}-\u{1F3FF}]/gu, '');
  if (base === THUMBS_UP || base === '+1' || base === ':+1:') return 'up';
  if (base === THUMBS_DOWN || base === '-1' || base === ':-1:') return 'down';
  return undefined;
}

/** Removes the "> <@user> quoted text" lines clients put before a reply. */
function stripReplyFallback(body: string, isReply: boolean): string {
  if (!isReply || !body.startsWith('> ')) return body.trim();
  const lines = body.split('\n');
  let i = 0;
  while (i < lines.length && lines[i]!.startsWith('>')) i++;
  return lines.slice(i).join('\n').trim();
}

function mentionsBot(content: Record<string, unknown>, text: string, ctx: MatrixInboundContext): boolean {
  const mentions = content['m.mentions'] as { user_ids?: unknown } | undefined;
  if (Array.isArray(mentions?.user_ids) && mentions.user_ids.includes(ctx.botUserId)) return true;
  const formatted = typeof content.formatted_body === 'string' ? content.formatted_body : '';
  if (formatted.includes(`https://matrix.to/#/${ctx.botUserId}`) || formatted.includes(`https://matrix.to/#/${encodeURIComponent(ctx.botUserId)}`)) return true;
  if (text.includes(ctx.botUserId)) return true;
  const name = ctx.botDisplayName?.trim();
  return !!name && new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(name)}($|[^\\p{L}\\p{N}])`, 'iu').test(text);
}

function stripMention(text: string, ctx: MatrixInboundContext): string {
  // The full user id first: "@relais:server" must not be read as the display name "relais".
  const names = [escapeRegExp(ctx.botUserId), ...(ctx.botDisplayName ? [`@?${escapeRegExp(ctx.botDisplayName)}`] : [])];
  const leading = new RegExp(`^\\s*(?:${names.join('|')})\\s*[:,]?\\s*`, 'iu');
  return text.replace(leading, '').trim();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A numbered or typed answer to the pending question, when the text is one. */
function answerPending(pending: PendingQuestion, text: string): { actionId: string; value: ActionValue } | undefined {
  const trimmed = text.trim();
  if (pending.kind === 'options' && pending.options) {
    const numbers = pending.multiple ? trimmed.split(/[\s,;]+|\bet\b|\band\b/).filter(Boolean) : [trimmed];
    if (numbers.length === 0 || !numbers.every((n) => /^\d{1,2}$/.test(n))) return undefined;
    const picked = numbers.map((n) => pending.options![Number(n) - 1]);
    if (picked.some((o) => o === undefined)) return undefined;
    const first = picked[0]!;
    if (!pending.multiple) return { actionId: first.actionId, value: first.value };
    return { actionId: first.actionId, value: [...new Set(picked.map((o) => o!.value))] };
  }
  if ((pending.kind === 'scale' || pending.kind === 'number') && pending.actionId) {
    const normalised = trimmed.replace(',', '.');
    if (!/^-?\d+(\.\d+)?$/.test(normalised)) return undefined;
    const value = Number(normalised);
    if (pending.kind === 'scale' && !Number.isInteger(value)) return undefined;
    if (pending.min !== undefined && value < pending.min) return undefined;
    if (pending.max !== undefined && value > pending.max) return undefined;
    return { actionId: pending.actionId, value };
  }
  if (pending.kind === 'text' && pending.actionId && trimmed !== '') return { actionId: pending.actionId, value: trimmed };
  return undefined;
}
