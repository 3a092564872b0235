/**
 * Dense vectors in PostgreSQL with the pgvector extension (always available
 * in embedded PGlite; on a server where it is installed). The table belongs
 * to this adapter and is created at `start()`: a server without pgvector
 * uses `PgArrayVectorIndex` instead, with the same committed migrations.
 *
 * HNSW index on cosine distance. Filtered searches (a few récits) scan the
 * matching rows exactly: an approximate index filtered afterwards could
 * return fewer than k results.
 */
import { UnavailableError } from '../../../core/errors.js';
import type { VectorHit, VectorIndex, VectorQuery, VectorRecord } from '../../../core/ports/vector-index.js';
import { checkDimensions, DEFAULT_VECTOR_DIMENSIONS, prepareVectorQuery, prepareVectorRecords } from '../../memory/in-memory-vector-index.js';
import type { SqlExecutor } from '../../store/prisma/sql-executor.js';

export const PGVECTOR_TABLE = 'vector_chunks_pgvector';

const literal = (unit: Float32Array): string => `[${Array.from(unit).join(',')}]`;

/** Whether the server can provide pgvector (installed, or installable by us). */
export async function pgvectorAvailable(sql: SqlExecutor): Promise<boolean> {
  // Installed already, or installable by this role: a superuser, or (for a trusted extension) a role
  // allowed to CREATE in the database. Otherwise CREATE EXTENSION would fail at start.
  const [row] = await sql.query<{ installed: boolean; available: boolean; superuser: boolean; trusted: boolean; canCreate: boolean }>(`
    SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') AS installed,
           EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS available,
           COALESCE((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false) AS superuser,
           COALESCE((SELECT bool_or(trusted) FROM pg_available_extension_versions WHERE name = 'vector'), false) AS trusted,
           has_database_privilege(current_database(), 'CREATE') AS "canCreate"`);
  if (!row) return false;
  return row.installed || (row.available && (row.superuser || (row.trusted && row.canCreate)));
}

export class PgVectorIndex implements VectorIndex {
  readonly description: string;
  private readonly dimensions: number;

  constructor(
    private readonly sql: SqlExecutor,
    dimensions: number = DEFAULT_VECTOR_DIMENSIONS,
  ) {
    this.dimensions = checkDimensions(dimensions);
    this.description = `pgvector (HNSW, cosine, ${this.dimensions} dimensions)`;
  }

  async start(): Promise<void> {
    try {
      await this.sql.exec(`
        CREATE EXTENSION IF NOT EXISTS vector;
        CREATE TABLE IF NOT EXISTS ${PGVECTOR_TABLE} (
          chunk_id TEXT PRIMARY KEY,
          recit_id TEXT NOT NULL,
          embedding vector(${this.dimensions}) NOT NULL
        );
        -- Inline storage: TOASTed vectors make the planner ignore the HNSW index.
        ALTER TABLE ${PGVECTOR_TABLE} ALTER COLUMN embedding SET STORAGE PLAIN;
        CREATE INDEX IF NOT EXISTS ${PGVECTOR_TABLE}_recit_idx ON ${PGVECTOR_TABLE} (recit_id);
        CREATE INDEX IF NOT EXISTS ${PGVECTOR_TABLE}_hnsw_idx ON ${PGVECTOR_TABLE} USING hnsw (embedding vector_cosine_ops);
      `);
    } catch (cause) {
      throw new UnavailableError('vector.unavailable', `pgvector is not usable here: ${(cause as Error).message}`, { cause });
    }
  }

  async upsert(records: VectorRecord[]): Promise<void> {
    const prepared = prepareVectorRecords(records, this.dimensions);
    if (prepared.length === 0) return;
    // One statement per batch: unnest keeps it a single round trip.
    await this.sql.query(
      `INSERT INTO ${PGVECTOR_TABLE} (chunk_id, recit_id, embedding)
       SELECT u.chunk_id, u.recit_id, u.embedding::vector
       FROM unnest($1::text[], $2::text[], $3::text[]) AS u(chunk_id, recit_id, embedding)
       ON CONFLICT (chunk_id) DO UPDATE SET recit_id = EXCLUDED.recit_id, embedding = EXCLUDED.embedding`,
      [prepared.map((r) => r.chunkId), prepared.map((r) => r.recitId), prepared.map((r) => literal(r.unit))],
    );
  }

  async deleteRecit(recitId: string): Promise<number> {
    const rows = await this.sql.query<{ n: number }>(`WITH d AS (DELETE FROM ${PGVECTOR_TABLE} WHERE recit_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM d`, [recitId]);
    return rows[0]!.n;
  }

  async search(query: VectorQuery): Promise<VectorHit[]> {
    const prepared = prepareVectorQuery(query, this.dimensions);
    if (prepared.recitIds?.length === 0) return [];
    const vector = literal(prepared.unit);
    const rows = prepared.recitIds
      ? await this.sql.query<{ chunk_id: string; recit_id: string; score: number }>(
          // OFFSET 0 keeps the filter first: an exact scan of the matching rows.
          `SELECT chunk_id, recit_id, 1 - (embedding <=> $1::vector) AS score
           FROM (SELECT * FROM ${PGVECTOR_TABLE} WHERE recit_id = ANY($2::text[]) OFFSET 0) AS subset
           ORDER BY embedding <=> $1::vector, chunk_id LIMIT $3`,
          [vector, prepared.recitIds, prepared.k],
        )
      : await this.sql.query<{ chunk_id: string; recit_id: string; score: number }>(
          `SELECT chunk_id, recit_id, 1 - (embedding <=> $1::vector) AS score
           FROM ${PGVECTOR_TABLE} ORDER BY embedding <=> $1::vector LIMIT $2`,
          [vector, prepared.k],
        );
    return rows.map((r) => ({ chunkId: r.chunk_id, recitId: r.recit_id, score: Number(r.score) }));
  }

  async count(): Promise<number> {
    return (await this.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${PGVECTOR_TABLE}`))[0]!.n;
  }
}
