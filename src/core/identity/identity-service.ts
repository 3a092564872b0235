/**
 * Turns the platform identities of an inbound event into pseudonymous
 * records: the person behind the sender and the conversation. Platform ids
 * are only ever stored keyed-hashed (lookups) or sealed (to reach people
 * again); this service is the one place that seals and opens them.
 */
import type { ConversationRef, PlatformName } from '../messages/conversation-ref.js';
import type { Clock } from '../ports/clock.js';
import type { Conversation, ConversationRepository, Person, PersonRepository } from '../ports/repositories.js';
import type { Pseudonymizer } from '../privacy/pseudonymizer.js';

/** A stored conversation with its platform reference opened (in memory only). */
export type ResolvedConversation = Conversation & { ref: ConversationRef };

const SEAL_MEMO_SIZE = 10_000;

export class IdentityService {
  /** Sealing draws a random IV: reuse the sealed form of a reference seen recently. */
  private readonly sealedRefs = new Map<string, string>();

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
  async resolveConversation(ref: ConversationRef): Promise<ResolvedConversation> {
    const stored = await this.conversations.upsert(
      this.pseudonyms.conversationId(ref.platform, ref.externalId),
      { platform: ref.platform, kind: ref.kind, sealedRef: this.sealRef(ref) },
      this.clock.now(),
    );
    return { ...stored, ref };
  }

  /** A stored conversation with its reference opened, or null. */
  async getConversation(id: string): Promise<ResolvedConversation | null> {
    const stored = await this.conversations.get(id);
    return stored ? { ...stored, ref: JSON.parse(this.pseudonyms.unseal(stored.sealedRef)) as ConversationRef } : null;
  }

  /** Platform user ids of a person, per platform (for proactive messages). */
  async externalIdsOf(personId: string): Promise<{ platform: PlatformName; externalId: string }[]> {
    const accounts = await this.people.accountsOf(personId);
    return accounts.map((a) => ({ platform: a.platform, externalId: this.pseudonyms.unseal(a.sealedExternalId) }));
  }

  private sealRef(ref: ConversationRef): string {
    const json = JSON.stringify(ref);
    let sealed = this.sealedRefs.get(json);
    if (sealed === undefined) {
      sealed = this.pseudonyms.seal(json);
      if (this.sealedRefs.size >= SEAL_MEMO_SIZE) this.sealedRefs.delete(this.sealedRefs.keys().next().value!);
      this.sealedRefs.set(json, sealed);
    }
    return sealed;
  }
}
