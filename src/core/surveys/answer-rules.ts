/**
 * What counts as a valid answer, which questions are shown given earlier
 * answers (`showIf`), and which question comes next.
 */
import type { QuestionType, ShowIf, SurveyDefinition, SurveyQuestion } from './survey-definition.js';

export type AnswerValue = string | string[] | number;
export type Answers = Readonly<Record<string, AnswerValue>>;

export type AnswerCheck =
  | { ok: true; value: AnswerValue }
  | { ok: false; reason: 'required' | 'not_an_option' | 'not_a_number' | 'out_of_range' | 'too_long' | 'not_integer' };

const DEFAULT_TEXT_MAX = 2000;

/** Checks and normalises a raw value (click, typed number, text) for a question. */
export function checkAnswer(question: SurveyQuestion, raw: unknown): AnswerCheck {
  switch (question.type) {
    case 'single': {
      const value = Array.isArray(raw) ? raw[0] : raw;
      if (value === undefined || value === null || value === '') return { ok: false, reason: 'required' };
      return question.options!.some((o) => o.value === String(value)) ? { ok: true, value: String(value) } : { ok: false, reason: 'not_an_option' };
    }
    case 'multi': {
      const values = (Array.isArray(raw) ? raw : raw === undefined || raw === null || raw === '' ? [] : [raw]).map(String);
      if (values.length === 0) return { ok: false, reason: 'required' };
      if (!values.every((v) => question.options!.some((o) => o.value === v))) return { ok: false, reason: 'not_an_option' };
      // Keep the definition's order and drop repeats: "3,1,3" and "1,3" are the same answer.
      return { ok: true, value: question.options!.map((o) => o.value).filter((v) => values.includes(v)) };
    }
    case 'scale':
    case 'number': {
      if (raw === undefined || raw === null || raw === '') return { ok: false, reason: 'required' };
      const value = typeof raw === 'number' ? raw : Number(String(raw).trim().replace(',', '.'));
      if (!Number.isFinite(value)) return { ok: false, reason: 'not_a_number' };
      if (question.type === 'scale' && !Number.isInteger(value)) return { ok: false, reason: 'not_integer' };
      if ((question.min !== undefined && value < question.min) || (question.max !== undefined && value > question.max)) {
        return { ok: false, reason: 'out_of_range' };
      }
      return { ok: true, value };
    }
    case 'text': {
      const value = typeof raw === 'string' ? raw.trim() : raw === undefined || raw === null ? '' : String(raw).trim();
      if (value === '') return { ok: false, reason: 'required' };
      if (value.length > (question.maxLength ?? DEFAULT_TEXT_MAX)) return { ok: false, reason: 'too_long' };
      return { ok: true, value };
    }
  }
}

export function conditionHolds(condition: ShowIf, answers: Answers): boolean {
  const answer = answers[condition.question];
  if (answer === undefined) return false;
  const given = Array.isArray(answer) ? answer : [answer];
  const wanted = [...(condition.equals !== undefined ? [condition.equals] : []), ...(condition.anyOf ?? [])].map(String);
  if (wanted.length > 0 && !given.some((g) => wanted.includes(String(g)))) return false;
  if (condition.min !== undefined || condition.max !== undefined) {
    const n = typeof answer === 'number' ? answer : Number(answer);
    if (!Number.isFinite(n)) return false;
    if (condition.min !== undefined && n < condition.min) return false;
    if (condition.max !== undefined && n > condition.max) return false;
  }
  return true;
}

/** Whether a question is shown given the answers so far (its condition looks back only). */
export function isVisible(question: SurveyQuestion, answers: Answers): boolean {
  return question.showIf ? conditionHolds(question.showIf, answers) : true;
}

/** Answers to questions hidden by later edits are kept but do not count. */
export function visibleAnswers(definition: SurveyDefinition, answers: Answers): Record<string, AnswerValue> {
  const result: Record<string, AnswerValue> = {};
  for (const question of definition.questions) {
    if (answers[question.id] !== undefined && isVisible(question, result)) result[question.id] = answers[question.id]!;
  }
  return result;
}

/**
 * The first visible question without an answer (skipped optional questions
 * are recorded in `skipped`), or null when the survey is complete.
 */
export function nextQuestion(definition: SurveyDefinition, answers: Answers, skipped: ReadonlySet<string> = new Set()): SurveyQuestion | null {
  const visible = visibleAnswers(definition, answers);
  for (const question of definition.questions) {
    if (!isVisible(question, visible)) continue;
    if (visible[question.id] === undefined && !skipped.has(question.id)) return question;
  }
  return null;
}

/** Visible questions, for "question 3 of 7" (the count may change with the answers). */
export function visibleQuestions(definition: SurveyDefinition, answers: Answers): SurveyQuestion[] {
  const visible = visibleAnswers(definition, answers);
  return definition.questions.filter((q) => isVisible(q, visible));
}

/** Parses a typed reply ("2", "1, 3", "45 min") for a question shown as numbered options. */
export function parseTypedAnswer(type: QuestionType, text: string, optionValues: string[]): unknown {
  const trimmed = text.trim();
  if (type === 'single' || type === 'multi') {
    const parts = trimmed.split(/[\s,;/]+|\bet\b|\band\b/i).filter(Boolean);
    const picked = parts.map((p) => {
      const n = Number(p);
      if (Number.isInteger(n) && n >= 1 && n <= optionValues.length) return optionValues[n - 1]!;
      return optionValues.find((v) => v.toLowerCase() === p.toLowerCase()) ?? `\u0000${p}`;
    });
    return type === 'single' ? (picked.length === 1 ? picked[0] : picked.length === 0 ? '' : `\u0000many`) : picked;
  }
  if (type === 'scale' || type === 'number') {
    const match = /^-?\d+(?:[.,]\d+)?/.exec(trimmed);
    return match ? match[0] : trimmed === '' ? '' : 'NaN';
  }
  return trimmed;
}
