/**
 * The subset of the Activity protocol (Bot Framework / Microsoft 365 Agents)
 * the Teams adapter reads and writes, as plain JSON. The pure mapper and
 * renderer work on these shapes so they can be unit-tested without the SDK.
 */

export interface TeamsAccount {
  id: string;
  name?: string;
  /** Microsoft Entra (AAD) object id of a user: stable across chats and apps. */
  aadObjectId?: string;
  role?: string;
}

export interface TeamsConversation {
  id: string;
  /** "personal" | "groupChat" | "channel" in Teams; absent in other channels. */
  conversationType?: string;
  isGroup?: boolean;
  tenantId?: string;
  name?: string;
}

export interface TeamsEntity {
  type: string;
  [key: string]: unknown;
}

export interface TeamsAttachment {
  contentType: string;
  content?: unknown;
  contentUrl?: string;
  name?: string;
}

/** An activity as received on `/api/messages` or sent to the connector. */
export interface TeamsActivity {
  type: string;
  id?: string;
  name?: string;
  timestamp?: string;
  serviceUrl?: string;
  channelId?: string;
  from?: TeamsAccount;
  recipient?: TeamsAccount;
  conversation?: TeamsConversation;
  text?: string;
  textFormat?: string;
  locale?: string;
  replyToId?: string;
  value?: unknown;
  action?: string;
  membersAdded?: TeamsAccount[];
  membersRemoved?: TeamsAccount[];
  entities?: TeamsEntity[];
  attachments?: TeamsAttachment[];
  channelData?: Record<string, unknown>;
  summary?: string;
}

/** Returns a record when `value` is a plain object, else undefined. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Teams' tenant of an activity: `conversation.tenantId`, else `channelData.tenant.id`. */
export function tenantOf(activity: TeamsActivity): string | undefined {
  const fromChannelData = asRecord(asRecord(activity.channelData)?.tenant)?.id;
  return activity.conversation?.tenantId ?? (typeof fromChannelData === 'string' ? fromChannelData : undefined);
}

/** A channel conversation id names its thread after `;messageid=`: split it. */
export function splitThread(conversationId: string): { base: string; threadId?: string } {
  const match = /^(.*);messageid=(.+)$/.exec(conversationId);
  return match ? { base: match[1]!, threadId: match[2]! } : { base: conversationId };
}

/** The conversation id to post into: the thread of a channel conversation when there is one. */
export function joinThread(base: string, threadId: string | undefined): string {
  return threadId ? `${base};messageid=${threadId}` : base;
}
