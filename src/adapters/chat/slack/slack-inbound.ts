/**
 * Slack payload → neutral inbound events, pure (no I/O, no SDK).
 *
 * Covers the Events API envelope (`event_callback`, `url_verification`),
 * interactivity (`block_actions`, `view_submission`, `view_closed`) and the
 * `/relais` slash command. Anything the bot must not answer comes back as
 * `{ kind: 'ignored', reason }` so callers can log why.
 *
 * What is answered:
 * - direct messages (`channel_type: im`), in their thread when written in one;
 * - `app_mention` in channels and group DMs, always in a thread (the one the
 *   mention was written in, or a new one under it), mention stripped;
 * - `/relais <text>`; button, select, radio, checkbox-submit, number and text
 *   inputs, feedback buttons; modal submissions carrying our metadata;
 * - the bot joining a channel, and a person opening the bot's Messages tab
 *   (`joined`: the core greets once, with the AI disclosure);
 * - a new assistant thread (Agents & AI Apps split view): suggested prompts
 *   are set by the adapter, and the core gets `joined`.
 * Edits, deletions, other bots' and the bot's own messages, plain channel
 * messages (answered through `app_mention`) and unknown types are ignored.
 */
import type { ConversationKind, ConversationRef } from '../../../core/messages/conversation-ref.js';
import type { ActionValue, InboundEvent } from '../../../core/messages/inbound.js';
import { SUBMIT_ACTION } from './slack-render.js';

export interface SlackInboundContext {
  /** The bot's user id (from auth.test), to strip mentions and drop its own messages. */
  botUserId?: string;
  /** The bot's bot id (from auth.test). */
  botId?: string;
  /** The slash command the app declares (default `/relais`). */
  command?: string;
  receivedAt: Date;
}

/** What the platform adapter needs besides the neutral event. */
export interface SlackMappedEvent {
  event: InboundEvent;
  /** Key for exactly-once handling ("slack:<event_id>" or the interaction's trigger). */
  dedupKey: string;
  /** The Slack user and team, for native streaming outside DMs. */
  userId: string;
  teamId?: string;
}

/** A person opened the assistant split view (Agents & AI Apps): a new assistant thread in their DM. */
export interface SlackAssistantThread {
  kind: 'assistant_thread';
  /** The greeting event for the core (disclosure the first time). */
  mapped: SlackMappedEvent;
  channel: string;
  threadTs: string;
}

export type SlackInboundResult =
  | { kind: 'events'; events: SlackMappedEvent[] }
  | SlackAssistantThread
  | { kind: 'ignored'; reason: string }
  | { kind: 'url_verification'; challenge: string };

type Json = Record<string, unknown>;

const DEFAULT_COMMAND = '/relais';
/** Our modals carry the conversation to answer in as private_metadata. */
export const FORM_CALLBACK_ID = 'relais.form';

export function mapSlackPayload(body: unknown, context: SlackInboundContext): SlackInboundResult {
  if (!isObject(body)) return ignored('not a JSON object');
  if (body.type === 'url_verification') {
    return str(body.challenge) ? { kind: 'url_verification', challenge: str(body.challenge)! } : ignored('url_verification without a challenge');
  }
  if (body.type === 'block_actions') return mapBlockActions(body, context);
  if (body.type === 'view_submission') return mapViewSubmission(body, context);
  if (body.type === 'view_closed') return ignored('modal closed without submitting');
  if (typeof body.command === 'string') return mapSlashCommand(body, context);
  if (isObject(body.event)) return mapEvent(body, body.event, context);
  return ignored(`unsupported payload type "${String(body.type ?? '')}"`);
}

function mapEvent(envelope: Json, event: Json, context: SlackInboundContext): SlackInboundResult {
  const eventId = str(envelope.event_id);
  if (!eventId) return ignored('event without event_id');
  const teamId = str(envelope.team_id) ?? str(event.team);
  const base = (conversation: ConversationRef, userId: string) => ({
    id: eventId,
    platform: 'slack' as const,
    conversation,
    sender: { externalId: userId },
    receivedAt: context.receivedAt,
  });
  const wrap = (ev: InboundEvent, userId: string): SlackInboundResult => ({
    kind: 'events',
    events: [{ event: ev, dedupKey: `slack:event:${eventId}`, userId, ...(teamId ? { teamId } : {}) }],
  });
  const type = str(event.type);
  switch (type) {
    case 'message':
      return mapMessageEvent(event, context, (ref, user, text) => wrap({ ...base(ref, user), kind: 'message', text }, user));
    case 'app_mention': {
      const user = str(event.user);
      const channel = str(event.channel);
      if (str(event.bot_id) || (user && user === context.botUserId)) return ignored('mention written by a bot');
      if (str(event.subtype)) return ignored(`app_mention with subtype ${str(event.subtype)}`);
      if (!user || !channel) return ignored('app_mention without user or channel');
      const threadId = str(event.thread_ts) ?? str(event.ts);
      const ref = conversationRef(channel, kindOfChannel(channel), threadId, teamId);
      return wrap({ ...base(ref, user), kind: 'message', text: stripMention(str(event.text) ?? '', context.botUserId) }, user);
    }
    case 'member_joined_channel': {
      const user = str(event.user);
      const channel = str(event.channel);
      if (!user || !channel) return ignored('member_joined_channel without user or channel');
      if (!context.botUserId || user !== context.botUserId) return ignored('someone else joined a channel');
      const inviter = str(event.inviter) ?? user;
      const kind: ConversationKind = str(event.channel_type) === 'G' ? 'group' : 'channel';
      return wrap({ ...base(conversationRef(channel, kind, undefined, teamId), inviter), kind: 'joined' }, inviter);
    }
    case 'app_home_opened': {
      const user = str(event.user);
      const channel = str(event.channel);
      if (str(event.tab) !== 'messages') return ignored('app home opened on another tab than Messages');
      if (!user || !channel) return ignored('app_home_opened without user or channel');
      // The core greets a conversation once (markGreeted): reopening the tab shows nothing.
      return wrap({ ...base(conversationRef(channel, 'direct', undefined, teamId), user), kind: 'joined' }, user);
    }
    case 'assistant_thread_started': {
      const thread = obj(event.assistant_thread);
      const user = str(thread.user_id);
      const channel = str(thread.channel_id);
      const threadTs = str(thread.thread_ts);
      if (!user || !channel || !threadTs) return ignored('assistant_thread_started without user, channel or thread');
      const ref = conversationRef(channel, 'direct', threadTs, teamId);
      const mapped = (wrap({ ...base(ref, user), kind: 'joined' }, user) as { events: SlackMappedEvent[] }).events[0]!;
      return { kind: 'assistant_thread', mapped, channel, threadTs };
    }
    case 'assistant_thread_context_changed':
      return ignored('assistant thread context changed (the channel being viewed is not used)');
    default:
      return ignored(`event type "${type ?? ''}" is not handled`);
  }
}

function mapMessageEvent(
  event: Json,
  context: SlackInboundContext,
  make: (ref: ConversationRef, user: string, text: string) => SlackInboundResult,
): SlackInboundResult {
  const subtype = str(event.subtype);
  if (subtype === 'message_changed') return ignored('message edited');
  if (subtype === 'message_deleted') return ignored('message deleted');
  if (subtype === 'bot_message') return ignored('bot message');
  if (subtype === 'message_replied') return ignored('thread reply notification');
  if (subtype && subtype !== 'file_share' && subtype !== 'thread_broadcast') return ignored(`message subtype ${subtype}`);
  const user = str(event.user);
  if (str(event.bot_id) || (str(event.app_id) && !user)) return ignored('bot message');
  if (user && user === context.botUserId) return ignored('the bot’s own message');
  const channel = str(event.channel);
  if (!user || !channel) return ignored('message without user or channel');
  const channelType = str(event.channel_type) ?? (channel.startsWith('D') ? 'im' : undefined);
  if (channelType !== 'im') return ignored('channel message without a mention (answered through app_mention)');
  return make(conversationRef(channel, 'direct', str(event.thread_ts), undefined), user, str(event.text) ?? '');
}

function mapSlashCommand(body: Json, context: SlackInboundContext): SlackInboundResult {
  const command = str(body.command);
  if (command !== (context.command ?? DEFAULT_COMMAND)) return ignored(`unknown slash command ${command ?? '(empty)'}`);
  const user = str(body.user_id);
  const channel = str(body.channel_id);
  const trigger = str(body.trigger_id);
  if (!user || !channel || !trigger) return ignored('slash command without user, channel or trigger_id');
  const teamId = str(body.team_id);
  const ref = conversationRef(channel, kindOfChannel(channel), undefined, teamId);
  return {
    kind: 'events',
    events: [
      {
        event: { id: `command:${trigger}`, platform: 'slack', conversation: ref, sender: { externalId: user }, receivedAt: context.receivedAt, kind: 'message', text: str(body.text) ?? '' },
        dedupKey: `slack:command:${trigger}`,
        userId: user,
        ...(teamId ? { teamId } : {}),
      },
    ],
  };
}

function mapBlockActions(body: Json, context: SlackInboundContext): SlackInboundResult {
  const user = str(obj(body.user).id);
  const container = obj(body.container);
  const channel = str(obj(body.channel).id) ?? str(container.channel_id);
  const trigger = str(body.trigger_id);
  const actionList = Array.isArray(body.actions) ? body.actions.filter(isObject) : [];
  if (!user || !channel) return ignored('block action outside a conversation (no user or channel)');
  if (actionList.length === 0) return ignored('block_actions without actions');
  const teamId = str(obj(body.team).id);
  const messageTs = str(container.message_ts) ?? str(obj(body.message).ts);
  const threadTs = str(container.thread_ts) ?? str(obj(body.message).thread_ts);
  const ref = conversationRef(channel, kindOfChannel(channel), threadTs, teamId);
  const state = obj(obj(body.state).values);
  const events: SlackMappedEvent[] = [];
  const reasons: string[] = [];
  actionList.forEach((action, n) => {
    const resolved = resolveAction(action, state);
    if ('reason' in resolved) {
      reasons.push(resolved.reason);
      return;
    }
    const stamp = str(action.action_ts) ?? trigger ?? messageTs ?? '';
    if (!stamp) {
      reasons.push('action without action_ts or trigger_id');
      return;
    }
    const id = `action:${stamp}:${n}`;
    events.push({
      event: {
        id,
        platform: 'slack',
        conversation: ref,
        sender: { externalId: user },
        receivedAt: context.receivedAt,
        kind: 'action',
        actionId: resolved.actionId,
        value: resolved.value,
        ...(messageTs ? { messageId: messageTs } : {}),
      },
      dedupKey: `slack:${id}`,
      userId: user,
      ...(teamId ? { teamId } : {}),
    });
  });
  if (events.length === 0) return ignored(reasons.join('; ') || 'no usable action');
  return { kind: 'events', events };
}

type Resolved = { actionId: string; value: ActionValue | undefined } | { reason: string };

function resolveAction(action: Json, state: Json): Resolved {
  const rawId = str(action.action_id);
  if (!rawId) return { reason: 'action without action_id' };
  const actionId = stripSuffix(rawId);
  const type = str(action.type);
  if (actionId === SUBMIT_ACTION) {
    const target = str(obj(parseJson(str(action.value))).submit);
    if (!target) return { reason: 'submit button without a target' };
    const element = findStateElement(state, target);
    if (!element) return { reason: 'submit button without a matching input' };
    return { actionId: target, value: elementValue(element) };
  }
  // A checkbox or multi-select change is not an answer yet: the submit button sends it.
  if (type === 'checkboxes' || type === 'multi_static_select') return { reason: 'selection changed, waiting for submit' };
  if (type === 'button') return { actionId, value: decodeValue(str(action.value)) };
  if (type === 'feedback_buttons') return { actionId, value: str(action.value) };
  const value = elementValue(action);
  if (value === undefined) return { reason: `action "${type ?? ''}" without a value` };
  return { actionId, value };
}

function elementValue(element: Json): ActionValue | undefined {
  switch (str(element.type)) {
    case 'static_select':
    case 'radio_buttons':
      return str(obj(element.selected_option).value);
    case 'checkboxes':
    case 'multi_static_select':
      return (Array.isArray(element.selected_options) ? element.selected_options : []).flatMap((o) => (isObject(o) && str(o.value) ? [str(o.value)!] : []));
    case 'number_input': {
      const raw = str(element.value);
      const n = raw === undefined ? NaN : Number(raw.replace(',', '.'));
      return Number.isFinite(n) ? n : undefined;
    }
    case 'plain_text_input':
      return typeof element.value === 'string' ? element.value : '';
    case 'button':
      return decodeValue(str(element.value));
    default:
      return str(element.value);
  }
}

/** `state.values` is `{ [block_id]: { [action_id]: element state } }`; finds the element answering `actionId`. */
function findStateElement(state: Json, actionId: string): Json | undefined {
  for (const block of Object.values(state)) {
    if (!isObject(block)) continue;
    for (const [rawId, element] of Object.entries(block)) {
      if (isObject(element) && stripSuffix(rawId) === actionId) return element;
    }
  }
  return undefined;
}

function mapViewSubmission(body: Json, context: SlackInboundContext): SlackInboundResult {
  const user = str(obj(body.user).id);
  const view = obj(body.view);
  if (str(view.callback_id) !== FORM_CALLBACK_ID) return ignored('view submission of a view the bot did not open');
  const meta = obj(parseJson(str(view.private_metadata)));
  const channel = str(meta.channel);
  const viewId = str(view.id);
  if (!user || !channel || !viewId) return ignored('view submission without user, conversation metadata or view id');
  const teamId = str(obj(body.team).id);
  const ref = conversationRef(channel, kindOfChannel(channel), str(meta.threadTs), teamId);
  const events: SlackMappedEvent[] = [];
  const state = obj(obj(view.state).values);
  for (const block of Object.values(state)) {
    if (!isObject(block)) continue;
    for (const [rawId, element] of Object.entries(block)) {
      if (!isObject(element)) continue;
      const id = `view:${viewId}:${str(view.hash) ?? ''}:${events.length}`;
      events.push({
        event: { id, platform: 'slack', conversation: ref, sender: { externalId: user }, receivedAt: context.receivedAt, kind: 'action', actionId: stripSuffix(rawId), value: elementValue(element) },
        dedupKey: `slack:${id}`,
        userId: user,
        ...(teamId ? { teamId } : {}),
      });
    }
  }
  return events.length ? { kind: 'events', events } : ignored('view submission without inputs');
}

function conversationRef(channel: string, kind: ConversationKind, threadId: string | undefined, teamId: string | undefined): ConversationRef {
  return { platform: 'slack', externalId: channel, kind, ...(threadId ? { threadId } : {}), ...(teamId ? { routing: { teamId } } : {}) };
}

/** Slack ids: D… direct message, G… private channel or group DM (legacy), C… channel. */
function kindOfChannel(channel: string): ConversationKind {
  if (channel.startsWith('D')) return 'direct';
  if (channel.startsWith('G')) return 'group';
  return 'channel';
}

/** Removes the bot's mention (`<@U123>` or `<@U123|name>`) and tidies the spaces left. */
export function stripMention(text: string, botUserId: string | undefined): string {
  const pattern = botUserId ? new RegExp(`<@${escapeRegExp(botUserId)}(?:\\|[^>]*)?>`, 'g') : /^\s*<@[A-Z0-9]+(?:\|[^>]*)?>/;
  return text.replace(pattern, ' ').replace(/[ \t]+/g, ' ').trim();
}

/** Slack-side action ids end with `#<n>` (unique within a message): the core's id is before it. */
export function stripSuffix(actionId: string): string {
  const at = actionId.lastIndexOf('#');
  return at > 0 && /^\d+$/.test(actionId.slice(at + 1)) ? actionId.slice(0, at) : actionId;
}

/** Our buttons carry JSON values; foreign or old buttons carry plain strings. */
function decodeValue(value: string | undefined): ActionValue | undefined {
  if (value === undefined) return undefined;
  const parsed = parseJson(value);
  return typeof parsed === 'string' || typeof parsed === 'number' ? parsed : value;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function ignored(reason: string): SlackInboundResult {
  return { kind: 'ignored', reason };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function obj(value: unknown): Json {
  return isObject(value) ? value : {};
}

/** A non-empty string, or undefined (Slack's samples blank every value). */
function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
