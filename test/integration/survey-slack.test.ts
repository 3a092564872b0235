/**
 * A survey campaign on Slack, end to end: a real Relais with the Slack adapter
 * against the Slack fake; a team of Slack people; the "irritants" campaign
 * launched in private mode; the invitation arrives as a DM in Block Kit; every
 * question is answered through signed `block_actions` posts shaped like
 * Slack's (buttons, radio buttons, checkboxes + submit, text and number
 * inputs); the results count the submission.
 */
import { jest } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SlackPlatform } from '../../src/adapters/chat/slack/slack.platform.js';
import { createSilentLogger } from '../../src/adapters/log/pino-logger.js';
import { loadConfig } from '../../src/config.js';
import { startRelais, type Relais } from '../../src/main.js';
import { SlackFake } from '../fakes/slack-fake-server.js';
import { elementsIn as elementsInChannel, lastAnswerElement as lastAnswerIn, SlackSurveyPerson, stripSuffix, type SlackElement } from '../fakes/slack/slack-survey-person.js';
import { TEST_SECRET } from '../support/start-test-relais.js';
import { waitFor } from '../support/wait-for.js';

jest.setTimeout(60_000);

const SIGNING_SECRET = 'slack-signing-secret-for-survey-tests';
/** Monday 7 December 2026, 10:00 in Paris: outside quiet hours. */
const START = Date.parse('2026-12-07T09:00:00Z');

let fake: SlackFake;
let relais: Relais;
let dataDir: string;
let events: string;

function slack(): SlackPlatform {
  return relais.platforms.get('slack') as SlackPlatform;
}

let person: SlackSurveyPerson;
const elementsIn = (channel: string): SlackElement[] => elementsInChannel(fake, channel);
const lastAnswerElement = (channel: string): SlackElement | undefined => lastAnswerIn(fake, channel);
const blockActions = (user: string, channel: string, actions: Array<Record<string, unknown>>): Promise<void> => person.blockActions(user, channel, actions);
const answer = (user: string, channel: string, element: SlackElement, value: unknown): Promise<void> => person.answer(user, channel, element, value);

beforeAll(async () => {
  fake = new SlackFake();
  await fake.start();
  dataDir = await mkdtemp(join(tmpdir(), 'relais-survey-slack-'));
  const origin = Date.now();
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
  relais = await startRelais(config, { logger: createSilentLogger(), clock: { now: () => new Date(START + (Date.now() - origin)) } });
  events = `${relais.url}/slack/events`;
  person = new SlackSurveyPerson(fake, events, SIGNING_SECRET, () => slack().idle());
});

afterAll(async () => {
  await relais?.stop();
  await fake?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('survey campaign on Slack', () => {
  it('irritants in private mode: Block Kit invitation by DM, answered with block_actions, counted in the results', async () => {
    const team = await relais.surveys.teams.create({ name: 'Scolarité Slack' }, null);
    const members = ['U0SURV001', 'U0SURV002'];
    await relais.surveys.teams.add(team.id, members.map((externalId) => ({ platform: 'slack', externalId })), 'member', null);
    await relais.surveys.teams.add(team.id, [{ platform: 'slack', externalId: 'U0SCOORD1' }], 'coordinator', null);

    const { campaign } = await relais.surveys.campaigns.launch({ surveyId: 'irritants', audience: { kind: 'team', teamId: team.id }, mode: 'private', createdBy: null });

    // The invitation reaches each member's DM (conversations.open → D…), as Block Kit with a start button.
    const startId = `survey:start:${campaign.id}`;
    for (const user of members) {
      const channel = `D${user.slice(1)}`;
      await waitFor(async () => elementsIn(channel).some((e) => e.type === 'button' && e.action_id !== undefined && stripSuffix(e.action_id) === startId), 15_000);
    }
    const channel = 'D0SURV001';
    const invitation = fake.messagesIn(channel).find((m) => JSON.stringify(m.blocks).includes(startId))!;
    expect(JSON.stringify(invitation.blocks)).toContain('Vos irritants au quotidien');
    expect(invitation.blocks.some((b) => b.type === 'section')).toBe(true);

    // Start, then every question with the native element Slack shows.
    const start = elementsIn(channel).find((e) => e.type === 'button' && stripSuffix(e.action_id ?? '') === startId)!;
    await blockActions('U0SURV001', channel, [{ type: 'button', action_id: start.action_id, value: start.value }]);

    const answers: Array<[string, string, unknown]> = [
      ['tache', 'plain_text_input', 'Saisie des notes dans Apogée à la main'],
      ['frequence', 'radio_buttons', 'hebdomadaire'],
      ['duree', 'number_input', 90],
      ['impact', 'button', 4],
      ['acteurs', 'checkboxes', ['moi', 'equipe']],
      ['aide', 'plain_text_input', 'Un import automatique'],
    ];
    for (const [questionId, type, value] of answers) {
      let element: SlackElement | undefined;
      await waitFor(async () => {
        element = lastAnswerElement(channel);
        return element !== undefined && stripSuffix(element.action_id!).endsWith(`:${questionId}`);
      }, 10_000);
      expect(element!.type).toBe(type);
      await answer('U0SURV001', channel, element!, value);
    }
    await waitFor(async () => fake.messagesIn(channel).some((m) => `${m.text}${JSON.stringify(m.blocks)}`.includes('Merci')), 10_000);

    // Stored complete, counted in the results and the export.
    const results = await relais.surveys.results.results(await relais.surveys.campaigns.get(campaign.id));
    expect(results.participation).toEqual({ invited: 2, started: 1, completed: 1 });
    const submissions = await relais.surveys.results.submissions(await relais.surveys.campaigns.get(campaign.id));
    expect(submissions).toHaveLength(1);
    expect(submissions[0]!.complete).toBe(true);
    const { header, rows } = await relais.surveys.results.exportRows(await relais.surveys.campaigns.get(campaign.id));
    const row = Object.fromEntries(header.map((h, i) => [h, rows[0]![i]]));
    expect(row).toMatchObject({ tache: 'Saisie des notes dans Apogée à la main', frequence: 'hebdomadaire', duree: '90', impact: '4', acteurs: 'moi|equipe', aide: 'Un import automatique' });

    // A second start is refused as a double submission.
    await blockActions('U0SURV001', channel, [{ type: 'button', action_id: start.action_id, value: start.value }]);
    await waitFor(async () => fake.messagesIn(channel).some((m) => `${m.text}${JSON.stringify(m.blocks)}`.includes('déjà répondu')), 10_000);
  });
});
