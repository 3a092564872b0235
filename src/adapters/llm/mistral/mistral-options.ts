/**
 * Options of the Mistral adapters (`MistralLanguageModel`, `MistralEmbedder`,
 * `MistralModerator`). Built once by `config.ts` and passed in; the adapters
 * never read the environment themselves (ARCHITECTURE.md rule 7).
 */
import { RelaisError } from '../../../core/errors.js';
import type { Logger } from '../../../core/ports/logger.js';

/** La Plateforme's global endpoint. */
export const DEFAULT_MISTRAL_SERVER_URL = 'https://api.mistral.ai';
export const DEFAULT_MISTRAL_CHAT_MODEL = 'mistral-small-latest';
export const DEFAULT_MISTRAL_EMBEDDING_MODEL = 'mistral-embed';
export const DEFAULT_MISTRAL_MODERATION_MODEL = 'mistral-moderation-latest';
/** Number of dimensions of a mistral-embed vector. */
export const MISTRAL_EMBED_DIMENSIONS = 1024;

export interface MistralOptions {
  /** API key of La Plateforme (or of the compatible endpoint). Never logged, never put in error messages. */
  apiKey: string;
  /** Base URL of the API, without `/v1`. Default `https://api.mistral.ai` (use `https://api.eu.mistral.ai` to stay in the EU). */
  serverUrl?: string;
  /** Model used for answers. Default `mistral-small-latest`. */
  chatModel?: string;
  /** Model used for embeddings; it must produce 1024-dimension vectors. Default `mistral-embed`. */
  embeddingModel?: string;
  /** Model used by the moderator. Default `mistral-moderation-latest`. */
  moderationModel?: string;
  /**
   * Chat timeout in milliseconds, per attempt. For `complete` it bounds the
   * whole request; for `stream` it bounds the wait for the response and then
   * the silence between two streamed events (an answer may take longer than
   * this in total, as long as it keeps coming). Default 30 000.
   */
  timeoutMs?: number;
  /** Embeddings timeout in milliseconds, per batch and attempt. Default 20 000. */
  embeddingTimeoutMs?: number;
  /** Moderation timeout in milliseconds, per attempt. Default 10 000 (it sits on the answer's critical path). */
  moderationTimeoutMs?: number;
  /** Retries after a transient failure (rate limit, 5xx, network, timeout), so at most `maxRetries + 1` attempts. Default 3. */
  maxRetries?: number;
  /** First backoff delay in milliseconds, doubled at each retry, with full jitter. Default 500. */
  retryBaseDelayMs?: number;
  /** Upper bound of a backoff delay in milliseconds (not of a `Retry-After`). Default 8 000. */
  retryMaxDelayMs?: number;
  /**
   * Longest `Retry-After` the adapter waits for, in milliseconds. A longer one
   * fails at once with `llm.rate_limited` (its `details.retryAfterMs` tells a
   * job when to come back) instead of holding a user's request. Default 60 000.
   */
  maxRetryAfterMs?: number;
  /** Where the adapters log (model, status, attempt, duration, token counts; never content). */
  logger: Logger;
}

/** `MistralOptions` with every default applied. */
export type ResolvedMistralOptions = Required<MistralOptions>;

function positive(name: string, value: number | undefined, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new RelaisError('config.invalid', `MistralOptions.${name} must be a ${allowZero ? 'non-negative' : 'positive'} number`);
  }
  return value;
}

/** Applies defaults and rejects impossible values (fail fast at start, not at the first question). */
export function resolveMistralOptions(options: MistralOptions): ResolvedMistralOptions {
  if (!options.apiKey || options.apiKey.trim() === '') {
    throw new RelaisError('config.invalid', 'MistralOptions.apiKey is empty');
  }
  const maxRetries = positive('maxRetries', options.maxRetries, 3, true);
  if (!Number.isInteger(maxRetries)) throw new RelaisError('config.invalid', 'MistralOptions.maxRetries must be an integer');
  return {
    apiKey: options.apiKey,
    // The SDK appends `/v1/...` itself: a trailing slash would double it.
    serverUrl: (options.serverUrl ?? DEFAULT_MISTRAL_SERVER_URL).replace(/\/+$/, ''),
    chatModel: options.chatModel ?? DEFAULT_MISTRAL_CHAT_MODEL,
    embeddingModel: options.embeddingModel ?? DEFAULT_MISTRAL_EMBEDDING_MODEL,
    moderationModel: options.moderationModel ?? DEFAULT_MISTRAL_MODERATION_MODEL,
    timeoutMs: positive('timeoutMs', options.timeoutMs, 30_000),
    embeddingTimeoutMs: positive('embeddingTimeoutMs', options.embeddingTimeoutMs, 20_000),
    moderationTimeoutMs: positive('moderationTimeoutMs', options.moderationTimeoutMs, 10_000),
    maxRetries,
    retryBaseDelayMs: positive('retryBaseDelayMs', options.retryBaseDelayMs, 500, true),
    retryMaxDelayMs: positive('retryMaxDelayMs', options.retryMaxDelayMs, 8_000, true),
    maxRetryAfterMs: positive('maxRetryAfterMs', options.maxRetryAfterMs, 60_000, true),
    logger: options.logger,
  };
}
