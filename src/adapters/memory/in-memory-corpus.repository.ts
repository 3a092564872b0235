/**
 * The corpus in memory, for unit tests and throwaway runs. Lexical search is
 * BM25 over a simple analyser (lower case, no accents, plural and a few
 * frequent French endings removed) — a twin of the PostgreSQL search in
 * behaviour (consent, filters, ranking by relevance), not in exact scores.
 */
import type {
  ChunkRecord,
  CorpusRepository,
  CorpusStatistics,
  LexicalHit,
  RetrievalFilters,
  StoredRecit,
} from '../../core/ports/corpus-repository.js';
import { foldAccents, queryTerms } from '../../core/retrieval/query-terms.js';

const K1 = 1.2;
const B = 0.75;

/** Crude French stemming: enough for the twin to match "éducatrices" with "éducateur". */
export function simpleStem(word: string): string {
  let w = foldAccents(word.toLowerCase());
  for (const suffix of ['issements', 'issement', 'ations', 'ation', 'ements', 'ement', 'trices', 'trice', 'teurs', 'teur', 'euses', 'euse', 'eux', 'ees', 'ee', 'es', 'er', 's', 'x', 'e']) {
    if (w.length > suffix.length + 3 && w.endsWith(suffix)) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  return w;
}

function analyse(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1)
    .map(simpleStem);
}

function matches(chunk: ChunkRecord, filters: RetrievalFilters | undefined): boolean {
  const lower = (values: string[] | undefined) => values?.map((v) => v.toLowerCase());
  const sectors = lower(filters?.sectors);
  const themes = lower(filters?.themes);
  if (sectors?.length && !sectors.includes(chunk.sector.toLowerCase())) return false;
  if (filters?.roles?.length && !lower(filters.roles)!.includes(chunk.authorRole)) return false;
  if (themes?.length && !chunk.themes.some((t) => themes.includes(t.toLowerCase()))) return false;
  if (filters?.languages?.length && !lower(filters.languages)!.includes(chunk.language.toLowerCase())) return false;
  return true;
}

export class InMemoryCorpusRepository implements CorpusRepository {
  private readonly recits = new Map<string, StoredRecit>();
  private readonly chunks = new Map<string, ChunkRecord & { terms: Map<string, number>; length: number }>();

  async getRecit(id: string): Promise<StoredRecit | null> {
    const recit = this.recits.get(id);
    return recit ? { ...recit } : null;
  }

  async listRecits(): Promise<StoredRecit[]> {
    return [...this.recits.values()].sort((a, b) => a.id.localeCompare(b.id)).map((r) => ({ ...r }));
  }

  async saveRecit(recit: StoredRecit, chunks?: ChunkRecord[]): Promise<void> {
    this.recits.set(recit.id, { ...recit, chunkCount: chunks ? chunks.length : recit.chunkCount });
    if (!chunks) return;
    this.deleteChunks(recit.id);
    for (const chunk of chunks) {
      const words = [...analyse(chunk.heading), ...analyse(chunk.heading), ...analyse(chunk.text)];
      const terms = new Map<string, number>();
      for (const w of words) terms.set(w, (terms.get(w) ?? 0) + 1);
      this.chunks.set(chunk.id, { ...chunk, terms, length: words.length });
    }
  }

  async refreshChunkMetadata(recitId: string): Promise<void> {
    const recit = this.recits.get(recitId);
    if (!recit) return;
    for (const chunk of this.chunks.values()) {
      if (chunk.recitId !== recitId) continue;
      Object.assign(chunk, {
        sector: recit.sector,
        authorRole: recit.authorRole,
        year: recit.year,
        themes: recit.themes,
        language: recit.language,
        quotable: recit.consent.status === 'granted' && recit.consent.scope.includes('citation'),
      });
    }
  }

  async withdraw(recitId: string, at: Date): Promise<number> {
    const recit = this.recits.get(recitId);
    if (recit && recit.consent.status !== 'withdrawn') this.recits.set(recitId, { ...recit, consent: { ...recit.consent, status: 'withdrawn', date: at.toISOString().slice(0, 10) }, withdrawnAt: at, chunkCount: 0, updatedAt: at });
    return this.deleteChunks(recitId);
  }

  async getChunks(ids: string[]): Promise<ChunkRecord[]> {
    return ids.map((id) => this.chunks.get(id)).filter((c) => c !== undefined).map(strip);
  }

  async chunksToEmbed(model: string, limit: number): Promise<ChunkRecord[]> {
    return [...this.chunks.values()]
      .filter((c) => c.embeddingModel !== model)
      .sort((a, b) => a.recitId.localeCompare(b.recitId) || a.ordinal - b.ordinal)
      .slice(0, limit)
      .map(strip);
  }

  async markEmbedded(chunkIds: string[], model: string): Promise<void> {
    for (const id of chunkIds) {
      const chunk = this.chunks.get(id);
      if (chunk) chunk.embeddingModel = model;
    }
  }

  async searchLexical(text: string, k: number, filters?: RetrievalFilters): Promise<LexicalHit[]> {
    const terms = [...new Set(queryTerms(text).map(simpleStem))];
    const all = [...this.chunks.values()];
    if (terms.length === 0 || all.length === 0) return [];
    const avgdl = all.reduce((sum, c) => sum + c.length, 0) / all.length;
    const idf = new Map(terms.map((t) => {
      const df = all.filter((c) => c.terms.has(t)).length;
      return [t, Math.log(1 + (all.length - df + 0.5) / (df + 0.5))];
    }));
    return all
      .filter((c) => matches(c, filters))
      .map((c) => ({
        chunkId: c.id,
        recitId: c.recitId,
        score: terms.reduce((sum, t) => {
          const tf = c.terms.get(t) ?? 0;
          return sum + (tf === 0 ? 0 : idf.get(t)! * (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * c.length) / avgdl)));
        }, 0),
      }))
      .filter((h) => h.score > 0)
      .sort((a, b) => b.score - a.score || a.chunkId.localeCompare(b.chunkId))
      .slice(0, k);
  }

  async recitIdsMatching(filters: RetrievalFilters): Promise<string[]> {
    return [...new Set([...this.chunks.values()].filter((c) => matches(c, filters)).map((c) => c.recitId))];
  }

  async statistics(): Promise<CorpusStatistics> {
    const recits = [...this.recits.values()];
    const retrievable = recits.filter((r) => r.chunkCount > 0);
    const tally = (values: string[]) => values.reduce<Record<string, number>>((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {});
    return {
      recits: recits.length,
      retrievable: retrievable.length,
      withdrawn: recits.filter((r) => r.consent.status === 'withdrawn').length,
      chunks: this.chunks.size,
      embeddedChunks: [...this.chunks.values()].filter((c) => c.embeddingModel !== null).length,
      bySector: tally(retrievable.map((r) => r.sector)),
      byRole: tally(retrievable.map((r) => r.authorRole)),
      byTheme: tally(retrievable.flatMap((r) => r.themes)),
    };
  }

  async optimize(): Promise<void> {}

  private deleteChunks(recitId: string): number {
    let count = 0;
    for (const [id, chunk] of this.chunks) {
      if (chunk.recitId === recitId) {
        this.chunks.delete(id);
        count++;
      }
    }
    return count;
  }
}

function strip(chunk: ChunkRecord & { terms?: unknown; length?: unknown }): ChunkRecord {
  const { terms: _terms, length: _length, ...record } = chunk;
  return { ...record };
}
