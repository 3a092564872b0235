/**
 * Irritants prioritisation: which repetitive or time-wasting tasks to work
 * on first.
 *
 * 1. Each submission of the `irritants` survey gives a task description
 *    (text), a frequency (choice), a time per occurrence (minutes) and an
 *    impact (1–5 scale).
 * 2. Descriptions are normalised (`french-terms.ts`) and grouped when they
 *    describe the same task: single-link clustering on the Jaccard
 *    similarity of their terms, pairs at or above `similarityThreshold`
 *    (default 0.35) joined, deterministic whatever the input order.
 *    `irritants-model-grouping.ts` may provide the groups instead.
 * 3. Each submission gets a score
 *      score = perMonth(frequency)^wf × minutes^wt × impact^wi
 *    (exponents default to 1: minutes lost per month, weighted by impact;
 *    an exponent of 0 ignores a factor, 0.5 dampens it, 2 stresses it).
 *    A group's score is the sum of its members' scores, so a task reported
 *    by many people rises, and so does a rare but heavy one.
 * 4. Groups are ranked by score, then number of reports, then label.
 *
 * Missing values do not drop a report: a missing or unknown frequency counts
 * as `missing.perMonth` (default 1, monthly), missing minutes as
 * `missing.minutes` (15), missing impact as `missing.impact` (3, the middle).
 */
import type { SubmissionData } from './answer-data.js';
import { irritantTerms, jaccard } from './french-terms.js';

/** Where each irritant field is in the survey, and what a frequency value means. */
export interface IrritantFields {
  /** Text question describing the task (default `tache`). */
  description: string;
  /** Single-choice frequency question (default `frequence`). */
  frequency: string;
  /** Number question, minutes per occurrence (default `duree`). */
  minutes: string;
  /** Scale question, impact (default `impact`). */
  impact: string;
}

/**
 * Default Jaccard threshold: on the 44 test irritants it merges no two
 * different tasks and misses only synonym pairs (the model-assisted
 * grouping is there for those).
 */
export const DEFAULT_SIMILARITY_THRESHOLD = 0.35;

export const DEFAULT_IRRITANT_FIELDS: IrritantFields = { description: 'tache', frequency: 'frequence', minutes: 'duree', impact: 'impact' };

/**
 * Occurrences per month of each frequency value (working month: 20 days,
 * 4.33 weeks). Covers the shipped template's values and the short forms.
 */
export const DEFAULT_FREQUENCY_PER_MONTH: Readonly<Record<string, number>> = {
  plusieurs_par_jour: 60,
  quotidienne: 20,
  quotidien: 20,
  hebdomadaire: 4.33,
  mensuelle: 1,
  mensuel: 1,
  ponctuelle: 0.25,
  occasionnel: 0.25,
  occasionnelle: 0.25,
};

export interface IrritantWeights {
  /** Exponent of the frequency (occurrences per month). Default 1. */
  frequency: number;
  /** Exponent of the minutes per occurrence. Default 1. */
  minutes: number;
  /** Exponent of the impact (1–5). Default 1. */
  impact: number;
}

export interface IrritantRankingOptions {
  fields?: Partial<IrritantFields>;
  frequencyPerMonth?: Readonly<Record<string, number>>;
  weights?: Partial<IrritantWeights>;
  /** Jaccard threshold for grouping two descriptions, in ]0, 1]. Default 0.35. */
  similarityThreshold?: number;
  /** Values used when an answer is missing. */
  missing?: { perMonth?: number; minutes?: number; impact?: number };
  /** Count submissions that are not complete; default false. */
  includeIncomplete?: boolean;
  /** Longest label kept (characters, default 120); longer ones are cut at a word with "…". */
  maxLabelLength?: number;
}

/** One report, normalised. */
export interface IrritantReport {
  submissionId: string;
  text: string;
  terms: string[];
  perMonth: number;
  minutes: number;
  impact: number;
  score: number;
}

export interface RankedIrritant {
  /** 1 for the highest priority. */
  rank: number;
  /** Representative description (the member closest to the others), or the model's label. */
  label: string;
  /** Number of reports in the group. */
  count: number;
  score: number;
  /** Minutes lost per month, summed over the reports. */
  minutesPerMonth: number;
  meanImpact: number;
  /** Terms shared by most members (for display and debugging). */
  terms: string[];
  submissionIds: string[];
}

export interface IrritantRanking {
  grouping: 'lexical' | 'model';
  /** Reports considered (with a non-empty description). */
  reports: number;
  irritants: RankedIrritant[];
}

/** A grouping decision: which reports form one irritant, optionally with a label. */
export interface IrritantGroup {
  submissionIds: string[];
  label?: string;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function answer(submission: SubmissionData, questionId: string): SubmissionData['answers'][number]['value'] | undefined {
  return submission.answers.find((a) => a.questionId === questionId)?.value;
}

function positive(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** Normalised reports (one per submission with a description), with their individual scores. */
export function irritantReports(submissions: readonly SubmissionData[], options: IrritantRankingOptions = {}): IrritantReport[] {
  const fields = { ...DEFAULT_IRRITANT_FIELDS, ...options.fields };
  const perMonthOf = options.frequencyPerMonth ?? DEFAULT_FREQUENCY_PER_MONTH;
  const w = { frequency: 1, minutes: 1, impact: 1, ...options.weights };
  const missing = { perMonth: 1, minutes: 15, impact: 3, ...options.missing };
  const reports: IrritantReport[] = [];
  for (const s of submissions) {
    if (!s.complete && !options.includeIncomplete) continue;
    const description = answer(s, fields.description);
    const text = typeof description === 'string' ? description.replace(/\s+/g, ' ').trim() : '';
    if (!text) continue;
    const frequency = answer(s, fields.frequency);
    const key = Array.isArray(frequency) ? frequency[0] : frequency;
    const perMonth = (typeof key === 'string' ? perMonthOf[key] : undefined) ?? missing.perMonth;
    const minutes = positive(answer(s, fields.minutes)) ?? missing.minutes;
    const impact = positive(answer(s, fields.impact)) ?? missing.impact;
    const score = perMonth ** w.frequency * minutes ** w.minutes * impact ** w.impact;
    reports.push({ submissionId: s.submissionId, text, terms: irritantTerms(text), perMonth, minutes, impact, score });
  }
  return reports.sort((a, b) => (a.submissionId < b.submissionId ? -1 : a.submissionId > b.submissionId ? 1 : 0));
}

/**
 * Lexical grouping: single-link over pairs whose Jaccard similarity is at
 * least `threshold`. Candidate pairs come from an inverted index of terms,
 * so unrelated reports are never compared. Groups are listed by their
 * first submission id; members in id order.
 */
export function groupIrritantsLexically(reports: readonly IrritantReport[], threshold = DEFAULT_SIMILARITY_THRESHOLD): IrritantGroup[] {
  if (!(threshold > 0 && threshold <= 1)) throw new RangeError(`similarityThreshold must be in ]0, 1] (got ${threshold})`);
  // Reports with the same terms are the same task: cluster distinct term sets only.
  const keys = new Map<string, number>();
  const distinct: string[][] = [];
  const keyOf = reports.map((r) => {
    const key = r.terms.join(' ');
    let index = keys.get(key);
    if (index === undefined) {
      index = distinct.length;
      keys.set(key, index);
      distinct.push(r.terms);
    }
    return index;
  });
  const parent = distinct.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const postings = new Map<string, number[]>();
  distinct.forEach((terms, i) => terms.forEach((t) => pushTo(postings, t, i)));
  for (let i = 0; i < distinct.length; i++) {
    const candidates = new Set<number>();
    for (const t of distinct[i]!) for (const j of postings.get(t)!) if (j > i) candidates.add(j);
    for (const j of candidates) {
      if (jaccard(distinct[i]!, distinct[j]!) >= threshold) {
        const [a, b] = [find(i), find(j)];
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  }
  // Empty term lists (a description made only of function words) never join anything.
  const groups = new Map<string, string[]>();
  reports.forEach((r, i) => pushTo(groups, r.terms.length === 0 ? `solo:${r.submissionId}` : `c:${find(keyOf[i]!)}`, r.submissionId));
  return [...groups.values()].map((submissionIds) => ({ submissionIds }));
}

function cutLabel(text: string, max: number): string {
  const first = text.charAt(0).toLocaleUpperCase('fr') + text.slice(1);
  if (first.length <= max) return first;
  const cut = first.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`;
}

const hasAccents = (text: string): boolean => text.normalize('NFD') !== text.normalize('NFC') || /[’«»]/.test(text);

function betterWritten(candidate: IrritantReport, current: IrritantReport): boolean {
  const [a, b] = [hasAccents(candidate.text), hasAccents(current.text)];
  if (a !== b) return a;
  return candidate.text.length < current.text.length;
}

/**
 * The member whose terms are closest to all the others' (ties: shorter
 * text, then id). Members sharing the same terms are scored once, weighted
 * by their number, so a group of hundreds stays cheap.
 */
function representative(members: readonly IrritantReport[]): IrritantReport {
  const byKey = new Map<string, IrritantReport[]>();
  for (const m of members) pushTo(byKey, m.terms.join(' '), m);
  const sets = [...byKey.values()];
  let best = members[0]!;
  let bestScore = -1;
  for (const same of sets) {
    const terms = same[0]!.terms;
    let score = same.length - 1;
    for (const other of sets) if (other !== same) score += other.length * jaccard(terms, other[0]!.terms);
    // Among identical term sets, prefer a carefully written text (with its accents), then the shortest.
    const shortest = same.reduce((a, b) => (betterWritten(b, a) ? b : a));
    if (score > bestScore + 1e-9 || (Math.abs(score - bestScore) <= 1e-9 && shortest.text.length < best.text.length)) {
      best = shortest;
      bestScore = score;
    }
  }
  return best;
}

/** Scores and ranks the given groups of reports (reports missing from every group are ranked alone). */
export function rankGroups(
  reports: readonly IrritantReport[],
  groups: readonly IrritantGroup[],
  grouping: IrritantRanking['grouping'],
  options: Pick<IrritantRankingOptions, 'maxLabelLength'> = {},
): IrritantRanking {
  const byId = new Map(reports.map((r) => [r.submissionId, r]));
  const seen = new Set<string>();
  const allGroups: IrritantGroup[] = [];
  for (const g of groups) {
    const ids = g.submissionIds.filter((id) => byId.has(id) && !seen.has(id));
    ids.forEach((id) => seen.add(id));
    if (ids.length > 0) allGroups.push({ ...g, submissionIds: ids });
  }
  for (const r of reports) if (!seen.has(r.submissionId)) allGroups.push({ submissionIds: [r.submissionId] });

  const ranked = allGroups.map((g) => {
    const members = g.submissionIds.map((id) => byId.get(id)!).sort((a, b) => (a.submissionId < b.submissionId ? -1 : 1));
    const termCounts = new Map<string, number>();
    members.forEach((m) => m.terms.forEach((t) => termCounts.set(t, (termCounts.get(t) ?? 0) + 1)));
    const terms = [...termCounts]
      .filter(([, c]) => c * 2 >= members.length)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([t]) => t);
    return {
      rank: 0,
      label: cutLabel(g.label?.trim() || representative(members).text, options.maxLabelLength ?? 120),
      count: members.length,
      score: members.reduce((s, m) => s + m.score, 0),
      minutesPerMonth: members.reduce((s, m) => s + m.perMonth * m.minutes, 0),
      meanImpact: members.reduce((s, m) => s + m.impact, 0) / members.length,
      terms,
      submissionIds: members.map((m) => m.submissionId),
    };
  });
  ranked.sort((a, b) => b.score - a.score || b.count - a.count || a.label.localeCompare(b.label, 'fr'));
  ranked.forEach((r, i) => (r.rank = i + 1));
  return { grouping, reports: reports.length, irritants: ranked };
}

/** Lexical ranking of the irritants reported in `submissions`. */
export function rankIrritants(submissions: readonly SubmissionData[], options: IrritantRankingOptions = {}): IrritantRanking {
  const reports = irritantReports(submissions, options);
  return rankGroups(reports, groupIrritantsLexically(reports, options.similarityThreshold ?? DEFAULT_SIMILARITY_THRESHOLD), 'lexical', options);
}
