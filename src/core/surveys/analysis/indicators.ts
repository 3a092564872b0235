/**
 * Experimentation indicators from check-ins: weekly time series per team and
 * overall, and per phase (baseline vs follow-up) with deltas, for numeric
 * and scale questions (minutes saved, well-being, errors avoided,
 * satisfaction).
 *
 * Buckets: a submission belongs to the week (Monday to Sunday) of its
 * `submittedAt` in `timezone` (default Europe/Paris), named by the local
 * date of that Monday, `YYYY-MM-DD`; and to its phase. A week that spans a
 * phase change gives one point per phase, so every point has one phase.
 *
 * Minimum group size k (see `k-anonymity.ts`), per question:
 * - a point (team × week × phase) with fewer than k answers is suppressed;
 * - for each week × phase, the overall point is the sum of the team points
 *   plus the answers without a team (never published alone): complementary
 *   suppression keeps overall − published teams at k people or more;
 * - a phase summary (mean, n) is computed from the **published** points of
 *   that series and phase only. So it never hides a remainder (summary −
 *   points = nothing), and successive digests, whose summaries grow week
 *   by week, differ only by weeks that are published anyway: a week hidden
 *   because 3 people answered stays hidden in every later total.
 * - the delta (follow-up mean − baseline mean) exists only when both
 *   summaries do.
 */
import { ValidationError } from '../../errors.js';
import type { SubmissionData } from './answer-data.js';
import { DEFAULT_MIN_GROUP_SIZE, checkMinGroupSize, suppressCells, suppressed, type AdditiveRelation, type Suppressed } from './k-anonymity.js';

export interface IndicatorQuestion {
  id: string;
  type: 'scale' | 'number';
}

export interface IndicatorOptions {
  /** IANA time zone of the weekly buckets (default Europe/Paris). */
  timezone?: string;
  /** k (default 5). */
  minGroupSize?: number;
  /** Phase names compared by the delta (defaults `baseline`, `follow-up`). */
  baselinePhase?: string;
  followUpPhase?: string;
  /** Count incomplete submissions (default false: a check-in counts once sent). */
  includeIncomplete?: boolean;
}

/** Mean of the answers behind one published figure. */
export interface IndicatorValue {
  n: number;
  mean: number;
}

export interface IndicatorPoint {
  /** Local date of the Monday of the week, YYYY-MM-DD. */
  week: string;
  phase: string | null;
  value: IndicatorValue | Suppressed;
}

export interface IndicatorSeries {
  /** `null` for all teams together. */
  teamId: string | null;
  points: IndicatorPoint[];
  /** Per phase (non-null phases met in the data), from the published points; `null` when none is published. */
  phases: Record<string, IndicatorValue | null>;
  /** follow-up mean − baseline mean, when both exist. */
  delta: number | null;
}

export interface QuestionIndicators {
  questionId: string;
  /** The overall series first, then one per team (team id order). */
  series: IndicatorSeries[];
}

export interface IndicatorReport {
  minGroupSize: number;
  timezone: string;
  /** Every week met, sorted. */
  weeks: string[];
  questions: QuestionIndicators[];
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

/** Local date (YYYY-MM-DD) of the Monday starting the week of `instant` in `timezone`. */
export function weekOf(instant: Date, timezone: string): string {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short' });
    } catch {
      throw new ValidationError('indicators.invalid_timezone', `unknown time zone "${timezone}"`, { timezone });
    }
    formatters.set(timezone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(instant).map((p) => [p.type, p.value]));
  const monday = new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day) - WEEKDAYS[parts.weekday!]!));
  return monday.toISOString().slice(0, 10);
}

const ALL = '*';
const NO_TEAM = '∅';

interface Acc {
  n: number;
  sum: number;
}

export function computeIndicators(
  questions: readonly IndicatorQuestion[],
  submissions: readonly SubmissionData[],
  options: IndicatorOptions = {},
): IndicatorReport {
  const k = checkMinGroupSize(options.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE);
  const timezone = options.timezone ?? 'Europe/Paris';
  const baseline = options.baselinePhase ?? 'baseline';
  const followUp = options.followUpPhase ?? 'follow-up';
  const counted = options.includeIncomplete ? submissions : submissions.filter((s) => s.complete);
  const weekOfSub = new Map(counted.map((s) => [s, weekOf(s.submittedAt, timezone)]));
  const weeks = [...new Set(weekOfSub.values())].sort();
  const teams = [...new Set(counted.map((s) => s.teamId).filter((t): t is string => t !== null))].sort();

  const report: IndicatorReport = { minGroupSize: k, timezone, weeks, questions: [] };
  for (const question of questions) {
    // cells: `${team}|${phase}|${week}` → answers
    const cells = new Map<string, Acc>();
    const slots = new Map<string, { phase: string | null; week: string }>();
    for (const s of counted) {
      const answer = s.answers.find((a) => a.questionId === question.id);
      const value = typeof answer?.value === 'number' ? answer.value : NaN;
      if (!Number.isFinite(value)) continue;
      const slot = `${s.phase ?? ''}|${weekOfSub.get(s)!}`;
      slots.set(slot, { phase: s.phase, week: weekOfSub.get(s)! });
      for (const team of [ALL, s.teamId ?? NO_TEAM]) {
        const id = `${team}|${slot}`;
        const acc = cells.get(id) ?? { n: 0, sum: 0 };
        acc.n++;
        acc.sum += value;
        cells.set(id, acc);
      }
    }
    const counts = new Map([...cells].map(([id, acc]) => [id, acc.n]));
    const relations: AdditiveRelation[] = [...slots.keys()].map((slot) => ({
      total: `${ALL}|${slot}`,
      parts: [...teams, NO_TEAM].map((t) => `${t}|${slot}`),
    }));
    const hidden = suppressCells(counts, relations, k, [...slots.keys()].map((slot) => `${NO_TEAM}|${slot}`));
    const orderedSlots = [...slots].sort(([, a], [, b]) => (a.week < b.week ? -1 : a.week > b.week ? 1 : (a.phase ?? '') < (b.phase ?? '') ? -1 : 1));

    const series: IndicatorSeries[] = [null, ...teams].map((teamId) => {
      const team = teamId ?? ALL;
      const points: IndicatorPoint[] = [];
      const phaseAcc = new Map<string, Acc>();
      for (const [slot, { phase, week }] of orderedSlots) {
        const id = `${team}|${slot}`;
        const acc = cells.get(id);
        if (!acc) continue;
        if (hidden.has(id)) {
          points.push({ week, phase, value: suppressed(k) });
          if (phase !== null && !phaseAcc.has(phase)) phaseAcc.set(phase, { n: 0, sum: 0 });
          continue;
        }
        points.push({ week, phase, value: { n: acc.n, mean: acc.sum / acc.n } });
        if (phase !== null) {
          const p = phaseAcc.get(phase) ?? { n: 0, sum: 0 };
          p.n += acc.n;
          p.sum += acc.sum;
          phaseAcc.set(phase, p);
        }
      }
      const phases: Record<string, IndicatorValue | null> = {};
      for (const [phase, acc] of [...phaseAcc].sort(([a], [b]) => (a < b ? -1 : 1))) {
        phases[phase] = acc.n > 0 ? { n: acc.n, mean: acc.sum / acc.n } : null;
      }
      const before = phases[baseline];
      const after = phases[followUp];
      return { teamId, points, phases, delta: before && after ? after.mean - before.mean : null };
    });
    report.questions.push({ questionId: question.id, series });
  }
  return report;
}
