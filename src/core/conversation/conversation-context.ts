/**
 * What a use case receives when the core routes an inbound event to it.
 */
import type { Locale } from '../i18n/locale.js';
import type { InboundEvent } from '../messages/inbound.js';
import type { OutboundEnvelope, OutboundMessage } from '../messages/outbound.js';
import type { Logger } from '../ports/logger.js';
import type { Person } from '../ports/repositories.js';
import type { ResolvedConversation } from '../identity/identity-service.js';
import type { ProductSettings } from '../product-settings.js';

/** A streamed reply, as a use case sees it: the final message is recorded by the core. */
export interface StreamingReply {
  informative(text: string): Promise<void>;
  append(markdownChunk: string): Promise<void>;
  end(final: OutboundMessage): Promise<OutboundEnvelope>;
  abort(): Promise<void>;
}

/** Sends replies into the current conversation; every message is recorded first. */
export interface Replier {
  send(message: OutboundMessage): Promise<OutboundEnvelope>;
  stream(): Promise<StreamingReply>;
}

export interface ConversationContext {
  event: InboundEvent;
  person: Person;
  conversation: ResolvedConversation;
  /** The locale to answer in (person's choice, platform hint, or instance default). */
  locale: Locale;
  settings: ProductSettings;
  reply: Replier;
  log: Logger;
  /** Changes the person's interface language from now on. */
  setLocale(locale: Locale): Promise<void>;
}
