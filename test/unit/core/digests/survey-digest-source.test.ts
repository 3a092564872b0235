/** SurveyDigestSource over the in-memory survey stores: what goes into a team's digest data. */
import { createInMemoryRepositories } from '../../../../src/adapters/memory/create-in-memory-repositories.js';
import { InMemoryDigestDeliveryStore } from '../../../../src/adapters/memory/in-memory-digest-delivery.store.js';
import { SurveyDigestSource } from '../../../../src/core/digests/survey-digest-source.js';
import type { Campaign } from '../../../../src/core/ports/campaign-repository.js';
import type { Repositories } from '../../../../src/core/ports/repositories.js';
import type { AnswerValue } from '../../../../src/core/surveys/answer-rules.js';
import { SurveyCatalog } from '../../../../src/core/surveys/survey-catalog.js';
import type { SurveyDefinition } from '../../../../src/core/surveys/survey-definition.js';
import { SurveyResults } from '../../../../src/core/surveys/survey-results.js';

const NOW = new Date('2026-12-07T09:00:00Z');
const DAY = 86_400_000;
const clock = { now: () => NOW };

const CHECKIN: SurveyDefinition = {
  id: 'checkin-hebdo',
  version: 1,
  title: { fr: 'Point de la semaine', en: 'Weekly check-in' },
  anonymity: { mode: 'anonymous', k: 7 },
  questions: [
    { id: 'minutes', type: 'number', label: { fr: 'Minutes gagnées' }, unit: { fr: 'min' }, min: 0, max: 600, required: true },
    { id: 'bien_etre', type: 'scale', label: { fr: 'Bien-être' }, min: 1, max: 5, required: true },
    { id: 'commentaire', type: 'text', label: { fr: 'Un commentaire ?' }, required: false },
  ],
};
const IRRITANTS: SurveyDefinition = {
  id: 'irritants',
  version: 1,
  title: 'Irritants',
  anonymity: { mode: 'named' },
  questions: [
    { id: 'tache', type: 'text', label: 'Tâche', required: true },
    { id: 'frequence', type: 'single', label: 'Fréquence', options: [{ value: 'quotidienne', label: 'Chaque jour' }], required: true },
    { id: 'duree', type: 'number', label: 'Durée', min: 1, max: 600, required: true },
    { id: 'impact', type: 'scale', label: 'Impact', min: 1, max: 5, required: true },
  ],
};

function campaign(id: string, surveyId: string, teamId: string, patch: Partial<Campaign> = {}): Campaign {
  return {
    id,
    surveyId,
    surveyVersion: 1,
    parentId: null,
    teamId,
    audience: { kind: 'team', teamId },
    mode: 'private',
    status: 'open',
    phase: null,
    opensAt: new Date(NOW.getTime() - 2 * DAY),
    closesAt: new Date(NOW.getTime() + 5 * DAY),
    reminderOffsetsHours: [],
    recurrence: null,
    anonymity: surveyId === 'irritants' ? { mode: 'named' } : { mode: 'anonymous', k: 7 },
    createdBy: null,
    createdAt: NOW,
    updatedAt: NOW,
    ...patch,
  };
}

async function respond(repositories: Repositories, c: Campaign, n: number, answers: Record<string, AnswerValue>): Promise<void> {
  const id = `${c.id}-r${n}`;
  await repositories.campaigns.startResponse({
    id, campaignId: c.id, surveyId: c.surveyId, surveyVersion: 1, personId: null, respondentToken: `t${n}`, teamId: c.teamId, phase: null,
    status: 'in_progress', currentQuestionId: null, startedAt: NOW, updatedAt: NOW, submittedAt: null,
  });
  for (const [questionId, value] of Object.entries(answers)) await repositories.campaigns.saveAnswer(id, questionId, value, NOW);
  await repositories.campaigns.completeResponse(id, NOW);
}

describe('SurveyDigestSource (in-memory stores)', () => {
  let repositories: Repositories;
  let source: SurveyDigestSource;
  const period = { from: new Date(NOW.getTime() - 7 * DAY), to: NOW };

  beforeAll(async () => {
    repositories = createInMemoryRepositories();
    const catalog = new SurveyCatalog(repositories.surveys, clock);
    await catalog.publishAll([CHECKIN, IRRITANTS]);
    for (const id of ['alpha', 'beta']) await repositories.teams.create({ id, name: id.toUpperCase(), service: null, lot: null, timezone: 'Europe/Paris', createdAt: NOW });
    await repositories.teams.addRole('alpha', 'p-coord-2', 'coordinator', NOW);
    await repositories.teams.addRole('alpha', 'p-coord-1', 'coordinator', NOW);
    await repositories.teams.addRole('alpha', 'p-member', 'member', NOW);

    const alphaCheckin = campaign('c-alpha-checkin', 'checkin-hebdo', 'alpha');
    const betaCheckin = campaign('c-beta-checkin', 'checkin-hebdo', 'beta');
    const alphaIrritants = campaign('c-alpha-irritants', 'irritants', 'alpha');
    const betaIrritants = campaign('c-beta-irritants', 'irritants', 'beta');
    const oldAlpha = campaign('c-alpha-old', 'irritants', 'alpha', { status: 'closed', opensAt: new Date(NOW.getTime() - 40 * DAY), closesAt: new Date(NOW.getTime() - 30 * DAY) });
    const scheduled = campaign('c-alpha-later', 'irritants', 'alpha', { status: 'scheduled', opensAt: new Date(NOW.getTime() + DAY) });
    for (const c of [alphaCheckin, betaCheckin, alphaIrritants, betaIrritants, oldAlpha, scheduled]) await repositories.campaigns.create(c);
    await repositories.campaigns.addInvitations(alphaCheckin.id, ['a', 'b', 'c']);
    await respond(repositories, alphaCheckin, 1, { minutes: 30, bien_etre: 4, commentaire: 'Bien' });
    await respond(repositories, betaCheckin, 1, { minutes: 60, bien_etre: 2 });
    await respond(repositories, alphaIrritants, 1, { tache: 'Saisie', frequence: 'quotidienne', duree: 20, impact: 3 });
    await respond(repositories, oldAlpha, 1, { tache: 'Ancien', frequence: 'quotidienne', duree: 10, impact: 2 });
    await respond(repositories, betaIrritants, 1, { tache: 'Autre équipe', frequence: 'quotidienne', duree: 10, impact: 2 });

    source = new SurveyDigestSource({
      campaigns: repositories.campaigns,
      teams: repositories.teams,
      catalog,
      results: new SurveyResults(repositories.campaigns, catalog),
      deliveries: new InMemoryDigestDeliveryStore(),
      clock,
    });
  });

  test('an unknown team has no data', async () => {
    expect(await source.load('nobody', period)).toBeNull();
  });

  test('team, coordinators, k, participation of the period, check-ins of every team, the team’s irritants', async () => {
    const data = (await source.load('alpha', period))!;
    expect(data.team).toEqual({ id: 'alpha', name: 'ALPHA', timezone: 'Europe/Paris', coordinatorPersonIds: ['p-coord-1', 'p-coord-2'] });
    expect(data.minGroupSize).toBe(7);
    expect(data.participation).toEqual([
      { surveyTitle: { fr: 'Point de la semaine', en: 'Weekly check-in' }, responded: 1, invited: 3 },
      { surveyTitle: 'Irritants', responded: 1, invited: 0 },
    ]);
    expect(data.checkins.map((s) => s.teamId).sort()).toEqual(['alpha', 'beta']);
    expect(data.checkins.every((s) => !('personId' in s))).toBe(true);
    expect(data.indicatorQuestions).toEqual([
      { id: 'minutes', type: 'number', label: { fr: 'Minutes gagnées' }, unit: { fr: 'min' } },
      { id: 'bien_etre', type: 'scale', label: { fr: 'Bien-être' }, yDomain: [1, 5] },
    ]);
    expect(data.commentQuestionIds).toEqual(['commentaire']);
    // Every irritants campaign of the team (the old one too), none of the other team.
    expect(data.irritants.map((s) => s.answers.find((a) => a.questionId === 'tache')!.value).sort()).toEqual(['Ancien', 'Saisie']);
  });

  test('claims: once per team, period and person, released for a retry', async () => {
    expect(await source.claimDelivery('alpha', '2026-12-07', 'p-coord-1')).toBe(true);
    expect(await source.claimDelivery('alpha', '2026-12-07', 'p-coord-1')).toBe(false);
    await source.releaseDelivery('alpha', '2026-12-07', 'p-coord-1');
    expect(await source.claimDelivery('alpha', '2026-12-07', 'p-coord-1')).toBe(true);
  });
});
