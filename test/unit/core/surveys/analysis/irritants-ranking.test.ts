import { describe, expect, it } from '@jest/globals';
import type { SubmissionData } from '../../../../../src/core/surveys/analysis/answer-data.js';
import { irritantTerms, jaccard, lightStem } from '../../../../../src/core/surveys/analysis/french-terms.js';
import {
  groupIrritantsLexically,
  irritantReports,
  rankIrritants,
} from '../../../../../src/core/surveys/analysis/irritants-ranking.js';
import { IRRITANTS } from './irritants-fixture.js';

function irritantSubmissions(): SubmissionData[] {
  return IRRITANTS.map((f, i) => ({
    submissionId: `s${String(i).padStart(3, '0')}`,
    surveyId: 'irritants',
    surveyVersion: 1,
    campaignId: 'c1',
    teamId: 'scolarite',
    phase: null,
    submittedAt: new Date('2027-02-01T09:00:00Z'),
    complete: true,
    answers: [
      { questionId: 'tache', type: 'text', value: f.text },
      { questionId: 'frequence', type: 'single', value: f.frequence },
      { questionId: 'duree', type: 'number', value: f.duree },
      { questionId: 'impact', type: 'scale', value: f.impact },
    ],
  }));
}

const topicOf = new Map(IRRITANTS.map((f, i) => [`s${String(i).padStart(3, '0')}`, f.topic]));

describe('French terms', () => {
  it('folds case and accents, drops function and filler words, unifies variants and stems lightly', () => {
    expect(irritantTerms('Saisie des notes dans Apogée')).toEqual(irritantTerms('saisir les NOTES sur apogee'));
    expect(irritantTerms('Ressaisir les notes à la main chaque semaine')).toEqual(['not', 'sais']);
    expect(irritantTerms('Répondre aux mails')).toEqual(irritantTerms('répondre aux courriels'));
    expect(irritantTerms('Vérification des justificatifs')).toEqual(irritantTerms('vérifier les pièces justificatives').filter((t) => t !== 'piec'));
    expect(irritantTerms('PV de jury')).toEqual(irritantTerms('procès-verbaux des jurys'));
    expect(lightStem('dossiers')).toBe(lightStem('dossier'));
    expect(lightStem('relances')).toBe(lightStem('relancer'));
    expect(lightStem('ade')).toBe('ade');
    expect(jaccard(['a', 'b'], ['b', 'c'])).toBeCloseTo(1 / 3);
    expect(jaccard([], [])).toBe(0);
  });
});

describe('rankIrritants (lexical)', () => {
  const submissions = irritantSubmissions();

  it('groups the 44 written irritants without ever merging two different tasks', () => {
    const ranking = rankIrritants(submissions);
    expect(ranking.grouping).toBe('lexical');
    expect(ranking.reports).toBe(44);
    for (const irritant of ranking.irritants) {
      expect(new Set(irritant.submissionIds.map((id) => topicOf.get(id))).size).toBe(1);
    }
    // Each multi-report topic is found whole, except the synonym pair on phone calls (a job for the model).
    const groupsPerTopic = new Map<string, number>();
    for (const irritant of ranking.irritants) {
      const topic = topicOf.get(irritant.submissionIds[0]!)!;
      groupsPerTopic.set(topic, (groupsPerTopic.get(topic) ?? 0) + 1);
    }
    const split = [...groupsPerTopic].filter(([, n]) => n > 1).map(([t]) => t);
    expect(split).toEqual(['telephone']);
    expect(ranking.irritants).toHaveLength(18);
  });

  it('scores frequency × minutes × impact, sums over the group, and ranks by score', () => {
    const ranking = rankIrritants(submissions);
    const top = ranking.irritants[0]!;
    expect(topicOf.get(top.submissionIds[0]!)).toBe('mails');
    expect(top.rank).toBe(1);
    expect(top.count).toBe(4);
    // 60×10×3 + 20×60×3 + 60×15×4 + 20×45×2
    expect(top.score).toBe(1800 + 3600 + 3600 + 1800);
    expect(top.minutesPerMonth).toBe(600 + 1200 + 900 + 900);
    expect(top.meanImpact).toBe(3);
    expect(top.terms).toEqual(expect.arrayContaining(['courriel', 'etudiant', 'inscript']));
    const scores = ranking.irritants.map((i) => i.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(ranking.irritants.map((i) => i.rank)).toEqual(ranking.irritants.map((_, i) => i + 1));
  });

  it('labels a group with its most central description, capitalised', () => {
    const ranking = rankIrritants(submissions);
    const notes = ranking.irritants.find((i) => topicOf.get(i.submissionIds[0]!) === 'notes')!;
    expect(notes.count).toBe(5);
    expect(notes.label).toBe('Saisie des notes dans Apogée'); // most central; of two equal ones, the one written with its accents
    const jurys = ranking.irritants.find((i) => topicOf.get(i.submissionIds[0]!) === 'jurys')!;
    expect(jurys.label).toMatch(/^Pr/);
  });

  it('weights are exponents: 0 ignores a factor, and the frequency mapping is a parameter', () => {
    const onlyImpact = rankIrritants(submissions, { weights: { frequency: 0, minutes: 0, impact: 1 } });
    const notes = onlyImpact.irritants.find((i) => topicOf.get(i.submissionIds[0]!) === 'notes')!;
    expect(notes.score).toBe(4 + 5 + 3 + 4 + 4);
    const reports = irritantReports(submissions.slice(0, 1), { frequencyPerMonth: { hebdomadaire: 5 } });
    expect(reports[0]!.perMonth).toBe(5);
    expect(reports[0]!.score).toBe(5 * 90 * 4);
  });

  it('is deterministic whatever the input order', () => {
    const shuffled = [...submissions].reverse();
    expect(rankIrritants(shuffled)).toEqual(rankIrritants(submissions));
  });

  it('keeps reports with missing values using documented defaults, and skips empty descriptions and incomplete ones', () => {
    const base = submissions[0]!;
    const partial: SubmissionData[] = [
      { ...base, submissionId: 'x1', answers: [{ questionId: 'tache', type: 'text', value: 'Classement du courrier papier' }] },
      { ...base, submissionId: 'x2', answers: [{ questionId: 'tache', type: 'text', value: '   ' }] },
      { ...base, submissionId: 'x3', complete: false },
      { ...base, submissionId: 'x4', answers: [...base.answers.slice(0, 1), { questionId: 'frequence', type: 'single', value: 'inconnue' }] },
    ];
    const ranking = rankIrritants(partial);
    expect(ranking.reports).toBe(2);
    expect(ranking.irritants.map((i) => i.score).sort()).toEqual([45, 45]); // 1/month × 15 min × impact 3
    expect(rankIrritants(partial, { missing: { minutes: 30 } }).irritants[0]!.score).toBe(90);
  });

  it('uses custom question ids and cuts long labels at a word', () => {
    const long = 'mise à jour ' + 'très longue du référentiel des formations '.repeat(6);
    const sub: SubmissionData = { ...submissions[0]!, submissionId: 'y', answers: [{ questionId: 'desc', type: 'text', value: long }] };
    const ranking = rankIrritants([sub], { fields: { description: 'desc' }, maxLabelLength: 60 });
    expect(ranking.irritants[0]!.label.length).toBeLessThanOrEqual(60);
    expect(ranking.irritants[0]!.label).toMatch(/^Mise à jour très .*[a-zé]…$/);
  });

  it('rejects a meaningless threshold and handles an empty campaign', () => {
    expect(() => groupIrritantsLexically([], 0)).toThrow(RangeError);
    expect(rankIrritants([])).toEqual({ grouping: 'lexical', reports: 0, irritants: [] });
  });
});
