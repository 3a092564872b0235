import type { ConversationKind, PlatformName } from '../../../core/messages/conversation-ref.js';
import type { Conversation, ConversationRepository } from '../../../core/ports/repositories.js';
import type { PrismaClient } from '../../../generated/prisma/client.js';

type ConversationRow = {
  id: string;
  platform: string;
  kind: string;
  sealedRef: string;
  greetedAt: Date | null;
  createdAt: Date;
  lastActivityAt: Date;
};

function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    platform: row.platform as PlatformName,
    kind: row.kind as ConversationKind,
    sealedRef: row.sealedRef,
    greetedAt: row.greetedAt,
    createdAt: row.createdAt,
    lastActivityAt: row.lastActivityAt,
  };
}

export class PrismaConversationRepository implements ConversationRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async upsert(id: string, conversation: Pick<Conversation, 'platform' | 'kind' | 'sealedRef'>, at: Date): Promise<Conversation> {
    const row = await this.prisma.conversation.upsert({
      where: { id },
      create: { id, ...conversation, createdAt: at, lastActivityAt: at },
      update: { sealedRef: conversation.sealedRef, lastActivityAt: at },
    });
    return toConversation(row);
  }

  async get(id: string): Promise<Conversation | null> {
    const row = await this.prisma.conversation.findUnique({ where: { id } });
    return row ? toConversation(row) : null;
  }

  async markGreeted(id: string, at: Date): Promise<boolean> {
    const { count } = await this.prisma.conversation.updateMany({ where: { id, greetedAt: null }, data: { greetedAt: at } });
    return count === 1;
  }
}
