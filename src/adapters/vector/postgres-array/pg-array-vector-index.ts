/**
 * Dense vectors on a PostgreSQL server without pgvector: vectors are kept in
 * the database (float32 bytes) and searched exactly in this process, from a
 * copy reloaded whenever another writer changed the table (a version row
 * bumped in the same transaction as every write). Exact search costs about
 * 1 ms per 2,000 chunks (1024 dimensions); beyond some 50,000 chunks, install
 * pgvector or use Chroma (`VECTOR_STORE`).
 */
import type { VectorHit, VectorIndex, VectorQuery, VectorRecord } from '../../../core/ports/vector-index.js';
import { checkDimensions, cosineOfUnits, DEFAULT_VECTOR_DIMENSIONS, prepareVectorQuery, prepareVectorRecords } from '../../memory/in-memory-vector-index.js';
import type { SqlExecutor } from '../../store/prisma/sql-executor.js';

export const ARRAY_VECTOR_TABLE = 'vector_chunks_array';

interface Snapshot {
  version: string;
  ids: string[];
  recits: string[];
  units: Float32Array[];
}

const toBytes = (unit: Float32Array): Buffer => Buffer.from(unit.buffer, unit.byteOffset, unit.byteLength);

export class PgArrayVectorIndex implements VectorIndex {
  readonly description: string;
  private readonly dimensions: number;
  private snapshot: Snapshot | undefined;

  constructor(
    private readonly sql: SqlExecutor,
    dimensions: number = DEFAULT_VECTOR_DIMENSIONS,
  ) {
    this.dimensions = checkDimensions(dimensions);
    this.description = `PostgreSQL without pgvector: exact search in process (${this.dimensions} dimensions)`;
  }

  async start(): Promise<void> {
    await this.sql.exec(`
      CREATE TABLE IF NOT EXISTS ${ARRAY_VECTOR_TABLE} (
        chunk_id TEXT PRIMARY KEY,
        recit_id TEXT NOT NULL,
        embedding BYTEA NOT NULL
      );
      CREATE INDEX IF NOT EXISTS ${ARRAY_VECTOR_TABLE}_recit_idx ON ${ARRAY_VECTOR_TABLE} (recit_id);
      CREATE TABLE IF NOT EXISTS ${ARRAY_VECTOR_TABLE}_version (id INTEGER PRIMARY KEY, version BIGINT NOT NULL);
      INSERT INTO ${ARRAY_VECTOR_TABLE}_version (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
    `);
  }

  async upsert(records: VectorRecord[]): Promise<void> {
    const prepared = prepareVectorRecords(records, this.dimensions);
    if (prepared.length === 0) return;
    await this.sql.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO ${ARRAY_VECTOR_TABLE} (chunk_id, recit_id, embedding)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[])
         ON CONFLICT (chunk_id) DO UPDATE SET recit_id = EXCLUDED.recit_id, embedding = EXCLUDED.embedding`,
        [prepared.map((r) => r.chunkId), prepared.map((r) => r.recitId), prepared.map((r) => toBytes(r.unit))],
      );
      await tx.query(`UPDATE ${ARRAY_VECTOR_TABLE}_version SET version = version + 1 WHERE id = 1`);
    });
  }

  async deleteRecit(recitId: string): Promise<number> {
    return this.sql.transaction(async (tx) => {
      const rows = await tx.query<{ n: number }>(`WITH d AS (DELETE FROM ${ARRAY_VECTOR_TABLE} WHERE recit_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM d`, [recitId]);
      if (rows[0]!.n > 0) await tx.query(`UPDATE ${ARRAY_VECTOR_TABLE}_version SET version = version + 1 WHERE id = 1`);
      return rows[0]!.n;
    });
  }

  async search(query: VectorQuery): Promise<VectorHit[]> {
    const prepared = prepareVectorQuery(query, this.dimensions);
    if (prepared.recitIds?.length === 0) return [];
    const snapshot = await this.current();
    const allowed = prepared.recitIds ? new Set(prepared.recitIds) : undefined;
    const hits: VectorHit[] = [];
    for (let i = 0; i < snapshot.ids.length; i++) {
      if (allowed && !allowed.has(snapshot.recits[i]!)) continue;
      hits.push({ chunkId: snapshot.ids[i]!, recitId: snapshot.recits[i]!, score: cosineOfUnits(prepared.unit, snapshot.units[i]!) });
    }
    return hits.sort((a, b) => b.score - a.score || a.chunkId.localeCompare(b.chunkId)).slice(0, prepared.k);
  }

  async count(): Promise<number> {
    return (await this.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${ARRAY_VECTOR_TABLE}`))[0]!.n;
  }

  /** The in-process copy, reloaded when the version row moved. */
  private async current(): Promise<Snapshot> {
    const [row] = await this.sql.query<{ version: string }>(`SELECT version::text AS version FROM ${ARRAY_VECTOR_TABLE}_version WHERE id = 1`);
    if (this.snapshot?.version === row!.version) return this.snapshot;
    const rows = await this.sql.query<{ chunk_id: string; recit_id: string; embedding: Buffer | Uint8Array }>(
      `SELECT chunk_id, recit_id, embedding FROM ${ARRAY_VECTOR_TABLE}`,
    );
    this.snapshot = {
      version: row!.version,
      ids: rows.map((r) => r.chunk_id),
      recits: rows.map((r) => r.recit_id),
      units: rows.map((r) => {
        // Copy into an aligned buffer: a Float32Array view needs a 4-byte aligned offset.
        const bytes = Uint8Array.from(r.embedding);
        return new Float32Array(bytes.buffer, 0, this.dimensions);
      }),
    };
    return this.snapshot;
  }
}
