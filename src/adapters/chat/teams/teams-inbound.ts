/**
 * Pure mapping of incoming Activity-protocol payloads (Teams) to neutral
 * events — or an explicit "ignored" with the reason, never a silent drop.
 *
 * - personal `message` → message; channel / group chat `message` → message
 *   only when the bot is @mentioned (mention text removed; the reference
 *   keeps the thread so the answer lands in the same reply chain);
 * - `invoke` `adaptiveCard/action` (Action.Execute) and `message` with a
 *   `value` (Action.Submit) → action;
 * - `invoke` `message/submitAction` (Teams' native feedback) → feedback,
 *   resolved to our feedback action ids by the platform (it needs the
 *   stored link between the Teams message id and the answer);
 * - `invoke` `fileConsent/invoke` (a person allowed or declined a file we
 *   offered) → fileConsent, handled by the platform alone (upload to
 *   OneDrive): the core never sees it;
 * - `conversationUpdate` adding the bot, `installationUpdate` add → joined;
 * - edits, deletions, reactions, typing, bot messages and the rest → ignored.
 */
import { FEEDBACK_COMMENT_NAMESPACE } from '../../../core/assistant/feedback.action.js';
import type { ConversationKind, ConversationRef } from '../../../core/messages/conversation-ref.js';
import type { InboundAction, InboundEvent } from '../../../core/messages/inbound.js';
import { asRecord, splitThread, tenantOf, type TeamsActivity } from './teams-activity.js';
import { readCardData } from './teams-card-data.js';
import { FILE_CONSENT_INVOKE, readFileConsent, type FileConsentAnswer } from './teams-file-consent.js';

export type TeamsInbound =
  /** A neutral event for the core; `invoke` when Teams awaits an invoke response. */
  | { kind: 'event'; event: InboundEvent; invoke: boolean }
  /** Native thumbs up/down on a bot message (`replyToId`), with an optional comment. */
  | { kind: 'feedback'; base: EventBase; replyToId: string; rating: 'up' | 'down'; comment?: string }
  /** The answer to one of our file consent cards (an invoke). */
  | { kind: 'fileConsent'; base: EventBase; answer: FileConsentAnswer }
  | { kind: 'ignored'; reason: string; invoke: boolean };

/** The fields every neutral event of one activity shares. */
export type EventBase = Omit<InboundAction, 'kind' | 'actionId' | 'value' | 'messageId'>;

export interface TeamsInboundOptions {
  /** Reception time when the activity carries no timestamp. */
  now: Date;
}

/** Maps one activity. Never throws on a well-formed JSON object. */
export function toTeamsInbound(activity: TeamsActivity, options: TeamsInboundOptions): TeamsInbound {
  const invoke = activity.type === 'invoke';
  if (!activity.conversation?.id) return ignored('no conversation id', invoke);
  if (!activity.from?.id) return ignored('no sender', invoke);
  switch (activity.type) {
    case 'message':
      return mapMessage(activity, options);
    case 'invoke':
      return mapInvoke(activity, options);
    case 'conversationUpdate': {
      const botId = activity.recipient?.id;
      const botAdded = !!botId && (activity.membersAdded ?? []).some((m) => m.id === botId);
      if (!botAdded) return ignored('conversationUpdate without the bot being added', false);
      return { kind: 'event', event: { ...baseOf(activity, options), kind: 'joined' }, invoke: false };
    }
    case 'installationUpdate':
      if (activity.action !== 'add') return ignored(`installationUpdate ${activity.action ?? 'without action'}`, false);
      return { kind: 'event', event: { ...baseOf(activity, options), kind: 'joined' }, invoke: false };
    case 'messageUpdate':
    case 'messageDelete':
    case 'messageReaction':
    case 'typing':
      return ignored(`${activity.type} activities are not handled`, false);
    default:
      return ignored(`unsupported activity type ${activity.type || '(none)'}`, false);
  }
}

function mapMessage(activity: TeamsActivity, options: TeamsInboundOptions): TeamsInbound {
  if (isFromBot(activity)) return ignored('message from a bot', false);
  const base = baseOf(activity, options);
  // Action.Submit: the card's data (with the inputs) arrives as the value of a message.
  if (activity.value !== undefined && activity.value !== null) {
    const card = readCardData(activity.value);
    if (!card) return ignored('card submit that is not ours', false);
    return { kind: 'event', event: actionEvent(base, card.actionId, card.value, activity.replyToId), invoke: false };
  }
  const kind = base.conversation.kind;
  if (kind !== 'direct' && !mentionsBot(activity)) return ignored(`${kind} message without a mention of the bot`, false);
  const text = kind === 'direct' ? cleanText(activity.text ?? '') : cleanText(removeBotMention(activity));
  return { kind: 'event', event: { ...base, kind: 'message', text }, invoke: false };
}

function mapInvoke(activity: TeamsActivity, options: TeamsInboundOptions): TeamsInbound {
  if (isFromBot(activity)) return ignored('invoke from a bot', true);
  const value = asRecord(activity.value);
  if (activity.name === 'adaptiveCard/action') {
    const action = asRecord(value?.action);
    const card = readCardData(action?.data);
    if (!card) return ignored('adaptiveCard/action that is not ours', true);
    return { kind: 'event', event: actionEvent(baseOf(activity, options), card.actionId, card.value, activity.replyToId), invoke: true };
  }
  if (activity.name === 'message/submitAction' && value?.actionName === 'feedback') {
    const actionValue = asRecord(value.actionValue);
    const reaction = actionValue?.reaction;
    if (reaction !== 'like' && reaction !== 'dislike') return ignored('feedback without a like/dislike reaction', true);
    if (!activity.replyToId) return ignored('feedback without the message it rates', true);
    const comment = feedbackText(actionValue?.feedback);
    return {
      kind: 'feedback',
      base: baseOf(activity, options),
      replyToId: activity.replyToId,
      rating: reaction === 'like' ? 'up' : 'down',
      ...(comment ? { comment } : {}),
    };
  }
  if (activity.name === FILE_CONSENT_INVOKE) {
    const answer = readFileConsent(activity.value);
    if (!answer) return ignored('fileConsent/invoke that is not ours', true);
    return { kind: 'fileConsent', base: baseOf(activity, options), answer };
  }
  return ignored(`unsupported invoke ${activity.name ?? '(no name)'}`, true);
}

/**
 * Neutral events of a native feedback once the rated answer is known:
 * the rating, then the comment when the person wrote one.
 */
export function nativeFeedbackEvents(
  feedback: Extract<TeamsInbound, { kind: 'feedback' }>,
  feedbackActionId: string,
): InboundAction[] {
  const answerId = feedbackActionId.slice(feedbackActionId.indexOf(':') + 1);
  const events = [actionEvent(feedback.base, feedbackActionId, feedback.rating, feedback.replyToId)];
  if (feedback.comment) {
    events.push(actionEvent({ ...feedback.base, id: `${feedback.base.id}#comment` }, `${FEEDBACK_COMMENT_NAMESPACE}:${answerId}`, feedback.comment, feedback.replyToId));
  }
  return events;
}

/** Teams sends the comment as a JSON string `{"feedbackText": "…"}`. */
function feedbackText(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  try {
    const parsed = asRecord(JSON.parse(raw));
    const text = parsed?.feedbackText;
    return typeof text === 'string' && text.trim() !== '' ? text.trim() : undefined;
  } catch {
    return raw.trim();
  }
}

function actionEvent(base: EventBase, actionId: string, value: InboundAction['value'], messageId: string | undefined): InboundAction {
  return { ...base, kind: 'action', actionId, value, ...(messageId ? { messageId } : {}) };
}

function baseOf(activity: TeamsActivity, options: TeamsInboundOptions): EventBase {
  const from = activity.from!;
  const timestamp = activity.timestamp ? new Date(activity.timestamp) : undefined;
  return {
    id: activity.id ?? '',
    platform: 'teams',
    conversation: teamsConversationRef(activity),
    sender: { externalId: from.aadObjectId ?? from.id },
    receivedAt: timestamp && !Number.isNaN(timestamp.getTime()) ? timestamp : options.now,
    ...(activity.locale ? { localeHint: activity.locale } : {}),
  };
}

export function conversationKindOf(activity: TeamsActivity): ConversationKind {
  const type = activity.conversation?.conversationType;
  if (type === 'channel') return 'channel';
  if (type === 'groupChat') return 'group';
  if (type === 'personal') return 'direct';
  return activity.conversation?.isGroup ? 'group' : 'direct';
}

/**
 * The neutral reference of an activity's conversation: for channels, the
 * channel id apart and the thread (root message) in `threadId`; the routing
 * data needed to post again later (service URL, tenant, bot account).
 */
export function teamsConversationRef(activity: TeamsActivity): ConversationRef {
  const kind = conversationKindOf(activity);
  const { base, threadId } = splitThread(activity.conversation!.id);
  // A post in a channel starts (or continues) a thread; an install or membership event does not.
  const threadable = activity.type === 'message' || activity.type === 'invoke';
  const thread = threadId ?? (kind === 'channel' && threadable ? (activity.replyToId ?? activity.id) : undefined);
  const tenantId = tenantOf(activity);
  const routing: Record<string, string> = {};
  if (activity.serviceUrl) routing.serviceUrl = activity.serviceUrl;
  if (activity.channelId) routing.channelId = activity.channelId;
  if (tenantId) routing.tenantId = tenantId;
  if (activity.recipient?.id) routing.botId = activity.recipient.id;
  return { platform: 'teams', externalId: base, kind, ...(thread ? { threadId: thread } : {}), routing };
}

function isFromBot(activity: TeamsActivity): boolean {
  const from = activity.from;
  return from?.role === 'bot' || (from?.id.startsWith('28:') ?? false) || (!!activity.recipient?.id && from?.id === activity.recipient.id);
}

function botMentions(activity: TeamsActivity): { text?: string }[] {
  const botId = activity.recipient?.id;
  if (!botId) return [];
  return (activity.entities ?? []).filter((e) => e.type === 'mention' && asRecord(e.mentioned)?.id === botId) as { text?: string }[];
}

function mentionsBot(activity: TeamsActivity): boolean {
  return botMentions(activity).length > 0;
}

function removeBotMention(activity: TeamsActivity): string {
  let text = activity.text ?? '';
  for (const mention of botMentions(activity)) {
    if (typeof mention.text === 'string' && mention.text !== '') text = text.split(mention.text).join(' ');
  }
  return text;
}

/** Plain text of a Teams message: no leftover mention tags, entities decoded, spaces tidied. */
function cleanText(text: string): string {
  return text
    .replace(/<\/?at>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
}

function ignored(reason: string, invoke: boolean): TeamsInbound {
  return { kind: 'ignored', reason, invoke };
}
