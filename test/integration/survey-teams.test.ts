/**
 * A survey campaign on Microsoft Teams, end to end: a real Relais with the
 * Teams adapter (Agents SDK, anonymous development setup) answering through
 * the fake Bot Framework connector; a team of Teams people who installed the
 * app; the "irritants" campaign launched in private mode; the invitation
 * arrives in each personal chat as an Adaptive Card; every question is
 * answered with `invoke adaptiveCard/action` (Action.Execute, inputs merged
 * into the data like Teams does) or a `message` carrying the card's `value`
 * (Action.Submit); the results count the submission.
 */
import { jest } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TeamsPlatform } from '../../src/adapters/chat/teams/teams.platform.js';
import { createSilentLogger } from '../../src/adapters/log/pino-logger.js';
import { loadConfig } from '../../src/config.js';
import { startRelais, type Relais } from '../../src/main.js';
import { newActivityId, postActivity, startTeamsConnectorFake, type RecordedActivity, type TeamsConnectorFake } from '../fakes/teams-connector-fake-server.js';
import { cardAction, makeUser, personalInstall, personalMessage, type TeamsUser } from '../fakes/teams/teams-activities.js';
import { TEST_SECRET } from '../support/start-test-relais.js';
import { waitFor } from '../support/wait-for.js';

jest.setTimeout(60_000);

/** Monday 7 December 2026, 10:00 in Paris: outside quiet hours. */
const START = Date.parse('2026-12-07T09:00:00Z');
const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

interface CardData {
  relais: { a: string; k: string; v?: string | number };
}

let fake: TeamsConnectorFake;
let relais: Relais;
let dataDir: string;

function teams(): TeamsPlatform {
  return relais.platforms.get('teams') as TeamsPlatform;
}

async function deliver(activity: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
  const answer = await postActivity(relais.url, activity);
  await teams().idle();
  return answer;
}

function cardsIn(user: TeamsUser): Array<{ activity: RecordedActivity; content: Record<string, unknown> }> {
  return fake.activitiesIn(user.personalConversationId).flatMap((a) =>
    ((a.activity.attachments as Array<{ contentType: string; content: Record<string, unknown> }> | undefined) ?? [])
      .filter((att) => att.contentType === ADAPTIVE)
      .map((att) => ({ activity: a, content: att.content })),
  );
}

/** Every object of a card (depth first), to find actions and inputs wherever they sit. */
function walk(node: unknown, out: Array<Record<string, unknown>> = []): Array<Record<string, unknown>> {
  if (Array.isArray(node)) for (const n of node) walk(n, out);
  else if (node && typeof node === 'object') {
    out.push(node as Record<string, unknown>);
    for (const v of Object.values(node)) walk(v, out);
  }
  return out;
}

/** Action.Execute data of the cards sent to `user`, with the id of the activity carrying them. */
function actionsIn(user: TeamsUser): Array<{ data: CardData; replyToId: string; card: Record<string, unknown> }> {
  return cardsIn(user).flatMap(({ activity, content }) =>
    walk(content)
      .filter((n) => n.type === 'Action.Execute' && n.data && typeof n.data === 'object' && 'relais' in (n.data as object))
      .map((n) => ({ data: n.data as CardData, replyToId: activity.id, card: content })),
  );
}

function allText(user: TeamsUser): string {
  return fake
    .activitiesIn(user.personalConversationId)
    .map((a) => `${(a.activity.text as string | undefined) ?? ''}\n${JSON.stringify(a.activity.attachments ?? [])}`)
    .join('\n');
}

beforeAll(async () => {
  fake = await startTeamsConnectorFake();
  dataDir = await mkdtemp(join(tmpdir(), 'relais-survey-teams-'));
  const origin = Date.now();
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL: 'memory://',
    RELAIS_DATA_DIR: dataDir,
    RELAIS_SECRET: TEST_SECRET,
    LOG_LEVEL: 'silent',
    TEAMS_ALLOW_ANONYMOUS: 'true',
  });
  relais = await startRelais(config, { logger: createSilentLogger(), clock: { now: () => new Date(START + (Date.now() - origin)) } });
});

afterAll(async () => {
  await relais?.stop();
  await fake?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('survey campaign on Teams', () => {
  it('irritants in private mode: Adaptive Card invitation in the personal chat, answered with card actions, counted in the results', async () => {
    const members = [makeUser(501), makeUser(502)];
    const coordinator = makeUser(509);
    // Installing the app gives Relais the reference it needs to write first.
    for (const user of [...members, coordinator]) expect((await deliver(personalInstall(user, { serviceUrl: fake.serviceUrl }))).status).toBe(200);

    const team = await relais.surveys.teams.create({ name: 'Scolarité Teams' }, null);
    await relais.surveys.teams.add(team.id, members.map((u) => ({ platform: 'teams', externalId: u.aadObjectId })), 'member', null);
    await relais.surveys.teams.add(team.id, [{ platform: 'teams', externalId: coordinator.aadObjectId }], 'coordinator', null);

    const { campaign } = await relais.surveys.campaigns.launch({ surveyId: 'irritants', audience: { kind: 'team', teamId: team.id }, mode: 'private', createdBy: null });

    // The invitation reaches each personal chat as an Adaptive Card with a start action.
    const startId = `survey:start:${campaign.id}`;
    for (const user of members) await waitFor(async () => actionsIn(user).some((a) => a.data.relais.a === startId), 15_000);
    const [respondent] = members as [TeamsUser, TeamsUser];
    const invitation = actionsIn(respondent).find((a) => a.data.relais.a === startId)!;
    expect(invitation.card).toMatchObject({ type: 'AdaptiveCard' });
    expect(JSON.stringify(invitation.card)).toContain('Vos irritants au quotidien');

    const click = await deliver(cardAction(respondent, invitation.data, invitation.replyToId, { serviceUrl: fake.serviceUrl }));
    expect(click.status).toBe(200);

    /** The latest action answering `questionId` (not the skip button). */
    const questionAction = async (questionId: string, kind: string, value?: unknown): Promise<{ data: CardData; replyToId: string; card: Record<string, unknown> }> => {
      let found: { data: CardData; replyToId: string; card: Record<string, unknown> } | undefined;
      await waitFor(async () => {
        found = actionsIn(respondent)
          .filter((a) => a.data.relais.a.endsWith(`:${questionId}`) && a.data.relais.k === kind && a.data.relais.v !== '~skip')
          .filter((a) => value === undefined || a.data.relais.v === value)
          .at(-1);
        return found !== undefined;
      }, 10_000);
      return found!;
    };
    const inputOf = (card: Record<string, unknown>, actionId: string): Record<string, unknown> | undefined => walk(card).find((n) => n.id === `relais.${actionId}`);

    // Text (Action.Execute with Input.Text merged into the data).
    let q = await questionAction('tache', 'text');
    expect(inputOf(q.card, q.data.relais.a)).toMatchObject({ type: 'Input.Text' });
    await deliver(cardAction(respondent, { ...q.data, [`relais.${q.data.relais.a}`]: 'Saisie des notes dans Apogée à la main' }, q.replyToId, { serviceUrl: fake.serviceUrl }));

    // Single choice (Input.ChoiceSet).
    q = await questionAction('frequence', 'choice');
    expect(inputOf(q.card, q.data.relais.a)).toMatchObject({ type: 'Input.ChoiceSet', isMultiSelect: false });
    await deliver(cardAction(respondent, { ...q.data, [`relais.${q.data.relais.a}`]: 'hebdomadaire' }, q.replyToId, { serviceUrl: fake.serviceUrl }));

    // Number (Input.Number; Teams sends the typed value as a string).
    q = await questionAction('duree', 'number');
    expect(inputOf(q.card, q.data.relais.a)).toMatchObject({ type: 'Input.Number' });
    await deliver(cardAction(respondent, { ...q.data, [`relais.${q.data.relais.a}`]: '90' }, q.replyToId, { serviceUrl: fake.serviceUrl }));

    // Scale: one button per point.
    q = await questionAction('impact', 'scale', 4);
    await deliver(cardAction(respondent, q.data, q.replyToId, { serviceUrl: fake.serviceUrl }));

    // Several choices: Teams answers "a,b".
    q = await questionAction('acteurs', 'multi');
    expect(inputOf(q.card, q.data.relais.a)).toMatchObject({ type: 'Input.ChoiceSet', isMultiSelect: true });
    await deliver(cardAction(respondent, { ...q.data, [`relais.${q.data.relais.a}`]: 'moi,equipe' }, q.replyToId, { serviceUrl: fake.serviceUrl }));

    // Last one as an Action.Submit: a message whose value is the card's data with the input.
    q = await questionAction('aide', 'text');
    const submit = { ...personalMessage(respondent, '', { serviceUrl: fake.serviceUrl, id: newActivityId() }), replyToId: q.replyToId, value: { ...q.data, [`relais.${q.data.relais.a}`]: 'Un import automatique' } };
    delete (submit as Record<string, unknown>).text;
    expect((await deliver(submit)).status).toBe(200);

    await waitFor(async () => allText(respondent).includes('Merci'), 10_000);

    // Stored complete, counted in the results and the export.
    const stored = await relais.surveys.campaigns.get(campaign.id);
    const results = await relais.surveys.results.results(stored);
    expect(results.participation).toEqual({ invited: 2, started: 1, completed: 1 });
    const submissions = await relais.surveys.results.submissions(stored);
    expect(submissions).toHaveLength(1);
    expect(submissions[0]!.complete).toBe(true);
    const { header, rows } = await relais.surveys.results.exportRows(stored);
    const row = Object.fromEntries(header.map((h, i) => [h, rows[0]![i]]));
    expect(row).toMatchObject({ tache: 'Saisie des notes dans Apogée à la main', frequence: 'hebdomadaire', duree: '90', impact: '4', acteurs: 'moi|equipe', aide: 'Un import automatique' });

    // A second start is refused as a double submission.
    await deliver(cardAction(respondent, invitation.data, invitation.replyToId, { serviceUrl: fake.serviceUrl }));
    await waitFor(async () => allText(respondent).includes('déjà répondu'), 10_000);
  });
});
