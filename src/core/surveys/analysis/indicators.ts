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

/**
 * Week of many instants: time zones change offset only on quarter-hour
 * boundaries, so the week is cached per UTC quarter hour (100,000
 * submissions fall into a few thousand distinct quarters).
 */
function weekCache(timezone: string): (instant: Date) => string {
  const cache = new Map<number, string>();
  return (instant) => {
    const quarter = Math.floor(instant.getTime() / 900_000);
    let week = cache.get(quarter);
    if (week === undefined) {
      week = weekOf(new Date(quarter * 900_000), timezone);
      cache.set(quarter, week);
    }
    return week;
  };
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
  const week = weekCache(timezone);

  // Slots (phase × week) and teams as small integers, computed once for all questions.
  const slotIds = new Map<string, number>();
  const slotList: Array<{ key: string; phase: string | null; week: string }> = [];
  const teamIds = new Map<string, number>();
  const slotOf = new Int32Array(counted.length);
  const teamOf = new Int32Array(counted.length);
  counted.forEach((s, i) => {
    const w = week(s.submittedAt);
    const key = `${s.phase ?? ''}|${w}`;
    let slot = slotIds.get(key);
    if (slot === undefined) {
      slot = slotList.length;
      slotIds.set(key, slot);
      slotList.push({ key, phase: s.phase, week: w });
    }
    slotOf[i] = slot;
    let team = -1;
    if (s.teamId !== null) {
      team = teamIds.get(s.teamId) ?? -1;
      if (team < 0) {
        team = teamIds.size;
        teamIds.set(s.teamId, team);
      }
    }
    teamOf[i] = team;
  });
  const teams = [...teamIds.keys()].sort();
  const weeks = [...new Set(slotList.map((s) => s.week))].sort();
  // Row r of the cell tables: 0 = all teams, 1 = no team, 2 + team index (insertion order).
  const rows = teamIds.size + 2;
  const rowName = (row: number): string => (row === 0 ? ALL : row === 1 ? NO_TEAM : `t:${teamByIndex[row - 2]}`);
  const teamByIndex = [...teamIds.keys()];
  const rowOfTeam = (teamId: string | null): number => (teamId === null ? 0 : 2 + teamIds.get(teamId)!);

  const report: IndicatorReport = { minGroupSize: k, timezone, weeks, questions: [] };
  const orderedSlots = slotList
    .map((slot, index) => ({ ...slot, index }))
    .sort((a, b) => (a.week < b.week ? -1 : a.week > b.week ? 1 : (a.phase ?? '') < (b.phase ?? '') ? -1 : 1));

  for (const question of questions) {
    const n = new Float64Array(rows * slotList.length);
    const sum = new Float64Array(rows * slotList.length);
    for (let i = 0; i < counted.length; i++) {
      let value = NaN;
      for (const a of counted[i]!.answers) {
        if (a.questionId === question.id) {
          if (typeof a.value === 'number') value = a.value;
          break;
        }
      }
      if (!Number.isFinite(value)) continue;
      const slot = slotOf[i]!;
      const cell = (teamOf[i]! < 0 ? 1 : 2 + teamOf[i]!) * slotList.length + slot;
      n[slot] = n[slot]! + 1;
      sum[slot] = sum[slot]! + value;
      n[cell] = n[cell]! + 1;
      sum[cell] = sum[cell]! + value;
    }
    const cellId = (row: number, slot: number): string => `${rowName(row)}|${slotList[slot]!.key}`;
    const counts = new Map<string, number>();
    const relations: AdditiveRelation[] = [];
    const hiddenParts: string[] = [];
    for (let slot = 0; slot < slotList.length; slot++) {
      const parts: string[] = [];
      for (let row = 0; row < rows; row++) {
        const count = n[row * slotList.length + slot]!;
        if (count === 0) continue;
        counts.set(cellId(row, slot), count);
        if (row > 0) parts.push(cellId(row, slot));
      }
      if (n[slotList.length + slot]! > 0) hiddenParts.push(cellId(1, slot));
      relations.push({ total: cellId(0, slot), parts });
    }
    const hidden = suppressCells(counts, relations, k, hiddenParts);

    const series: IndicatorSeries[] = [null, ...teams].map((teamId) => {
      const row = rowOfTeam(teamId);
      const points: IndicatorPoint[] = [];
      const phaseAcc = new Map<string, Acc>();
      for (const { index, phase, week: w } of orderedSlots) {
        const count = n[row * slotList.length + index]!;
        if (count === 0) continue;
        if (phase !== null && !phaseAcc.has(phase)) phaseAcc.set(phase, { n: 0, sum: 0 });
        if (hidden.has(cellId(row, index))) {
          points.push({ week: w, phase, value: suppressed(k) });
          continue;
        }
        const total = sum[row * slotList.length + index]!;
        points.push({ week: w, phase, value: { n: count, mean: total / count } });
        if (phase !== null) {
          const p = phaseAcc.get(phase)!;
          p.n += count;
          p.sum += total;
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
