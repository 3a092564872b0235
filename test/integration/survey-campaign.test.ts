/**
 * Acceptance of the survey engine through the web chat API: a coordinator
 * launches "irritants" for a team of four; three people answer (one in two
 * sittings with a restart of Relais on the same PGlite data directory in
 * between); the reminder reaches the non-respondent only; results and the
 * CSV export are right; an anonymous campaign never shows figures under k.
 * Time is driven by an injected clock (quiet hours and reminder delays).
 */
import { jest } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebBlock, WebMessage } from '../../src/adapters/chat/web/web-message.js';
import { createSilentLogger } from '../../src/adapters/log/pino-logger.js';
import { loadConfig } from '../../src/config.js';
import { startRelais, type Relais } from '../../src/main.js';
import { CAMPAIGN_CLOSE_JOB } from '../../src/core/surveys/campaign-jobs.js';
import { TEST_SECRET } from '../support/start-test-relais.js';
import { waitFor } from '../support/wait-for.js';
import { inputOf, textOf, webHistory, WebTestClient } from '../support/web-test-client.js';
import { TestClock } from '../support/test-clock.js';

jest.setTimeout(60_000);

const HOUR = 60 * 60 * 1000;
/** Monday 7 December 2026, 10:00 in Paris: working hours. */
const START = Date.parse('2026-12-07T09:00:00Z');

function buttons(messages: WebMessage[]): { actionId: string; value?: string; label: string }[] {
  return messages.flatMap((m) => m.blocks).flatMap((b) => (b.type === 'buttons' ? b.buttons : []));
}

describe('survey campaign through the web chat API', () => {
  let dataDir: string;
  let relais: Relais;
  const clock = new TestClock(START);

  const start = async (): Promise<Relais> => {
    const config = loadConfig({ NODE_ENV: 'test', PORT: '0', RELAIS_DATA_DIR: dataDir, RELAIS_SECRET: TEST_SECRET, LOG_LEVEL: 'silent' });
    return startRelais(config, { logger: createSilentLogger(), clock });
  };

  /** Wakes the job runner after the clock moved (a harmless job: closing before the end does nothing). */
  const wake = async (campaignId: string): Promise<void> => {
    await relais.scheduler.enqueue(CAMPAIGN_CLOSE_JOB, { campaignId }, { key: `wake-${Date.now()}` });
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'relais-survey-'));
    relais = await start();
  });
  afterAll(async () => {
    await relais?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('irritants campaign: launch, answers in several sittings across a restart, reminder, results, export', async () => {
    const team = await relais.surveys.teams.create({ name: 'Scolarité', service: 'Scolarité', lot: 'lot 1' }, null);
    const people = ['agent-a', 'agent-b', 'agent-c', 'agent-d'];
    await relais.surveys.teams.add(team.id, people.map((externalId) => ({ platform: 'web', externalId })), 'member', null);
    await relais.surveys.teams.add(team.id, [{ platform: 'web', externalId: 'coord-1' }], 'coordinator', null);

    const coordinator = new WebTestClient(relais.url, 'coord-1');
    const launched = textOf(await coordinator.say('/relais sondage lancer irritants @scolarite'));
    expect(launched).toContain('lancé');
    const campaignId = /`(c-[0-9a-f]+)`/.exec(launched)![1]!;

    // Invitations arrive in each person's inbox.
    for (const id of people) {
      await waitFor(async () => buttons(await webHistory(relais.url, id)).some((b) => b.actionId === `survey:start:${campaignId}`), 10_000);
    }
    const invitation = await webHistory(relais.url, 'agent-a');
    expect(textOf(invitation)).toContain('Vos irritants au quotidien');

    // A answers everything with clicks and forms.
    const answerAll = async (client: WebTestClient, values: { tache: string; frequence: string; duree: number; impact: number; acteurs: string[]; aide?: string }): Promise<WebMessage[]> => {
      let replies = await client.act(`survey:start:${campaignId}`);
      const order: [string, unknown][] = [
        ['tache', values.tache],
        ['frequence', values.frequence],
        ['duree', values.duree],
        ['impact', values.impact],
        ['acteurs', values.acteurs],
        ['aide', values.aide ?? '~skip'],
      ];
      for (const [questionId, value] of order) {
        const input = inputOf(replies)!;
        expect(input.actionId.endsWith(`:${questionId}`)).toBe(true);
        replies = await client.act(input.actionId, value);
      }
      return replies;
    };
    const a = new WebTestClient(relais.url, 'agent-a');
    const doneA = await answerAll(a, { tache: 'Saisie des notes dans Apogée à la main', frequence: 'hebdomadaire', duree: 90, impact: 4, acteurs: ['moi', 'equipe'], aide: 'Un import automatique' });
    expect(textOf(doneA)).toContain('Merci');

    // Out of range and unknown values get a clear message and nothing is stored.
    const b = new WebTestClient(relais.url, 'agent-b');
    let replies = await b.act(`survey:start:${campaignId}`);
    replies = await b.act(inputOf(replies)!.actionId, 'Réponses aux mêmes questions des étudiants par mail');
    replies = await b.act(inputOf(replies)!.actionId, 'quotidienne');
    const durationId = inputOf(replies)!.actionId;
    const outOfRange = await b.act(durationId, 5000);
    expect(textOf(outOfRange)).toContain('entre 1 et 600');
    replies = await b.act(durationId, 15);
    replies = await b.act(inputOf(replies)!.actionId, 5);
    replies = await b.act(inputOf(replies)!.actionId, ['usagers']);
    replies = await b.act(inputOf(replies)!.actionId, 'Une FAQ');
    expect(textOf(replies)).toContain('Merci');

    // C answers two questions by typing, then Relais restarts.
    const c = new WebTestClient(relais.url, 'agent-c');
    replies = await c.act(`survey:start:${campaignId}`);
    replies = await c.act(inputOf(replies)!.actionId, 'Relances des dossiers de bourse incomplets');
    expect(inputOf(replies)!.actionId.endsWith(':frequence')).toBe(true);
    await relais.stop();
    relais = await start();

    // Back in a new conversation: "sondage reprendre" continues where C stopped, typed numbers accepted.
    const c2 = new WebTestClient(relais.url, 'agent-c');
    replies = await c2.say('sondage reprendre');
    expect(inputOf(replies)!.actionId.endsWith(':frequence')).toBe(true);
    replies = await c2.say('3');
    expect(inputOf(replies)!.actionId.endsWith(':duree')).toBe(true);
    replies = await c2.say('beaucoup');
    expect(textOf(replies)).toContain('J’attends un nombre');
    expect(inputOf(await c2.say('30'))!.actionId.endsWith(':impact')).toBe(true);
    expect(inputOf(await c2.say('4'))!.actionId.endsWith(':acteurs')).toBe(true);
    replies = await c2.say('1, 3');
    replies = await c2.act(inputOf(replies)!.actionId, '~skip');
    expect(textOf(replies)).toContain('Merci');

    // A second start is refused as a double submission; the answer can still be edited until closing.
    const a2 = new WebTestClient(relais.url, 'agent-a');
    expect(textOf(await a2.act(`survey:start:${campaignId}`))).toContain('déjà répondu');

    // Three days later: the reminder reaches D only.
    clock.advance(72 * HOUR);
    await wake(campaignId);
    await waitFor(async () => textOf(await webHistory(relais.url, 'agent-d')).includes('Petit rappel'), 10_000);
    for (const id of ['agent-a', 'agent-b', 'agent-c']) expect(textOf(await webHistory(relais.url, id))).not.toContain('Petit rappel');

    // Results for the coordinator: participation and ranked irritants.
    const coordinator2 = new WebTestClient(relais.url, 'coord-1');
    const results = textOf(await coordinator2.say(`sondage resultats ${campaignId}`));
    expect(results).toContain('3 réponse(s) complète(s) sur 4');
    expect(results).toContain('Irritants prioritaires');
    expect(results).toMatch(/1\. .*Saisie des notes/);

    const status = textOf(await coordinator2.say('sondage statut'));
    expect(status).toMatch(/invité·es : 4, commencé : 3, terminé : 3/);

    // The export arrives as a file (a download link on the web page), CSV by default, JSON on request.
    const exportReplies = await coordinator2.say(`sondage export ${campaignId}`);
    expect(textOf(exportReplies)).toContain('Export CSV');
    const file = exportReplies.flatMap((m) => m.blocks).find((b) => b.type === 'file') as Extract<WebBlock, { type: 'file' }>;
    expect(file).toMatchObject({ filename: `irritants-${campaignId}.csv`, mimeType: 'text/csv' });
    const csvText = Buffer.from(file.url.slice(file.url.indexOf('base64,') + 7), 'base64').toString('utf8');
    expect(file.bytes).toBe(Buffer.byteLength(csvText));
    const csv = csvText.trim().split('\r\n');
    expect(csv[0]).toBe('submission_id,survey_version,team,phase,submitted_at,complete,tache,frequence,duree,impact,acteurs,aide');
    expect(csv).toHaveLength(4);
    const rows = csv.slice(1).map((line) => line.split(','));
    expect(rows.map((r) => r[8]).sort()).toEqual(['15', '30', '90']);
    expect(rows.find((r) => r[8] === '30')!.slice(6)).toEqual(['Relances des dossiers de bourse incomplets', 'hebdomadaire', '30', '4', 'moi|autres_services', '']);

    const jsonFile = (await coordinator2.say(`sondage export ${campaignId} json`)).flatMap((m) => m.blocks).find((b) => b.type === 'file') as Extract<WebBlock, { type: 'file' }>;
    expect(jsonFile).toMatchObject({ filename: `irritants-${campaignId}.json`, mimeType: 'application/json' });
    const json = JSON.parse(Buffer.from(jsonFile.url.slice(jsonFile.url.indexOf('base64,') + 7), 'base64').toString('utf8')) as { submissions: unknown[] };
    expect(json.submissions).toHaveLength(3);

    // After closing, answers are refused and nothing changes.
    expect(textOf(await coordinator2.say(`sondage clore ${campaignId}`))).toContain('close');
    const late = await a2.act(`survey:start:${campaignId}`);
    expect(textOf(late)).toContain('clos');
  });

  test('anonymous check-in never shows figures for fewer than k people', async () => {
    const team = await relais.surveys.teams.create({ name: 'Bibliothèque' }, null);
    const people = ['bib-1', 'bib-2', 'bib-3', 'bib-4'];
    await relais.surveys.teams.add(team.id, people.map((externalId) => ({ platform: 'web', externalId })), 'member', null);
    await relais.surveys.teams.add(team.id, [{ platform: 'web', externalId: 'coord-bib' }], 'coordinator', null);
    const coordinator = new WebTestClient(relais.url, 'coord-bib');
    const launched = textOf(await coordinator.say('sondage lancer checkin-hebdo @bibliotheque'));
    const campaignId = /`(c-[0-9a-f]+)`/.exec(launched)![1]!;
    for (const id of people.slice(0, 3)) {
      await waitFor(async () => buttons(await webHistory(relais.url, id)).some((b) => b.actionId === `survey:start:${campaignId}`), 10_000);
      const client = new WebTestClient(relais.url, id);
      let replies = await client.act(`survey:start:${campaignId}`);
      for (const value of [60, 4, 2, 5, 'Très utile pour les relances']) replies = await client.act(inputOf(replies)!.actionId, value);
      expect(textOf(replies)).toContain('Merci');
      // Double submission refused, and an anonymous answer cannot be reached again.
      expect(textOf(await client.act(`survey:start:${campaignId}`))).toContain('déjà répondu');
    }
    const results = textOf(await coordinator.say(`sondage resultats ${campaignId}`));
    expect(results).toContain('3 réponse(s) complète(s) sur 4');
    expect(results).toContain('moins de 5 réponses');
    expect(results).not.toMatch(/moyenne/);
    expect(textOf(await coordinator.say(`sondage export ${campaignId}`))).toContain('moins de 5 réponses');

    // The stored responses of an anonymous campaign carry no person id and no token once submitted.
    const responses = await relais.repositories.campaigns.responses(campaignId);
    expect(responses).toHaveLength(3);
    for (const r of responses) {
      expect(r.personId).toBeNull();
      expect(r.respondentToken).toBeNull();
    }
  });
});
