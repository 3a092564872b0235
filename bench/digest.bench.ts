/**
 * Digest aggregation at scale: 100,000 check-in submissions (4 numeric
 * answers each, 40 teams, 20 weeks) and 2,000 irritants; times each step of
 * a digest (indicators, per-question aggregates with team breakdown,
 * irritants ranking, composition with placeholder charts, then the real
 * Vega → PNG charts). Target from issue 5: < 1 s for the aggregation; the
 * per-question results with team breakdown are timed apart (not a digest step).
 *
 * `digestBench(argv)` can be registered in bench/run.ts (as `digest`, or as
 * part of `surveys`); `--submissions N` changes the size.
 */
import { performance } from 'node:perf_hooks';
import { PlaceholderChartRenderer } from '../src/adapters/charts/placeholder-chart-renderer.js';
import { VegaChartRenderer } from '../src/adapters/charts/vega-chart-renderer.js';
import { buildDigest } from '../src/core/digests/digest-builder.js';
import type { SubmissionData } from '../src/core/surveys/analysis/answer-data.js';
import { computeIndicators } from '../src/core/surveys/analysis/indicators.js';
import { rankIrritants } from '../src/core/surveys/analysis/irritants-ranking.js';
import { aggregateQuestions } from '../src/core/surveys/analysis/question-aggregates.js';
import { machine, summarize, writeResults } from './stats.js';

const TASKS = [
  'Saisie des notes dans Apogée', 'Relances des conventions de stage', 'Répondre aux mails des étudiants sur les inscriptions',
  'Vérification des justificatifs de bourse', 'Mise à jour de l’emploi du temps', 'Édition des attestations de réussite',
  'Saisie des états de frais de déplacement', 'Reporter les feuilles d’émargement', 'Préparer les procès-verbaux de jury',
  'Collecter les pièces des dossiers des vacataires', 'Réserver les salles d’examen', 'Archivage des dossiers étudiants',
];
const VARIANTS = ['', ' chaque semaine', ' à la main', ' pour les étudiants de licence', ' en fin de semestre', ' dans le tableur partagé'];

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeCheckins(count: number, teams = 40, weeks = 20): SubmissionData[] {
  const random = rng(42);
  const start = Date.parse('2027-03-05T13:00:00Z');
  return Array.from({ length: count }, (_, i) => {
    const week = Math.floor(random() * weeks);
    const phase = week < 4 ? 'baseline' : 'follow-up';
    return {
      submissionId: `ck${i}`,
      surveyId: 'checkin-hebdo',
      surveyVersion: 1,
      campaignId: 'checkin',
      teamId: `team-${Math.floor(random() * teams)}`,
      phase,
      submittedAt: new Date(start + week * 7 * 86_400_000 + Math.floor(random() * 3 * 86_400_000)),
      complete: true,
      answers: [
        { questionId: 'minutes_gagnees', type: 'number', value: Math.round(random() * (phase === 'baseline' ? 20 : 90)) },
        { questionId: 'bien_etre', type: 'scale', value: 1 + Math.floor(random() * 5) },
        { questionId: 'erreurs_evitees', type: 'number', value: Math.floor(random() * 6) },
        { questionId: 'satisfaction', type: 'scale', value: 1 + Math.floor(random() * 5) },
      ],
    };
  });
}

function makeIrritants(count: number): SubmissionData[] {
  const random = rng(7);
  const freqs = ['plusieurs_par_jour', 'quotidienne', 'hebdomadaire', 'mensuelle', 'ponctuelle'];
  return Array.from({ length: count }, (_, i) => ({
    submissionId: `irr${i}`,
    surveyId: 'irritants',
    surveyVersion: 1,
    campaignId: 'irritants',
    teamId: 'team-0',
    phase: null,
    submittedAt: new Date('2027-02-15T10:00:00Z'),
    complete: true,
    answers: [
      { questionId: 'tache', type: 'text', value: TASKS[Math.floor(random() * TASKS.length)]! + VARIANTS[Math.floor(random() * VARIANTS.length)]! },
      { questionId: 'frequence', type: 'single', value: freqs[Math.floor(random() * freqs.length)]! },
      { questionId: 'duree', type: 'number', value: 5 + Math.floor(random() * 120) },
      { questionId: 'impact', type: 'scale', value: 1 + Math.floor(random() * 5) },
    ],
  }));
}

const QUESTIONS = [
  { id: 'minutes_gagnees', type: 'number' as const, label: 'Minutes gagnées', unit: 'min' },
  { id: 'bien_etre', type: 'scale' as const, label: 'Bien-être', yDomain: [1, 5] as [number, number] },
  { id: 'erreurs_evitees', type: 'number' as const, label: 'Erreurs évitées' },
  { id: 'satisfaction', type: 'scale' as const, label: 'Satisfaction', yDomain: [1, 5] as [number, number] },
];

function time<T>(samples: number[], run: () => T): T {
  const t0 = performance.now();
  const out = run();
  samples.push(performance.now() - t0);
  return out;
}

export interface DigestStepRow {
  step: string;
  p50: number;
  max: number;
  mean: number;
}

/** Times each digest step over `count` check-ins and 2,000 irritants, `rounds` times. */
export async function measureDigest(count: number, rounds = 5): Promise<(DigestStepRow & { count: number })[]> {
  const checkins = makeCheckins(count);
  const irritants = makeIrritants(2_000);
  const steps: Record<string, number[]> = { indicators: [], aggregates: [], irritants: [], compose: [], total: [], charts: [] };
  const vega = new VegaChartRenderer();
  for (let round = 0; round < rounds; round++) {
    time(steps.aggregates!, () => aggregateQuestions(QUESTIONS, checkins, { breakdown: 'team' }));
    const t0 = performance.now();
    const indicators = time(steps.indicators!, () => computeIndicators(QUESTIONS, checkins, { timezone: 'Europe/Paris' }));
    const ranking = time(steps.irritants!, () => rankIrritants(irritants));
    const input = {
      locale: 'fr' as const,
      team: { id: 'team-0', name: 'Équipe 0' },
      period: { from: new Date('2027-07-12T00:00:00Z'), to: new Date('2027-07-19T07:00:00Z'), timezone: 'Europe/Paris' },
      minGroupSize: 5,
      participation: [{ surveyTitle: 'Point de la semaine', responded: 120, invited: 150 }],
      indicators,
      indicatorQuestions: QUESTIONS,
      irritants: ranking,
      comments: { texts: [], respondents: 0 },
    };
    const c0 = performance.now();
    await buildDigest({ ...input, charts: new PlaceholderChartRenderer() });
    steps.compose!.push(performance.now() - c0);
    steps.total!.push(performance.now() - t0);
    const v0 = performance.now();
    await buildDigest({ ...input, charts: vega });
    steps.charts!.push(performance.now() - v0);
  }
  return Object.entries(steps).map(([step, samples]) => ({ step, ...summarize(samples) }));
}

export async function digestBench(argv: string[]): Promise<void> {
  const sizeArg = argv.indexOf('--submissions');
  const count = sizeArg >= 0 ? Number(argv[sizeArg + 1]) : 100_000;
  const rounds = 5;
  const rows = await measureDigest(count, rounds);
  const markdown = [
    `# Digest aggregation — ${count.toLocaleString('en')} check-in submissions (${(count * 4).toLocaleString('en')} answers), 40 teams, 20 weeks; 2,000 irritants`,
    '',
    `Machine: ${JSON.stringify(machine())}. ${rounds} rounds; milliseconds.`,
    '',
    '| step | p50 | max | mean |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.step} | ${r.p50} | ${r.max} | ${r.mean} |`),
    '',
    '`total` = what a digest computes: indicators (4 questions, weekly × team, k) + irritants ranking + composition with placeholder charts (target < 1,000 ms).',
    '`aggregates` = per-question results with a team breakdown over the same submissions (CLI `survey results`), not part of a digest.',
    '`charts` = a second composition with the real Vega → SVG → PNG charts (4 charts).',
    '',
  ].join('\n');
  console.log(markdown);
  await writeResults('digest', { count, rounds, machine: machine(), rows }, markdown);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, '/bench/'))) {
  await digestBench(process.argv.slice(2));
}
