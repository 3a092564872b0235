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
import { deliverEvent, interactivityBody, SlackFake } from '../fakes/slack-fake-server.js';
import { TEST_SECRET } from '../support/start-test-relais.js';
import { waitFor } from '../support/wait-for.js';

jest.setTimeout(60_000);

const SIGNING_SECRET = 'slack-signing-secret-for-survey-tests';
/** Monday 7 December 2026, 10:00 in Paris: outside quiet hours. */
const START = Date.parse('2026-12-07T09:00:00Z');

type Element = Record<string, unknown> & { type: string; action_id?: string };

let fake: SlackFake;
let relais: Relais;
let dataDir: string;
let events: string;
let triggers = 0;

function slack(): SlackPlatform {
  return relais.platforms.get('slack') as SlackPlatform;
}

/** Every interactive element of the messages of a channel, in order (actions blocks and input blocks). */
function elementsIn(channel: string): Element[] {
  return fake.messagesIn(channel).flatMap((m) =>
    m.blocks.flatMap((b) => {
      if (b.type === 'actions') return (b.elements as Element[]) ?? [];
      if (b.type === 'input') return [b.element as Element];
      return [];
    }),
  );
}

const stripSuffix = (id: string): string => id.replace(/#\d+$/, '');

/** The latest answer element of the survey (not a submit or skip button). */
function lastAnswerElement(channel: string): Element | undefined {
  return elementsIn(channel)
    .filter((e) => e.action_id && stripSuffix(e.action_id).startsWith('survey:') && !stripSuffix(e.action_id).startsWith('survey:start:'))
    .filter((e) => !(e.type === 'button' && String(e.value ?? '').includes('~skip')))
    .at(-1);
}

/** The submit button sending a pending input to `target`. */
function submitFor(channel: string, target: string): Element {
  const button = elementsIn(channel)
    .filter((e) => e.action_id && stripSuffix(e.action_id) === 'relais.submit')
    .filter((e) => (JSON.parse(String(e.value)) as { submit: string }).submit === target)
    .at(-1);
  expect(button).toBeDefined();
  return button!;
}

async function blockActions(user: string, channel: string, actions: Array<Record<string, unknown>>, state?: Record<string, unknown>): Promise<void> {
  const n = ++triggers;
  const ts = fake.messagesIn(channel).at(-1)?.ts ?? `${Math.floor(Date.now() / 1000)}.000001`;
  const result = await deliverEvent(
    events,
    interactivityBody({
      type: 'block_actions',
      user: { id: user, team_id: fake.teamId },
      team: { id: fake.teamId },
      channel: { id: channel },
      container: { type: 'message', channel_id: channel, message_ts: ts },
      trigger_id: `trig-survey-${n}`,
      message: { ts },
      ...(state ? { state: { values: state } } : {}),
      actions: actions.map((a) => ({ action_ts: `${Date.now() / 1000}.${n}`, ...a })),
    }),
    { signingSecret: SIGNING_SECRET },
  );
  expect(result.status).toBe(200);
  await slack().idle();
}

/** Answers the question whose element is `element` the way a person does in Slack. */
async function answer(user: string, channel: string, element: Element, value: unknown): Promise<void> {
  const actionId = element.action_id!;
  const target = stripSuffix(actionId);
  switch (element.type) {
    case 'button': {
      // A scale: the button carrying this value.
      const button = elementsIn(channel).find((e) => e.type === 'button' && e.action_id && stripSuffix(e.action_id) === target && JSON.parse(String(e.value)) === value);
      expect(button).toBeDefined();
      return blockActions(user, channel, [{ type: 'button', action_id: button!.action_id, value: button!.value }]);
    }
    case 'radio_buttons':
    case 'static_select': {
      const option = (element.options as Array<{ value: string }>).find((o) => o.value === value);
      expect(option).toBeDefined();
      return blockActions(user, channel, [{ type: element.type, action_id: actionId, selected_option: option }]);
    }
    case 'checkboxes':
    case 'multi_static_select': {
      const options = (element.options as Array<{ value: string }>).filter((o) => (value as string[]).includes(o.value));
      const submit = submitFor(channel, target);
      return blockActions(user, channel, [{ type: 'button', action_id: submit.action_id, value: submit.value }], {
        blk1: { [actionId]: { type: element.type, selected_options: options } },
      });
    }
    case 'number_input': {
      // Typed, then the "Envoyer" button.
      const submit = submitFor(channel, target);
      return blockActions(user, channel, [{ type: 'button', action_id: submit.action_id, value: submit.value }], {
        blk2: { [actionId]: { type: 'number_input', value: String(value) } },
      });
    }
    case 'plain_text_input':
      // Typed, then Enter (dispatch_action).
      return blockActions(user, channel, [{ type: 'plain_text_input', action_id: actionId, value: String(value) }]);
    default:
      throw new Error(`unexpected element ${element.type}`);
  }
}

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
      let element: Element | undefined;
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
