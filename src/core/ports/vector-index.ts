/**
 * Dense-vector search over corpus chunks. Implementations: pgvector
 * (PGlite, PostgreSQL with the extension), a PostgreSQL path without it,
 * Chroma (`VECTOR_STORE=chroma`), and in memory. One contract suite runs
 * on all (`test/contract/vector-index.contract.ts`).
 */
export interface VectorRecord {
  chunkId: string;
  recitId: string;
  /** Unit-length or not: implementations compare by cosine similarity. */
  vector: number[];
}

export interface VectorHit {
  chunkId: string;
  recitId: string;
  /** Cosine similarity, higher is closer (−1 to 1). */
  score: number;
}

export interface VectorQuery {
  vector: number[];
  k: number;
  /** Only chunks of these récits (consent and metadata filters are applied by the caller this way). */
  recitIds?: string[];
}

export interface VectorIndex {
  /** Short description for `relais doctor`, e.g. "pgvector (HNSW, cosine)". */
  readonly description: string;
  /** Inserts or replaces vectors by chunk id. */
  upsert(records: VectorRecord[]): Promise<void>;
  /** Removes every vector of a récit (consent withdrawal, re-ingest); returns how many. */
  deleteRecit(recitId: string): Promise<number>;
  search(query: VectorQuery): Promise<VectorHit[]>;
  count(): Promise<number>;
}
