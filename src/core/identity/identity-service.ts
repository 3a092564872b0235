/**
 * Turns the platform identities of an inbound event into pseudonymous
 * records: the person behind the sender and the conversation.
 */
import type { ConversationRef, PlatformName } from '../messages/conversation-ref.js';
import type { Clock } from '../ports/clock.js';
import type { Conversation, ConversationRepository, Person, PersonRepository } from '../ports/repositories.js';
import type { Pseudonymizer } from '../privacy/pseudonymizer.js';

export class IdentityService {
  constructor(
    private readonly people: PersonRepository,
    private readonly conversations: ConversationRepository,
    private readonly pseudonyms: Pseudonymizer,
    private readonly clock: Clock,
  ) {}

  /** The person behind a platform user, created on first contact. */
  async resolvePerson(platform: PlatformName, externalUserId: string): Promise<Person> {
    const accountKey = this.pseudonyms.accountKey(platform, externalUserId);
    // Returning people are the common case: look up first, seal (random IV + AES) only on first contact.
    const known = await this.people.findByAccount(accountKey);
    if (known) return known;
    return this.people.resolveAccount({
      accountKey,
      platform,
      personId: this.pseudonyms.personId(accountKey),
      sealedExternalId: this.pseudonyms.seal(externalUserId),
    });
  }

  /** The person behind a platform user, if they ever wrote to the bot. */
  findPerson(platform: PlatformName, externalUserId: string): Promise<Person | null> {
    return this.people.findByAccount(this.pseudonyms.accountKey(platform, externalUserId));
  }

  /** The stored conversation for a platform reference (created or refreshed). */
  resolveConversation(ref: ConversationRef): Promise<Conversation> {
    return this.conversations.upsert(this.pseudonyms.conversationId(ref.platform, ref.externalId), ref, this.clock.now());
  }

  /** Platform user ids of a person, per platform (for proactive messages). */
  async externalIdsOf(personId: string): Promise<{ platform: PlatformName; externalId: string }[]> {
    const accounts = await this.people.accountsOf(personId);
    return accounts.map((a) => ({ platform: a.platform, externalId: this.pseudonyms.unseal(a.sealedExternalId) }));
  }
}
