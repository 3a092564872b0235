/**
 * A chat model (Mistral by default, any Mistral-compatible endpoint as an
 * option). Implementations: `adapters/llm/mistral`. Errors are coded:
 * `llm.timeout`, `llm.rate_limited`, `llm.unavailable` (transient),
 * `llm.rejected` (permanent: bad request, bad key).
 */

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export interface ChatOptions {
  /** 0–1.5; default chosen by the implementation (0.3). */
  temperature?: number;
  /** Upper bound on generated tokens. */
  maxTokens?: number;
  /** Aborts the call (the user left, shutdown). */
  signal?: AbortSignal;
}

export interface ChatResult {
  text: string;
  model: string;
  usage: TokenUsage;
  /** "stop", "length", … as reported by the endpoint. */
  finishReason: string;
}

/** One piece of a streamed answer; the last one carries usage and finish reason. */
export type ChatChunk = { type: 'delta'; text: string } | { type: 'done'; model: string; usage: TokenUsage; finishReason: string };

export interface LanguageModel {
  /** Model name used for answers, e.g. "mistral-small-latest". */
  readonly model: string;
  complete(messages: ChatMessage[], options?: ChatOptions): Promise<ChatResult>;
  stream(messages: ChatMessage[], options?: ChatOptions): AsyncIterable<ChatChunk>;
}
