/**
 * The corpus on PostgreSQL (PGlite or server). Lexical search is BM25 in
 * SQL over an inverted index that triggers derive from each passage's
 * French full-text vector (`to_tsvector('relais_fr', …)`: unaccent +
 * french_stem, title weighted A): one posting per (lexeme, passage) with its
 * term frequency and the passage length, plus document frequencies. A search
 * is one index scan per query lexeme and one aggregation.
 */
import type { PiiFinding } from '../../../core/corpus/pii-scrubber.js';
import type { AuthorRole } from '../../../core/corpus/recit.js';
import type {
  ChunkRecord,
  CorpusRepository,
  CorpusStatistics,
  LexicalHit,
  RetrievalFilters,
  StoredRecit,
} from '../../../core/ports/corpus-repository.js';
import { queryTerms } from '../../../core/retrieval/query-terms.js';
import type { PrismaClient } from '../../../generated/prisma/client.js';
import { toJson } from './json.js';

/** BM25 parameters (Robertson's usual values). */
const K1 = 1.2;
const B = 0.75;
/**
 * Query terms are scored from the rarest up, as long as their postings fit
 * in this budget (and at least the `MIN_TERMS` rarest). On a small corpus
 * every term counts; on a large one a term found in tens of thousands of
 * passages — whose idf, hence weight, is tiny — is left out, which is what
 * keeps a 100k-passage search fast at almost no cost in ranking.
 */
const POSTINGS_BUDGET = 30_000;
const MIN_TERMS = 3;

type RecitRow = {
  id: string;
  title: string;
  authorRole: string;
  sector: string;
  year: number;
  themes: string[];
  language: string;
  consentStatus: string;
  consentDate: string;
  consentScope: string[];
  consentReference: string;
  anonymized: boolean;
  fictional: boolean;
  sourcePath: string | null;
  contentHash: string;
  metadataHash: string;
  scrubReport: unknown;
  chunkCount: number;
  ingestedAt: Date;
  updatedAt: Date;
  withdrawnAt: Date | null;
};

function toRecit(row: RecitRow): StoredRecit {
  return {
    id: row.id,
    title: row.title,
    authorRole: row.authorRole as AuthorRole,
    sector: row.sector,
    year: row.year,
    themes: row.themes,
    language: row.language,
    consent: {
      status: row.consentStatus as 'granted' | 'withdrawn',
      date: row.consentDate,
      scope: row.consentScope as StoredRecit['consent']['scope'],
      reference: row.consentReference,
    },
    anonymized: row.anonymized,
    fictional: row.fictional,
    sourcePath: row.sourcePath,
    contentHash: row.contentHash,
    metadataHash: row.metadataHash,
    scrubReport: row.scrubReport as PiiFinding[],
    chunkCount: row.chunkCount,
    ingestedAt: row.ingestedAt,
    updatedAt: row.updatedAt,
    withdrawnAt: row.withdrawnAt,
  };
}

function recitColumns(recit: StoredRecit) {
  return {
    title: recit.title,
    authorRole: recit.authorRole,
    sector: recit.sector,
    year: recit.year,
    themes: recit.themes,
    language: recit.language,
    consentStatus: recit.consent.status,
    consentDate: recit.consent.date,
    consentScope: recit.consent.scope,
    consentReference: recit.consent.reference,
    anonymized: recit.anonymized,
    fictional: recit.fictional,
    sourcePath: recit.sourcePath,
    contentHash: recit.contentHash,
    metadataHash: recit.metadataHash,
    scrubReport: toJson(recit.scrubReport),
    chunkCount: recit.chunkCount,
    ingestedAt: recit.ingestedAt,
    updatedAt: recit.updatedAt,
    withdrawnAt: recit.withdrawnAt,
  };
}

type ChunkRow = Omit<ChunkRecord, 'authorRole'> & { authorRole: string };

const toChunk = (row: ChunkRow): ChunkRecord => ({ ...row, authorRole: row.authorRole as AuthorRole });

const CHUNK_SELECT = {
  id: true,
  recitId: true,
  ordinal: true,
  heading: true,
  text: true,
  contentHash: true,
  tokenCount: true,
  sector: true,
  authorRole: true,
  year: true,
  themes: true,
  language: true,
  quotable: true,
  embeddingModel: true,
} as const;

/** SQL conditions for filters on `recit_chunks c`, with parameters numbered from `first`. */
function filterSql(filters: RetrievalFilters | undefined, first: number): { sql: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (condition: (n: number) => string, values: string[] | undefined): void => {
    if (!values || values.length === 0) return;
    params.push(values.map((v) => v.toLowerCase()));
    conditions.push(condition(first + params.length - 1));
  };
  add((n) => `lower(c.sector) = ANY($${n}::text[])`, filters?.sectors);
  add((n) => `c.author_role = ANY($${n}::text[])`, filters?.roles);
  add((n) => `EXISTS (SELECT 1 FROM unnest(c.themes) AS t WHERE lower(t) = ANY($${n}::text[]))`, filters?.themes);
  add((n) => `c.language = ANY($${n}::text[])`, filters?.languages);
  return { sql: conditions.length > 0 ? ` AND ${conditions.join(' AND ')}` : '', params };
}

export class PrismaCorpusRepository implements CorpusRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async getRecit(id: string): Promise<StoredRecit | null> {
    const row = await this.prisma.recit.findUnique({ where: { id } });
    return row ? toRecit(row) : null;
  }

  async listRecits(): Promise<StoredRecit[]> {
    return (await this.prisma.recit.findMany({ orderBy: { id: 'asc' } })).map(toRecit);
  }

  async saveRecit(recit: StoredRecit, chunks?: ChunkRecord[]): Promise<void> {
    const columns = recitColumns({ ...recit, chunkCount: chunks ? chunks.length : recit.chunkCount });
    await this.prisma.$transaction(async (tx) => {
      await tx.recit.upsert({ where: { id: recit.id }, create: { id: recit.id, ...columns }, update: columns });
      if (!chunks) return;
      await tx.recitChunk.deleteMany({ where: { recitId: recit.id } });
      if (chunks.length > 0) await tx.recitChunk.createMany({ data: chunks });
    });
  }

  async refreshChunkMetadata(recitId: string): Promise<void> {
    const recit = await this.prisma.recit.findUnique({ where: { id: recitId } });
    if (!recit) return;
    await this.prisma.recitChunk.updateMany({
      where: { recitId },
      data: {
        sector: recit.sector,
        authorRole: recit.authorRole,
        year: recit.year,
        themes: recit.themes,
        language: recit.language,
        quotable: recit.consentStatus === 'granted' && recit.consentScope.includes('citation'),
      },
    });
  }

  async withdraw(recitId: string, at: Date): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.recitChunk.deleteMany({ where: { recitId } });
      await tx.recit.updateMany({ where: { id: recitId, consentStatus: { not: 'withdrawn' } }, data: { consentStatus: 'withdrawn', consentDate: at.toISOString().slice(0, 10), withdrawnAt: at, chunkCount: 0, updatedAt: at } });
      return count;
    });
  }

  async getChunks(ids: string[]): Promise<ChunkRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.prisma.recitChunk.findMany({ where: { id: { in: ids } }, select: CHUNK_SELECT });
    const byId = new Map(rows.map((r) => [r.id, toChunk(r)]));
    return ids.map((id) => byId.get(id)).filter((c): c is ChunkRecord => c !== undefined);
  }

  async chunksToEmbed(model: string, limit: number): Promise<ChunkRecord[]> {
    const rows = await this.prisma.recitChunk.findMany({
      where: { OR: [{ embeddingModel: null }, { embeddingModel: { not: model } }] },
      orderBy: [{ recitId: 'asc' }, { ordinal: 'asc' }],
      take: limit,
      select: CHUNK_SELECT,
    });
    return rows.map(toChunk);
  }

  async markEmbedded(chunkIds: string[], model: string): Promise<void> {
    if (chunkIds.length > 0) await this.prisma.recitChunk.updateMany({ where: { id: { in: chunkIds } }, data: { embeddingModel: model } });
  }

  async searchLexical(text: string, k: number, filters?: RetrievalFilters): Promise<LexicalHit[]> {
    const terms = queryTerms(text);
    if (terms.length === 0) return [];
    const filter = filterSql(filters, 4);
    const rows = await this.prisma.$queryRawUnsafe<(ChunkRow & { score: number })[]>(
      `WITH stats AS (
         SELECT greatest(chunk_count, 1)::float AS n, greatest(total_tokens::float / greatest(chunk_count, 1), 1) AS avgdl
         FROM corpus_stats WHERE id = 1
       ),
       q AS (
         SELECT l.id, l.df, ln(1 + (stats.n - l.df + 0.5) / (l.df + 0.5)) AS idf,
                sum(l.df) OVER (ORDER BY l.df, l.id) AS postings, row_number() OVER (ORDER BY l.df, l.id) AS rank
         FROM lexemes l CROSS JOIN stats
         WHERE l.df > 0 AND l.lexeme IN (SELECT DISTINCT u.lexeme FROM unnest(to_tsvector('relais_fr', $1)) AS u)
       ),
       scored AS (
         SELECT p.chunk_seq, sum(q.idf * p.tf * ${K1 + 1}::float8 / (p.tf + ${K1}::float8 * (${1 - B}::float8 + ${B}::float8 * p.len / stats.avgdl))) AS score
         FROM q JOIN chunk_postings p ON p.lexeme_id = q.id CROSS JOIN stats${filter.sql ? ' JOIN recit_chunks c ON c.seq = p.chunk_seq' : ''}
         WHERE (q.postings <= $3 OR q.rank <= ${MIN_TERMS})${filter.sql}
         GROUP BY p.chunk_seq
         ORDER BY score DESC, p.chunk_seq
         LIMIT $2
       )
       SELECT c.id, c.recit_id AS "recitId", c.ordinal, c.heading, c.text, c.content_hash AS "contentHash", c.token_count AS "tokenCount",
              c.sector, c.author_role AS "authorRole", c.year, c.themes, c.language, c.quotable, c.embedding_model AS "embeddingModel",
              scored.score::float AS score
       FROM scored JOIN recit_chunks c ON c.seq = scored.chunk_seq
       ORDER BY scored.score DESC, c.id`,
      terms.join(' '),
      k,
      POSTINGS_BUDGET,
      ...filter.params,
    );
    return rows.map(({ score, ...chunk }) => ({ chunkId: chunk.id, recitId: chunk.recitId, score: Number(score), chunk: toChunk(chunk) }));
  }

  async recitIdsMatching(filters: RetrievalFilters): Promise<string[]> {
    const filter = filterSql(filters, 1);
    const rows = await this.prisma.$queryRawUnsafe<{ recit_id: string }[]>(
      `SELECT DISTINCT c.recit_id FROM recit_chunks c WHERE true${filter.sql}`,
      ...filter.params,
    );
    return rows.map((r) => r.recit_id);
  }

  async optimize(): Promise<void> {
    // VACUUM also sets the visibility map that lets searches read postings from the index alone.
    await this.prisma.$executeRawUnsafe('VACUUM (ANALYZE) recit_chunks, chunk_postings, lexemes');
  }

  async statistics(): Promise<CorpusStatistics> {
    const recits = await this.prisma.recit.findMany({ select: { consentStatus: true, chunkCount: true, sector: true, authorRole: true, themes: true } });
    const chunks = await this.prisma.recitChunk.count();
    const embeddedChunks = await this.prisma.recitChunk.count({ where: { embeddingModel: { not: null } } });
    const tally = (values: string[]): Record<string, number> =>
      values.reduce<Record<string, number>>((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {});
    const retrievable = recits.filter((r) => r.chunkCount > 0);
    return {
      recits: recits.length,
      retrievable: retrievable.length,
      withdrawn: recits.filter((r) => r.consentStatus === 'withdrawn').length,
      chunks,
      embeddedChunks,
      bySector: tally(retrievable.map((r) => r.sector)),
      byRole: tally(retrievable.map((r) => r.authorRole)),
      byTheme: tally(retrievable.flatMap((r) => r.themes)),
    };
  }
}
