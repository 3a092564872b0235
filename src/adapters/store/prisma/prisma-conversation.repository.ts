import type { ConversationKind, ConversationRef, PlatformName } from '../../../core/messages/conversation-ref.js';
import type { Conversation, ConversationRepository } from '../../../core/ports/repositories.js';
import type { PrismaClient } from '../../../generated/prisma/client.js';
import { toJson } from './json.js';

type ConversationRow = {
  id: string;
  platform: string;
  kind: string;
  ref: unknown;
  greetedAt: Date | null;
  createdAt: Date;
  lastActivityAt: Date;
};

function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    platform: row.platform as PlatformName,
    kind: row.kind as ConversationKind,
    ref: row.ref as ConversationRef,
    greetedAt: row.greetedAt,
    createdAt: row.createdAt,
    lastActivityAt: row.lastActivityAt,
  };
}

export class PrismaConversationRepository implements ConversationRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async upsert(id: string, ref: ConversationRef, at: Date): Promise<Conversation> {
    const row = await this.prisma.conversation.upsert({
      where: { id },
      create: { id, platform: ref.platform, kind: ref.kind, ref: toJson(ref), createdAt: at, lastActivityAt: at },
      update: { ref: toJson(ref), lastActivityAt: at },
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
