/**
 * The vector index contract on the PostgreSQL paths. The contract wants a
 * fresh index per test; opening a database per test would cost seconds, so
 * each runner opens one database and empties the index table between tests.
 */
import { PgArrayVectorIndex, ARRAY_VECTOR_TABLE } from '../../src/adapters/vector/postgres-array/pg-array-vector-index.js';
import { PgVectorIndex, PGVECTOR_TABLE } from '../../src/adapters/vector/pgvector/pg-vector-index.js';
import type { VectorIndex } from '../../src/core/ports/vector-index.js';
import { openMigratedDatabase, type TestDatabase } from '../support/databases.js';
import { describeWith, postgresAvailability } from '../support/services.js';
import { vectorIndexContract } from './vector-index.contract.js';

function sharedDatabase(kind: 'pglite' | 'postgres', table: string, create: (db: TestDatabase) => VectorIndex & { start(): Promise<void> }) {
  let database: Promise<TestDatabase> | undefined;
  afterAll(async () => {
    if (database) await (await database).cleanup();
  });
  return async () => {
    database ??= openMigratedDatabase(kind);
    const db = await database;
    const index = create(db);
    await index.start();
    // A version row (array index) must move too, or a cached copy would survive the truncation.
    await db.database.sql.exec(`TRUNCATE ${table}`);
    if (table === ARRAY_VECTOR_TABLE) await db.database.sql.exec(`UPDATE ${ARRAY_VECTOR_TABLE}_version SET version = version + 1`);
    return { index, cleanup: async () => undefined };
  };
}

describe('pgvector on embedded PGlite', () => {
  vectorIndexContract('pgvector on embedded PGlite', sharedDatabase('pglite', PGVECTOR_TABLE, (db) => new PgVectorIndex(db.database.sql)));
});

describe('array index on embedded PGlite', () => {
  vectorIndexContract(
    'PostgreSQL without pgvector (bytea + exact search in process), on PGlite',
    sharedDatabase('pglite', ARRAY_VECTOR_TABLE, (db) => new PgArrayVectorIndex(db.database.sql)),
  );
});

describeWith('PostgreSQL', await postgresAvailability())('PostgreSQL server', () => {
  vectorIndexContract(
    'PostgreSQL without pgvector (bytea + exact search in process)',
    sharedDatabase('postgres', ARRAY_VECTOR_TABLE, (db) => new PgArrayVectorIndex(db.database.sql)),
  );
});
