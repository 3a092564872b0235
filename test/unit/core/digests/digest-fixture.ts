/**
 * A small fictional experimentation for digest tests: three teams answering
 * weekly check-ins over six weeks (two baseline, four follow-up), and the
 * test irritants of the Scolarité team. Deterministic (no randomness).
 */
import type { SubmissionData } from '../../../../src/core/surveys/analysis/answer-data.js';
import type { DigestData } from '../../../../src/core/digests/digest-data-source.js';
import { IRRITANTS } from '../surveys/analysis/irritants-fixture.js';

const WEEK_MS = 7 * 86_400_000;
/** Friday 14:00 Paris of the first week (2027-03-05 is a Friday). */
export const FIRST_FRIDAY = new Date('2027-03-05T13:00:00Z');
/** Monday 09:00 Paris after the sixth week: when the weekly digest fires. */
export const DIGEST_TIME = new Date('2027-04-12T07:00:00Z');

const COMMENTS = [
  'Le modèle de réponse aux courriels d’inscription m’a fait gagner beaucoup de temps cette semaine.',
  'Les relances de conventions sont plus rapides, mais il faut relire chaque courrier généré.',
  'Difficile de trouver le temps de tester les outils pendant la période des jurys.',
  'Merci à Mme Sandrine Lefèvre pour l’atelier, écrivez-lui à sandrine.lefevre@univ-exemple.fr',
  'ok',
  'Le tableau de suivi des absences généré automatiquement contient encore des erreurs de dates.',
];

function checkin(teamId: string, week: number, person: number, phase: string, minutes: number, wellBeing: number, comment?: string): SubmissionData {
  return {
    submissionId: `ck-${teamId}-${week}-${person}`,
    surveyId: 'checkin-hebdo',
    surveyVersion: 1,
    campaignId: `checkin-${teamId}`,
    teamId,
    phase,
    submittedAt: new Date(FIRST_FRIDAY.getTime() + week * WEEK_MS + person * 600_000),
    complete: true,
    answers: [
      { questionId: 'minutes_gagnees', type: 'number', value: minutes },
      { questionId: 'bien_etre', type: 'scale', value: wellBeing },
      { questionId: 'satisfaction', type: 'scale', value: Math.min(5, wellBeing + (person % 2)) },
      ...(comment ? [{ questionId: 'commentaire', type: 'text' as const, value: comment }] : []),
    ],
  };
}

export function checkins(): SubmissionData[] {
  const out: SubmissionData[] = [];
  const teams: Array<[string, number]> = [['scolarite', 8], ['stages', 6], ['rh', 3]];
  for (let week = 0; week < 6; week++) {
    const phase = week < 2 ? 'baseline' : 'follow-up';
    for (const [team, size] of teams) {
      // Week 3: only 4 people of Scolarité answer (a hidden week).
      const answering = team === 'scolarite' && week === 3 ? 4 : size;
      for (let p = 0; p < answering; p++) {
        const minutes = phase === 'baseline' ? 5 + p : 20 + week * 5 + p * 2;
        const wellBeing = Math.min(5, (phase === 'baseline' ? 2 : 3) + (p % 3 === 0 ? 1 : 0));
        const comment = team === 'scolarite' && week === 5 ? COMMENTS[p] : undefined;
        out.push(checkin(team, week, p, phase, minutes, wellBeing, comment));
      }
    }
  }
  return out;
}

export function irritants(): SubmissionData[] {
  return IRRITANTS.map((f, i) => ({
    submissionId: `irr-${String(i).padStart(3, '0')}`,
    surveyId: 'irritants',
    surveyVersion: 1,
    campaignId: 'irritants-scolarite',
    teamId: 'scolarite',
    phase: null,
    submittedAt: new Date('2027-02-15T10:00:00Z'),
    complete: true,
    answers: [
      { questionId: 'tache', type: 'text', value: f.text },
      { questionId: 'frequence', type: 'single', value: f.frequence },
      { questionId: 'duree', type: 'number', value: f.duree },
      { questionId: 'impact', type: 'scale', value: f.impact },
    ],
  }));
}

export function digestData(overrides: Partial<DigestData> = {}): DigestData {
  return {
    team: { id: 'scolarite', name: 'Scolarité', timezone: 'Europe/Paris', coordinatorPersonIds: ['p-coord-1', 'p-coord-2'] },
    minGroupSize: 5,
    participation: [{ surveyTitle: { fr: 'Point de la semaine', en: 'Weekly check-in' }, responded: 8, invited: 8 }],
    checkins: checkins(),
    indicatorQuestions: [
      { id: 'minutes_gagnees', type: 'number', label: { fr: 'Minutes gagnées', en: 'Minutes saved' }, unit: { fr: 'min', en: 'min' } },
      { id: 'bien_etre', type: 'scale', label: { fr: 'Bien-être (1 à 5)', en: 'Well-being (1 to 5)' }, yDomain: [1, 5] },
    ],
    irritants: irritants(),
    commentQuestionIds: ['commentaire'],
    ...overrides,
  };
}
