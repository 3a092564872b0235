/**
 * Start-up with survey files (a bad file is reported with its path, the
 * others load), the quiet-hours setting, and the survey flow in English.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../../src/config.js';
import type { Relais } from '../../src/main.js';
import { startTestRelais, TEST_SECRET } from '../support/start-test-relais.js';
import { waitFor } from '../support/wait-for.js';
import { inputOf, textOf, webHistory, WebTestClient } from '../support/web-test-client.js';

const SURVEYS = fileURLToPath(new URL('../../surveys/', import.meta.url));

describe('surveys at start and in English', () => {
  let dir: string;
  let relais: Relais;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'relais-surveys-'));
    await cp(join(SURVEYS, 'auto-diagnostic-ia-act.yaml'), join(dir, 'auto-diagnostic-ia-act.yaml'));
    await cp(join(SURVEYS, 'irritants.yaml'), join(dir, 'irritants.yaml'));
    await writeFile(join(dir, 'broken.yaml'), 'id: broken\ntitle: Cassé\nquestions:\n  - { id: q, type: scale, label: Q, min: 5, max: 1 }\n');
    relais = await startTestRelais({ RELAIS_SURVEYS_DIR: dir, RELAIS_QUIET_HOURS: 'off' });
  });
  afterAll(async () => {
    await relais.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('a bad file is reported with its path; the other surveys are published', async () => {
    expect(relais.surveys.fileErrors).toEqual([{ file: join(dir, 'broken.yaml'), path: '/questions/0/min', message: 'min (5) must be less than max (1)' }]);
    expect((await relais.surveys.catalog.list()).map((s) => s.definition.id)).toEqual(['auto-diagnostic-ia-act', 'irritants']);
  });

  test('RELAIS_QUIET_HOURS is validated and named in the error', () => {
    const base = { NODE_ENV: 'test', DATABASE_URL: 'memory://', RELAIS_SECRET: TEST_SECRET };
    expect(loadConfig({ ...base }).surveys.quietHours).toEqual({ startMinute: 1140, endMinute: 480, weekends: true, holidays: true });
    expect(loadConfig({ ...base, RELAIS_QUIET_HOURS: 'off' }).surveys.quietHours).toBeNull();
    expect(() => loadConfig({ ...base, RELAIS_QUIET_HOURS: '7pm' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, RELAIS_QUIET_HOURS: '7pm' })).toThrow(/RELAIS_QUIET_HOURS: expected "HH:MM-HH:MM"/);
  });

  test('the AI Act self-assessment in English, launched for named people, ends with a risk level', async () => {
    const team = await relais.surveys.teams.create({ name: 'DSI' }, null);
    await relais.surveys.teams.add(team.id, [{ platform: 'web', externalId: 'dsi-1' }], 'member', null);
    await relais.surveys.teams.add(team.id, [{ platform: 'web', externalId: 'dsi-coord' }], 'coordinator', null);
    const respondent = new WebTestClient(relais.url, 'dsi-1');
    await respondent.say('language en');
    const coordinator = new WebTestClient(relais.url, 'dsi-coord');
    await coordinator.say('language en');
    expect(textOf(await coordinator.say('survey launch nope @dsi'))).toContain('Usage: "survey launch');
    const launched = textOf(await coordinator.say('survey launch auto-diagnostic-ia-act @dsi days=3'));
    expect(launched).toContain('launched for team "DSI" (1 person(s))');
    const campaignId = /`(c-[0-9a-f]+)`/.exec(launched)![1]!;
    await waitFor(async () => textOf(await webHistory(relais.url, 'dsi-1')).includes('AI Act self-assessment'), 10_000);

    let replies = await respondent.act(`survey:start:${campaignId}`);
    expect(textOf(replies)).toContain('question 1/');
    for (const value of ['oui', 'deployeur', ['aucune'], ['education']]) replies = await respondent.act(inputOf(replies)!.actionId, value);
    // The art. 6(3) question appears only because an Annex III area was chosen.
    expect(inputOf(replies)!.actionId.endsWith(':annex_iii_exception')).toBe(true);
    replies = await respondent.act(inputOf(replies)!.actionId, 'non');
    replies = await respondent.act(inputOf(replies)!.actionId, ['dialogue']);
    const result = textOf(replies);
    expect(result).toContain('Estimated risk level: high risk');
    expect(result).toContain('Art. 26');
    expect(result).toContain('not legal advice');

    // Edit until closing: change one answer from the "Edit my answers" button.
    const edit = replies.flatMap((m) => m.blocks).flatMap((b) => (b.type === 'buttons' ? b.buttons : [])).find((b) => b.label === 'Edit my answers')!;
    const list = await respondent.act(edit.actionId);
    const pick = list.flatMap((m) => m.blocks).flatMap((b) => (b.type === 'buttons' ? b.buttons : [])).find((b) => b.actionId.endsWith(':~ask:annex_iii_exception'))!;
    const asked = await respondent.act(pick.actionId);
    const changed = await respondent.act(inputOf(asked)!.actionId, 'oui');
    expect(textOf(changed)).toContain('Answer changed and saved.');
    expect(textOf(changed)).toContain('limited risk');
  });

  test('pause and unpause by chat: answers wait while paused, nothing is lost', async () => {
    const team = await relais.surveys.teams.create({ name: 'Paie' }, null);
    await relais.surveys.teams.add(team.id, [{ platform: 'web', externalId: 'paie-1' }], 'member', null);
    await relais.surveys.teams.add(team.id, [{ platform: 'web', externalId: 'paie-coord' }], 'coordinator', null);
    const coordinator = new WebTestClient(relais.url, 'paie-coord');
    const campaignId = /`(c-[0-9a-f]+)`/.exec(textOf(await coordinator.say('sondage lancer irritants @paie')))![1]!;
    await waitFor(async () => textOf(await webHistory(relais.url, 'paie-1')).includes('Vos irritants'), 10_000);
    const member = new WebTestClient(relais.url, 'paie-1');
    let replies = await member.act(`survey:start:${campaignId}`);
    replies = await member.act(inputOf(replies)!.actionId, 'Saisie des heures supplémentaires');
    const frequency = inputOf(replies)!.actionId;

    expect(textOf(await coordinator.say(`sondage pause ${campaignId}`))).toContain('en pause');
    expect(textOf(await coordinator.say(`sondage pause ${campaignId}`))).toContain('est en pause : impossible');
    expect(textOf(await member.act(frequency, 'mensuelle'))).toContain('est en pause');
    expect(textOf(await coordinator.say(`sondage relancer ${campaignId}`))).toContain('relancée');
    replies = await member.act(frequency, 'mensuelle');
    expect(inputOf(replies)!.actionId.endsWith(':duree')).toBe(true);
    const answers = await relais.repositories.campaigns.answersOf(frequency.split(':')[1]!);
    expect(Object.fromEntries(answers.map((a) => [a.questionId, a.value]))).toEqual({ tache: 'Saisie des heures supplémentaires', frequence: 'mensuelle' });
    // Someone else cannot manage this campaign.
    expect(textOf(await member.say(`sondage clore ${campaignId}`))).toContain('Je ne trouve pas de campagne');
  });
});
