/**
 * Opens the database: embedded PGlite in the data directory when no URL is
 * given, PostgreSQL otherwise. Both get the same Prisma Client, the same
 * migrations and a raw SQL executor.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { vector } from '@electric-sql/pglite-pgvector';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { UnavailableError } from '../../../core/errors.js';
import type { HealthProbe } from '../../../core/ports/health.js';
import { PrismaClient } from '../../../generated/prisma/client.js';
import { PGliteWireServer } from './pglite-wire-server.js';
import { acquireDataDirLock, readLockOwner, type DataDirLock } from './data-dir-lock.js';
import { poolExecutor, type SqlExecutor } from './sql-executor.js';

export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseOptions {
  /** postgres:// URL; absent means embedded PGlite under `dataDir`. */
  url?: string;
  /** Data directory of the instance (PGlite files live in `<dataDir>/pglite`). */
  dataDir: string;
  /** Maximum PostgreSQL connections of this process (default 10). */
  poolSize?: number;
  /**
   * Embedded only: when another Relais process holds the data directory,
   * connect to it (command-line tools) instead of refusing (a second server
   * would run the single-instance job runner twice).
   */
  shareWithRunning?: boolean;
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
  return options.url
    ? openPostgres(options.url, options.poolSize ?? 10)
    : openPGlite(options.dataDir, Math.min(options.poolSize ?? 10, 16), options.shareWithRunning ?? false);
}

/**
 * Embedded PGlite is one process per data directory, yet the CLI must work
 * while the bot runs (a curator withdrawing a récit cannot wait for a
 * restart). So the process that owns the files serves them over a local
 * PostgreSQL socket (`PGliteWireServer`, which gives each client whole
 * exchanges and keeps transactions apart), and every user of the database —
 * this process included, through a normal `pg` pool — connects to it. Another process finds the socket in
 * the data directory and connects too.
 */
async function openPGlite(dataDir: string, poolSize: number, shareWithRunning: boolean): Promise<Database> {
  const running = shareWithRunning ? await readSharedEndpoint(dataDir) : null;
  if (running) return connectToShared(running, dataDir, poolSize);
  const directory = pgliteDirectory(dataDir);
  const lock: DataDirLock = await acquireDataDirLock(dataDir);
  let db: PGlite | undefined;
  let server: PGliteWireServer | undefined;
  try {
    // unaccent for French search; pgvector for dense vectors (always available embedded).
    db = await PGlite.create(directory, { extensions: { unaccent, vector } });
    const endpoint = await endpointFor(dataDir);
    server = new PGliteWireServer({ db, listen: endpoint.kind === 'unix' ? { path: endpoint.path } : { port: 0 } });
    const listening = await server.start();
    const shared: SharedEndpoint = endpoint.kind === 'unix' ? endpoint : { kind: 'tcp', port: listening.port! };
    await writeFile(join(dataDir, ENDPOINT_FILE), JSON.stringify({ ...shared, pid: process.pid }), { mode: 0o600 });
    const opened = await connectToShared(shared, dataDir, poolSize);
    const ownedDb = db;
    const ownedServer = server;
    return {
      ...opened,
      location: directory,
      health: sqlProbe(opened.sql, 'PGlite (embedded)'),
      async close() {
        await opened.close();
        await ownedServer.stop();
        await ownedDb.close();
        await rm(join(dataDir, ENDPOINT_FILE), { force: true });
        await lock.release();
      },
    };
  } catch (cause) {
    await server?.stop().catch(() => undefined);
    await db?.close().catch(() => undefined);
    await lock.release();
    throw new UnavailableError('db.unavailable', `cannot open the embedded database in ${directory}: ${(cause as Error).message}`, { cause });
  }
}

const ENDPOINT_FILE = 'pglite.endpoint';
const SOCKET_PORT = 5432;
/** Unix socket paths are limited to ~107 bytes; beyond, fall back to loopback TCP. */
const MAX_SOCKET_PATH = 100;

type SharedEndpoint = { kind: 'unix'; dir: string; path: string } | { kind: 'tcp'; port: number };

async function endpointFor(dataDir: string): Promise<SharedEndpoint> {
  const dir = resolve(dataDir);
  const path = join(dir, `.s.PGSQL.${SOCKET_PORT}`);
  if (path.length > MAX_SOCKET_PATH) return { kind: 'tcp', port: 0 };
  await rm(path, { force: true });
  return { kind: 'unix', dir, path };
}

/** The endpoint of a live Relais process serving this data directory, if any. */
async function readSharedEndpoint(dataDir: string): Promise<SharedEndpoint | null> {
  const owner = await readLockOwner(dataDir);
  if (owner === null || owner === process.pid) return null;
  try {
    const endpoint = JSON.parse(await readFile(join(dataDir, ENDPOINT_FILE), 'utf8')) as SharedEndpoint & { pid?: number };
    return endpoint.pid === owner ? endpoint : null;
  } catch {
    return null;
  }
}

async function connectToShared(endpoint: SharedEndpoint, dataDir: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({
    ...(endpoint.kind === 'unix' ? { host: endpoint.dir, port: SOCKET_PORT } : { host: '127.0.0.1', port: endpoint.port }),
    user: 'postgres',
    database: 'postgres',
    max: poolSize,
    connectionTimeoutMillis: 5000,
  });
  pool.on('error', () => undefined);
  const sql = poolExecutor(pool);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const directory = pgliteDirectory(dataDir);
  return {
    kind: 'pglite',
    prisma,
    sql,
    location: directory,
    health: sqlProbe(sql, 'PGlite (embedded)'),
    async close() {
      await prisma.$disconnect();
      await pool.end();
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
