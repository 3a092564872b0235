/**
 * Turns texts into dense vectors (mistral-embed: 1024 dimensions).
 * Implementations batch and retry; errors are coded like `LanguageModel`'s.
 */
export interface EmbeddingResult {
  /** One vector per input text, in order, each of `dimensions` numbers. */
  vectors: number[][];
  promptTokens: number;
}

export interface Embedder {
  /** Model name, stored with each vector so a model change triggers re-embedding. */
  readonly model: string;
  readonly dimensions: number;
  embed(texts: string[], signal?: AbortSignal): Promise<EmbeddingResult>;
}
