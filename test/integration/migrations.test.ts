/**
 * The migration runner on both engines: applies once, records rows exactly
 * as Prisma does, is idempotent and safe under concurrent starts, and never
 * leaves a half-applied migration behind.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSilentLogger } from '../../src/adapters/log/pino-logger.js';
import { openDatabase, type Database } from '../../src/adapters/store/prisma/database.js';
import { migrate, readMigrations } from '../../src/adapters/store/prisma/migrator.js';
import { MIGRATIONS_DIR } from '../../src/main.js';
import { createPostgresDatabase } from '../support/databases.js';
import { describeWith, postgresAvailability } from '../support/services.js';

const logger = createSilentLogger();

interface Engine {
  open(): Promise<{ database: Database; reopen(): Promise<Database>; cleanup(): Promise<void> }>;
}

const pglite: Engine = {
  async open() {
    const dataDir = await mkdtemp(join(tmpdir(), 'relais-migrations-'));
    return {
      database: await openDatabase({ dataDir }),
      reopen: () => openDatabase({ dataDir }),
      cleanup: () => rm(dataDir, { recursive: true, force: true }),
    };
  },
};

const postgres: Engine = {
  async open() {
    const created = await createPostgresDatabase();
    return {
      database: await openDatabase({ url: created.url, dataDir: tmpdir() }),
      reopen: () => openDatabase({ url: created.url, dataDir: tmpdir() }),
      cleanup: created.drop,
    };
  },
};

async function migrationsWith(extra: { name: string; sql: string }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'relais-migration-files-'));
  for (const migration of await readMigrations(MIGRATIONS_DIR)) {
    await mkdir(join(dir, migration.name));
    await writeFile(join(dir, migration.name, 'migration.sql'), migration.sql);
  }
  await mkdir(join(dir, extra.name));
  await writeFile(join(dir, extra.name, 'migration.sql'), extra.sql);
  return dir;
}

function migrationSuite(name: string, engine: Engine): void {
  describe(`migrations on ${name}`, () => {
    it('applies every migration once and records it as Prisma does', async () => {
      const { database, reopen, cleanup } = await engine.open();
      try {
        const files = await readMigrations(MIGRATIONS_DIR);
        const first = await migrate(database.sql, files, logger);
        expect(first.applied).toEqual(files.map((f) => f.name));
        const rows = await database.sql.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number; rolled_back_at: Date | null }>(
          'SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at FROM "_prisma_migrations" ORDER BY migration_name',
        );
        for (const [i, file] of files.entries()) {
          const bytes = await readFile(join(MIGRATIONS_DIR, file.name, 'migration.sql'));
          expect(rows[i]).toMatchObject({
            migration_name: file.name,
            checksum: createHash('sha256').update(bytes).digest('hex'),
            applied_steps_count: 1,
            rolled_back_at: null,
          });
          expect(rows[i]!.finished_at).not.toBeNull();
        }
        await database.close();

        // A restart (new process, same data) applies nothing again.
        const again = await reopen();
        const second = await migrate(again.sql, files, logger);
        expect(second).toEqual({ applied: [], alreadyApplied: files.map((f) => f.name) });
        expect(await again.sql.query('SELECT 1 FROM "_prisma_migrations"')).toHaveLength(files.length);
        await again.close();
      } finally {
        await cleanup();
      }
    });

    it('rolls a failing migration back entirely and says which one failed', async () => {
      const { database, cleanup } = await engine.open();
      try {
        const dir = await migrationsWith({
          name: '29990101000000_broken',
          sql: 'CREATE TABLE half_done (id int);\nTHIS IS NOT SQL;',
        });
        await expect(migrate(database.sql, await readMigrations(dir), logger)).rejects.toMatchObject({
          code: 'db.migration_failed',
          message: expect.stringContaining('29990101000000_broken'),
        });
        const tables = await database.sql.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'`);
        expect(tables).toHaveLength(0);
        const recorded = await database.sql.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = '_prisma_migrations'`,
        );
        // All-or-nothing: nothing of this run is recorded (the table itself may not exist).
        if (recorded[0]!.n > 0) {
          expect(await database.sql.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '29990101000000_broken'`)).toHaveLength(0);
        }
        await rm(dir, { recursive: true, force: true });
        await database.close();
      } finally {
        await cleanup();
      }
    });
  });
}

migrationSuite('embedded PGlite', pglite);

describeWith('PostgreSQL', await postgresAvailability())('PostgreSQL server', () => {
  migrationSuite('PostgreSQL', postgres);

  it('applies each migration once when several instances start together', async () => {
    const { database, reopen, cleanup } = await postgres.open();
    const others = [await reopen(), await reopen()];
    try {
      const files = await readMigrations(MIGRATIONS_DIR);
      const reports = await Promise.all([database, ...others].map((db) => migrate(db.sql, files, logger)));
      expect(reports.flatMap((r) => r.applied).sort()).toEqual(files.map((f) => f.name).sort());
      expect(await database.sql.query('SELECT 1 FROM "_prisma_migrations"')).toHaveLength(files.length);
    } finally {
      for (const db of [database, ...others]) await db.close();
      await cleanup();
    }
  });
});
