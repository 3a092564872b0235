/**
 * Model-assisted grouping of irritants, when a `LanguageModel` is configured.
 *
 * Lexical grouping misses synonyms ("appels des parents" / "répondre au
 * téléphone aux familles"); a model does not. The model only groups and
 * names: scores stay computed by `irritants-ranking.ts`, so a model can
 * never invent a frequency or a duration.
 *
 * Safety and robustness:
 * - descriptions are scrubbed of personal data (`scrubPii`) and cut to
 *   300 characters before they leave for the model (data minimisation);
 * - the answer must be strict JSON of the documented shape, every report
 *   in exactly one group, labels short and non-empty; anything else (an
 *   error, a timeout, prose, a missing or duplicated report) falls back to
 *   the lexical grouping, and the reason is returned for the logs;
 * - above `maxReports` (default 150) the lexical grouping is used directly.
 */
import { scrubPii } from '../../corpus/pii-scrubber.js';
import { describeError } from '../../errors.js';
import type { ChatMessage, LanguageModel } from '../../ports/language-model.js';
import type { SubmissionData } from './answer-data.js';
import {
  DEFAULT_SIMILARITY_THRESHOLD,
  groupIrritantsLexically,
  irritantReports,
  rankGroups,
  type IrritantGroup,
  type IrritantRanking,
  type IrritantRankingOptions,
  type IrritantReport,
} from './irritants-ranking.js';

export interface ModelGroupingOptions extends IrritantRankingOptions {
  /** Above this many reports, the model is not asked (prompt size). Default 150. */
  maxReports?: number;
  /** Aborts the model call. */
  signal?: AbortSignal;
}

export interface ModelRankingResult extends IrritantRanking {
  /** Why the lexical grouping was used although a model was given (content-free, for logs). */
  fallbackReason?: string;
}

const MAX_TEXT = 300;
const MAX_LABEL = 120;

export function groupingPrompt(texts: readonly string[]): ChatMessage[] {
  const list = texts.map((text, i) => `${i + 1}. ${text}`).join('\n');
  return [
    {
      role: 'system',
      content: [
        'Tu aides une équipe administrative universitaire à prioriser ses irritants (tâches répétitives ou chronophages).',
        'Regroupe les descriptions qui désignent la même tâche, même formulée autrement. Ne regroupe pas des tâches seulement voisines.',
        'Donne à chaque groupe un libellé court et neutre en français (au plus 10 mots), sans nom de personne.',
        'Réponds uniquement par un objet JSON, sans texte autour, de la forme :',
        '{"groupes":[{"libelle":"Saisie des notes dans Apogée","membres":[1,3]}]}',
        'Chaque numéro de 1 à N apparaît dans exactement un groupe ; un irritant isolé forme un groupe à lui seul.',
      ].join('\n'),
    },
    { role: 'user', content: `N = ${texts.length}\n${list}` },
  ];
}

/** Parses and checks the model's answer; throws an Error naming the first problem. */
export function parseGroupingAnswer(answer: string, count: number): Array<{ label: string; members: number[] }> {
  const trimmed = answer.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/u, '$1');
  const parsed: unknown = JSON.parse(trimmed);
  const groups = (parsed as { groupes?: unknown } | null)?.groupes;
  if (!Array.isArray(groups)) throw new Error('no "groupes" array');
  const seen = new Set<number>();
  const out: Array<{ label: string; members: number[] }> = [];
  for (const group of groups as unknown[]) {
    const { libelle, membres } = (group ?? {}) as { libelle?: unknown; membres?: unknown };
    if (typeof libelle !== 'string' || libelle.trim() === '' || libelle.length > MAX_LABEL) throw new Error('bad label');
    if (!Array.isArray(membres) || membres.length === 0) throw new Error('bad members');
    for (const m of membres) {
      if (!Number.isInteger(m) || m < 1 || m > count) throw new Error('member out of range');
      if (seen.has(m)) throw new Error('member in two groups');
      seen.add(m);
    }
    out.push({ label: libelle.trim(), members: membres as number[] });
  }
  if (seen.size !== count) throw new Error('member missing');
  return out;
}

/** Asks the model to group `reports`; returns the groups or throws. */
export async function groupIrritantsWithModel(
  model: LanguageModel,
  reports: readonly IrritantReport[],
  signal?: AbortSignal,
): Promise<IrritantGroup[]> {
  const texts = reports.map((r) => scrubPii(r.text).text.slice(0, MAX_TEXT).replace(/\s+/g, ' '));
  const result = await model.complete(groupingPrompt(texts), { temperature: 0, maxTokens: 4000, ...(signal ? { signal } : {}) });
  return parseGroupingAnswer(result.text, reports.length).map((g) => ({
    label: scrubPii(g.label).text,
    submissionIds: g.members.map((m) => reports[m - 1]!.submissionId),
  }));
}

/**
 * Ranking with model-assisted grouping, falling back to the lexical one on
 * any failure. Without a model, same as `rankIrritants`.
 */
export async function rankIrritantsWithModel(
  submissions: readonly SubmissionData[],
  model: LanguageModel | undefined,
  options: ModelGroupingOptions = {},
): Promise<ModelRankingResult> {
  const reports = irritantReports(submissions, options);
  const lexical = (): IrritantGroup[] => groupIrritantsLexically(reports, options.similarityThreshold ?? DEFAULT_SIMILARITY_THRESHOLD);
  if (!model || reports.length === 0) return rankGroups(reports, lexical(), 'lexical', options);
  if (reports.length > (options.maxReports ?? 150)) {
    return { ...rankGroups(reports, lexical(), 'lexical', options), fallbackReason: 'too_many_reports' };
  }
  try {
    const groups = await groupIrritantsWithModel(model, reports, options.signal);
    return rankGroups(reports, groups, 'model', options);
  } catch (error) {
    const reason = error instanceof SyntaxError ? 'invalid_json' : describeError(error).code === 'internal' ? `invalid_answer: ${describeError(error).message}` : describeError(error).code;
    return { ...rankGroups(reports, lexical(), 'lexical', options), fallbackReason: reason };
  }
}
