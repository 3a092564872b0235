/**
 * Results of a campaign for coordinators: live participation, per-question
 * aggregates (analysis functions, with k for anonymous campaigns), the
 * ranked irritants, and exports (CSV, JSON).
 *
 * Anonymous campaigns: no figure describes fewer than k people, and the
 * row-level export is refused below k complete answers.
 */
import { ValidationError } from '../errors.js';
import type { Locale } from '../i18n/locale.js';
import type { Campaign, CampaignRepository, Participation } from '../ports/campaign-repository.js';
import type { AnsweredQuestion, SubmissionData } from './analysis/answer-data.js';
import { isSuppressed } from './analysis/k-anonymity.js';
import { aggregateQuestions, type AnalysisQuestion, type SurveyAggregates } from './analysis/question-aggregates.js';
import { type IrritantRanking, type IrritantRankingOptions } from './analysis/irritants-ranking.js';
import { rankIrritantsWithModel } from './analysis/irritants-model-grouping.js';
import type { LanguageModel } from '../ports/language-model.js';
import type { Logger } from '../ports/logger.js';
import { visibleAnswers, type AnswerValue } from './answer-rules.js';
import type { SurveyCatalog } from './survey-catalog.js';
import { localize, type SurveyDefinition } from './survey-definition.js';
import { st } from './survey-texts.js';

export interface CampaignResults {
  campaign: Campaign;
  definition: SurveyDefinition;
  participation: Participation;
  /** k in force (1 for named campaigns). */
  minGroupSize: number;
  aggregates: SurveyAggregates;
  /** Only for surveys with the irritants fields (`tache`, `frequence`, `duree`, `impact`). */
  irritants?: IrritantRanking;
}

export interface SurveyResultsOptions {
  /** Weights, fields and thresholds of the irritant score. */
  irritants?: IrritantRankingOptions;
  /** When set, similar irritants are grouped by the model (lexical grouping when it fails). */
  model?: LanguageModel;
  logger?: Logger;
}

export class SurveyResults {
  constructor(
    private readonly campaigns: CampaignRepository,
    private readonly catalog: SurveyCatalog,
    private readonly options: SurveyResultsOptions = {},
  ) {}

  /** Live participation only (no analysis, no model call): for status lines. */
  async participation(campaign: Campaign): Promise<Participation> {
    return this.campaigns.participation(campaign.id);
  }

  /** Every response as analysis data (no person id), visible answers only, in question order. */
  async submissions(campaign: Campaign, definition?: SurveyDefinition): Promise<SubmissionData[]> {
    const survey = definition ?? (await this.catalog.version(campaign.surveyId, campaign.surveyVersion)).definition;
    const byResponse = new Map<string, Record<string, AnswerValue>>();
    for (const a of await this.campaigns.answersOfCampaign(campaign.id)) {
      if (a.value === null) continue;
      const answers = byResponse.get(a.responseId) ?? {};
      answers[a.questionId] = a.value;
      byResponse.set(a.responseId, answers);
    }
    return (await this.campaigns.responses(campaign.id)).map((r) => {
      const visible = visibleAnswers(survey, byResponse.get(r.id) ?? {});
      const answers: AnsweredQuestion[] = survey.questions
        .filter((q) => visible[q.id] !== undefined)
        .map((q) => ({ questionId: q.id, type: q.type, value: visible[q.id]! }));
      return {
        submissionId: r.id,
        surveyId: r.surveyId,
        surveyVersion: r.surveyVersion,
        campaignId: r.campaignId,
        teamId: r.teamId,
        phase: r.phase,
        submittedAt: r.submittedAt ?? r.updatedAt,
        complete: r.status === 'complete',
        answers,
      };
    });
  }

  async results(campaign: Campaign): Promise<CampaignResults> {
    const { definition } = await this.catalog.version(campaign.surveyId, campaign.surveyVersion);
    const submissions = await this.submissions(campaign, definition);
    const minGroupSize = campaign.anonymity.mode === 'anonymous' ? campaign.anonymity.k : 1;
    const aggregates = aggregateQuestions(analysisQuestions(definition), submissions, {
      minGroupSize,
      includeTexts: campaign.anonymity.mode === 'named',
    });
    const hasIrritantFields = ['tache', 'frequence', 'duree', 'impact'].every((id) => definition.questions.some((q) => q.id === id));
    const complete = submissions.filter((s) => s.complete).length;
    const irritants = hasIrritantFields && complete >= minGroupSize ? await this.rankIrritants(campaign, submissions) : undefined;
    return {
      campaign,
      definition,
      participation: await this.campaigns.participation(campaign.id),
      minGroupSize,
      aggregates,
      ...(irritants ? { irritants } : {}),
    };
  }

  private async rankIrritants(campaign: Campaign, submissions: SubmissionData[]): Promise<IrritantRanking> {
    const ranking = await rankIrritantsWithModel(submissions, this.options.model, this.options.irritants);
    // Content-free: why the model's grouping was not used (timeout, invalid JSON, too many reports).
    if (ranking.fallbackReason) this.options.logger?.warn({ campaignId: campaign.id, reason: ranking.fallbackReason }, 'irritants grouped lexically');
    const { fallbackReason: _reason, ...rest } = ranking;
    return rest;
  }

  /** One row per submission: id, version, team, phase, date, complete, then one column per question. */
  async exportRows(campaign: Campaign): Promise<{ header: string[]; rows: string[][] }> {
    const { definition } = await this.catalog.version(campaign.surveyId, campaign.surveyVersion);
    const submissions = await this.submissions(campaign, definition);
    if (campaign.anonymity.mode === 'anonymous') {
      const complete = submissions.filter((s) => s.complete).length;
      if (complete < campaign.anonymity.k) {
        throw new ValidationError('survey.below_k', `anonymous campaign ${campaign.id} has fewer than k=${campaign.anonymity.k} complete answers: no row-level export`, {
          k: campaign.anonymity.k,
        });
      }
    }
    const header = ['submission_id', 'survey_version', 'team', 'phase', 'submitted_at', 'complete', ...definition.questions.map((q) => q.id)];
    // Anonymous exports list complete answers only, in a neutral order (not the order people answered).
    const listed = campaign.anonymity.mode === 'anonymous' ? submissions.filter((s) => s.complete).sort((a, b) => a.submissionId.localeCompare(b.submissionId)) : submissions;
    const rows = listed.map((s) => {
      const values = new Map(s.answers.map((a) => [a.questionId, a.value]));
      return [
        s.submissionId,
        String(s.surveyVersion),
        s.teamId ?? '',
        s.phase ?? '',
        campaign.anonymity.mode === 'anonymous' ? s.submittedAt.toISOString().slice(0, 10) : s.submittedAt.toISOString(),
        s.complete ? 'true' : 'false',
        ...definition.questions.map((q) => {
          const v = values.get(q.id);
          return v === undefined ? '' : Array.isArray(v) ? v.join('|') : String(v);
        }),
      ];
    });
    return { header, rows };
  }

  async exportCsv(campaign: Campaign): Promise<{ csv: string; rows: number }> {
    const { header, rows } = await this.exportRows(campaign);
    return { csv: [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n', rows: rows.length };
  }

  async exportJson(campaign: Campaign): Promise<unknown> {
    const results = await this.results(campaign);
    const { header, rows } = await this.exportRows(campaign);
    return {
      campaign: {
        id: campaign.id,
        surveyId: campaign.surveyId,
        surveyVersion: campaign.surveyVersion,
        teamId: campaign.teamId,
        phase: campaign.phase,
        status: campaign.status,
        opensAt: campaign.opensAt.toISOString(),
        closesAt: campaign.closesAt.toISOString(),
        anonymity: campaign.anonymity,
      },
      participation: results.participation,
      aggregates: results.aggregates,
      ...(results.irritants ? { irritants: results.irritants } : {}),
      submissions: rows.map((row) => Object.fromEntries(header.map((h, i) => [h, row[i]]))),
    };
  }
}

export function analysisQuestions(definition: SurveyDefinition): AnalysisQuestion[] {
  return definition.questions.map((q) => ({
    id: q.id,
    type: q.type,
    ...(q.options ? { options: q.options.map((o) => ({ value: o.value, label: localize(o.label, 'fr') })) } : {}),
    ...(q.type === 'scale' ? { min: q.min!, max: q.max! } : {}),
  }));
}

/** RFC 4180 cell; formulas are neutralised so a spreadsheet never runs an answer. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Results as markdown for the chat. */
export function formatResults(results: CampaignResults, locale: Locale): string {
  const { campaign, definition, participation, aggregates } = results;
  const lines = [
    st(locale, 'results.title', { title: localize(definition.title, locale), id: campaign.id, completed: participation.completed, invited: participation.invited }),
  ];
  const k = results.minGroupSize;
  for (const aggregate of aggregates.questions) {
    const question = definition.questions.find((q) => q.id === aggregate.questionId)!;
    const label = localize(question.label, locale);
    if (isSuppressed(aggregate.result)) {
      lines.push(`- ${label} : ${st(locale, 'results.suppressed', { k })}`);
      continue;
    }
    const r = aggregate.result;
    switch (r.type) {
      case 'single':
      case 'multi': {
        const counts = r.options
          .filter((o) => o.count > 0)
          .map((o) => `${localize(question.options?.find((x) => x.value === o.value)?.label ?? o.value, locale)} ${o.count}`);
        lines.push(`- ${label} : ${counts.join(', ') || '—'}`);
        break;
      }
      case 'scale':
        lines.push(`- ${label} : ${locale === 'fr' ? 'moyenne' : 'mean'} ${r.mean.toFixed(1)}, ${locale === 'fr' ? 'médiane' : 'median'} ${r.median} (n=${r.answered})`);
        break;
      case 'number':
        lines.push(`- ${label} : ${locale === 'fr' ? 'moyenne' : 'mean'} ${r.mean.toFixed(1)}, ${locale === 'fr' ? 'total' : 'total'} ${r.sum} (n=${r.answered})`);
        break;
      case 'text':
        lines.push(`- ${label} : ${r.answered} ${locale === 'fr' ? 'réponse(s)' : 'answer(s)'}`);
        break;
    }
  }
  if (results.irritants && results.irritants.irritants.length > 0) {
    lines.push('', st(locale, 'results.irritants'));
    if (results.irritants.grouping === 'model') lines.push(st(locale, 'results.irritantsByModel'));
    for (const irritant of results.irritants.irritants.slice(0, 10)) {
      lines.push(`${irritant.rank}. ${irritant.label} — ${irritant.count} ${locale === 'fr' ? 'signalement(s)' : 'report(s)'}, ${Math.round(irritant.minutesPerMonth)} min/${locale === 'fr' ? 'mois' : 'month'}, score ${Math.round(irritant.score)}`);
    }
  }
  return lines.join('\n');
}
