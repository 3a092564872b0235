import { ValidationError } from '../../core/errors.js';
import type { PlatformName } from '../../core/messages/conversation-ref.js';
import type { MessageQuery, MessageRepository, NewMessage, StoredContent, StoredMessage } from '../../core/ports/repositories.js';

const DEFAULT_LIMIT = 100;

export class InMemoryMessageRepository implements MessageRepository {
  private readonly messages: StoredMessage[] = [];
  private sequence = 0;

  // Stored records are never mutated, by the store or by callers: shallow copies are enough
  // (deep clones were the largest cost of a message round trip in the http benchmark).
  async append(message: NewMessage): Promise<StoredMessage> {
    const stored: StoredMessage = { ...message, cursor: String(++this.sequence) };
    this.messages.push(stored);
    return { ...stored };
  }

  async listOutboundForPerson(personId: string, platform: PlatformName, query: MessageQuery = {}): Promise<StoredMessage[]> {
    if (query.after && !/^\d{1,19}$/.test(query.after)) {
      throw new ValidationError('store.invalid_cursor', 'cursor must be a value returned by the API');
    }
    const after = query.after ? Number(query.after) : 0;
    return this.messages
      .filter((m) => m.personId === personId && m.platform === platform && m.direction === 'out' && Number(m.cursor) > after)
      .slice(0, query.limit ?? DEFAULT_LIMIT)
      .map((m) => ({ ...m }));
  }

  async latestOutboundCursor(personId: string, platform: PlatformName): Promise<string | null> {
    const latest = this.messages.filter((m) => m.personId === personId && m.platform === platform && m.direction === 'out').at(-1);
    return latest?.cursor ?? null;
  }

  async listRecent(conversationId: string, limit: number): Promise<StoredMessage[]> {
    return this.messages
      .filter((m) => m.conversationId === conversationId)
      .slice(-limit)
      .map((m) => ({ ...m }));
  }

  async deleteExpired(now: Date): Promise<number> {
    const before = this.messages.length;
    const kept = this.messages.filter((m) => m.expiresAt.getTime() > now.getTime());
    this.messages.splice(0, this.messages.length, ...kept);
    return before - kept.length;
  }

  async redactOutbound(personId: string, marker: string, replacement: StoredContent): Promise<number> {
    let count = 0;
    this.messages.forEach((m, i) => {
      if (m.personId !== personId || m.direction !== 'out' || !JSON.stringify(m.content).includes(marker)) return;
      // A new record: copies handed out earlier stay as they were.
      this.messages[i] = { ...m, content: structuredClone(replacement) };
      count++;
    });
    return count;
  }

  async hasOutboundContaining(personId: string, marker: string): Promise<boolean> {
    return this.messages.some((m) => m.personId === personId && m.direction === 'out' && JSON.stringify(m.content).includes(marker));
  }
}
