import type { Conversation, ConversationRepository } from '../../core/ports/repositories.js';

export class InMemoryConversationRepository implements ConversationRepository {
  private readonly conversations = new Map<string, Conversation>();

  async upsert(id: string, conversation: Pick<Conversation, 'platform' | 'kind' | 'sealedRef'>, at: Date): Promise<Conversation> {
    const existing = this.conversations.get(id);
    const next: Conversation = existing
      ? { ...existing, sealedRef: conversation.sealedRef, lastActivityAt: at }
      : { id, ...conversation, greetedAt: null, createdAt: at, lastActivityAt: at };
    this.conversations.set(id, next);
    return { ...next };
  }

  async get(id: string): Promise<Conversation | null> {
    const conversation = this.conversations.get(id);
    return conversation ? { ...conversation } : null;
  }

  async markGreeted(id: string, at: Date): Promise<boolean> {
    const conversation = this.conversations.get(id);
    if (!conversation || conversation.greetedAt) return false;
    conversation.greetedAt = at;
    return true;
  }
}
