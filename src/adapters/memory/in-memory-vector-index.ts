/**
 * `VectorIndex` in memory: exact cosine search over every stored vector.
 *
 * It is the reference implementation of the contract
 * (`test/contract/vector-index.contract.ts`): the rules every implementation
 * follows are exported from here (`prepareVectorRecords`, `prepareVectorQuery`)
 * so other adapters validate exactly the same way.
 *
 * Vectors are normalised once at insert and kept as `Float32Array` (4 bytes a
 * component, like pgvector's `vector` and Chroma), so a search is one dot
 * product per record.
 */
import { RelaisError, ValidationError } from '../../core/errors.js';
import type { VectorHit, VectorIndex, VectorQuery, VectorRecord } from '../../core/ports/vector-index.js';

/** mistral-embed vectors have 1024 components. */
export const DEFAULT_VECTOR_DIMENSIONS = 1024;

export interface InMemoryVectorIndexOptions {
  /**
   * Number of components of every vector, fixed for the life of the index
   * (default 1024, mistral-embed). Vectors of another length are rejected with
   * `vector.invalid`.
   */
  dimensions?: number;
}

/** A record that passed validation, with its vector scaled to length 1. */
export interface PreparedVectorRecord {
  chunkId: string;
  recitId: string;
  unit: Float32Array;
}

/** A query that passed validation, with its vector scaled to length 1. */
export interface PreparedVectorQuery {
  unit: Float32Array;
  k: number;
  /** Distinct récit ids, or undefined for "all récits". An empty array means "no récit": no hits. */
  recitIds: string[] | undefined;
}

function invalid(message: string, details: Record<string, unknown>): ValidationError {
  return new ValidationError('vector.invalid', message, details);
}

/** Validates the `dimensions` option at construction: a bad value is a deployment mistake, not a runtime one. */
export function checkDimensions(dimensions: number): number {
  if (!Number.isInteger(dimensions) || dimensions < 1) {
    throw new RelaisError('config.invalid', `vector index dimensions must be a positive integer, got ${String(dimensions)}`, {
      details: { dimensions },
    });
  }
  return dimensions;
}

/**
 * Validates one vector and returns it scaled to length 1, in float32.
 *
 * Rejected (`vector.invalid`): not an array, wrong length, a non-finite
 * component, and the zero vector (it has no direction, so no cosine).
 * Scaling by the largest component first keeps the norm finite for very
 * large or very small values.
 */
export function toUnitVector(vector: unknown, dimensions: number, field: string): Float32Array {
  if (!Array.isArray(vector)) throw invalid(`${field} must be an array of numbers`, { field });
  if (vector.length !== dimensions) {
    throw invalid(`${field} has ${vector.length} dimensions, the index has ${dimensions}`, {
      field,
      expected: dimensions,
      actual: vector.length,
    });
  }
  let largest = 0;
  for (let i = 0; i < vector.length; i++) {
    const x: unknown = vector[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw invalid(`${field} has a non-finite component at index ${i}`, { field, index: i });
    }
    largest = Math.max(largest, Math.abs(x));
  }
  if (largest === 0) throw invalid(`${field} is the zero vector, which has no direction`, { field });
  let sumOfSquares = 0;
  for (const x of vector as number[]) sumOfSquares += (x / largest) ** 2;
  const norm = Math.sqrt(sumOfSquares) * largest;
  const unit = new Float32Array(dimensions);
  for (let i = 0; i < dimensions; i++) unit[i] = (vector[i] as number) / norm;
  return unit;
}

/** Chunk and récit ids: non-empty strings, else `vector.invalid`. */
export function checkVectorId(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) throw invalid(`${field} must be a non-empty string`, { field });
  return value;
}

/**
 * Validates a whole batch before anything is written (a batch with one bad
 * record writes nothing), and keeps the last record when a chunk id repeats:
 * Chroma and PostgreSQL's `ON CONFLICT` both refuse a batch with the same key
 * twice, so "last wins" is decided here once for every implementation.
 */
export function prepareVectorRecords(records: readonly VectorRecord[], dimensions: number): PreparedVectorRecord[] {
  if (!Array.isArray(records)) throw invalid('records must be an array', { field: 'records' });
  const byChunk = new Map<string, PreparedVectorRecord>();
  records.forEach((record, i) => {
    const chunkId = checkVectorId(record?.chunkId, `records[${i}].chunkId`);
    const recitId = checkVectorId(record?.recitId, `records[${i}].recitId`);
    const unit = toUnitVector(record.vector, dimensions, `records[${i}].vector`);
    byChunk.delete(chunkId); // re-insert so the batch keeps the order of last occurrence
    byChunk.set(chunkId, { chunkId, recitId, unit });
  });
  return [...byChunk.values()];
}

/** Validates a query: a valid vector, `k` a positive integer, `recitIds` strings. */
export function prepareVectorQuery(query: VectorQuery, dimensions: number): PreparedVectorQuery {
  const unit = toUnitVector(query?.vector, dimensions, 'query.vector');
  if (!Number.isInteger(query.k) || query.k < 1) {
    throw invalid(`query.k must be a positive integer, got ${String(query.k)}`, { field: 'query.k' });
  }
  let recitIds: string[] | undefined;
  if (query.recitIds !== undefined) {
    if (!Array.isArray(query.recitIds)) throw invalid('query.recitIds must be an array', { field: 'query.recitIds' });
    recitIds = [...new Set(query.recitIds.map((id, i) => checkVectorId(id, `query.recitIds[${i}]`)))];
  }
  return { unit, k: query.k, recitIds };
}

/** Dot product of two unit vectors: their cosine similarity, clamped to [-1, 1] against float32 rounding. */
export function cosineOfUnits(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] as number) * (b[i] as number);
  return Math.max(-1, Math.min(1, dot));
}

interface StoredVector {
  recitId: string;
  unit: Float32Array;
}

export class InMemoryVectorIndex implements VectorIndex {
  readonly dimensions: number;
  readonly description: string;
  private readonly vectors = new Map<string, StoredVector>();

  constructor(options: InMemoryVectorIndexOptions = {}) {
    this.dimensions = checkDimensions(options.dimensions ?? DEFAULT_VECTOR_DIMENSIONS);
    this.description = `in memory (exact, cosine, ${this.dimensions} dimensions)`;
  }

  async upsert(records: VectorRecord[]): Promise<void> {
    for (const { chunkId, recitId, unit } of prepareVectorRecords(records, this.dimensions)) {
      this.vectors.set(chunkId, { recitId, unit });
    }
  }

  async deleteRecit(recitId: string): Promise<number> {
    checkVectorId(recitId, 'recitId');
    let deleted = 0;
    for (const [chunkId, stored] of this.vectors) {
      if (stored.recitId === recitId) {
        this.vectors.delete(chunkId);
        deleted++;
      }
    }
    return deleted;
  }

  async search(query: VectorQuery): Promise<VectorHit[]> {
    const { unit, k, recitIds } = prepareVectorQuery(query, this.dimensions);
    const allowed = recitIds ? new Set(recitIds) : undefined;
    if (allowed?.size === 0) return [];
    const hits: VectorHit[] = [];
    for (const [chunkId, stored] of this.vectors) {
      if (allowed && !allowed.has(stored.recitId)) continue;
      hits.push({ chunkId, recitId: stored.recitId, score: cosineOfUnits(unit, stored.unit) });
    }
    // Ties broken by chunk id so results are stable from one call to the next.
    hits.sort((a, b) => b.score - a.score || (a.chunkId < b.chunkId ? -1 : a.chunkId > b.chunkId ? 1 : 0));
    return hits.slice(0, k);
  }

  async count(): Promise<number> {
    return this.vectors.size;
  }
}
