import { checkAnswer, nextQuestion, parseTypedAnswer, visibleAnswers, visibleQuestions } from '../../../../src/core/surveys/answer-rules.js';
import type { SurveyDefinition, SurveyQuestion } from '../../../../src/core/surveys/survey-definition.js';

const single: SurveyQuestion = { id: 's', type: 'single', label: 'S', required: true, options: [{ value: 'oui', label: 'Oui' }, { value: 'non', label: 'Non' }] };
const multi: SurveyQuestion = { id: 'm', type: 'multi', label: 'M', required: true, options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }, { value: 'c', label: 'C' }] };
const scale: SurveyQuestion = { id: 'k', type: 'scale', label: 'K', required: true, min: 1, max: 5 };
const number: SurveyQuestion = { id: 'n', type: 'number', label: 'N', required: true, min: 0, max: 600 };
const text: SurveyQuestion = { id: 't', type: 'text', label: 'T', required: false, maxLength: 10 };

describe('answer rules', () => {
  test('values are checked and normalised per type', () => {
    expect(checkAnswer(single, 'oui')).toEqual({ ok: true, value: 'oui' });
    expect(checkAnswer(single, 'peut-être')).toEqual({ ok: false, reason: 'not_an_option' });
    expect(checkAnswer(single, '')).toEqual({ ok: false, reason: 'required' });
    expect(checkAnswer(multi, ['c', 'a', 'c'])).toEqual({ ok: true, value: ['a', 'c'] });
    expect(checkAnswer(multi, [])).toEqual({ ok: false, reason: 'required' });
    expect(checkAnswer(multi, ['a', 'z'])).toEqual({ ok: false, reason: 'not_an_option' });
    expect(checkAnswer(scale, 3)).toEqual({ ok: true, value: 3 });
    expect(checkAnswer(scale, 3.5)).toEqual({ ok: false, reason: 'not_integer' });
    expect(checkAnswer(scale, 6)).toEqual({ ok: false, reason: 'out_of_range' });
    expect(checkAnswer(number, '12,5')).toEqual({ ok: true, value: 12.5 });
    expect(checkAnswer(number, 'beaucoup')).toEqual({ ok: false, reason: 'not_a_number' });
    expect(checkAnswer(number, -1)).toEqual({ ok: false, reason: 'out_of_range' });
    expect(checkAnswer(text, '  bonjour ')).toEqual({ ok: true, value: 'bonjour' });
    expect(checkAnswer(text, 'beaucoup trop long')).toEqual({ ok: false, reason: 'too_long' });
  });

  test('typed replies: option numbers or values, numbers with units', () => {
    expect(parseTypedAnswer('single', '2', ['oui', 'non'])).toBe('non');
    expect(parseTypedAnswer('single', 'Oui', ['oui', 'non'])).toBe('oui');
    expect(checkAnswer(single, parseTypedAnswer('single', '1 2', ['oui', 'non']))).toEqual({ ok: false, reason: 'not_an_option' });
    expect(parseTypedAnswer('multi', '1, 3', ['a', 'b', 'c'])).toEqual(['a', 'c']);
    expect(parseTypedAnswer('multi', '1 et 2', ['a', 'b', 'c'])).toEqual(['a', 'b']);
    expect(checkAnswer(multi, parseTypedAnswer('multi', '1, 9', ['a', 'b', 'c']))).toEqual({ ok: false, reason: 'not_an_option' });
    expect(parseTypedAnswer('number', '45 min', [])).toBe('45');
    expect(checkAnswer(number, parseTypedAnswer('number', 'une heure', []))).toEqual({ ok: false, reason: 'not_a_number' });
  });

  test('showIf hides and shows questions; hidden answers do not count; skipped optional questions are passed', () => {
    const survey: SurveyDefinition = {
      id: 'x',
      version: 1,
      title: 'X',
      anonymity: { mode: 'named' },
      questions: [
        single,
        { ...number, showIf: { question: 's', equals: 'oui' } },
        { ...scale, showIf: { question: 'n', min: 60 } },
        text,
      ],
    };
    expect(nextQuestion(survey, {})!.id).toBe('s');
    expect(nextQuestion(survey, { s: 'non' })!.id).toBe('t');
    expect(nextQuestion(survey, { s: 'non' }, new Set(['t']))).toBeNull();
    expect(nextQuestion(survey, { s: 'oui' })!.id).toBe('n');
    expect(nextQuestion(survey, { s: 'oui', n: 30 })!.id).toBe('t');
    expect(nextQuestion(survey, { s: 'oui', n: 90 })!.id).toBe('k');
    expect(visibleQuestions(survey, { s: 'oui', n: 90 }).map((q) => q.id)).toEqual(['s', 'n', 'k', 't']);
    // Changing an earlier answer hides what depended on it.
    expect(visibleAnswers(survey, { s: 'non', n: 90, k: 4, t: 'ok' })).toEqual({ s: 'non', t: 'ok' });
  });
});
