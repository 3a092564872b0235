/**
 * Relais as a process: start on a fresh data directory, kill -9 in use and
 * start again (nothing lost, nothing applied or scheduled twice), stop on
 * SIGTERM within the 10 s budget, refuse a bad configuration clearly.
 */
import { jest } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebMessage } from '../../src/adapters/chat/web/web-message.js';
import { openDatabase } from '../../src/adapters/store/prisma/database.js';
import { readMigrations } from '../../src/adapters/store/prisma/migrator.js';
import { MIGRATIONS_DIR } from '../../src/main.js';
import { createPostgresDatabase } from '../support/databases.js';
import { deleteRedisPrefix, uniqueRedisPrefix } from '../support/redis.js';
import { freePort, RelaisProcess } from '../support/relais-process.js';
import { describeWith, postgresAvailability, redisAvailability, TEST_REDIS_URL } from '../support/services.js';
import { SseReader } from '../support/sse-client.js';
import { waitFor } from '../support/wait-for.js';
import { textOf, WebTestClient } from '../support/web-test-client.js';

jest.setTimeout(180_000);

const MIGRATION_COUNT = (await readMigrations(MIGRATIONS_DIR)).length;
const SECRET = 'process-test-secret-process-test-secret-123456';

async function history(url: string, userId: string): Promise<WebMessage[]> {
  return ((await (await fetch(`${url}/api/web/users/${userId}/messages`)).json()) as { messages: WebMessage[] }).messages;
}

/** Starts, talks, kill -9, starts again and checks that state survived. */
async function killAndRestart(env: Record<string, string>): Promise<{ afterRestart: RelaisProcess; client: WebTestClient; before: WebMessage[] }> {
  const port = String(await freePort());
  const first = RelaisProcess.spawn({ ...env, PORT: port });
  await first.ready();
  const client = new WebTestClient(first.url, 'etudiante-42');
  await client.say('aide');
  await client.say('langue en');
  const before = await history(first.url, client.userId);
  expect(before.length).toBeGreaterThanOrEqual(3);
  first.kill('SIGKILL');
  expect((await first.exited).signal).toBe('SIGKILL');

  const afterRestart = RelaisProcess.spawn({ ...env, PORT: port });
  await afterRestart.ready();
  expect(afterRestart.stdout).toContain(`"applied":0,"alreadyApplied":${MIGRATION_COUNT}`);
  return { afterRestart, client, before };
}

describe('Relais process with embedded defaults', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'relais-process-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('survives kill -9: no data lost, migrations and schedules not repeated', async () => {
    const { afterRestart, client, before } = await killAndRestart({ RELAIS_DATA_DIR: dataDir });
    try {
      // Everything acknowledged before the kill is still there.
      const after = await history(afterRestart.url, client.userId);
      expect(after.map((m) => m.id)).toEqual(before.map((m) => m.id));
      // The person is remembered: no second disclosure, and the language choice holds.
      const replies = await new WebTestClient(afterRestart.url, client.userId).say('help');
      expect(replies.map((r) => r.purpose)).toEqual(['reply']);
      expect(textOf(replies)).toContain('Here is what I can do');
    } finally {
      afterRestart.kill('SIGTERM');
      await afterRestart.exited;
    }
    const database = await openDatabase({ dataDir });
    try {
      expect(await database.sql.query('SELECT 1 FROM "_prisma_migrations"')).toHaveLength(MIGRATION_COUNT);
      expect(await database.sql.query(`SELECT key FROM job_schedules`)).toEqual([{ key: 'privacy:retention-purge' }]);
    } finally {
      await database.close();
    }
  });

  it('stops on SIGTERM within 10 s, closing live streams and releasing the data directory', async () => {
    const port = String(await freePort());
    const relais = RelaisProcess.spawn({ RELAIS_DATA_DIR: dataDir, PORT: port });
    await relais.ready();
    const client = new WebTestClient(relais.url);
    await client.say('aide');
    const stream = await SseReader.open(`${relais.url}/api/web/users/${client.userId}/stream`);
    await waitFor(() => stream.named('ready').length === 1);

    const started = Date.now();
    relais.kill('SIGTERM');
    const exit = await relais.exited;
    const elapsed = Date.now() - started;
    expect(exit.code).toBe(0);
    expect(elapsed).toBeLessThan(10_000);
    await stream.finished();
    expect(stream.named('bye')).toHaveLength(1);
    expect(existsSync(join(dataDir, 'relais.lock'))).toBe(false);
    expect(relais.stdout).toContain('"msg":"stopped"');
  });

  it('refuses a second process on the same embedded database, clearly', async () => {
    const first = RelaisProcess.spawn({ RELAIS_DATA_DIR: dataDir, PORT: String(await freePort()) });
    await first.ready();
    try {
      const second = RelaisProcess.spawn({ RELAIS_DATA_DIR: dataDir, PORT: String(await freePort()) });
      const exit = await second.exited;
      expect(exit.code).toBe(1);
      expect(second.stderr).toMatch(/used by another Relais process \(pid \d+\)/);
    } finally {
      first.kill('SIGTERM');
      await first.exited;
    }
  });

  it('exits at start naming an invalid variable', async () => {
    const relais = RelaisProcess.spawn({ RELAIS_DATA_DIR: dataDir, PORT: 'not-a-port', RELAIS_TIMEZONE: 'Paris' });
    const exit = await relais.exited;
    expect(exit.code).toBe(78);
    expect(relais.stderr).toContain('PORT: must be a whole number');
    expect(relais.stderr).toContain('RELAIS_TIMEZONE');
  });
});

const [pg, redis] = await Promise.all([postgresAvailability(), redisAvailability()]);
const production = pg.ok && redis.ok ? pg : { ok: false, reason: [pg, redis].filter((a) => !a.ok).map((a) => a.reason).join('; ') };

describeWith('PostgreSQL + Redis', production)('Relais process in production mode', () => {
  it('survives kill -9 with PostgreSQL and BullMQ: nothing lost, nothing duplicated', async () => {
    const database = await createPostgresDatabase();
    const prefix = uniqueRedisPrefix();
    const dataDir = await mkdtemp(join(tmpdir(), 'relais-process-pg-'));
    const env = { RELAIS_DATA_DIR: dataDir, DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, RELAIS_SECRET: SECRET };
    try {
      const { afterRestart, client, before } = await killAndRestart(env);
      try {
        expect((await history(afterRestart.url, client.userId)).map((m) => m.id)).toEqual(before.map((m) => m.id));
        const ready = (await (await fetch(`${afterRestart.url}/readyz`)).json()) as { checks: Record<string, { ok: boolean }> };
        expect(ready.checks).toMatchObject({ database: { ok: true }, redis: { ok: true } });
      } finally {
        afterRestart.kill('SIGTERM');
        await afterRestart.exited;
      }
      const check = await openDatabase({ url: database.url, dataDir });
      try {
        expect(await check.sql.query('SELECT 1 FROM "_prisma_migrations"')).toHaveLength(MIGRATION_COUNT);
        expect(await check.sql.query('SELECT key FROM job_schedules')).toEqual([{ key: 'privacy:retention-purge' }]);
      } finally {
        await check.close();
      }
    } finally {
      await database.drop();
      await deleteRedisPrefix(prefix);
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
