/**
 * The digest's data, read from the survey engine's ports (campaigns, teams,
 * published definitions) and a delivery-claim store: one implementation
 * for memory, PGlite and PostgreSQL alike.
 *
 * What counts as what:
 * - participation: every campaign of the team (not a recurring parent,
 *   not one still scheduled) whose window overlaps the period;
 * - check-ins: occurrences of recurring campaigns (and campaigns of a
 *   survey whose id starts with `checkin`), of every team: the other teams
 *   feed the "all teams" line; their number and scale questions are the
 *   indicators, their text questions the quotable comments;
 * - irritants: every campaign of the team whose survey has the irritant
 *   fields (`tache`, `frequence`, `duree`, `impact`);
 * - k: the largest k among the team's anonymous campaigns and the
 *   check-ins shown, never below the default 5.
 * Submissions carry no person id (`SurveyResults.submissions`).
 */
import type { Campaign, CampaignRepository } from '../ports/campaign-repository.js';
import type { Clock } from '../ports/clock.js';
import type { DigestDeliveryStore } from '../ports/digest-delivery-store.js';
import type { TeamRepository } from '../ports/team-repository.js';
import type { SubmissionData } from '../surveys/analysis/answer-data.js';
import type { SurveyCatalog } from '../surveys/survey-catalog.js';
import { DEFAULT_K, type SurveyDefinition } from '../surveys/survey-definition.js';
import type { SurveyResults } from '../surveys/survey-results.js';
import type { DigestIndicatorQuestion, DigestParticipation } from './digest-builder.js';
import type { DigestData, DigestDataSource } from './digest-data-source.js';

export interface SurveyDigestSourceDeps {
  campaigns: CampaignRepository;
  teams: TeamRepository;
  catalog: SurveyCatalog;
  results: Pick<SurveyResults, 'submissions'>;
  deliveries: DigestDeliveryStore;
  clock: Clock;
}

const IRRITANT_FIELDS = ['tache', 'frequence', 'duree', 'impact'];

export function isCheckinCampaign(campaign: Campaign): boolean {
  return campaign.parentId !== null || campaign.recurrence !== null || campaign.surveyId.startsWith('checkin');
}

function isIrritantSurvey(definition: SurveyDefinition): boolean {
  return IRRITANT_FIELDS.every((id) => definition.questions.some((q) => q.id === id));
}

export class SurveyDigestSource implements DigestDataSource {
  constructor(private readonly deps: SurveyDigestSourceDeps) {}

  async load(teamId: string, period: { from: Date; to: Date }): Promise<DigestData | null> {
    const { campaigns, teams, catalog, results } = this.deps;
    const team = await teams.get(teamId);
    if (!team) return null;
    const coordinatorPersonIds = (await teams.memberships(teamId)).filter((m) => m.coordinator).map((m) => m.personId).sort();

    const definitions = new Map<string, SurveyDefinition>();
    const definitionOf = async (c: Campaign): Promise<SurveyDefinition> => {
      const key = `${c.surveyId}@${c.surveyVersion}`;
      let definition = definitions.get(key);
      if (!definition) definitions.set(key, (definition = (await catalog.version(c.surveyId, c.surveyVersion)).definition));
      return definition;
    };

    // Campaigns that hold responses (a recurring parent holds none; its occurrences do).
    const all = (await campaigns.list()).filter((c) => c.status !== 'recurring');
    const ofTeam = all.filter((c) => c.teamId === teamId);
    let k = DEFAULT_K;

    const participation: DigestParticipation[] = [];
    for (const c of ofTeam) {
      if (c.status === 'scheduled' || c.opensAt > period.to || c.closesAt < period.from) continue;
      const definition = await definitionOf(c);
      const figures = await campaigns.participation(c.id);
      participation.push({ surveyTitle: definition.title, responded: figures.completed, invited: c.audience.kind === 'channel' ? null : figures.invited });
    }

    const checkins: SubmissionData[] = [];
    const indicatorQuestions = new Map<string, DigestIndicatorQuestion>();
    const commentQuestionIds = new Set<string>();
    const irritants: SubmissionData[] = [];
    for (const c of all) {
      const checkin = isCheckinCampaign(c);
      if (!checkin && c.teamId !== teamId) continue;
      const definition = await definitionOf(c);
      const irritant = c.teamId === teamId && isIrritantSurvey(definition);
      if (!checkin && !irritant) {
        if (c.anonymity.mode === 'anonymous') k = Math.max(k, c.anonymity.k);
        continue;
      }
      if (c.anonymity.mode === 'anonymous' && (c.teamId === teamId || checkin)) k = Math.max(k, c.anonymity.k);
      const submissions = await results.submissions(c, definition);
      if (irritant) irritants.push(...submissions);
      if (!checkin) continue;
      checkins.push(...submissions);
      for (const q of definition.questions) {
        if (q.type === 'text') commentQuestionIds.add(q.id);
        if ((q.type !== 'number' && q.type !== 'scale') || indicatorQuestions.has(q.id)) continue;
        indicatorQuestions.set(q.id, {
          id: q.id,
          type: q.type,
          label: q.label,
          ...(q.unit ? { unit: q.unit } : {}),
          ...(q.type === 'scale' && q.min !== undefined && q.max !== undefined ? { yDomain: [q.min, q.max] as [number, number] } : {}),
        });
      }
    }

    return {
      team: { id: team.id, name: team.name, timezone: team.timezone, coordinatorPersonIds },
      minGroupSize: k,
      participation,
      checkins,
      indicatorQuestions: [...indicatorQuestions.values()],
      irritants,
      commentQuestionIds: [...commentQuestionIds],
    };
  }

  async claimDelivery(teamId: string, periodKey: string, personId: string): Promise<boolean> {
    return this.deps.deliveries.claim(teamId, periodKey, personId, this.deps.clock.now());
  }

  async releaseDelivery(teamId: string, periodKey: string, personId: string): Promise<void> {
    await this.deps.deliveries.release(teamId, periodKey, personId);
  }
}
