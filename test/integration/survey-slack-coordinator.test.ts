/**
 * A coordinator's campaign on Slack, end to end: a real Relais with the Slack
 * adapter against the Slack fake, time driven by an injected clock. The
 * coordinator launches "irritants" for their team with the signed
 * `/relais sondage lancer irritants @<team>` slash command; every member gets
 * the invitation by DM; five answer with signed `block_actions` (one in two
 * sittings, coming back with "sondage reprendre" and a typed number); the
 * sixth does not and, three days later, is the only one reminded, once. The
 * coordinator then asks for the results, the CSV export (a real file in
 * their conversation) and, after a weekly check-in, the digest (text and PNG
 * charts uploaded as files). Nothing reaches anyone twice.
 *
 * The team has six members: the digest lists irritants and draws charts only
 * from at least k = 5 answers (anonymity threshold), so a smaller team would
 * get a digest with everything hidden.
 */
import { jest } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SlackPlatform } from '../../src/adapters/chat/slack/slack.platform.js';
import { createSilentLogger } from '../../src/adapters/log/pino-logger.js';
import { loadConfig } from '../../src/config.js';
import { CAMPAIGN_CLOSE_JOB } from '../../src/core/surveys/campaign-jobs.js';
import { startRelais, type Relais } from '../../src/main.js';
import { deliverEvent, eventEnvelope, SlackFake, slashCommandBody, type FakeMessage } from '../fakes/slack-fake-server.js';
import { lastAnswerElement as lastAnswerIn, SlackSurveyPerson, startButton as startButtonIn, stripSuffix, type SlackElement } from '../fakes/slack/slack-survey-person.js';
import { TEST_SECRET } from '../support/start-test-relais.js';
import { waitFor } from '../support/wait-for.js';
import { TestClock } from '../support/test-clock.js';

jest.setTimeout(180_000);

const SIGNING_SECRET = 'slack-signing-secret-for-coordinator-tests';
const HOUR = 60 * 60 * 1000;
/** Monday 7 December 2026, 10:00 in Paris: outside quiet hours. */
const START = Date.parse('2026-12-07T09:00:00Z');
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const COORDINATOR = 'U0COORD01';
/** The coordinator's DM with the app, where they type the slash commands. */
const COORDINATOR_DM = 'D0COORD01';
const MEMBERS = ['U0SCOL001', 'U0SCOL002', 'U0SCOL003', 'U0SCOL004', 'U0SCOL005', 'U0SCOL006'];
const SILENT = 'U0SCOL006';
/** The fake's conversations.open answers D + the user id without its U. */
const dmOf = (user: string): string => `D${user.slice(1)}`;

let fake: SlackFake;
let relais: Relais;
let dataDir: string;
let events: string;
let seq = 0;
let person: SlackSurveyPerson;
const clock = new TestClock(START);

function slack(): SlackPlatform {
  return relais.platforms.get('slack') as SlackPlatform;
}

const contentOf = (m: FakeMessage): string => `${m.text}\n${JSON.stringify(m.blocks)}`;

/** What a person reads in a message: its section and context texts, in order. */
function visibleText(m: FakeMessage): string {
  return m.blocks
    .flatMap((b) => {
      if (b.type === 'section') return [(b.text as { text: string }).text];
      if (b.type === 'context') return (b.elements as Array<{ text?: string }>).map((e) => e.text ?? '');
      return [];
    })
    .join('\n');
}

const textIn = (channel: string): string => fake.messagesIn(channel).map(visibleText).join('\n');

const startButton = (channel: string, campaignId: string): SlackElement | undefined => startButtonIn(fake, channel, campaignId);
const lastAnswerElement = (channel: string): SlackElement | undefined => lastAnswerIn(fake, channel);

async function signed(body: object | string): Promise<void> {
  const result = await deliverEvent(events, body, { signingSecret: SIGNING_SECRET });
  expect(result.status).toBe(200);
  await slack().idle();
}

/** `/relais <text>` typed by `user` in `channel`, form-encoded and signed as Slack sends it. */
async function slash(user: string, channel: string, text: string): Promise<void> {
  const n = ++seq;
  await signed(
    slashCommandBody({
      token: 'verification-token-unused',
      team_id: fake.teamId,
      team_domain: 'relais-test',
      channel_id: channel,
      channel_name: 'directmessage',
      user_id: user,
      user_name: user.toLowerCase(),
      command: '/relais',
      text,
      api_app_id: 'A0RELAIS01',
      response_url: 'http://127.0.0.1:1/unused',
      trigger_id: `trig-slash-${n}`,
    }),
  );
}

/** A message typed in the DM with the app (Events API `message.im`). */
async function dmMessage(user: string, text: string): Promise<void> {
  const n = ++seq;
  await signed(eventEnvelope({ type: 'message', channel: dmOf(user), channel_type: 'im', user, text, ts: `${Math.floor(Date.now() / 1000)}.${String(n).padStart(6, '0')}` }, `EvCoord${n}`));
}

const blockActions = (user: string, channel: string, actions: Array<Record<string, unknown>>): Promise<void> => person.blockActions(user, channel, actions);


/** Waits for the question `questionId`, then answers it. */
async function answerQuestion(user: string, questionId: string, value: unknown): Promise<void> {
  const channel = dmOf(user);
  let element: SlackElement | undefined;
  await waitFor(async () => {
    element = lastAnswerElement(channel);
    return element !== undefined && stripSuffix(element.action_id!).endsWith(`:${questionId}`);
  }, 15_000);
  await person.answer(user, channel, element!, value);
}

async function startSurvey(user: string, campaignId: string): Promise<void> {
  const channel = dmOf(user);
  const start = startButton(channel, campaignId)!;
  await blockActions(user, channel, [{ type: 'button', action_id: start.action_id, value: start.value }]);
}

async function waitForThanks(user: string, count: number): Promise<void> {
  await waitFor(async () => fake.messagesIn(dmOf(user)).filter((m) => contentOf(m).includes('Merci')).length >= count, 15_000);
}

/** The campaign id from the latest launch confirmation in the coordinator's conversation. */
function launchedCampaignId(): string {
  const confirmation = fake.messagesIn(COORDINATOR_DM).filter((m) => visibleText(m).includes('lancé')).at(-1);
  expect(confirmation).toBeDefined();
  return /`(c-[0-9a-f]+)`/.exec(visibleText(confirmation!))![1]!;
}

/** Posts in the coordinator's conversation after `before` (a count of messages). */
const newIn = (channel: string, before: number): FakeMessage[] => fake.messagesIn(channel).slice(before);

beforeAll(async () => {
  fake = new SlackFake();
  await fake.start();
  dataDir = await mkdtemp(join(tmpdir(), 'relais-survey-slack-coord-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL: 'memory://',
    RELAIS_DATA_DIR: dataDir,
    RELAIS_SECRET: TEST_SECRET,
    LOG_LEVEL: 'silent',
    SLACK_BOT_TOKEN: fake.token,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
  });
  relais = await startRelais(config, { logger: createSilentLogger(), clock });
  events = `${relais.url}/slack/events`;
  person = new SlackSurveyPerson(fake, events, SIGNING_SECRET, () => slack().idle());
});

afterAll(async () => {
  await relais?.stop();
  await fake?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('a coordinator’s campaign on Slack', () => {
  it('launch by slash command, DM invitations, answers, one reminder, results, CSV file, digest with PNG charts', async () => {
    const team = await relais.surveys.teams.create({ name: 'Scolarité Slack', service: 'Scolarité' }, null);
    await relais.surveys.teams.add(team.id, MEMBERS.map((externalId) => ({ platform: 'slack', externalId })), 'member', null);
    await relais.surveys.teams.add(team.id, [{ platform: 'slack', externalId: COORDINATOR }], 'coordinator', null);

    // Launch with the slash command, from the coordinator's DM with the app.
    await slash(COORDINATOR, COORDINATOR_DM, `sondage lancer irritants @${team.id}`);
    await waitFor(async () => textIn(COORDINATOR_DM).includes('lancé'), 15_000);
    const campaignId = launchedCampaignId();
    expect(textIn(COORDINATOR_DM)).toContain('Vos irritants au quotidien');

    // Every member gets the invitation by DM, once.
    for (const user of MEMBERS) await waitFor(async () => startButton(dmOf(user), campaignId) !== undefined, 15_000);
    for (const user of MEMBERS) {
      const invitations = fake.messagesIn(dmOf(user)).filter((m) => contentOf(m).includes(`survey:start:${campaignId}`));
      expect(invitations).toHaveLength(1);
      expect(visibleText(invitations[0]!)).toContain('Vos irritants au quotidien');
    }
    // The coordinator is not a member: no invitation in their conversation.
    expect(fake.messagesIn(COORDINATOR_DM).map(contentOf).join('\n')).not.toContain('survey:start:');

    // Four members answer everything in one sitting, side by side (each DM has its own rate limit).
    type Answers = [string, unknown][];
    const full = (tache: string, frequence: string, duree: number, impact: number, acteurs: string[], aide: string): Answers => [
      ['tache', tache],
      ['frequence', frequence],
      ['duree', duree],
      ['impact', impact],
      ['acteurs', acteurs],
      ['aide', aide],
    ];
    const oneSitting: Record<string, Answers> = {
      U0SCOL001: full('Saisie des notes dans Apogée à la main', 'hebdomadaire', 90, 4, ['moi', 'equipe'], 'Un import automatique'),
      U0SCOL002: full('Réponses aux mêmes questions des étudiants par mail', 'quotidienne', 15, 5, ['usagers'], 'Une FAQ'),
      U0SCOL004: full('Saisie des notes dans Apogée à la main', 'hebdomadaire', 60, 4, ['equipe'], 'Un export depuis le tableur'),
      U0SCOL005: full('Archivage des dossiers papier', 'mensuelle', 120, 2, ['moi'], 'Une numérisation'),
    };
    await Promise.all(
      Object.entries(oneSitting).map(async ([user, answers]) => {
        await startSurvey(user, campaignId);
        for (const [questionId, value] of answers) await answerQuestion(user, questionId, value);
        await waitForThanks(user, 1);
      }),
    );

    // The third member answers two questions, leaves, and comes back two hours later.
    const third = 'U0SCOL003';
    await startSurvey(third, campaignId);
    await answerQuestion(third, 'tache', 'Relances des dossiers de bourse incomplets');
    await answerQuestion(third, 'frequence', 'hebdomadaire');
    await waitFor(async () => stripSuffix(lastAnswerElement(dmOf(third))?.action_id ?? '').endsWith(':duree'), 15_000);
    clock.advance(2 * HOUR);
    const beforeResume = fake.messagesIn(dmOf(third)).length;
    await dmMessage(third, 'sondage reprendre');
    // The question where they stopped, asked again; a typed number answers it.
    await waitFor(async () => newIn(dmOf(third), beforeResume).some((m) => contentOf(m).includes(':duree')), 15_000);
    await dmMessage(third, '30');
    await answerQuestion(third, 'impact', 4);
    await answerQuestion(third, 'acteurs', ['moi', 'autres_services']);
    await answerQuestion(third, 'aide', 'Des modèles de relance');
    await waitForThanks(third, 1);

    const results = await relais.surveys.results.results(await relais.surveys.campaigns.get(campaignId));
    expect(results.participation).toEqual({ invited: 6, started: 5, completed: 5 });

    // Three days later the reminder reaches the sixth member only, once.
    clock.advance(72 * HOUR);
    await relais.scheduler.enqueue(CAMPAIGN_CLOSE_JOB, { campaignId }, { key: `wake-${Date.now()}` });
    const reminders = (user: string): FakeMessage[] => fake.messagesIn(dmOf(user)).filter((m) => visibleText(m).includes('Petit rappel'));
    await waitFor(async () => reminders(SILENT).length > 0, 15_000);
    expect(visibleText(reminders(SILENT)[0]!)).toContain('Vos irritants au quotidien');
    // Woken again: already sent, nothing more.
    await relais.scheduler.enqueue(CAMPAIGN_CLOSE_JOB, { campaignId }, { key: `wake-again-${Date.now()}` });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await slack().idle();
    expect(reminders(SILENT)).toHaveLength(1);
    for (const user of MEMBERS.filter((u) => u !== SILENT)) expect(reminders(user)).toHaveLength(0);
    expect(reminders('U0COORD01')).toHaveLength(0);

    // Results for the coordinator, in their conversation.
    let before = fake.messagesIn(COORDINATOR_DM).length;
    await slash(COORDINATOR, COORDINATOR_DM, 'sondage résultats');
    await waitFor(async () => newIn(COORDINATOR_DM, before).some((m) => visibleText(m).includes('Irritants prioritaires')), 15_000);
    const resultsText = newIn(COORDINATOR_DM, before).map(visibleText).join('\n');
    expect(resultsText).toContain('5 réponse(s) complète(s) sur 6');
    expect(resultsText).toMatch(/1\. .*Saisie des notes/);

    // The export is a real CSV file shared in the coordinator's conversation, with a short line saying what it is.
    before = fake.messagesIn(COORDINATOR_DM).length;
    const filesBefore = fake.filesIn(COORDINATOR_DM).length;
    await slash(COORDINATOR, COORDINATOR_DM, 'sondage export');
    await waitFor(async () => fake.filesIn(COORDINATOR_DM).length > filesBefore, 15_000);
    const exported = fake.filesIn(COORDINATOR_DM).slice(filesBefore);
    expect(exported).toHaveLength(1);
    const csvFile = exported[0]!;
    expect(csvFile.filename).toMatch(new RegExp(`^irritants-${campaignId}\\.csv$`));
    expect(csvFile.title).toBeTruthy();
    expect(csvFile.mimeType).toBe('text/csv');
    expect(csvFile.content.length).toBe(csvFile.declaredLength);
    // One message saying what it is (with the AI footer), then the file: no footer posted alone.
    expect(newIn(COORDINATOR_DM, before)).toHaveLength(1);
    expect(visibleText(newIn(COORDINATOR_DM, before)[0]!)).toContain(campaignId);
    // No CSV pasted as text next to the file.
    expect(newIn(COORDINATOR_DM, before).map(contentOf).join('\n')).not.toContain('submission_id');
    const csv = csvFile.content.toString('utf8').trim().split('\r\n');
    expect(csv[0]).toBe('submission_id,survey_version,team,phase,submitted_at,complete,tache,frequence,duree,impact,acteurs,aide');
    expect(csv).toHaveLength(6);
    const rows = csv.slice(1).map((line) => line.split(','));
    expect(rows.map((r) => r[8]).sort((a, b) => Number(a) - Number(b))).toEqual(['15', '30', '60', '90', '120']);
    expect(rows.find((r) => r[8] === '30')!.slice(6)).toEqual(['Relances des dossiers de bourse incomplets', 'hebdomadaire', '30', '4', 'moi|autres_services', 'Des modèles de relance']);
    expect(rows.every((r) => r[5] === 'true')).toBe(true);

    // A weekly check-in, answered by five members, gives the digest its indicators and charts.
    await slash(COORDINATOR, COORDINATOR_DM, `sondage lancer checkin-hebdo @${team.id}`);
    await waitFor(async () => launchedCampaignId() !== campaignId, 15_000);
    const checkinId = launchedCampaignId();
    await Promise.all(
      MEMBERS.filter((u) => u !== SILENT).map(async (user, i) => {
        await waitFor(async () => startButton(dmOf(user), checkinId) !== undefined, 15_000);
        await startSurvey(user, checkinId);
        await answerQuestion(user, 'minutes_gagnees', 45 + i * 15);
        await answerQuestion(user, 'bien_etre', 3 + (i % 3));
        await answerQuestion(user, 'erreurs_evitees', i);
        await answerQuestion(user, 'satisfaction', 4);
        await answerQuestion(user, 'commentaire', 'Les modèles de courriers m’ont fait gagner du temps');
        await waitForThanks(user, 2);
      }),
    );

    // The digest: participation, ranked irritants, and PNG charts uploaded as files, in the coordinator's conversation.
    before = fake.messagesIn(COORDINATOR_DM).length;
    const imagesBefore = fake.filesIn(COORDINATOR_DM).length;
    await slash(COORDINATOR, COORDINATOR_DM, 'digest');
    await waitFor(async () => newIn(COORDINATOR_DM, before).some((m) => visibleText(m).includes('Irritants prioritaires')), 30_000);
    const digest = newIn(COORDINATOR_DM, before).map(visibleText).join('\n');
    expect(digest).toContain('Scolarité Slack');
    expect(digest).toContain('*Participation*');
    expect(digest).toMatch(/Vos irritants au quotidien : 5 réponses sur 6 personnes invitées/);
    expect(digest).toMatch(/Point de la semaine : 5 réponses sur 6 personnes invitées/);
    expect(digest).toMatch(/1\. .*Saisie des notes dans Apogée/);
    expect(digest).toContain('IA');
    const charts = fake.filesIn(COORDINATOR_DM).slice(imagesBefore);
    expect(charts.length).toBeGreaterThanOrEqual(1);
    for (const chart of charts) {
      expect(chart.filename).toMatch(/\.png$/);
      expect(chart.mimeType).toBe('image/png');
      expect(chart.altText).toBeTruthy();
      expect([...chart.content.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    }

    // Nothing twice: every message and file in the coordinator's conversation is distinct, every post was accepted once.
    const coordinatorPosts = fake.messagesIn(COORDINATOR_DM).map(contentOf);
    expect(new Set(coordinatorPosts).size).toBe(coordinatorPosts.length);
    const files = fake.filesIn(COORDINATOR_DM).map((f) => `${f.filename}:${f.content.toString('base64')}`);
    expect(new Set(files).size).toBe(files.length);
    for (const user of MEMBERS) {
      const thanks = fake.messagesIn(dmOf(user)).filter((m) => contentOf(m).includes('Merci'));
      expect(thanks).toHaveLength(user === SILENT ? 0 : 2);
      const invitations = (id: string): FakeMessage[] => fake.messagesIn(dmOf(user)).filter((m) => contentOf(m).includes(`survey:start:${id}`) && !visibleText(m).includes('Petit rappel'));
      for (const id of [campaignId, checkinId]) expect(invitations(id)).toHaveLength(1);
    }
    expect(fake.callsOf('files.completeUploadExternal').every((c) => c.outcome === 'ok')).toBe(true);
    expect(fake.callsOf('chat.postMessage').filter((c) => c.outcome !== 'ok' && c.outcome !== '429')).toEqual([]);
  });
});
