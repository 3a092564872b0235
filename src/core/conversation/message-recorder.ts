/**
 * Records every message, inbound and outbound, with its retention limit
 * (RGPD art. 5(1)(e), storage limitation) before anything is acknowledged or
 * delivered: a crash after this point loses nothing the user already gave.
 */
import type { Locale } from '../i18n/locale.js';
import type { InboundEvent } from '../messages/inbound.js';
import type { OutboundEnvelope, OutboundMessage } from '../messages/outbound.js';
import type { Clock } from '../ports/clock.js';
import type { IdGenerator } from '../ports/id-generator.js';
import type { Conversation, MessageRepository, StoredContent, StoredMessage } from '../ports/repositories.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export class MessageRecorder {
  constructor(
    private readonly messages: MessageRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly retentionDays: number,
  ) {}

  /** `redacted`: what to store instead of the event's content (a confidential answer). */
  async recordInbound(event: InboundEvent, conversation: Conversation, personId: string, locale: Locale, redacted?: StoredContent): Promise<StoredMessage> {
    return this.append(conversation, personId, 'in', redacted ?? inboundContent(event), locale);
  }

  /** Records an outbound message; `personId` is the addressee in direct conversations, null in channels. */
  async recordOutbound(
    conversation: Conversation,
    personId: string | null,
    message: OutboundMessage,
    locale: Locale,
  ): Promise<OutboundEnvelope> {
    const stored = await this.append(conversation, personId, 'out', { kind: 'outbound', message }, locale);
    return {
      id: stored.id,
      cursor: stored.cursor,
      createdAt: stored.createdAt,
      conversationId: conversation.id,
      locale,
      message,
    };
  }

  private append(
    conversation: Conversation,
    personId: string | null,
    direction: 'in' | 'out',
    content: StoredContent,
    locale: Locale,
  ): Promise<StoredMessage> {
    const now = this.clock.now();
    return this.messages.append({
      id: this.ids.next(),
      conversationId: conversation.id,
      personId,
      platform: conversation.platform,
      direction,
      content,
      locale,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.retentionDays * DAY_MS),
    });
  }
}

function inboundContent(event: InboundEvent): StoredContent {
  switch (event.kind) {
    case 'message':
      return { kind: 'text', text: event.text };
    case 'action':
      return { kind: 'action', actionId: event.actionId, value: event.value ?? null };
    case 'joined':
      return { kind: 'joined' };
  }
}
