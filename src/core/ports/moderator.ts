/**
 * A moderation classifier (Mistral moderation). Used by the safety check as
 * a second opinion on self-harm, never as the only signal.
 */
export interface ModerationResult {
  /** Probability-like score of the self-harm category, 0–1. */
  selfHarm: number;
  /** Whether the endpoint flagged the self-harm category. */
  selfHarmFlagged: boolean;
  /** Every category the endpoint flagged. */
  flagged: string[];
}

export interface Moderator {
  moderate(text: string, signal?: AbortSignal): Promise<ModerationResult>;
}
