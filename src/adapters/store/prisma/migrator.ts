/**
 * Applies the committed migrations (prisma/migrations/<name>/migration.sql)
 * and records them in `_prisma_migrations` exactly as `prisma migrate
 * deploy` does (id, SHA-256 checksum of the file, timestamps, steps), so
 * Prisma's own tooling sees the database as up to date. Runs at every start:
 * already-applied migrations are skipped, and the pending ones run in one
 * transaction (all or nothing: a failure leaves the schema as it was) under
 * an advisory lock that keeps concurrent instances in line. Hence no
 * `CREATE INDEX CONCURRENTLY` in migrations.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RelaisError } from '../../../core/errors.js';
import type { Logger } from '../../../core/ports/logger.js';
import type { SqlExecutor } from './sql-executor.js';

/** Arbitrary constant shared by every Relais instance ("RELAIS" in ASCII). */
const MIGRATION_LOCK_ID = 0x52454c414953;

const PRISMA_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export async function readMigrations(directory: string): Promise<MigrationFile[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const bytes = await readFile(join(directory, name, 'migration.sql'));
      return { name, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') };
    }),
  );
}

export async function migrate(sql: SqlExecutor, migrations: MigrationFile[], logger: Logger): Promise<MigrationReport> {
  return sql.transaction(async (tx) => {
    // Transaction-scoped lock: released at commit, even if the process dies.
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID]);
    await tx.exec(PRISMA_MIGRATIONS_TABLE);
    const rows = await tx.query<AppliedRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
    );
    const report: MigrationReport = { applied: [], alreadyApplied: [] };
    for (const migration of migrations) {
      const row = rows.find((r) => r.migration_name === migration.name && r.rolled_back_at === null);
      if (row?.finished_at) {
        if (row.checksum !== migration.checksum) {
          logger.warn({ migration: migration.name }, 'applied migration file was modified since; it is not re-applied');
        }
        report.alreadyApplied.push(migration.name);
        continue;
      }
      if (row) {
        throw new RelaisError('db.migration_failed', `migration ${migration.name} started earlier and did not finish; resolve it by hand (prisma migrate resolve)`);
      }
      await applyOne(tx, migration);
      logger.info({ migration: migration.name }, 'migration applied');
      report.applied.push(migration.name);
    }
    return report;
  });
}

async function applyOne(tx: SqlExecutor, migration: MigrationFile): Promise<void> {
  const id = randomUUID();
  await tx.query(
    'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
    [id, migration.checksum, migration.name],
  );
  try {
    await tx.exec(migration.sql);
  } catch (cause) {
    throw new RelaisError('db.migration_failed', `migration ${migration.name} failed: ${(cause as Error).message}`, { cause });
  }
  await tx.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
}
