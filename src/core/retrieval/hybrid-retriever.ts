/**
 * Retrieval over the consented corpus: French full-text (BM25) and, when an
 * embedding model is configured, dense vectors, fused by reciprocal rank
 * fusion (Cormack et al., 2009: score = Σ 1 / (60 + rank)). Without an
 * embedder, or if embedding fails, the search is lexical and says so.
 * Only chunks that still exist are returned: a withdrawn récit disappears
 * from results at once, whatever an index still holds.
 */
import { describeError } from '../errors.js';
import type { ChunkRecord, CorpusRepository, RetrievalFilters } from '../ports/corpus-repository.js';
import type { Embedder } from '../ports/embedder.js';
import type { Logger } from '../ports/logger.js';
import type { VectorIndex } from '../ports/vector-index.js';

export type RetrievalMode = 'hybrid' | 'lexical';

export interface RetrievedChunk {
  chunk: ChunkRecord;
  /** Fused score (RRF) in hybrid mode, BM25 score in lexical mode. */
  score: number;
  lexicalRank?: number;
  vectorRank?: number;
}

export interface RetrievalResult {
  mode: RetrievalMode;
  hits: RetrievedChunk[];
  /** Why the search is lexical when hybrid was possible (embedding failure). */
  note?: string;
  embeddingTokens: number;
}

export interface SearchOptions {
  k?: number;
  filters?: RetrievalFilters;
  signal?: AbortSignal;
}

export interface HybridRetrieverDeps {
  corpus: CorpusRepository;
  logger: Logger;
  embedder?: Embedder;
  vectors?: VectorIndex;
}

const RRF_K = 60;
/** Candidates taken from each list before fusion. */
const CANDIDATES = 50;

function hasFilters(filters: RetrievalFilters | undefined): filters is RetrievalFilters {
  return !!filters && Object.values(filters).some((v) => Array.isArray(v) && v.length > 0);
}

export class HybridRetriever {
  constructor(private readonly deps: HybridRetrieverDeps) {}

  get mode(): RetrievalMode {
    return this.deps.embedder && this.deps.vectors ? 'hybrid' : 'lexical';
  }

  async search(text: string, options: SearchOptions = {}): Promise<RetrievalResult> {
    const k = options.k ?? 10;
    const lexical = await this.deps.corpus.searchLexical(text, Math.max(k, CANDIDATES), options.filters);
    if (this.mode === 'lexical') {
      const top = lexical.slice(0, k);
      if (top.every((h) => h.chunk)) {
        return { mode: 'lexical', embeddingTokens: 0, hits: top.map((h, i) => ({ chunk: h.chunk!, score: h.score, lexicalRank: i + 1 })) };
      }
      return this.resolve(top.map((h, i) => ({ chunkId: h.chunkId, score: h.score, lexicalRank: i + 1 })), 'lexical', 0);
    }
    try {
      const { vectors: [vector], promptTokens } = await this.deps.embedder!.embed([text], options.signal);
      const recitIds = hasFilters(options.filters) ? await this.deps.corpus.recitIdsMatching(options.filters) : undefined;
      const dense = recitIds?.length === 0 ? [] : await this.deps.vectors!.search({ vector: vector!, k: Math.max(k, CANDIDATES), ...(recitIds ? { recitIds } : {}) });
      const fused = new Map<string, { chunkId: string; score: number; lexicalRank?: number; vectorRank?: number }>();
      lexical.forEach((hit, i) => fused.set(hit.chunkId, { chunkId: hit.chunkId, score: 1 / (RRF_K + i + 1), lexicalRank: i + 1 }));
      dense.forEach((hit, i) => {
        const entry = fused.get(hit.chunkId) ?? { chunkId: hit.chunkId, score: 0 };
        fused.set(hit.chunkId, { ...entry, score: entry.score + 1 / (RRF_K + i + 1), vectorRank: i + 1 });
      });
      const ranked = [...fused.values()].sort((a, b) => b.score - a.score || a.chunkId.localeCompare(b.chunkId));
      return this.resolve(ranked.slice(0, k + 5), 'hybrid', promptTokens, k);
    } catch (error) {
      const { code } = describeError(error);
      this.deps.logger.warn({ err: describeError(error) }, 'vector search unavailable; lexical only');
      const hits = lexical.slice(0, k).map((h, i) => ({ chunkId: h.chunkId, score: h.score, lexicalRank: i + 1 }));
      return { ...(await this.resolve(hits, 'lexical', 0)), note: `vector search unavailable (${code}): lexical only` };
    }
  }

  /** Loads the chunks, dropping any that no longer exist (withdrawn meanwhile). */
  private async resolve(
    ranked: { chunkId: string; score: number; lexicalRank?: number; vectorRank?: number }[],
    mode: RetrievalMode,
    embeddingTokens: number,
    k = ranked.length,
  ): Promise<RetrievalResult> {
    const chunks = new Map((await this.deps.corpus.getChunks(ranked.map((r) => r.chunkId))).map((c) => [c.id, c]));
    const hits: RetrievedChunk[] = [];
    for (const entry of ranked) {
      const chunk = chunks.get(entry.chunkId);
      if (!chunk) continue;
      hits.push({
        chunk,
        score: entry.score,
        ...(entry.lexicalRank ? { lexicalRank: entry.lexicalRank } : {}),
        ...(entry.vectorRank ? { vectorRank: entry.vectorRank } : {}),
      });
      if (hits.length === k) break;
    }
    return { mode, hits, embeddingTokens };
  }
}
