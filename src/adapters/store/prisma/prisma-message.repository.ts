import { ValidationError } from '../../../core/errors.js';
import type { PlatformName } from '../../../core/messages/conversation-ref.js';
import type {
  Locale,
  MessageQuery,
  MessageRepository,
  NewMessage,
  StoredContent,
  StoredMessage,
} from '../../../core/ports/repositories.js';
import type { PrismaClient } from '../../../generated/prisma/client.js';
import { toJson } from './json.js';

const DEFAULT_LIMIT = 100;

type MessageRow = {
  id: string;
  seq: bigint;
  conversationId: string;
  personId: string | null;
  platform: string;
  direction: string;
  content: unknown;
  locale: string;
  createdAt: Date;
  expiresAt: Date;
};

function toMessage(row: MessageRow): StoredMessage {
  return {
    id: row.id,
    cursor: row.seq.toString(),
    conversationId: row.conversationId,
    personId: row.personId,
    platform: row.platform as PlatformName,
    direction: row.direction as 'in' | 'out',
    content: row.content as StoredContent,
    locale: row.locale as Locale,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
  };
}

function parseCursor(cursor: string | undefined): bigint {
  if (cursor === undefined || cursor === '') return 0n;
  if (!/^\d{1,19}$/.test(cursor)) throw new ValidationError('store.invalid_cursor', 'cursor must be a value returned by the API');
  return BigInt(cursor);
}

export class PrismaMessageRepository implements MessageRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async append(message: NewMessage): Promise<StoredMessage> {
    const row = await this.prisma.message.create({ data: { ...message, content: toJson(message.content) } });
    return toMessage(row);
  }

  async listOutboundForPerson(personId: string, platform: PlatformName, query: MessageQuery = {}): Promise<StoredMessage[]> {
    const rows = await this.prisma.message.findMany({
      where: { personId, platform, direction: 'out', seq: { gt: parseCursor(query.after) } },
      orderBy: { seq: 'asc' },
      take: query.limit ?? DEFAULT_LIMIT,
    });
    return rows.map(toMessage);
  }

  async latestOutboundCursor(personId: string, platform: PlatformName): Promise<string | null> {
    const row = await this.prisma.message.findFirst({
      where: { personId, platform, direction: 'out' },
      orderBy: { seq: 'desc' },
      select: { seq: true },
    });
    return row ? row.seq.toString() : null;
  }

  async listRecent(conversationId: string, limit: number): Promise<StoredMessage[]> {
    const rows = await this.prisma.message.findMany({ where: { conversationId }, orderBy: { seq: 'desc' }, take: limit });
    return rows.reverse().map(toMessage);
  }

  async deleteExpired(now: Date): Promise<number> {
    const { count } = await this.prisma.message.deleteMany({ where: { expiresAt: { lte: now } } });
    return count;
  }

  async redactOutbound(personId: string, marker: string, replacement: StoredContent): Promise<number> {
    // strpos on the JSON text: the marker is a plain substring (no LIKE wildcards to escape).
    return this.prisma.$executeRaw`
      UPDATE messages SET content = ${JSON.stringify(replacement)}::jsonb
      WHERE person_id = ${personId} AND direction = 'out' AND strpos(content::text, ${marker}) > 0`;
  }

  async hasOutboundContaining(personId: string, marker: string): Promise<boolean> {
    const rows = await this.prisma.$queryRaw<unknown[]>`
      SELECT 1 FROM messages WHERE person_id = ${personId} AND direction = 'out' AND strpos(content::text, ${marker}) > 0 LIMIT 1`;
    return rows.length > 0;
  }
}
