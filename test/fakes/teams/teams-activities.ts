/**
 * Activities as the Teams service posts them to a bot, for tests: personal
 * messages, channel mentions, installs, card actions and native feedback.
 * Shapes follow the Activity protocol and Teams' documented payloads.
 */
import { newActivityId } from '../teams-connector-fake-server.js';

export const TENANT_ID = '72f988bf-0000-4000-8000-000000000001';
export const BOT_ID = '28:00000000-0000-4000-8000-00000000b07';
export const BOT_NAME = 'Relais';

export interface TeamsUser {
  /** Teams user id ("29:…"). */
  id: string;
  aadObjectId: string;
  name: string;
  /** Personal conversation with the bot ("a:…"). */
  personalConversationId: string;
}

export function makeUser(n: number): TeamsUser {
  const hex = n.toString(16).padStart(12, '0');
  return {
    id: `29:1user-${n}`,
    aadObjectId: `00000000-0000-4000-8000-${hex}`,
    name: `Personne ${n}`,
    personalConversationId: `a:1personal-${n}`,
  };
}

interface Common {
  serviceUrl: string;
  id?: string;
  locale?: string;
}

function base(user: TeamsUser, conversation: Record<string, unknown>, options: Common): Record<string, unknown> {
  return {
    id: options.id ?? newActivityId(),
    timestamp: new Date().toISOString(),
    serviceUrl: options.serviceUrl,
    channelId: 'msteams',
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    recipient: { id: BOT_ID, name: BOT_NAME },
    conversation: { tenantId: TENANT_ID, ...conversation },
    channelData: { tenant: { id: TENANT_ID } },
    locale: options.locale ?? 'fr-FR',
  };
}

function personal(user: TeamsUser): Record<string, unknown> {
  return { id: user.personalConversationId, conversationType: 'personal' };
}

export function personalMessage(user: TeamsUser, text: string, options: Common): Record<string, unknown> {
  return { ...base(user, personal(user), options), type: 'message', text, textFormat: 'plain' };
}

export const CHANNEL_ID = '19:relais-channel@thread.tacv2';

/** A new post in a team channel mentioning the bot (Teams names the thread after the post id). */
export function channelMention(user: TeamsUser, text: string, options: Common & { threadId?: string }): Record<string, unknown> {
  const id = options.id ?? newActivityId();
  const thread = options.threadId ?? id;
  const mention = `<at>${BOT_NAME}</at>`;
  return {
    ...base(user, { id: `${CHANNEL_ID};messageid=${thread}`, conversationType: 'channel', isGroup: true }, { ...options, id }),
    type: 'message',
    text: `${mention} ${text}`,
    textFormat: 'plain',
    entities: [{ type: 'mention', text: mention, mentioned: { id: BOT_ID, name: BOT_NAME } }],
    channelData: { tenant: { id: TENANT_ID }, team: { id: '19:team@thread.tacv2' }, channel: { id: CHANNEL_ID } },
  };
}

export function personalInstall(user: TeamsUser, options: Common): Record<string, unknown> {
  return { ...base(user, personal(user), options), type: 'installationUpdate', action: 'add' };
}

export function personalBotAdded(user: TeamsUser, options: Common): Record<string, unknown> {
  return { ...base(user, personal(user), options), type: 'conversationUpdate', membersAdded: [{ id: BOT_ID }] };
}

export function cardAction(user: TeamsUser, data: unknown, replyToId: string, options: Common): Record<string, unknown> {
  return {
    ...base(user, personal(user), options),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId,
    value: { action: { type: 'Action.Execute', verb: 'relais', data }, trigger: 'manual' },
  };
}

export function nativeFeedback(user: TeamsUser, reaction: 'like' | 'dislike', replyToId: string, options: Common & { comment?: string }): Record<string, unknown> {
  return {
    ...base(user, personal(user), options),
    type: 'invoke',
    name: 'message/submitAction',
    replyToId,
    value: {
      actionName: 'feedback',
      actionValue: { reaction, feedback: JSON.stringify({ feedbackText: options.comment ?? '' }) },
    },
  };
}

/** The bot added to a team: Teams sends conversationUpdate in the team's General channel. */
export function teamBotAdded(user: TeamsUser, options: Common): Record<string, unknown> {
  return {
    ...base(user, { id: CHANNEL_ID, conversationType: 'channel', isGroup: true }, options),
    type: 'conversationUpdate',
    membersAdded: [{ id: BOT_ID }],
    channelData: { tenant: { id: TENANT_ID }, team: { id: '19:team@thread.tacv2' }, eventType: 'teamMemberAdded' },
  };
}

/**
 * A person's answer to a bot's file consent card, as Teams sends it: the
 * card's accept or decline context comes back as `context`; on accept,
 * `uploadInfo` names the OneDrive upload session Teams opened.
 */
export function fileConsentAnswer(
  user: TeamsUser,
  answer: { action: 'accept'; context: unknown; uploadInfo: Record<string, unknown> } | { action: 'decline'; context: unknown },
  replyToId: string,
  options: Common,
): Record<string, unknown> {
  return {
    ...base(user, personal(user), options),
    type: 'invoke',
    name: 'fileConsent/invoke',
    replyToId,
    value: { type: 'fileUpload', ...answer },
  };
}
