/**
 * `relais doctor`: what this installation uses and what is missing —
 * configuration, data directory, database and migrations, Redis, model
 * endpoint, each chat platform. Read-only: it applies no migration and
 * never opens an embedded database that a running Relais holds.
 */
import { access, constants } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Redis } from 'ioredis';
import type { PlatformCredentials, RelaisConfig } from '../config.js';
import { readLockOwner } from '../adapters/store/prisma/data-dir-lock.js';
import { openDatabase, redactUrl } from '../adapters/store/prisma/database.js';
import { readMigrations } from '../adapters/store/prisma/migrator.js';
import type { SqlExecutor } from '../adapters/store/prisma/sql-executor.js';
import { pgvectorAvailable } from '../adapters/vector/pgvector/pg-vector-index.js';

export type CheckStatus = 'ok' | 'off' | 'warn' | 'error';

export interface DoctorCheck {
  component: string;
  status: CheckStatus;
  detail: string;
}

const TIMEOUT_MS = 5000;
const DEFAULT_MISTRAL_URL = 'https://api.mistral.ai';

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS).unref()),
  ]);
}

async function checkDataDir(config: RelaisConfig): Promise<DoctorCheck> {
  try {
    // Read-only check: an absent directory is fine if it can be created at first start.
    await access(existsSync(config.dataDir) ? config.dataDir : dirname(config.dataDir), constants.W_OK);
    const secret = config.secret ? 'secret from RELAIS_SECRET' : existsSync(join(config.dataDir, 'secret.key')) ? 'secret in secret.key' : 'secret.key will be created at first start';
    const state = existsSync(config.dataDir) ? 'writable' : 'will be created at first start';
    return { component: 'Data directory', status: 'ok', detail: `${config.dataDir} (${state}; ${secret})` };
  } catch (error) {
    return { component: 'Data directory', status: 'error', detail: `${config.dataDir}: ${(error as Error).message}` };
  }
}

async function migrationStatus(sql: SqlExecutor, migrationsDir: string): Promise<string> {
  const files = await readMigrations(migrationsDir);
  const table = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = '_prisma_migrations'`);
  const applied = table[0]!.n > 0
    ? (await sql.query<{ migration_name: string }>('SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL')).map((r) => r.migration_name)
    : [];
  const pending = files.filter((f) => !applied.includes(f.name));
  return pending.length === 0
    ? `${files.length} migration(s) applied, schema up to date`
    : `${pending.length} migration(s) pending (applied at next start, or run "relais db migrate")`;
}

/** The database, and what it says about the corpus and the vector store in use. */
async function checkDatabase(config: RelaisConfig, migrationsDir: string): Promise<DoctorCheck[]> {
  const component = 'Database';
  const retrieval = (vectors: string): DoctorCheck =>
    config.model.apiKeySet
      ? { component: 'Retrieval', status: 'ok', detail: `hybrid: French full-text (BM25) + ${config.model.embeddingModel ?? 'mistral-embed'} vectors in ${vectors}, fused by RRF` }
      : { component: 'Retrieval', status: 'off', detail: 'lexical only: French full-text (BM25); vectors need an embedding model (MISTRAL_API_KEY)' };
  if (config.database.kind === 'memory') {
    return [{ component, status: 'warn', detail: 'memory:// — nothing is kept after a restart (tests and benchmarks only)' }, retrieval('memory')];
  }
  if (config.database.kind === 'pglite' && !existsSync(join(config.dataDir, 'pglite'))) {
    return [
      { component, status: 'ok', detail: `embedded PGlite in ${config.dataDir}/pglite, created and migrated at first start` },
      retrieval(vectorStoreName(config, true)),
    ];
  }
  try {
    const database = await withTimeout(
      // A running Relais shares its embedded database: read it through the running process.
      openDatabase({ ...(config.database.url ? { url: config.database.url } : {}), dataDir: config.dataDir, poolSize: 1, shareWithRunning: true }),
      'database',
    );
    try {
      const version = await database.health.check();
      const owner = config.database.kind === 'pglite' ? await readLockOwner(config.dataDir) : null;
      const shared = owner !== null && owner !== process.pid ? ` (in use by the running Relais, pid ${owner})` : '';
      const checks: DoctorCheck[] = [
        { component, status: 'ok', detail: `${version} at ${database.location}${shared}; ${await migrationStatus(database.sql, migrationsDir)}` },
      ];
      checks.push(await corpusCheck(database.sql));
      checks.push(retrieval(vectorStoreName(config, await pgvectorAvailable(database.sql))));
      return checks;
    } finally {
      await database.close();
    }
  } catch (error) {
    return [{ component, status: 'error', detail: (error as Error).message }];
  }
}

function vectorStoreName(config: RelaisConfig, pgvector: boolean): string {
  switch (config.vectors.store) {
    case 'chroma':
      return `Chroma at ${config.vectors.chromaUrl} (collection ${config.vectors.chromaCollection})`;
    case 'memory':
      return 'memory (lost at restart)';
    case 'postgres':
      return 'PostgreSQL without pgvector (exact search in process)';
    case 'pgvector':
      return pgvector ? 'pgvector' : 'pgvector — NOT AVAILABLE on this server (install it, or set VECTOR_STORE=postgres)';
    case 'auto':
      return pgvector ? 'pgvector' : 'PostgreSQL without pgvector (exact search in process; install pgvector beyond ~50,000 passages)';
  }
}

async function corpusCheck(sql: SqlExecutor): Promise<DoctorCheck> {
  const tables = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'recits'`);
  if (tables[0]!.n === 0) return { component: 'Corpus', status: 'warn', detail: 'not created yet (migrations pending)' };
  const [row] = await sql.query<{ recits: number; retrievable: number; withdrawn: number; passages: number }>(
    `SELECT count(*)::int AS recits, count(*) FILTER (WHERE chunk_count > 0)::int AS retrievable,
            count(*) FILTER (WHERE consent_status = 'withdrawn')::int AS withdrawn,
            (SELECT count(*)::int FROM recit_chunks) AS passages FROM recits`,
  );
  return row!.retrievable > 0
    ? { component: 'Corpus', status: 'ok', detail: `${row!.recits} récit(s), ${row!.retrievable} retrievable (${row!.passages} passages), ${row!.withdrawn} withdrawn` }
    : { component: 'Corpus', status: 'warn', detail: 'no retrievable récit yet: run "relais corpus ingest <dir>" (done at start for RELAIS_CORPUS_DIR)' };
}

async function checkRedis(config: RelaisConfig): Promise<DoctorCheck> {
  const component = 'Redis (jobs)';
  if (!config.redis.url) return { component, status: 'off', detail: 'REDIS_URL not set — in-process job runner (one instance only)' };
  const redis = new Redis(config.redis.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await withTimeout(redis.connect(), 'Redis');
    const info = await redis.info('server');
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? '?';
    return { component, status: 'ok', detail: `Redis ${version} at ${redactUrl(config.redis.url)} — BullMQ, prefix "${config.redis.prefix}"` };
  } catch (error) {
    return { component, status: 'error', detail: `${redactUrl(config.redis.url)}: ${(error as Error).message}` };
  } finally {
    redis.disconnect();
  }
}

async function checkModel(config: RelaisConfig): Promise<DoctorCheck> {
  const component = 'Model endpoint';
  if (!config.model.apiKeySet) {
    return { component, status: 'off', detail: 'MISTRAL_API_KEY not set — no model: the assistant answers with quoted excerpts (extractive mode)' };
  }
  const base = (config.model.serverUrl ?? DEFAULT_MISTRAL_URL).replace(/\/$/, '');
  try {
    // Reachability only: the key is not sent by doctor.
    const res = await withTimeout(fetch(`${base}/v1/models`, { method: 'GET' }), base);
    return { component, status: 'ok', detail: `Mistral-compatible endpoint ${base} reachable (HTTP ${res.status}); key set` };
  } catch (error) {
    return { component, status: 'warn', detail: `key set, but ${base} is not reachable from here: ${(error as Error).message}` };
  }
}

function checkPlatforms(config: RelaisConfig, url: string): DoctorCheck[] {
  const web: DoctorCheck = config.web.enabled
    ? { component: 'Web chat', status: 'ok', detail: `${url}/ and ${url}/api/web${config.web.apiToken ? ' (API token required)' : ' (no API token: keep it on a trusted network)'}` }
    : { component: 'Web chat', status: 'off', detail: 'disabled (RELAIS_WEB_CHAT=false)' };
  return [web, slackCheck(config, url), teamsCheck(config, url), matrixCheck(config)];
}

function unconfigured(component: string, credentials: PlatformCredentials): DoctorCheck {
  if (credentials.present.length === 0) return { component, status: 'off', detail: `not configured (needs ${credentials.missing.join(', ')})` };
  return { component, status: 'error', detail: `incomplete: ${credentials.present.join(', ')} set but ${credentials.missing.join(', ')} missing` };
}

function slackCheck(config: RelaisConfig, url: string): DoctorCheck {
  const { slack } = config.platforms;
  if (!slack.settings) return unconfigured('Slack', slack);
  const mode = slack.settings.appToken ? 'Socket Mode (SLACK_APP_TOKEN)' : `events, interactivity and /relais at ${url}/slack/events`;
  const api = slack.settings.apiUrl ? `; Web API at ${slack.settings.apiUrl}` : '';
  return { component: 'Slack', status: 'ok', detail: `bot token and signing secret set; ${mode}${api}` };
}

function teamsCheck(config: RelaisConfig, url: string): DoctorCheck {
  const { teams } = config.platforms;
  if (!teams.settings) return unconfigured('Microsoft Teams', teams);
  if (teams.settings.allowAnonymous && !teams.settings.appId) {
    return { component: 'Microsoft Teams', status: 'warn', detail: `TEAMS_ALLOW_ANONYMOUS=true: unauthenticated activities accepted at ${url}/api/messages (development only)` };
  }
  const tenant = teams.settings.tenantId ? `single tenant ${teams.settings.tenantId}` : 'multi-tenant (TEAMS_TENANT_ID unset)';
  const anonymous = teams.settings.allowAnonymous ? '; TEAMS_ALLOW_ANONYMOUS=true (development only)' : '';
  return { component: 'Microsoft Teams', status: teams.settings.allowAnonymous ? 'warn' : 'ok', detail: `app ${teams.settings.appId}, ${tenant}; activities at ${url}/api/messages${anonymous}` };
}

function matrixCheck(config: RelaisConfig): DoctorCheck {
  const { matrix } = config.platforms;
  if (!matrix.settings) return unconfigured('Matrix / Tchap', matrix);
  const s = matrix.settings;
  const backup = s.recoveryKey ? 'recovery key set (key backup, cross-signing)' : 'no MATRIX_RECOVERY_KEY: keys live only in the data directory';
  const device = s.deviceId ? `device ${s.deviceId}` : 'no MATRIX_DEVICE_ID: the token’s device is used';
  const domains = s.allowedDomains.length > 0 ? s.allowedDomains.join(', ') : '(none)';
  return {
    component: 'Matrix / Tchap',
    status: s.recoveryKey ? 'ok' : 'warn',
    detail: `${s.userId} on ${s.homeserverUrl}, ${device}; ${backup}; allowed domains ${domains}`,
  };
}

export async function runDoctor(config: RelaisConfig, migrationsDir: string): Promise<DoctorCheck[]> {
  const url = config.http.publicUrl ?? `http://${config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host}:${config.http.port}`;
  const summary: DoctorCheck = {
    component: 'Configuration',
    status: 'ok',
    detail: `valid; NODE_ENV=${config.env}, port ${config.http.port}, locale ${config.locale}, time zone ${config.timezone}, retention ${config.product.messageRetentionDays} days${config.product.fundingNotice ? ', funding notice set' : ''}`,
  };
  // The data directory first: opening the embedded database would create it.
  const dataDir = await checkDataDir(config);
  const [database, redis, model] = await Promise.all([checkDatabase(config, migrationsDir), checkRedis(config), checkModel(config)]);
  return [summary, dataDir, ...database, redis, model, ...checkPlatforms(config, url)];
}
