/**
 * The survey engine on PostgreSQL + Redis/BullMQ as real processes, and the
 * worst crash: `kill -9` of the bot AND of its Redis at the same moment in
 * the middle of a campaign, Redis without persistence (it comes back empty).
 * PostgreSQL is the source of truth: after the restart no answer is lost, no
 * message is sent twice, people carry on answering, the pending reminder
 * fires, and the recurring check-in schedule is declared again in the fresh
 * Redis and keeps firing. The Redis is a private redis-server of this test,
 * never the shared one.
 */
import { jest } from '@jest/globals';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { WebMessage } from '../../src/adapters/chat/web/web-message.js';
import { createPostgresDatabase } from '../support/databases.js';
import { runRelais } from '../support/cli-runner.js';
import { PrivateRedis, redisServerAvailability } from '../support/private-redis.js';
import { freePort, RelaisProcess } from '../support/relais-process.js';
import { describeWith, postgresAvailability, type Availability } from '../support/services.js';
import { waitFor } from '../support/wait-for.js';
import { countContaining as count, inputOf, textOf, webHistory, WebTestClient } from '../support/web-test-client.js';

jest.setTimeout(300_000);

const SECRET = 'survey-redis-kill-secret-survey-redis-kill-secret-7';
const PREFIX = 'relais';
const QUEUE = 'relais';
/** Every 10 s: the schedule visibly fires within seconds; occurrences are per minute (their id has minute precision). */
const CHECKIN_CRON = '*/10 * * * * *';

/** The start buttons of a message (`survey:start:<campaignId>`), which tell which campaign it is about. */
const startActions = (message: WebMessage): string[] =>
  message.blocks.flatMap((b) => (b.type === 'buttons' ? b.buttons.map((button) => button.actionId) : [])).filter((id) => id.startsWith('survey:start:'));

/** Proactive messages (invitations, reminders) that someone received more than once. */
function duplicates(messages: WebMessage[]): string[] {
  const seen = new Map<string, number>();
  for (const m of messages.filter((m) => m.purpose === 'proactive')) {
    const key = `${textOf([m])}|${startActions(m).join(',')}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen].filter(([, n]) => n > 1).map(([key]) => key);
}

const [postgres, redisServer] = [await postgresAvailability(), redisServerAvailability()];
const services: Availability = postgres.ok && redisServer.ok ? postgres : { ok: false, reason: [postgres, redisServer].filter((a) => !a.ok).map((a) => a.reason).join('; ') };

describeWith('PostgreSQL + redis-server', services)('survey campaign across kill -9 of the bot and of Redis (BullMQ, processes)', () => {
  let database: { url: string; drop(): Promise<void> };
  let redis: PrivateRedis;
  let dataDir: string;
  let env: Record<string, string>;
  let sql: pg.Client;
  let bot: RelaisProcess | undefined;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    redis = await PrivateRedis.start();
    dataDir = await mkdtemp(join(tmpdir(), 'relais-survey-redis-kill-'));
    env = {
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      REDIS_PREFIX: PREFIX,
      RELAIS_DATA_DIR: dataDir,
      RELAIS_SECRET: SECRET,
      RELAIS_QUIET_HOURS: 'off',
      LOG_LEVEL: 'warn',
    };
  });
  afterAll(async () => {
    if (bot && (await Promise.race([bot.exited.then(() => true), Promise.resolve(false)])) === false) {
      bot.kill('SIGKILL');
      await bot.exited;
    }
    await sql?.end().catch(() => undefined);
    await database?.drop();
    await redis?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** The job scheduler BullMQ holds for `key` in the private Redis, through BullMQ's own API. */
  async function liveScheduler(key: string): Promise<{ key: string; next?: number } | undefined> {
    const queue = new Queue(QUEUE, { connection: { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: 1 }, prefix: PREFIX });
    try {
      return (await queue.getJobScheduler(key)) as { key: string; next?: number } | undefined;
    } finally {
      await queue.close();
    }
  }

  async function lastRunOf(key: string): Promise<Date | null> {
    const { rows } = await sql.query<{ last_run_at: Date | null }>('SELECT last_run_at FROM job_schedules WHERE key = $1', [key]);
    return rows[0]?.last_run_at ?? null;
  }

  async function occurrencesOf(parentId: string): Promise<{ id: string; created_at: Date }[]> {
    return (await sql.query<{ id: string; created_at: Date }>('SELECT id, created_at FROM survey_campaigns WHERE parent_id = $1 ORDER BY id', [parentId])).rows;
  }

  test('no answer lost, no duplicate message, reminder and check-in schedule fire again from an empty Redis', async () => {
    const cli = async (...args: string[]) => {
      const run = await runRelais(args, { env });
      if (run.code !== 0) throw new Error(`relais ${args.join(' ')} failed:\n${run.stdout}\n${run.stderr}`);
      return run.stdout;
    };
    expect(await cli('team', 'create', 'Équipe Scolarité', '--service', 'Scolarité')).toContain('equipe-scolarite');
    expect(await cli('team', 'add', 'equipe-scolarite', 'web:coord', '--coordinator')).toContain('1 coordinator(s)');
    // A second team with a recurring check-in: its schedule lives in the database and is mirrored into Redis.
    expect(await cli('team', 'create', 'Équipe Accueil', '--service', 'Accueil')).toContain('equipe-accueil');
    expect(await cli('team', 'add', 'equipe-accueil', 'web:c1', 'web:c2')).toContain('2 member(s)');
    const recurring = await cli('survey', 'launch', 'checkin-hebdo', '--team', 'equipe-accueil', '--every', CHECKIN_CRON, '--window-hours', '1', '--reminders', 'none');
    expect(recurring).toContain(`Recurring: "${CHECKIN_CRON}"`);
    const parentId = /Campaign (\S+):/.exec(recurring)![1]!;

    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    const { rows: schedules } = await sql.query<{ key: string }>(`SELECT key FROM job_schedules WHERE job_name = 'survey.checkin'`);
    expect(schedules).toHaveLength(1);
    const checkinKey = schedules[0]!.key;

    const port = String(await freePort());
    bot = RelaisProcess.spawn({ ...env, PORT: port });
    await bot.ready();
    expect(await liveScheduler(checkinKey)).toMatchObject({ key: checkinKey });
    // The check-in fires and invites the team (occurrences start on the minute).
    for (const id of ['c1', 'c2']) await waitFor(async () => count(await webHistory(bot!.url, id), 'Point de la semaine') >= 1, 90_000, 250);

    const coordinator = new WebTestClient(bot.url, 'coord');
    expect(textOf(await coordinator.say('equipe ajouter @equipe-scolarite web:p1 web:p2 web:p3'))).toContain('3 personne(s) ajoutée(s)');
    // Reminder 18 s after opening, so it comes due around the crash.
    const launched = textOf(await coordinator.say('sondage lancer irritants @equipe-scolarite rappels=0.005'));
    const campaignId = /`(c-[0-9a-f]+)`/.exec(launched)![1]!;
    for (const id of ['p1', 'p2', 'p3']) await waitFor(async () => count(await webHistory(bot!.url, id), 'Vos irritants') === 1, 15_000);

    const p1 = new WebTestClient(bot.url, 'p1');
    let replies = await p1.act(`survey:start:${campaignId}`);
    for (const value of ['Classement des pièces justificatives', 'quotidienne', 20, 3, ['moi'], '~skip']) replies = await p1.act(inputOf(replies)!.actionId, value);
    expect(textOf(replies)).toContain('Merci');

    const p2 = new WebTestClient(bot.url, 'p2');
    replies = await p2.act(`survey:start:${campaignId}`);
    replies = await p2.act(inputOf(replies)!.actionId, 'Double saisie des inscriptions');
    replies = await p2.act(inputOf(replies)!.actionId, 'hebdomadaire');
    expect(inputOf(replies)!.actionId.endsWith(':duree')).toBe(true);
    // The reminder is still to come: the crash lands before it.
    expect(count(await webHistory(bot.url, 'p3'), 'Petit rappel')).toBe(0);

    // The worst case: both die at once; Redis had no persistence, so it comes back empty.
    bot.kill('SIGKILL');
    const redisGone = redis.kill();
    expect((await bot.exited).signal).toBe('SIGKILL');
    expect(await redisGone).toBe('SIGKILL');
    const crashedAt = new Date();
    await redis.launch();
    const fresh = new Redis(redis.url);
    try {
      expect(await fresh.dbsize()).toBe(0);
    } finally {
      fresh.disconnect();
    }
    bot = RelaisProcess.spawn({ ...env, PORT: port });
    await bot.ready();

    // The check-in schedule is declared again in the empty Redis, from PostgreSQL, and fires.
    expect(await liveScheduler(checkinKey)).toMatchObject({ key: checkinKey });
    expect(await liveScheduler('privacy:retention-purge')).toMatchObject({ key: 'privacy:retention-purge' });
    await waitFor(async () => ((await lastRunOf(checkinKey))?.getTime() ?? 0) > crashedAt.getTime(), 30_000, 250);

    // The reminder job, lost with Redis, is mirrored again from the database: it fires to p2 and p3 only, once each.
    for (const id of ['p2', 'p3']) await waitFor(async () => count(await webHistory(bot!.url, id), 'Petit rappel') === 1, 45_000, 250);
    expect(count(await webHistory(bot.url, 'p1'), 'Petit rappel')).toBe(0);

    // p2 continues where they stopped: nothing was lost.
    const p2again = new WebTestClient(bot.url, 'p2');
    replies = await p2again.say('sondage reprendre');
    expect(inputOf(replies)!.actionId.endsWith(':duree')).toBe(true);
    for (const value of [45, 5, ['equipe', 'usagers'], 'Un formulaire unique']) replies = await p2again.act(inputOf(replies)!.actionId, value);
    expect(textOf(replies)).toContain('Merci');
    // p3 starts after the restart.
    const p3 = new WebTestClient(bot.url, 'p3');
    replies = await p3.act(`survey:start:${campaignId}`);
    replies = await p3.act(inputOf(replies)!.actionId, 'Relances téléphoniques');
    expect(inputOf(replies)!.actionId.endsWith(':frequence')).toBe(true);

    // A check-in occurrence created after the restart invites the team, once.
    await waitFor(async () => (await occurrencesOf(parentId)).some((o) => o.created_at.getTime() > crashedAt.getTime()), 90_000, 500);
    const after = (await occurrencesOf(parentId)).filter((o) => o.created_at.getTime() > crashedAt.getTime()).map((o) => `survey:start:${o.id}`);
    for (const id of ['c1', 'c2']) await waitFor(async () => (await webHistory(bot!.url, id)).some((m) => startActions(m).some((a) => after.includes(a))), 30_000, 250);

    // Stopped cleanly so that nothing is in flight while the histories are counted.
    bot.kill('SIGTERM');
    expect((await bot.exited).code).toBe(0);
    bot = RelaisProcess.spawn({ ...env, PORT: port });
    await bot.ready();

    // No message was sent twice across the crash.
    for (const id of ['p1', 'p2', 'p3', 'c1', 'c2']) {
      const messages = await webHistory(bot.url, id);
      expect(duplicates(messages)).toEqual([]);
      if (id.startsWith('p')) {
        expect(count(messages, 'Vos irritants au quotidien** — 6 questions')).toBe(1);
        expect(count(messages, 'Petit rappel')).toBe(id === 'p1' ? 0 : 1);
      } else {
        // One invitation per occurrence at most, and each invitation names a real occurrence.
        const occurrences = new Set((await occurrencesOf(parentId)).map((o) => `survey:start:${o.id}`));
        const invitations = messages.filter((m) => textOf([m]).includes('Point de la semaine')).flatMap(startActions);
        expect(invitations.length).toBeGreaterThanOrEqual(2);
        expect(new Set(invitations).size).toBe(invitations.length);
        for (const action of invitations) expect(occurrences.has(action)).toBe(true);
      }
    }

    const status = await cli('survey', 'status', campaignId);
    expect(status).toMatch(new RegExp(`${campaignId}\\s+irritants@1\\s+equipe-scolarite\\s+open.*\\s3\\s+3\\s+2\\s*$`, 'm'));
    const results = await cli('survey', 'results', campaignId);
    expect(results).toContain('2 réponse(s) complète(s) sur 3');
    const out = join(dataDir, 'export.csv');
    await cli('survey', 'export', campaignId, '--format', 'csv', '--out', out);
    const lines = (await readFile(out, 'utf8')).trim().split('\r\n');
    // Header, the two complete responses, and p3's response in progress (given after the restart).
    expect(lines).toHaveLength(4);
    expect(lines.some((l) => l.includes(',false,Relances téléphoniques,'))).toBe(true);
    expect(lines.some((l) => l.includes('Classement des pièces justificatives,quotidienne,20,3,moi'))).toBe(true);
    expect(lines.some((l) => l.includes('Double saisie des inscriptions,hebdomadaire,45,5,equipe|usagers,Un formulaire unique'))).toBe(true);

    bot.kill('SIGTERM');
    await bot.exited;
  });
});
