/**
 * The coordinators' digest end to end through the web chat API, on PGlite:
 * a team of six answers an irritants campaign and a weekly check-in; a
 * coordinator asks `/relais digest` and gets participation, the top
 * irritants, a PNG chart and the AI label; a member is refused; the weekly
 * job reaches each coordinator once, even when it runs again (claims in
 * the `digest_deliveries` table).
 */
import { jest } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebMessage } from '../../src/adapters/chat/web/web-message.js';
import { createSilentLogger } from '../../src/adapters/log/pino-logger.js';
import { loadConfig } from '../../src/config.js';
import { startRelais, type Relais } from '../../src/main.js';
import { DIGEST_JOB, digestScheduleKey } from '../../src/jobs/digest.job.js';
import { TEST_SECRET } from '../support/start-test-relais.js';
import { waitFor } from '../support/wait-for.js';
import { inputOf, textOf, webHistory, WebTestClient } from '../support/web-test-client.js';
import { TestClock } from '../support/test-clock.js';

jest.setTimeout(90_000);

/** Monday 7 December 2026, 10:00 in Paris: working hours, outside quiet hours. */
const START = Date.parse('2026-12-07T09:00:00Z');
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function pngImages(messages: WebMessage[]): Buffer[] {
  return messages
    .flatMap((m) => m.blocks)
    .flatMap((b) => (b.type === 'image' && b.url.startsWith('data:image/png;base64,') ? [Buffer.from(b.url.slice('data:image/png;base64,'.length), 'base64')] : []));
}

const digestsIn = (messages: WebMessage[]): WebMessage[] => messages.filter((m) => m.footer?.aiGenerated && pngImages([m]).length > 0);

describe('coordinators’ digest through the web chat API', () => {
  let dataDir: string;
  let relais: Relais;
  const clock = new TestClock(START);
  const people = ['dg-1', 'dg-2', 'dg-3', 'dg-4', 'dg-5', 'dg-6'];

  const launch = async (coordinator: WebTestClient, survey: string): Promise<string> => {
    const launched = textOf(await coordinator.say(`sondage lancer ${survey} @gestion-financiere`));
    const campaignId = /`(c-[0-9a-f]+)`/.exec(launched)?.[1];
    if (!campaignId) throw new Error(`launch failed: ${launched}`);
    return campaignId;
  };

  const answer = async (userId: string, campaignId: string, values: unknown[]): Promise<void> => {
    await waitFor(async () => (await webHistory(relais.url, userId)).flatMap((m) => m.blocks).some((b) => b.type === 'buttons' && b.buttons.some((x) => x.actionId === `survey:start:${campaignId}`)), 15_000);
    const client = new WebTestClient(relais.url, userId);
    let replies = await client.act(`survey:start:${campaignId}`);
    for (const value of values) replies = await client.act(inputOf(replies)!.actionId, value);
    expect(textOf(replies)).toContain('Merci');
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'relais-digest-'));
    const config = loadConfig({ NODE_ENV: 'test', PORT: '0', RELAIS_DATA_DIR: dataDir, RELAIS_SECRET: TEST_SECRET, LOG_LEVEL: 'silent' });
    relais = await startRelais(config, { logger: createSilentLogger(), clock });

    const team = await relais.surveys.teams.create({ name: 'Gestion financière', service: 'Finances' }, null);
    await relais.surveys.teams.add(team.id, people.map((externalId) => ({ platform: 'web', externalId })), 'member', null);
    await relais.surveys.teams.add(team.id, ['dg-coord-1', 'dg-coord-2'].map((externalId) => ({ platform: 'web', externalId })), 'coordinator', null);

    const coordinator = new WebTestClient(relais.url, 'dg-coord-1');
    const irritants = await launch(coordinator, 'irritants');
    const tasks = ['Saisie des bons de commande à la main', 'Relances des factures impayées', 'Saisie des bons de commande à la main', 'Rapprochements bancaires', 'Relances des factures impayées'];
    for (const [i, id] of people.slice(0, 5).entries()) {
      await answer(id, irritants, [tasks[i], i % 2 ? 'quotidienne' : 'hebdomadaire', 30 + i * 10, 3 + (i % 3), ['moi'], '~skip']);
    }
    const checkin = await launch(coordinator, 'checkin-hebdo');
    for (const [i, id] of people.slice(0, 5).entries()) {
      await answer(id, checkin, [45 + i * 15, 3 + (i % 3), i, 4, i === 0 ? 'Les modèles de courriers m’ont fait gagner du temps' : '~skip']);
    }
  });

  afterAll(async () => {
    await relais?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('the weekly digest is scheduled for the team (Monday 09:00, team time zone)', async () => {
    const schedule = (await relais.scheduler.listSchedules()).find((s) => s.key === digestScheduleKey('gestion-financiere'));
    expect(schedule).toMatchObject({ jobName: DIGEST_JOB, data: { teamId: 'gestion-financiere' }, recurrence: { cron: '0 9 * * 1', timezone: 'Europe/Paris' } });
  });

  test('a coordinator gets the digest on demand: participation, irritants, PNG chart, AI label', async () => {
    const coordinator = new WebTestClient(relais.url, 'dg-coord-1');
    const replies = await coordinator.say('/relais digest');
    const text = textOf(replies);
    expect(text).toContain('Gestion financière');
    expect(text).toContain('**Participation**');
    expect(text).toMatch(/Vos irritants au quotidien : 5 réponses sur 6 personnes invitées/);
    expect(text).toMatch(/Point de la semaine : 5 réponses sur 6 personnes invitées/);
    expect(text).toContain('**Irritants prioritaires**');
    expect(text).toMatch(/1\. .*(Saisie des bons de commande|Relances des factures)/i);
    const images = pngImages(replies);
    expect(images.length).toBeGreaterThanOrEqual(1);
    for (const png of images) expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const footer = replies.find((m) => m.footer)?.footer;
    expect(footer).toMatchObject({ aiGenerated: true });
    expect(footer!.text).toContain('IA');

    // English name and an explicit team work too.
    expect(pngImages(await coordinator.say('synthèse @gestion-financiere')).length).toBeGreaterThanOrEqual(1);
  });

  test('a member who does not coordinate is refused clearly', async () => {
    const member = new WebTestClient(relais.url, 'dg-2');
    const replies = await member.say('digest');
    expect(textOf(replies)).toContain('réservée aux coordinateurs et coordinatrices');
    expect(pngImages(replies)).toHaveLength(0);
    const stranger = new WebTestClient(relais.url, 'dg-coord-1');
    expect(textOf(await stranger.say('digest @inconnue'))).toContain('Je ne trouve pas d’équipe');
    // Listed in help with the other commands.
    expect(textOf(await member.say('aide'))).toContain('synthèse de l’expérimentation de votre équipe');
  });

  test('a coordinator of several teams is asked which one; a new team gets its weekly schedule at once', async () => {
    const coordinator = new WebTestClient(relais.url, 'dg-coord-2');
    expect(textOf(await coordinator.say('equipe creer Paie'))).toContain('Paie');
    expect((await relais.scheduler.listSchedules()).some((s) => s.key === digestScheduleKey('paie'))).toBe(true);
    const asked = textOf(await coordinator.say('digest'));
    expect(asked).toContain('plusieurs équipes');
    expect(asked).toContain('`digest @gestion-financiere`');
    expect(asked).toContain('`digest @paie`');
    const english = new WebTestClient(relais.url, 'dg-coord-2');
    await english.say('langue en');
    expect(textOf(await english.say('digest'))).toContain('You coordinate several teams');
    await english.say('language fr');
  });

  test('the weekly job reaches each coordinator once, even when it runs again', async () => {
    const before = await Promise.all(['dg-coord-1', 'dg-coord-2'].map(async (id) => digestsIn(await webHistory(relais.url, id)).length));
    await relais.scheduler.enqueue(DIGEST_JOB, { teamId: 'gestion-financiere' }, { key: 'digest-test-first' });
    for (const [i, id] of ['dg-coord-1', 'dg-coord-2'].entries()) {
      await waitFor(async () => digestsIn(await webHistory(relais.url, id)).length === before[i]! + 1, 30_000);
    }
    // Fired again (a retry, a second instance): every delivery is already claimed.
    const again = await relais.surveys.digests.service.sendScheduled('gestion-financiere');
    expect(again).toMatchObject({ recipients: 2, delivered: 0, skipped: 2, failed: 0 });
    // The job's own handler, as the scheduler calls it for a second fire of the same week.
    await relais.surveys.digests.job.handle({ teamId: 'gestion-financiere' }, { id: 'digest:gestion-financiere', attempt: 2, scheduledFor: clock.now() });
    for (const [i, id] of ['dg-coord-1', 'dg-coord-2'].entries()) {
      expect(digestsIn(await webHistory(relais.url, id)).length).toBe(before[i]! + 1);
    }
    // Members never receive it.
    expect(digestsIn(await webHistory(relais.url, 'dg-1'))).toHaveLength(0);
  });

  test('a run that lands in quiet hours (a late retry) is put off to the next allowed time, not sent', async () => {
    const before = digestsIn(await webHistory(relais.url, 'dg-coord-1')).length;
    clock.advance(10 * 60 * 60 * 1000); // Monday 20:00 in Paris.
    await relais.surveys.digests.job.handle({ teamId: 'gestion-financiere' }, { id: 'digest:gestion-financiere', attempt: 3, scheduledFor: clock.now() });
    expect(digestsIn(await webHistory(relais.url, 'dg-coord-1'))).toHaveLength(before);
    const deferred = (await relais.repositories.jobs.unfinishedJobs()).filter((j) => j.jobName === DIGEST_JOB && j.id.startsWith('digest:gestion-financiere@'));
    expect(deferred.map((j) => j.runAt.toISOString())).toEqual(['2026-12-08T07:00:00.000Z']); // Tuesday 08:00 in Paris.
    expect(deferred[0]!.data).toEqual({ teamId: 'gestion-financiere' });
  });
});
