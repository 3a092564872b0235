/**
 * The messages the bot sent to one platform user, in order, from a cursor:
 * lets a client that was offline (web chat tab closed, API consumer) catch
 * up on replies and proactive messages (survey invitations, digests).
 */
import type { ConversationRef, PlatformName } from '../messages/conversation-ref.js';
import type { OutboundEnvelope } from '../messages/outbound.js';
import type { MessageQuery, MessageRepository } from '../ports/repositories.js';
import type { IdentityService } from '../identity/identity-service.js';

export interface DeliveredMessage {
  envelope: OutboundEnvelope;
  ref: ConversationRef;
}

export class DeliveryHistory {
  constructor(
    private readonly identities: IdentityService,
    private readonly messages: MessageRepository,
  ) {}

  /** Cursor of the newest message sent to the user, to follow only what comes next. */
  async latestCursor(platform: PlatformName, externalUserId: string): Promise<string | null> {
    const person = await this.identities.findPerson(platform, externalUserId);
    return person ? this.messages.latestOutboundCursor(person.id, platform) : null;
  }

  async listForUser(platform: PlatformName, externalUserId: string, query: MessageQuery = {}): Promise<DeliveredMessage[]> {
    const person = await this.identities.findPerson(platform, externalUserId);
    if (!person) return [];
    const stored = await this.messages.listOutboundForPerson(person.id, platform, query);
    const refs = new Map<string, ConversationRef | undefined>();
    const delivered: DeliveredMessage[] = [];
    for (const message of stored) {
      if (message.content.kind !== 'outbound') continue;
      if (!refs.has(message.conversationId)) refs.set(message.conversationId, (await this.identities.getConversation(message.conversationId))?.ref);
      const ref = refs.get(message.conversationId);
      if (!ref) continue;
      delivered.push({
        ref,
        envelope: {
          id: message.id,
          cursor: message.cursor,
          createdAt: message.createdAt,
          conversationId: message.conversationId,
          locale: message.locale,
          message: message.content.message,
        },
      });
    }
    return delivered;
  }
}
