/**
 * Storage of the récit corpus and its lexical search. Implementations:
 * `adapters/store/prisma` (PostgreSQL French full-text search: unaccent +
 * french_stem, BM25 scoring) and `adapters/memory` (a simplified twin for
 * unit tests). Chunks exist only for récits whose consent covers retrieval:
 * what is not stored cannot be retrieved.
 */
import type { PiiFinding } from '../corpus/pii-scrubber.js';
import type { AuthorRole, RecitMetadata } from '../corpus/recit.js';

export interface StoredRecit extends RecitMetadata {
  sourcePath: string | null;
  /** Hash of what is indexed (title + scrubbed text + chunking options). */
  contentHash: string;
  /** Hash of the metadata read from the file. */
  metadataHash: string;
  scrubReport: PiiFinding[];
  chunkCount: number;
  ingestedAt: Date;
  updatedAt: Date;
  /** Set by a withdrawal command; stronger than the file until a newer consent. */
  withdrawnAt: Date | null;
}

export interface ChunkRecord {
  /** "<recitId>#<ordinal>" */
  id: string;
  recitId: string;
  ordinal: number;
  /** The récit title, searched with more weight than the text. */
  heading: string;
  text: string;
  contentHash: string;
  tokenCount: number;
  sector: string;
  authorRole: AuthorRole;
  year: number;
  themes: string[];
  language: string;
  quotable: boolean;
  embeddingModel: string | null;
}

/** Metadata filters; each given list matches any of its values. */
export interface RetrievalFilters {
  sectors?: string[];
  roles?: AuthorRole[];
  themes?: string[];
  languages?: string[];
}

export interface LexicalHit {
  chunkId: string;
  recitId: string;
  score: number;
  /** The passage itself, when the implementation loads it with the hit (saves a round trip). */
  chunk?: ChunkRecord;
}

export interface CorpusStatistics {
  recits: number;
  retrievable: number;
  withdrawn: number;
  chunks: number;
  embeddedChunks: number;
  bySector: Record<string, number>;
  byRole: Record<string, number>;
  byTheme: Record<string, number>;
}

export interface CorpusRepository {
  getRecit(id: string): Promise<StoredRecit | null>;
  listRecits(): Promise<StoredRecit[]>;
  /**
   * Creates or replaces a récit's metadata. When `chunks` is given, the
   * récit's chunks are replaced by them in the same transaction; `[]`
   * removes them (consent no longer covers retrieval).
   */
  saveRecit(recit: StoredRecit, chunks?: ChunkRecord[]): Promise<void>;
  /**
   * Copies changed metadata (sector, role, year, themes, language, quotable)
   * onto the récit's existing chunks — no re-chunking, no re-embedding. The
   * title is indexed text, part of the content hash: a new title re-chunks.
   */
  refreshChunkMetadata(recitId: string): Promise<void>;
  /** Marks a récit withdrawn and deletes its chunks; returns how many chunks went. */
  withdraw(recitId: string, at: Date): Promise<number>;
  getChunks(ids: string[]): Promise<ChunkRecord[]>;
  /** Chunks not yet embedded with `model`, by récit id then position. */
  chunksToEmbed(model: string, limit: number): Promise<ChunkRecord[]>;
  markEmbedded(chunkIds: string[], model: string): Promise<void>;
  /** BM25 over the French full-text index; filters applied before ranking. */
  searchLexical(text: string, k: number, filters?: RetrievalFilters): Promise<LexicalHit[]>;
  /** Ids of retrievable récits matching the filters (to restrict vector search). */
  recitIdsMatching(filters: RetrievalFilters): Promise<string[]>;
  statistics(): Promise<CorpusStatistics>;
  /** Refreshes storage statistics after a large change, so searches stay on their fast plan. */
  optimize(): Promise<void>;
}
