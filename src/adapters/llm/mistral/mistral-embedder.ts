/**
 * `Embedder` on Mistral's embeddings endpoint (`embeddings.create`): sends
 * texts in bounded batches, one batch at a time, and returns the vectors in
 * the order of the texts.
 */
import type { EmbeddingResponse } from '@mistralai/mistralai/models/components';
import type { EmbeddingResult, Embedder } from '../../../core/ports/embedder.js';
import { MistralCaller, sdkRequestOptions, type CallSpec } from './mistral-client.js';
import { badResponse } from './mistral-errors.js';
import { MISTRAL_EMBED_DIMENSIONS, resolveMistralOptions, type ResolvedMistralOptions, type MistralOptions } from './mistral-options.js';

/** Most texts sent in one request. */
export const MAX_BATCH_INPUTS = 64;
/** Most estimated tokens sent in one request, under mistral-embed's per-request limit with a margin for the estimate. */
export const MAX_BATCH_TOKENS = 16_000;

/** A cheap token estimate (about four characters per token); real counts come back in `usage`. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * Splits texts into consecutive batches of at most `maxInputs` texts and
 * `maxTokens` estimated tokens. A text above `maxTokens` on its own still
 * gets its own batch: the API, not us, decides whether it is too long.
 * Returns index ranges `[start, end)` into `texts`.
 */
export function planBatches(texts: readonly string[], maxInputs = MAX_BATCH_INPUTS, maxTokens = MAX_BATCH_TOKENS): Array<[number, number]> {
  const batches: Array<[number, number]> = [];
  let start = 0;
  let tokens = 0;
  for (let i = 0; i < texts.length; i++) {
    const cost = estimateTokens(texts[i]!);
    const full = i - start >= maxInputs || (i > start && tokens + cost > maxTokens);
    if (full) {
      batches.push([start, i]);
      start = i;
      tokens = 0;
    }
    tokens += cost;
  }
  if (start < texts.length) batches.push([start, texts.length]);
  return batches;
}

/** Vectors from Mistral (`embeddingModel`, 1024 dimensions); a vector of another size fails with `llm.bad_response`. */
export class MistralEmbedder implements Embedder {
  readonly model: string;
  readonly dimensions = MISTRAL_EMBED_DIMENSIONS;
  private readonly options: ResolvedMistralOptions;
  private readonly caller: MistralCaller;

  constructor(options: MistralOptions) {
    this.options = resolveMistralOptions(options);
    this.model = this.options.embeddingModel;
    this.caller = new MistralCaller(this.options);
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<EmbeddingResult> {
    const vectors: number[][] = [];
    let promptTokens = 0;
    const spec: CallSpec = { operation: 'embeddings', model: this.model, timeoutMs: this.options.embeddingTimeoutMs, ...(signal ? { signal } : {}) };
    // Sequential on purpose: ingestion is a background job, and parallel batches would only meet the rate limit sooner.
    for (const [start, end] of planBatches(texts)) {
      const batch = texts.slice(start, end);
      const response = await this.caller.call(
        spec,
        (attemptSignal) => this.caller.client.embeddings.create({ model: this.model, inputs: batch }, sdkRequestOptions(attemptSignal)),
        (r) => ({ inputs: batch.length, promptTokens: r.usage.promptTokens ?? 0 }),
      );
      vectors.push(...this.vectorsOf(response, batch.length, spec));
      promptTokens += response.usage.promptTokens ?? 0;
    }
    return { vectors, promptTokens };
  }

  /** The batch's vectors in input order (by `index`, which the API documents), checked for count and size. */
  private vectorsOf(response: EmbeddingResponse, expected: number, spec: CallSpec): number[][] {
    const context = { ...spec, apiKey: this.options.apiKey };
    if (response.data.length !== expected) {
      throw badResponse(context, `expected ${expected} vectors, got ${response.data.length}`, { expected, received: response.data.length });
    }
    const ordered: Array<number[] | undefined> = new Array<number[] | undefined>(expected);
    response.data.forEach((item, position) => {
      const index = item.index ?? position;
      if (!Number.isInteger(index) || index < 0 || index >= expected || ordered[index] !== undefined) {
        throw badResponse(context, `vector index ${index} is out of range or repeated`, { index });
      }
      const embedding = item.embedding ?? [];
      if (embedding.length !== this.dimensions) {
        // A different size means another model (or a changed one): storing it would corrupt the index.
        throw badResponse(context, `vector has ${embedding.length} dimensions, expected ${this.dimensions}`, { dimensions: embedding.length, expectedDimensions: this.dimensions });
      }
      ordered[index] = embedding;
    });
    return ordered as number[][];
  }
}
