/**
 * One contract for the survey stores (definitions, teams, campaigns with
 * invitations, responses and answers) on every implementation: in-memory,
 * PGlite, PostgreSQL. One store per file; every test uses ids of its own.
 */
import { randomUUID } from 'node:crypto';
import type { Campaign, CampaignRepository, SurveyResponse } from '../../src/core/ports/campaign-repository.js';
import type { SurveyRepository } from '../../src/core/ports/survey-repository.js';
import type { TeamRepository } from '../../src/core/ports/team-repository.js';
import type { SurveyDefinition } from '../../src/core/surveys/survey-definition.js';

export interface SurveyStoreFixture {
  surveys: SurveyRepository;
  campaigns: CampaignRepository;
  teams: TeamRepository;
  cleanup(): Promise<void>;
}

const T0 = new Date('2026-03-02T09:00:00.000Z');
const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);
const uid = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

function definition(id: string, label = 'Question'): SurveyDefinition {
  return { id, version: 1, title: { fr: 'Titre', en: 'Title' }, anonymity: { mode: 'named' }, questions: [{ id: 'q1', type: 'text', label, required: true }] };
}

function campaign(overrides: Partial<Campaign> = {}): Campaign {
  return {
    id: uid('c'),
    surveyId: 'irritants',
    surveyVersion: 1,
    parentId: null,
    teamId: null,
    audience: { kind: 'people', personIds: ['p_a', 'p_b'] },
    mode: 'private',
    status: 'scheduled',
    phase: null,
    opensAt: T0,
    closesAt: at(7 * 24 * 60),
    reminderOffsetsHours: [72, 120],
    recurrence: null,
    anonymity: { mode: 'named' },
    createdBy: null,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

function response(campaignId: string, overrides: Partial<SurveyResponse> = {}): SurveyResponse {
  return {
    id: randomUUID(),
    campaignId,
    surveyId: 'irritants',
    surveyVersion: 1,
    personId: null,
    respondentToken: null,
    teamId: null,
    phase: null,
    status: 'in_progress',
    currentQuestionId: null,
    startedAt: T0,
    updatedAt: T0,
    submittedAt: null,
    ...overrides,
  };
}

export function surveyStoreContract(name: string, open: () => Promise<SurveyStoreFixture>): void {
  describe(`survey store contract: ${name}`, () => {
    let store: SurveyStoreFixture;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store.cleanup();
    });

    describe('definitions', () => {
      test('same content keeps its version; changed content gets the next one; old versions stay readable', async () => {
        const id = uid('s');
        const first = await store.surveys.publish(definition(id), 'hash-1', T0);
        expect(first).toMatchObject({ created: true, survey: { version: 1, contentHash: 'hash-1' } });
        expect((await store.surveys.publish(definition(id), 'hash-1', at(1))).created).toBe(false);
        const second = await store.surveys.publish(definition(id, 'Autre question'), 'hash-2', at(2));
        expect(second).toMatchObject({ created: true, survey: { version: 2 } });
        expect(second.survey.definition.version).toBe(2);
        expect((await store.surveys.get(id, 1))!.definition.questions[0]!.label).toBe('Question');
        expect((await store.surveys.latest(id))!.version).toBe(2);
        expect((await store.surveys.listLatest()).find((s) => s.definition.id === id)!.version).toBe(2);
        // A declared version above the stored ones is honoured.
        expect((await store.surveys.publish({ ...definition(id, 'Trois'), version: 7 }, 'hash-3', at(3))).survey.version).toBe(7);
      });

      test('concurrent publications of the same content store one version', async () => {
        const id = uid('s');
        const outcomes = await Promise.all([1, 2, 3].map(() => store.surveys.publish(definition(id), 'same', T0)));
        expect(outcomes.map((o) => o.survey.version)).toEqual([1, 1, 1]);
        expect(outcomes.filter((o) => o.created)).toHaveLength(1);
      });

      test('unknown survey or version is null', async () => {
        expect(await store.surveys.latest(uid('none'))).toBeNull();
        expect(await store.surveys.get(uid('none'), 1)).toBeNull();
      });
    });

    describe('teams', () => {
      test('create once, roles added and removed independently, rows go when no role is left', async () => {
        const id = uid('t');
        const team = { id, name: 'Scolarité', service: 'Scolarité', lot: 'lot 1', timezone: 'Europe/Paris', createdAt: T0 };
        expect(await store.teams.create(team)).toBe(true);
        expect(await store.teams.create(team)).toBe(false);
        expect(await store.teams.get(id)).toEqual(team);
        await store.teams.addRole(id, 'p_1', 'member', at(1));
        await store.teams.addRole(id, 'p_1', 'coordinator', at(2));
        await store.teams.addRole(id, 'p_2', 'member', at(3));
        await store.teams.addRole(id, 'p_2', 'member', at(4));
        expect(await store.teams.memberships(id)).toEqual([
          { teamId: id, personId: 'p_1', member: true, coordinator: true, addedAt: at(1) },
          { teamId: id, personId: 'p_2', member: true, coordinator: false, addedAt: at(3) },
        ]);
        expect((await store.teams.membershipsOf('p_1')).map((m) => m.teamId)).toContain(id);
        expect(await store.teams.removeRole(id, 'p_1', 'member')).toBe(true);
        expect(await store.teams.removeRole(id, 'p_1', 'member')).toBe(false);
        expect(await store.teams.removeRole(id, 'p_2', 'member')).toBe(true);
        expect(await store.teams.memberships(id)).toEqual([{ teamId: id, personId: 'p_1', member: false, coordinator: true, addedAt: at(1) }]);
        expect(await store.teams.update(id, { lot: 'lot 2' })).toMatchObject({ lot: 'lot 2', name: 'Scolarité' });
        expect(await store.teams.update(uid('none'), { lot: 'x' })).toBeNull();
        expect(await store.teams.delete(id)).toBe(true);
        expect(await store.teams.get(id)).toBeNull();
        expect(await store.teams.memberships(id)).toEqual([]);
      });
    });

    describe('campaigns', () => {
      test('round trip with JSON fields and dates, filters, status compare-and-set', async () => {
        const teamId = uid('t');
        const c = campaign({
          teamId,
          audience: { kind: 'team', teamId },
          status: 'recurring',
          recurrence: { cron: '0 14 * * 5', timezone: 'Europe/Paris', from: at(10), until: at(100_000), windowHours: 72 },
          anonymity: { mode: 'anonymous', k: 5 },
          phase: 'baseline',
        });
        await store.campaigns.create(c);
        expect(await store.campaigns.get(c.id)).toEqual(c);
        expect((await store.campaigns.list({ teamId })).map((x) => x.id)).toEqual([c.id]);
        expect(await store.campaigns.list({ teamId, status: ['open'] })).toEqual([]);
        expect(await store.campaigns.setStatus(c.id, ['open'], 'closed', at(1))).toBe(false);
        expect(await store.campaigns.setStatus(c.id, ['recurring'], 'paused', at(1))).toBe(true);
        expect(await store.campaigns.get(c.id)).toMatchObject({ status: 'paused', updatedAt: at(1) });
        await store.campaigns.setClosesAt(c.id, at(5), at(2));
        expect((await store.campaigns.get(c.id))!.closesAt).toEqual(at(5));
        const child = campaign({ parentId: c.id, teamId });
        await store.campaigns.create(child);
        expect((await store.campaigns.list({ parentId: c.id })).map((x) => x.id)).toEqual([child.id]);
        await expect(store.campaigns.create(child)).rejects.toThrow();
      });

      test('invitations and reminders are marked once, and can be undone after a failed delivery', async () => {
        const c = campaign({ status: 'open' });
        await store.campaigns.create(c);
        await store.campaigns.addInvitations(c.id, ['p_a', 'p_b']);
        await store.campaigns.addInvitations(c.id, ['p_b', 'p_c']);
        expect((await store.campaigns.invitations(c.id)).map((i) => [i.personId, i.invitedAt, i.remindersSent])).toEqual([
          ['p_a', null, 0],
          ['p_b', null, 0],
          ['p_c', null, 0],
        ]);
        const marks = await Promise.all([1, 2, 3].map(() => store.campaigns.markInvited(c.id, 'p_a', at(1))));
        expect(marks.filter(Boolean)).toHaveLength(1);
        expect(await store.campaigns.markInvited(c.id, 'p_unknown', at(1))).toBe(false);
        await store.campaigns.unmarkInvited(c.id, 'p_b');
        expect(await store.campaigns.markInvited(c.id, 'p_b', at(2))).toBe(true);
        await store.campaigns.unmarkInvited(c.id, 'p_b');
        expect((await store.campaigns.invitations(c.id)).find((i) => i.personId === 'p_b')!.invitedAt).toBeNull();

        expect(await store.campaigns.markReminded(c.id, 'p_a', 1)).toBe(true);
        expect(await store.campaigns.markReminded(c.id, 'p_a', 1)).toBe(false);
        expect(await store.campaigns.markReminded(c.id, 'p_c', 2)).toBe(true);
        expect(await store.campaigns.markReminded(c.id, 'p_c', 1)).toBe(false);
        await store.campaigns.unmarkReminded(c.id, 'p_c', 2);
        expect((await store.campaigns.invitations(c.id)).find((i) => i.personId === 'p_c')!.remindersSent).toBe(1);

        const inviting = await store.campaigns.campaignsInviting('p_a', ['open']);
        expect(inviting.map((x) => x.id)).toContain(c.id);
        expect((await store.campaigns.campaignsInviting('p_a', ['closed'])).map((x) => x.id)).not.toContain(c.id);
      });

      test('named responses: one per person (race-safe), answers replaced, completion once', async () => {
        const c = campaign({ status: 'open' });
        await store.campaigns.create(c);
        const starts = await Promise.all([1, 2, 3].map(() => store.campaigns.startResponse(response(c.id, { personId: 'p_a' }))));
        expect(starts.filter((s) => s.created)).toHaveLength(1);
        expect(new Set(starts.map((s) => s.response.id)).size).toBe(1);
        const id = starts[0]!.response.id;
        await store.campaigns.saveAnswer(id, 'tache', 'Saisie des notes', at(1));
        await store.campaigns.saveAnswer(id, 'acteurs', ['moi', 'equipe'], at(2));
        await store.campaigns.saveAnswer(id, 'aide', null, at(3));
        await store.campaigns.saveAnswer(id, 'duree', 45, at(4));
        await store.campaigns.saveAnswer(id, 'duree', 30, at(5));
        const answers = await store.campaigns.answersOf(id);
        expect(Object.fromEntries(answers.map((a) => [a.questionId, a.value]))).toEqual({ tache: 'Saisie des notes', acteurs: ['moi', 'equipe'], aide: null, duree: 30 });
        expect(answers.find((a) => a.questionId === 'duree')!.answeredAt).toEqual(at(5));
        await store.campaigns.setCurrentQuestion(id, 'impact', at(6));
        expect(await store.campaigns.getResponse(id)).toMatchObject({ currentQuestionId: 'impact', updatedAt: at(6) });
        expect(await store.campaigns.findResponse(c.id, { personId: 'p_a' })).toMatchObject({ id });
        expect(await store.campaigns.completeResponse(id, at(7))).toBe(true);
        expect(await store.campaigns.completeResponse(id, at(8))).toBe(false);
        expect(await store.campaigns.getResponse(id)).toMatchObject({ status: 'complete', submittedAt: at(7), currentQuestionId: null });
        expect((await store.campaigns.answersOfCampaign(c.id)).length).toBe(4);
        await store.campaigns.addInvitations(c.id, ['p_a', 'p_b']);
        await store.campaigns.startResponse(response(c.id, { personId: 'p_b' }));
        expect(await store.campaigns.participation(c.id)).toEqual({ invited: 2, started: 2, completed: 1 });
        expect((await store.campaigns.responses(c.id)).map((r) => r.personId).sort()).toEqual(['p_a', 'p_b']);
      });

      test('anonymous responses: found by token while in progress; at submission the token leaves the response; a second submission is refused', async () => {
        const c = campaign({ status: 'open', anonymity: { mode: 'anonymous', k: 5 } });
        await store.campaigns.create(c);
        const { response: r } = await store.campaigns.startResponse(response(c.id, { respondentToken: 't_1' }));
        expect((await store.campaigns.startResponse(response(c.id, { respondentToken: 't_1' }))).created).toBe(false);
        expect(await store.campaigns.findResponse(c.id, { token: 't_1' })).toMatchObject({ id: r.id, personId: null });
        expect(await store.campaigns.hasSubmitted(c.id, 't_1')).toBe(false);
        expect(await store.campaigns.completeResponse(r.id, at(1), 't_1')).toBe(true);
        expect(await store.campaigns.hasSubmitted(c.id, 't_1')).toBe(true);
        expect(await store.campaigns.getResponse(r.id)).toMatchObject({ status: 'complete', respondentToken: null, personId: null });
        expect(await store.campaigns.findResponse(c.id, { token: 't_1' })).toBeNull();
        // The same person starting again (same token) cannot submit twice.
        const { response: again } = await store.campaigns.startResponse(response(c.id, { respondentToken: 't_1' }));
        expect(again.id).not.toBe(r.id);
        expect(await store.campaigns.completeResponse(again.id, at(2), 't_1')).toBe(false);
        expect(await store.campaigns.getResponse(again.id)).toMatchObject({ status: 'in_progress' });
      });
    });
  });
}
