/**
 * The survey engine as real processes: teams and a campaign set up with the
 * `relais` CLI, answers through the web API, `kill -9` of the bot in the
 * middle of the campaign, restart on the same database: no answer lost, no
 * message sent twice, the reminder still fires after the restart; results
 * and the CSV export through the CLI.
 */
import { jest } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresDatabase } from '../support/databases.js';
import { runRelais } from '../support/cli-runner.js';
import { freePort, RelaisProcess } from '../support/relais-process.js';
import { describeWith, postgresAvailability } from '../support/services.js';
import { waitFor } from '../support/wait-for.js';
import { countContaining as count, inputOf, textOf, webHistory, WebTestClient } from '../support/web-test-client.js';

jest.setTimeout(240_000);

const SECRET = 'survey-process-secret-survey-process-secret-42';

describeWith('PostgreSQL', await postgresAvailability())('survey campaign across kill -9 (processes, CLI)', () => {
  let database: { url: string; drop(): Promise<void> };
  let dataDir: string;
  let env: Record<string, string>;
  let bot: RelaisProcess | undefined;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'relais-survey-process-'));
    env = { DATABASE_URL: database.url, RELAIS_DATA_DIR: dataDir, RELAIS_SECRET: SECRET, RELAIS_QUIET_HOURS: 'off', LOG_LEVEL: 'warn' };
  });
  afterAll(async () => {
    if (bot && (await Promise.race([bot.exited.then(() => true), Promise.resolve(false)])) === false) bot.kill('SIGKILL');
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('no answer lost, no duplicate message, reminder after restart, results and export', async () => {
    const cli = async (...args: string[]) => {
      const run = await runRelais(args, { env });
      if (run.code !== 0) throw new Error(`relais ${args.join(' ')} failed:\n${run.stdout}\n${run.stderr}`);
      return run.stdout;
    };
    expect(await cli('team', 'create', 'Équipe Scolarité', '--service', 'Scolarité')).toContain('equipe-scolarite');
    expect(await cli('team', 'add', 'equipe-scolarite', 'web:coord', '--coordinator')).toContain('1 coordinator(s)');

    const port = String(await freePort());
    bot = RelaisProcess.spawn({ ...env, PORT: port });
    await bot.ready();
    const coordinator = new WebTestClient(bot.url, 'coord');
    expect(textOf(await coordinator.say('equipe ajouter @equipe-scolarite web:p1 web:p2 web:p3'))).toContain('3 personne(s) ajoutée(s)');
    // Reminder 12 s after opening, so it comes due around the crash.
    const launched = textOf(await coordinator.say('sondage lancer irritants @equipe-scolarite rappels=0.0033'));
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

    bot.kill('SIGKILL');
    expect((await bot.exited).signal).toBe('SIGKILL');
    bot = RelaisProcess.spawn({ ...env, PORT: port });
    await bot.ready();

    // The reminder fires after the restart, to p2 and p3 only, once each.
    for (const id of ['p2', 'p3']) await waitFor(async () => count(await webHistory(bot!.url, id), 'Petit rappel') === 1, 30_000);
    expect(count(await webHistory(bot.url, 'p1'), 'Petit rappel')).toBe(0);

    // p2 continues where they stopped: nothing was lost.
    const p2again = new WebTestClient(bot.url, 'p2');
    replies = await p2again.say('sondage reprendre');
    expect(inputOf(replies)!.actionId.endsWith(':duree')).toBe(true);
    for (const value of [45, 5, ['equipe', 'usagers'], 'Un formulaire unique']) replies = await p2again.act(inputOf(replies)!.actionId, value);
    expect(textOf(replies)).toContain('Merci');

    // No message was sent twice across the crash.
    for (const id of ['p1', 'p2', 'p3']) {
      const messages = await webHistory(bot.url, id);
      expect(count(messages, 'Vos irritants au quotidien** — 6 questions')).toBe(1);
      expect(count(messages, 'Petit rappel')).toBe(id === 'p1' ? 0 : 1);
    }

    const status = await cli('survey', 'status', campaignId);
    expect(status).toMatch(new RegExp(`${campaignId}\\s+irritants@1\\s+equipe-scolarite\\s+open.*\\s3\\s+2\\s+2\\s*$`, 'm'));
    const results = await cli('survey', 'results', campaignId);
    expect(results).toContain('2 réponse(s) complète(s) sur 3');
    const out = join(dataDir, 'export.csv');
    await cli('survey', 'export', campaignId, '--format', 'csv', '--out', out);
    const lines = (await readFile(out, 'utf8')).trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines.some((l) => l.includes('Double saisie des inscriptions,hebdomadaire,45,5,equipe|usagers,Un formulaire unique'))).toBe(true);
    const json = JSON.parse(await cli('survey', 'export', campaignId, '--format', 'json')) as { participation: { completed: number }; submissions: unknown[] };
    expect(json.participation.completed).toBe(2);
    expect(json.submissions).toHaveLength(2);

    bot.kill('SIGTERM');
    await bot.exited;
  });
});
