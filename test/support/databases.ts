/**
 * Real databases for integration and contract tests: embedded PGlite in a
 * temporary directory, and a fresh, migrated database on the PostgreSQL
 * server (dropped afterwards) so suites never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createSilentLogger } from '../../src/adapters/log/pino-logger.js';
import { openDatabase, type Database } from '../../src/adapters/store/prisma/database.js';
import { migrate, readMigrations } from '../../src/adapters/store/prisma/migrator.js';
import { MIGRATIONS_DIR } from '../../src/main.js';
import { TEST_POSTGRES_URL } from './services.js';

export interface TestDatabase {
  database: Database;
  /** Connection URL (PostgreSQL) or data directory (PGlite). */
  location: string;
  cleanup(): Promise<void>;
}

export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `relais_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export async function openMigratedDatabase(kind: 'pglite' | 'postgres'): Promise<TestDatabase> {
  if (kind === 'postgres') {
    const created = await createPostgresDatabase();
    const database = await openDatabase({ url: created.url, dataDir: tmpdir() });
    await migrate(database.sql, await readMigrations(MIGRATIONS_DIR), createSilentLogger());
    return {
      database,
      location: created.url,
      async cleanup() {
        await database.close();
        await created.drop();
      },
    };
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'relais-pglite-'));
  const database = await openDatabase({ dataDir });
  await migrate(database.sql, await readMigrations(MIGRATIONS_DIR), createSilentLogger());
  return {
    database,
    location: dataDir,
    async cleanup() {
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
