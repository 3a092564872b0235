/**
 * Opens the database: embedded PGlite in the data directory when no URL is
 * given, PostgreSQL otherwise. Both get the same Prisma Client, the same
 * migrations and a raw SQL executor.
 */
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { vector } from '@electric-sql/pglite-pgvector';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { UnavailableError } from '../../../core/errors.js';
import type { HealthProbe } from '../../../core/ports/health.js';
import { PrismaClient } from '../../../generated/prisma/client.js';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';
import { pgliteExecutor, poolExecutor, type SqlExecutor } from './sql-executor.js';

export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseOptions {
  /** postgres:// URL; absent means embedded PGlite under `dataDir`. */
  url?: string;
  /** Data directory of the instance (PGlite files live in `<dataDir>/pglite`). */
  dataDir: string;
  /** Maximum PostgreSQL connections of this process (default 10). */
  poolSize?: number;
}

export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
  sql: SqlExecutor;
  /** Where the data is, without credentials. */
  location: string;
  health: HealthProbe;
  close(): Promise<void>;
}

export function pgliteDirectory(dataDir: string): string {
  return join(dataDir, 'pglite');
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url ? openPostgres(options.url, options.poolSize ?? 10) : openPGlite(options.dataDir);
}

async function openPGlite(dataDir: string): Promise<Database> {
  const directory = pgliteDirectory(dataDir);
  const lock: DataDirLock = await acquireDataDirLock(dataDir);
  let db: PGlite;
  try {
    // unaccent for French search; pgvector for dense vectors (always available embedded).
    db = await PGlite.create(directory, { extensions: { unaccent, vector } });
  } catch (cause) {
    await lock.release();
    throw new UnavailableError('db.unavailable', `cannot open the embedded database in ${directory}`, { cause });
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
  const sql = pgliteExecutor(db);
  return {
    kind: 'pglite',
    prisma,
    sql,
    location: directory,
    health: sqlProbe(sql, 'PGlite (embedded)'),
    async close() {
      await prisma.$disconnect();
      await db.close();
      await lock.release();
    },
  };
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000 });
  // An idle client losing its server must not crash the process; queries will report it.
  pool.on('error', () => undefined);
  const sql = poolExecutor(pool);
  try {
    await sql.query('SELECT 1');
  } catch (cause) {
    await pool.end();
    throw new UnavailableError('db.unavailable', `cannot connect to PostgreSQL at ${redactUrl(url)}: ${(cause as Error).message}`, { cause });
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    kind: 'postgres',
    prisma,
    sql,
    location: redactUrl(url),
    health: sqlProbe(sql, 'PostgreSQL'),
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

function sqlProbe(sql: SqlExecutor, label: string): HealthProbe {
  return {
    name: 'database',
    async check() {
      const [row] = await sql.query<{ version: string }>(`SELECT current_setting('server_version') AS version`);
      return `${label} ${row?.version ?? ''}`.trim();
    },
  };
}

/** The URL without its password, for logs and `relais doctor`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}
