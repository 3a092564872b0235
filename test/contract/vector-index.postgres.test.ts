import { PgArrayVectorIndex } from '../../src/adapters/vector/postgres-array/pg-array-vector-index.js';
import { PgVectorIndex } from '../../src/adapters/vector/pgvector/pg-vector-index.js';
import { openMigratedDatabase } from '../support/databases.js';
import { describeWith, postgresAvailability } from '../support/services.js';
import { vectorIndexContract } from './vector-index.contract.js';

vectorIndexContract('pgvector on embedded PGlite', async () => {
  const { database, cleanup } = await openMigratedDatabase('pglite');
  const index = new PgVectorIndex(database.sql);
  await index.start();
  return { index, cleanup };
});

vectorIndexContract('PostgreSQL without pgvector (bytea + exact search in process), on PGlite', async () => {
  const { database, cleanup } = await openMigratedDatabase('pglite');
  const index = new PgArrayVectorIndex(database.sql);
  await index.start();
  return { index, cleanup };
});

describeWith('PostgreSQL', await postgresAvailability())('PostgreSQL server', () => {
  vectorIndexContract('PostgreSQL without pgvector (bytea + exact search in process)', async () => {
    const { database, cleanup } = await openMigratedDatabase('postgres');
    const index = new PgArrayVectorIndex(database.sql);
    await index.start();
    return { index, cleanup };
  });
});
