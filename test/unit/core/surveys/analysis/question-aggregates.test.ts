import { describe, expect, it } from '@jest/globals';
import { isSuppressed } from '../../../../../src/core/surveys/analysis/k-anonymity.js';
import { aggregateQuestions, medianInPlace, type AnalysisQuestion } from '../../../../../src/core/surveys/analysis/question-aggregates.js';
import { submission, times } from './submission-builder.js';

const questions: AnalysisQuestion[] = [
  { id: 'frequence', type: 'single', options: [{ value: 'quotidien' }, { value: 'hebdomadaire' }, { value: 'mensuel' }] },
  { id: 'outils', type: 'multi', options: [{ value: 'apogee' }, { value: 'tableur' }, { value: 'courriel' }] },
  { id: 'bien-etre', type: 'scale', min: 1, max: 5 },
  { id: 'minutes', type: 'number' },
  { id: 'commentaire', type: 'text' },
];
const types = { 'bien-etre': 'scale', commentaire: 'text' } as const;

describe('aggregateQuestions', () => {
  it('computes counts, distributions, means, medians and sums', () => {
    const subs = [
      submission({ frequence: 'quotidien', outils: ['apogee', 'tableur'], 'bien-etre': 4, minutes: 30, commentaire: 'Zut' }, { types }),
      submission({ frequence: 'quotidien', outils: ['apogee'], 'bien-etre': 2, minutes: 10, commentaire: 'Ah bon' }, { types }),
      submission({ frequence: 'mensuel', outils: ['courriel', 'courriel'], 'bien-etre': 5, minutes: 20 }, { types }),
      submission({ frequence: 'autre', outils: [], 'bien-etre': 4, minutes: 60 }, { types }),
      submission({ frequence: 'hebdomadaire', outils: ['tableur'], 'bien-etre': 3, minutes: 15, commentaire: '  Bien ' }, { types }),
      submission({ frequence: 'quotidien' }, { complete: false }),
    ];
    const agg = aggregateQuestions(questions, subs, { minGroupSize: 1, includeTexts: true });
    expect(agg.respondents).toBe(5);
    const byId = Object.fromEntries(agg.questions.map((q) => [q.questionId, q.result]));
    expect(byId.frequence).toEqual({
      type: 'single',
      answered: 5,
      options: [{ value: 'quotidien', count: 2 }, { value: 'hebdomadaire', count: 1 }, { value: 'mensuel', count: 1 }, { value: 'autre', count: 1 }],
    });
    // An empty multi answer is no answer; a repeated value counts once.
    expect(byId.outils).toEqual({
      type: 'multi',
      answered: 4,
      options: [{ value: 'apogee', count: 2 }, { value: 'tableur', count: 2 }, { value: 'courriel', count: 1 }],
    });
    expect(byId['bien-etre']).toEqual({
      type: 'scale',
      answered: 5,
      mean: 3.6,
      median: 4,
      distribution: [1, 2, 3, 4, 5].map((value) => ({ value, count: [0, 1, 1, 2, 1][value - 1] })),
    });
    expect(byId.minutes).toEqual({ type: 'number', answered: 5, mean: 27, median: 20, sum: 135 });
    expect(byId.commentaire).toEqual({ type: 'text', answered: 3, texts: ['Ah bon', 'Bien', 'Zut'] });
  });

  it('gives texts only when asked, and counts incomplete submissions only when asked', () => {
    const subs = [submission({ commentaire: 'a' }, { types }), submission({ commentaire: 'b' }, { types, complete: false })];
    const agg = aggregateQuestions([questions[4]!], subs, { minGroupSize: 1 });
    expect(agg.questions[0]!.result).toEqual({ type: 'text', answered: 1 });
    expect(aggregateQuestions([questions[4]!], subs, { minGroupSize: 1, includeIncomplete: true }).respondents).toBe(2);
  });

  it('suppresses every figure under k, overall and per question, with a marker and no number', () => {
    const subs = [
      ...times(4, () => submission({ frequence: 'quotidien', minutes: 10 })),
      submission({ frequence: 'mensuel' }),
    ];
    const agg = aggregateQuestions(questions, subs, { minGroupSize: 5 });
    const byId = Object.fromEntries(agg.questions.map((q) => [q.questionId, q.result]));
    expect(byId.frequence).toMatchObject({ type: 'single', answered: 5 });
    expect(byId.minutes).toEqual({ suppressed: true, minGroupSize: 5 }); // 4 people answered it
    expect(JSON.stringify(byId.minutes)).not.toMatch(/4|10/);
    const few = aggregateQuestions(questions, subs.slice(0, 3), { minGroupSize: 5 });
    expect(few.questions.every((q) => isSuppressed(q.result))).toBe(true);
  });

  it('breaks down by team with complementary suppression so overall − published teams never isolates a small team', () => {
    const subs = [
      ...times(9, (i) => submission({ minutes: 10 + i }, { teamId: 'scolarite' })),
      ...times(6, () => submission({ minutes: 30 }, { teamId: 'stages' })),
      ...times(2, () => submission({ minutes: 90 }, { teamId: 'rh' })),
    ];
    const agg = aggregateQuestions([questions[3]!], subs, { minGroupSize: 5, breakdown: 'team' });
    expect(agg.questions[0]!.result).toMatchObject({ type: 'number', answered: 17 });
    const groups = Object.fromEntries(agg.breakdown!.groups.map((g) => [g.key, g]));
    expect(groups.rh!.respondents).toEqual({ suppressed: true, minGroupSize: 5 });
    expect(isSuppressed(groups.rh!.questions[0]!.result)).toBe(true);
    // stages (6) is the smallest published team: hidden too, so rh + stages = 8 ≥ 5 behind the difference.
    expect(groups.stages!.respondents).toEqual({ suppressed: true, minGroupSize: 5 });
    expect(isSuppressed(groups.stages!.questions[0]!.result)).toBe(true);
    expect(groups.scolarite!.respondents).toBe(9);
    expect(groups.scolarite!.questions[0]!.result).toMatchObject({ answered: 9, mean: 14 });
  });

  it('treats answers without a team as a hidden part of the overall figures', () => {
    const subs = [
      ...times(6, () => submission({ minutes: 10 }, { teamId: 'scolarite' })),
      ...times(7, () => submission({ minutes: 20 }, { teamId: 'stages' })),
      submission({ minutes: 300 }),
    ];
    const agg = aggregateQuestions([questions[3]!], subs, { minGroupSize: 5, breakdown: 'team' });
    const published = agg.breakdown!.groups.filter((g) => !isSuppressed(g.respondents)).map((g) => g.key);
    expect(published).toEqual(['stages']); // scolarite hidden: overall − stages covers 7 people, not 1
  });

  it('applies the rule per question: an optional question answered by few in one team hides that team for it', () => {
    const subs = [
      ...times(6, (i) => submission(i < 2 ? { frequence: 'mensuel', minutes: 5 } : { frequence: 'mensuel' }, { teamId: 'a' })),
      ...times(6, () => submission({ frequence: 'quotidien', minutes: 40 }, { teamId: 'b' })),
      ...times(6, () => submission({ frequence: 'quotidien', minutes: 50 }, { teamId: 'c' })),
    ];
    const agg = aggregateQuestions([questions[0]!, questions[3]!], subs, { minGroupSize: 5, breakdown: 'team' });
    const [a, b, c] = agg.breakdown!.groups;
    expect(a!.questions[0]!.result).toMatchObject({ answered: 6 });
    expect(isSuppressed(a!.questions[1]!.result)).toBe(true);
    expect(isSuppressed(b!.questions[1]!.result)).toBe(true); // complementary (tie on 6: id order)
    expect(c!.questions[1]!.result).toMatchObject({ answered: 6, mean: 50 });
    expect(agg.questions[1]!.result).toMatchObject({ answered: 14 });
  });

  it('breaks down by phase the same way', () => {
    const subs = [
      ...times(8, () => submission({ 'bien-etre': 3 }, { phase: 'baseline', types })),
      ...times(5, () => submission({ 'bien-etre': 4 }, { phase: 'follow-up', types })),
    ];
    const agg = aggregateQuestions([questions[2]!], subs, { breakdown: 'phase' });
    expect(agg.breakdown!.groups.map((g) => [g.key, g.respondents])).toEqual([['baseline', 8], ['follow-up', 5]]);
    expect(agg.breakdown!.groups[1]!.questions[0]!.result).toMatchObject({ mean: 4 });
  });
});

describe('medianInPlace', () => {
  it('matches the median of the sorted values, odd and even counts, with duplicates', () => {
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 200; trial++) {
      const count = 1 + Math.floor(random() * 60);
      const values = Array.from({ length: count }, () => Math.floor(random() * (trial % 2 ? 6 : 1000)) - 3);
      const sorted = [...values].sort((a, b) => a - b);
      const expected = count % 2 ? sorted[(count - 1) / 2]! : (sorted[count / 2 - 1]! + sorted[count / 2]!) / 2;
      expect(medianInPlace(Float64Array.from([...values, 99, 99]), count)).toBe(expected);
    }
  });
});
