/** Small builder of `SubmissionData` for analysis tests. */
import type { AnsweredQuestion, SubmissionData } from '../../../../../src/core/surveys/analysis/answer-data.js';

let counter = 0;

export function submission(
  answers: Record<string, AnsweredQuestion['value']>,
  extra: Partial<Omit<SubmissionData, 'answers'>> & { types?: Record<string, AnsweredQuestion['type']> } = {},
): SubmissionData {
  counter++;
  const { types = {}, ...rest } = extra;
  return {
    submissionId: `s${String(counter).padStart(4, '0')}`,
    surveyId: 'test',
    surveyVersion: 1,
    campaignId: 'c1',
    teamId: null,
    phase: null,
    submittedAt: new Date('2027-03-10T10:00:00Z'),
    complete: true,
    ...rest,
    answers: Object.entries(answers).map(([questionId, value]) => ({
      questionId,
      value,
      type: types[questionId] ?? (Array.isArray(value) ? 'multi' : typeof value === 'number' ? 'number' : 'single'),
    })),
  };
}

export function times<T>(n: number, make: (i: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => make(i));
}
