import type { AnswerFeedback, AnswerRecord, AnswerRepository, UsageTotals } from '../../core/ports/answer-repository.js';

export class InMemoryAnswerRepository implements AnswerRepository {
  private readonly answers = new Map<string, AnswerRecord>();
  private readonly feedback = new Map<string, AnswerFeedback>();

  async record(answer: AnswerRecord): Promise<void> {
    this.answers.set(answer.id, { ...answer, citations: answer.citations.map((c) => ({ ...c })) });
  }

  async get(id: string): Promise<AnswerRecord | null> {
    const answer = this.answers.get(id);
    return answer ? { ...answer } : null;
  }

  async saveFeedback(feedback: Omit<AnswerFeedback, 'createdAt' | 'updatedAt'>, at: Date): Promise<void> {
    const key = `${feedback.answerId}\u0000${feedback.personId}`;
    const existing = this.feedback.get(key);
    this.feedback.set(key, { ...feedback, createdAt: existing?.createdAt ?? at, updatedAt: at });
  }

  async commentFeedback(answerId: string, personId: string, comment: string, at: Date): Promise<boolean> {
    const existing = this.feedback.get(`${answerId}\u0000${personId}`);
    if (!existing) return false;
    Object.assign(existing, { comment, updatedAt: at });
    return true;
  }

  async feedbackFor(answerId: string): Promise<AnswerFeedback[]> {
    return [...this.feedback.values()].filter((f) => f.answerId === answerId).map((f) => ({ ...f }));
  }

  async clearCommentsBefore(cutoff: Date): Promise<number> {
    let cleared = 0;
    for (const feedback of this.feedback.values()) {
      if (feedback.comment !== null && feedback.updatedAt.getTime() < cutoff.getTime()) {
        feedback.comment = null;
        cleared++;
      }
    }
    return cleared;
  }

  async usage(since?: Date): Promise<UsageTotals> {
    const answers = [...this.answers.values()].filter((a) => !since || a.createdAt.getTime() >= since.getTime());
    return {
      answers: answers.length,
      promptTokens: answers.reduce((s, a) => s + a.promptTokens, 0),
      completionTokens: answers.reduce((s, a) => s + a.completionTokens, 0),
      embeddingTokens: answers.reduce((s, a) => s + a.embeddingTokens, 0),
      byMode: answers.reduce<Record<string, number>>((acc, a) => ({ ...acc, [a.mode]: (acc[a.mode] ?? 0) + 1 }), {}),
    };
  }
}
