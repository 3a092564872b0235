import type { AnswerCitation, AnswerFeedback, AnswerMode, AnswerRecord, AnswerRepository, FeedbackRating, UsageTotals } from '../../../core/ports/answer-repository.js';
import type { PrismaClient } from '../../../generated/prisma/client.js';
import { toJson } from './json.js';

export class PrismaAnswerRepository implements AnswerRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async record(answer: AnswerRecord): Promise<void> {
    await this.prisma.assistantAnswer.create({ data: { ...answer, citations: toJson(answer.citations) } });
  }

  async get(id: string): Promise<AnswerRecord | null> {
    const row = await this.prisma.assistantAnswer.findUnique({ where: { id } });
    return row ? { ...row, mode: row.mode as AnswerMode, citations: row.citations as unknown as AnswerCitation[] } : null;
  }

  async saveFeedback(feedback: Omit<AnswerFeedback, 'createdAt' | 'updatedAt'>, at: Date): Promise<void> {
    const key = { answerId_personId: { answerId: feedback.answerId, personId: feedback.personId } };
    await this.prisma.answerFeedback.upsert({
      where: key,
      create: { ...feedback, createdAt: at, updatedAt: at },
      // A new rating replaces the old one with its comment (a comment explained the previous rating).
      update: { rating: feedback.rating, comment: feedback.comment, updatedAt: at },
    });
  }

  async commentFeedback(answerId: string, personId: string, comment: string, at: Date): Promise<boolean> {
    const { count } = await this.prisma.answerFeedback.updateMany({ where: { answerId, personId }, data: { comment, updatedAt: at } });
    return count === 1;
  }

  async feedbackFor(answerId: string): Promise<AnswerFeedback[]> {
    const rows = await this.prisma.answerFeedback.findMany({ where: { answerId }, orderBy: { createdAt: 'asc' } });
    return rows.map((r) => ({ ...r, rating: r.rating as FeedbackRating }));
  }

  async clearCommentsBefore(cutoff: Date): Promise<number> {
    // updatedAt is left alone: it records the rating, which stays.
    const { count } = await this.prisma.answerFeedback.updateMany({ where: { comment: { not: null }, updatedAt: { lt: cutoff } }, data: { comment: null } });
    return count;
  }

  async usage(since?: Date): Promise<UsageTotals> {
    const where = since ? { createdAt: { gte: since } } : {};
    const totals = await this.prisma.assistantAnswer.aggregate({ where, _count: true, _sum: { promptTokens: true, completionTokens: true, embeddingTokens: true } });
    const modes = await this.prisma.assistantAnswer.groupBy({ by: ['mode'], where, _count: true });
    return {
      answers: totals._count,
      promptTokens: totals._sum.promptTokens ?? 0,
      completionTokens: totals._sum.completionTokens ?? 0,
      embeddingTokens: totals._sum.embeddingTokens ?? 0,
      byMode: Object.fromEntries(modes.map((m) => [m.mode, m._count])),
    };
  }
}
