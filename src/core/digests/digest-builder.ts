/**
 * Composes the coordinators' digest as a neutral `OutboundMessage`:
 * title and period, a short summary, participation, indicator trends (text
 * and PNG charts), top irritants and a few anonymised comments.
 *
 * Anonymity: every figure comes from `computeIndicators` and
 * `rankIrritants` outputs, which already applied k; the digest adds two
 * rules of its own — irritants are listed only when at least k reports
 * exist, comments only when the period's answers number at least k — and
 * never prints a suppressed value (charts leave a gap, and the text says
 * why).
 *
 * The summary is written by the model when one is given (facts in, 3–4
 * sentences out, any failure → extractive summary); otherwise it is
 * extractive (sentences assembled from the figures). Either way the footer
 * carries `aiGenerated: true`: the digest is produced by an AI system and
 * says so (AI Act art. 50), and the footer text tells which way it was written.
 */
import type { Locale } from '../i18n/locale.js';
import type { ImageBlock, MessageBlock, OutboundMessage } from '../messages/outbound.js';
import type { ChartRenderer, ChartSeries } from '../ports/chart-renderer.js';
import type { LanguageModel } from '../ports/language-model.js';
import type { Logger } from '../ports/logger.js';
import { describeError } from '../errors.js';
import type { IndicatorReport, IndicatorSeries, IndicatorValue } from '../surveys/analysis/indicators.js';
import type { IrritantRanking } from '../surveys/analysis/irritants-ranking.js';
import { isSuppressed } from '../surveys/analysis/k-anonymity.js';
import { scrubPii } from '../corpus/pii-scrubber.js';
import { formatChartNumber } from './chart-alt-text.js';
import { DIGEST_TEXTS, type DigestTexts } from './digest-texts.js';
import { selectNotableComments } from './notable-comments.js';

/** A text given in one language, or in several. */
export type LocalizedText = string | Partial<Record<Locale, string>>;

export function localized(text: LocalizedText, locale: Locale): string {
  if (typeof text === 'string') return text;
  return text[locale] ?? text.fr ?? text.en ?? Object.values(text)[0] ?? '';
}

/** A numeric or scale check-in question shown in the digest. */
export interface DigestIndicatorQuestion {
  id: string;
  type: 'scale' | 'number';
  label: LocalizedText;
  /** Short unit after values, e.g. "min" (none for scales). */
  unit?: LocalizedText;
  /** Fixed y axis (e.g. [1, 5] for a 1–5 scale). */
  yDomain?: [number, number];
}

export interface DigestParticipation {
  surveyTitle: LocalizedText;
  responded: number;
  /** People invited; `null` when the audience is a channel (unknown size). */
  invited: number | null;
}

export interface BuildDigestInput {
  locale: Locale;
  team: { id: string; name: string };
  /** Period covered (for the heading), and the team time zone for dates. */
  period: { from: Date; to: Date; timezone: string };
  minGroupSize: number;
  participation: DigestParticipation[];
  /** Check-in indicators (from `computeIndicators`), or null when the team has no check-in. */
  indicators: IndicatorReport | null;
  indicatorQuestions: DigestIndicatorQuestion[];
  /** Ranked irritants (from `rankIrritants*`), or null when none were collected. */
  irritants: IrritantRanking | null;
  /** Free-text comments of the period, and how many answers the period holds for this group. */
  comments: { texts: string[]; respondents: number };
  charts: ChartRenderer;
  model?: LanguageModel;
  logger?: Logger;
  /** Draw the all-teams line next to the team's (default true). */
  compareWithAllTeams?: boolean;
  /** Last weeks drawn (default 12), irritants listed (default 5), comments quoted (default 3). */
  maxWeeks?: number;
  maxIrritants?: number;
  maxComments?: number;
  signal?: AbortSignal;
}

function percent(responded: number, invited: number | null, locale: Locale): string | null {
  if (!invited) return null;
  return new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'percent', maximumFractionDigits: 0 })
    .format(responded / invited)
    .replace(/\u202f/g, '\u00a0');
}

function shortDate(week: string): string {
  return `${week.slice(8, 10)}/${week.slice(5, 7)}`;
}

function longDate(date: Date, timezone: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: timezone, day: 'numeric', month: 'long', year: 'numeric' }).format(date);
}

/** One value per week for a chart: phases of a week combined; a week with a hidden part is a gap. */
function weeklyValues(series: IndicatorSeries): Map<string, number | null> {
  const out = new Map<string, { n: number; sum: number } | null>();
  for (const point of series.points) {
    const previous = out.get(point.week);
    if (isSuppressed(point.value) || previous === null) {
      out.set(point.week, null);
      continue;
    }
    const v = point.value;
    out.set(point.week, { n: (previous?.n ?? 0) + v.n, sum: (previous?.sum ?? 0) + v.mean * v.n });
  }
  return new Map([...out].map(([week, acc]) => [week, acc ? acc.sum / acc.n : null]));
}

function latestPublished(series: IndicatorSeries): { week: string; value: IndicatorValue } | null {
  for (let i = series.points.length - 1; i >= 0; i--) {
    const point = series.points[i]!;
    if (!isSuppressed(point.value)) return { week: point.week, value: point.value };
  }
  return null;
}

interface IndicatorFacts {
  label: string;
  line: string;
  summary: string | null;
  chart: { series: ChartSeries[]; weeks: string[] } | null;
  hiddenWeeks: boolean;
}

function indicatorFacts(input: BuildDigestInput, question: DigestIndicatorQuestion, texts: DigestTexts): IndicatorFacts | null {
  const report = input.indicators?.questions.find((q) => q.questionId === question.id);
  if (!report) return null;
  const label = localized(question.label, input.locale);
  const unit = question.unit ? `\u00a0${localized(question.unit, input.locale)}` : '';
  const team = report.series.find((s) => s.teamId === input.team.id);
  const all = report.series.find((s) => s.teamId === null);
  const k = input.minGroupSize;
  if (!team) return { label, line: texts.indicatorNoData(label, k), summary: null, chart: null, hiddenWeeks: false };
  const fmt = (n: number): string => formatChartNumber(n, input.locale);
  const latest = latestPublished(team);
  const delta = team.delta === null ? null : texts.delta(`${team.delta > 0 ? '+' : team.delta < 0 ? '−' : '±'}${fmt(Math.abs(team.delta))}${unit}`);
  const line = latest
    ? texts.indicatorLine(label, texts.latest(`${fmt(latest.value.mean)}${unit}`, shortDate(latest.week), latest.value.n), delta)
    : texts.indicatorNoData(label, k);
  const summary = latest ? texts.extractive.indicator(label, `${fmt(latest.value.mean)}${unit}`, delta) : null;

  const maxWeeks = input.maxWeeks ?? 12;
  const teamWeeks = weeklyValues(team);
  const weeks = [...teamWeeks.keys()].sort().slice(-maxWeeks);
  if (!latest || weeks.length === 0) return { label, line, summary, chart: null, hiddenWeeks: teamWeeks.size > 0 };
  const series: ChartSeries[] = [{ name: input.team.name, points: weeks.map((w) => ({ x: shortDate(w), y: teamWeeks.get(w) ?? null })) }];
  if (all && input.compareWithAllTeams !== false) {
    const allWeeks = weeklyValues(all);
    series.push({ name: texts.allTeams, points: weeks.map((w) => ({ x: shortDate(w), y: allWeeks.get(w) ?? null })) });
  }
  const hiddenWeeks = weeks.some((w) => teamWeeks.get(w) === null);
  return { label, line, summary, chart: { series, weeks }, hiddenWeeks };
}

async function modelSummary(model: LanguageModel, facts: string[], texts: DigestTexts, signal?: AbortSignal): Promise<string | null> {
  const result = await model.complete(
    [
      { role: 'system', content: texts.modelInstructions },
      { role: 'user', content: facts.map((f) => `- ${f}`).join('\n') },
    ],
    { temperature: 0.2, maxTokens: 400, ...(signal ? { signal } : {}) },
  );
  const text = scrubPii(result.text.replace(/[*_#`>]/g, '').replace(/\s+/g, ' ').trim()).text;
  if (text.length < 20) return null;
  return text.length > 900 ? `${text.slice(0, 899).replace(/\s+\S*$/, '')}…` : text;
}

/** Builds the digest message in `input.locale`. Never throws for a chart or model failure: that part is left out or replaced. */
export async function buildDigest(input: BuildDigestInput): Promise<OutboundMessage> {
  const texts = DIGEST_TEXTS[input.locale];
  const k = input.minGroupSize;
  const log = input.logger?.child({ scope: 'digest', teamId: input.team.id });
  const blocks: MessageBlock[] = [];
  const facts: string[] = [];

  // Participation
  const participationLines = input.participation.map((p) =>
    texts.participationLine(localized(p.surveyTitle, input.locale), p.responded, p.invited, percent(p.responded, p.invited, input.locale)),
  );
  const totalResponded = input.participation.reduce((n, p) => n + p.responded, 0);
  const knownInvited = input.participation.every((p) => p.invited !== null) && input.participation.length > 0;
  const totalInvited = knownInvited ? input.participation.reduce((n, p) => n + (p.invited ?? 0), 0) : null;
  if (input.participation.length > 0) facts.push(texts.extractive.participation(totalResponded, totalInvited, percent(totalResponded, totalInvited, input.locale)));

  // Indicators
  const indicatorLines: string[] = [];
  const images: ImageBlock[] = [];
  let anyHidden = false;
  for (const question of input.indicatorQuestions) {
    const f = indicatorFacts(input, question, texts);
    if (!f) continue;
    indicatorLines.push(f.line);
    if (f.summary) facts.push(f.summary);
    anyHidden ||= f.hiddenWeeks;
    if (!f.chart) continue;
    const title = texts.chartTitle(f.label, input.team.name);
    try {
      const chart = await input.charts.renderPng({
        kind: 'line',
        title,
        series: f.chart.series,
        xLabel: texts.chartX,
        ...(question.yDomain ? { yDomain: question.yDomain } : {}),
        ...(question.unit ? { yLabel: localized(question.unit, input.locale) } : {}),
        locale: input.locale,
      });
      images.push({ type: 'image', source: { kind: 'bytes', mimeType: 'image/png', base64: Buffer.from(chart.png).toString('base64') }, alt: chart.alt, title });
    } catch (error) {
      log?.warn({ code: describeError(error).code, questionId: question.id }, 'digest chart left out');
    }
  }

  // Irritants
  const irritantLines: string[] = [];
  let irritantsNote: string;
  if (!input.irritants || input.irritants.reports === 0) irritantsNote = texts.irritantsNone;
  else if (input.irritants.reports < k) irritantsNote = texts.irritantsHidden(k);
  else {
    irritantsNote = '';
    input.irritants.irritants.slice(0, input.maxIrritants ?? 5).forEach((irritant, i) => {
      const label = scrubPii(irritant.label).text;
      irritantLines.push(
        `${i + 1}. ${texts.irritantLine(label, irritant.count, formatChartNumber(irritant.minutesPerMonth / 60, input.locale), formatChartNumber(irritant.meanImpact, input.locale))}`,
      );
      if (i === 0) facts.push(texts.extractive.topIrritant(label, irritant.count));
    });
  }

  // Comments
  let comments: string[] = [];
  let commentsNote = '';
  if (input.comments.respondents < k) commentsNote = input.comments.texts.length > 0 || input.comments.respondents > 0 ? texts.commentsHidden(k) : texts.commentsNone;
  else {
    comments = selectNotableComments(input.comments.texts, { max: input.maxComments ?? 3 });
    if (comments.length === 0) commentsNote = texts.commentsNone;
  }

  // Summary
  let summary: string | null = null;
  let footer = texts.footerExtractive;
  if (input.model && facts.length > 0) {
    try {
      summary = await modelSummary(input.model, facts, texts, input.signal);
      if (summary) footer = texts.footerModel(input.model.model);
    } catch (error) {
      log?.warn({ code: describeError(error).code }, 'digest summary by model failed; extractive summary used');
    }
  }
  summary ??= facts.length > 0 ? facts.join(' ') : texts.extractive.nothing;

  const fmtDate = (d: Date): string => longDate(d, input.period.timezone, input.locale);
  blocks.push({ type: 'text', markdown: `${texts.title(input.team.name)}\n${texts.period(fmtDate(input.period.from), fmtDate(input.period.to))}` });
  blocks.push({ type: 'text', markdown: `${texts.summaryTitle}\n${summary}` });
  blocks.push({ type: 'text', markdown: `${texts.participationTitle}\n${participationLines.length ? participationLines.join('\n') : texts.participationNone}` });
  blocks.push({
    type: 'text',
    markdown: `${texts.indicatorsTitle}\n${indicatorLines.length ? indicatorLines.join('\n') : texts.indicatorsNone}${anyHidden ? `\n_${texts.hiddenWeeks(k)}_` : ''}`,
  });
  blocks.push(...images);
  blocks.push({ type: 'text', markdown: `${texts.irritantsTitle}\n${irritantLines.length ? irritantLines.join('\n') : irritantsNote}` });
  blocks.push({ type: 'text', markdown: `${texts.commentsTitle}\n${comments.length ? comments.map((c) => `> ${c}`).join('\n\n') : commentsNote}` });
  return { blocks, footer: { text: footer, aiGenerated: true }, purpose: 'proactive' };
}
