/**
 * Neutral inbound events: what every chat adapter turns a platform payload into.
 */
import type { ConversationRef, PlatformName } from './conversation-ref.js';

/** The platform user behind an event, as the platform identifies them. */
export interface PlatformUser {
  /** Platform-scoped stable id (Slack user id, AAD object id, Matrix user id, web user id). */
  externalId: string;
  /** Whether the sender is a bot (adapters normally drop these before the core). */
  isBot?: boolean;
}

interface InboundBase {
  /** Platform event id, used for de-duplication and as the correlation id. */
  id: string;
  platform: PlatformName;
  conversation: ConversationRef;
  sender: PlatformUser;
  receivedAt: Date;
  /** Locale hint from the platform or client (e.g. "en-GB"), if any. */
  localeHint?: string;
}

/** A text message addressed to the bot (DM, mention, thread reply, slash command). */
export interface InboundMessage extends InboundBase {
  kind: 'message';
  text: string;
}

/** Value of an answered control: button value, choice(s), scale or number, text. */
export type ActionValue = string | number | string[];

/** A click or a submitted input on a message the bot sent. */
export interface InboundAction extends InboundBase {
  kind: 'action';
  actionId: string;
  value: ActionValue | undefined;
  /** Id of the bot message the action belongs to, when the platform tells. */
  messageId?: string;
}

/** The bot was installed in, or added to, a conversation. */
export interface InboundJoined extends InboundBase {
  kind: 'joined';
}

export type InboundEvent = InboundMessage | InboundAction | InboundJoined;
