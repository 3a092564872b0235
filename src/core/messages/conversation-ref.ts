/**
 * A platform-neutral reference to a conversation, enough for its adapter to
 * post into it again later (proactive messages).
 */

export const PLATFORM_NAMES = ['web', 'slack', 'teams', 'matrix'] as const;
export type PlatformName = (typeof PLATFORM_NAMES)[number];

/** direct: one person and the bot; channel: a team channel or room; group: a multi-person chat. */
export type ConversationKind = 'direct' | 'channel' | 'group';

export interface ConversationRef {
  platform: PlatformName;
  /** The platform's conversation id (Slack channel id, Teams conversation id, Matrix room id, web id). */
  externalId: string;
  kind: ConversationKind;
  /** Thread the conversation continues in, when the user wrote in one. */
  threadId?: string;
  /**
   * Opaque routing data the adapter needs to reach the conversation again
   * (e.g. the Teams service URL and tenant). Never personal content.
   */
  routing?: Record<string, string>;
}
