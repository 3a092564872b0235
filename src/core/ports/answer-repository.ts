/**
 * What is kept of each assistant answer besides its text (which lives in
 * `messages`, under retention): mode, model, tokens, latency, cited chunks
 * — for frugality accounting, feedback and record keeping (AI Act art. 12).
 */

export type AnswerMode = 'generative' | 'extractive' | 'no-sources' | 'safety';

export interface AnswerCitation {
  index: number;
  recitId: string;
  chunkId: string;
  score: number;
}

export interface AnswerRecord {
  /** Answer id, also in the answer's feedback action (`feedback:<id>`). */
  id: string;
  conversationId: string;
  personId: string;
  mode: AnswerMode;
  model: string | null;
  promptTokens: number;
  completionTokens: number;
  embeddingTokens: number;
  latencyMs: number;
  citations: AnswerCitation[];
  safetyLevel: string;
  createdAt: Date;
}

export type FeedbackRating = 'up' | 'down';

export interface AnswerFeedback {
  answerId: string;
  personId: string;
  rating: FeedbackRating;
  comment: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface UsageTotals {
  answers: number;
  promptTokens: number;
  completionTokens: number;
  embeddingTokens: number;
  byMode: Record<string, number>;
}

export interface AnswerRepository {
  record(answer: AnswerRecord): Promise<void>;
  get(id: string): Promise<AnswerRecord | null>;
  /** One rating per person and answer: a second click replaces the first. */
  saveFeedback(feedback: Omit<AnswerFeedback, 'createdAt' | 'updatedAt'>, at: Date): Promise<void>;
  /** Adds a comment to the person's existing feedback; false if there is none. */
  commentFeedback(answerId: string, personId: string, comment: string, at: Date): Promise<boolean>;
  feedbackFor(answerId: string): Promise<AnswerFeedback[]>;
  /**
   * Erases free-text comments last written before `cutoff` (they may hold
   * personal details: message retention applies); ratings stay. Returns how many.
   */
  clearCommentsBefore(cutoff: Date): Promise<number>;
  usage(since?: Date): Promise<UsageTotals>;
}
