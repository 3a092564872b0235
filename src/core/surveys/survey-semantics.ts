/**
 * Checks a JSON Schema cannot express: unique ids, options where they are
 * needed, coherent bounds, conditions that only look back at existing
 * questions and options. Also turns the admin-friendly YAML shapes
 * (`anonymity: anonymous`, omitted `required`) into a `SurveyDefinition`.
 */
import { DEFAULT_K, type Anonymity, type SurveyDefinition, type SurveyQuestion } from './survey-definition.js';

/** One problem, with the JSON path it is at (e.g. `/questions/2/showIf/question`). */
export interface SurveyIssue {
  path: string;
  message: string;
}

/** Raw shape accepted by the schema (`surveys/survey.schema.json`). */
export interface RawSurvey extends Omit<SurveyDefinition, 'anonymity' | 'questions' | 'version'> {
  version?: number;
  anonymity?: 'named' | 'anonymous' | { mode: 'named' | 'anonymous'; k?: number };
  questions: (Omit<SurveyQuestion, 'required'> & { required?: boolean })[];
}

export function normalizeSurvey(raw: RawSurvey): SurveyDefinition {
  const anonymity: Anonymity = (() => {
    const a = raw.anonymity ?? 'named';
    if (a === 'named') return { mode: 'named' };
    if (a === 'anonymous') return { mode: 'anonymous', k: DEFAULT_K };
    return a.mode === 'named' ? { mode: 'named' } : { mode: 'anonymous', k: a.k ?? DEFAULT_K };
  })();
  return {
    ...raw,
    version: raw.version ?? 1,
    anonymity,
    questions: raw.questions.map((q) => ({ ...q, required: q.required ?? true })),
  } as SurveyDefinition;
}

export function validateSurveySemantics(survey: SurveyDefinition): SurveyIssue[] {
  const issues: SurveyIssue[] = [];
  const seen = new Map<string, SurveyQuestion>();
  survey.questions.forEach((question, index) => {
    const at = `/questions/${index}`;
    if (seen.has(question.id)) issues.push({ path: `${at}/id`, message: `duplicate question id "${question.id}"` });
    const isChoice = question.type === 'single' || question.type === 'multi';
    if (isChoice) {
      if (!question.options || question.options.length < 2) {
        issues.push({ path: `${at}/options`, message: `a ${question.type} question needs at least two options` });
      } else {
        const values = new Set<string>();
        question.options.forEach((option, o) => {
          if (values.has(option.value)) issues.push({ path: `${at}/options/${o}/value`, message: `duplicate option value "${option.value}"` });
          values.add(option.value);
        });
      }
    } else if (question.options) {
      issues.push({ path: `${at}/options`, message: `options only apply to single and multi questions` });
    }
    if (question.type === 'scale' && (question.min === undefined || question.max === undefined)) {
      issues.push({ path: at, message: 'a scale question needs min and max' });
    }
    if (question.min !== undefined && question.max !== undefined && !(question.min < question.max)) {
      issues.push({ path: `${at}/min`, message: `min (${question.min}) must be less than max (${question.max})` });
    }
    if (question.showIf) issues.push(...checkCondition(question, seen, `${at}/showIf`));
    if (!seen.has(question.id)) seen.set(question.id, question);
  });
  if (survey.scoring === 'ai-act') {
    for (const id of ['is_ai_system', 'role', 'prohibited', 'annex_iii', 'transparency']) {
      if (!seen.has(id)) issues.push({ path: '/scoring', message: `ai-act scoring needs a question "${id}"` });
    }
  }
  return issues;
}

function checkCondition(question: SurveyQuestion, earlier: Map<string, SurveyQuestion>, at: string): SurveyIssue[] {
  const condition = question.showIf!;
  const target = earlier.get(condition.question);
  if (!target) {
    return [{ path: `${at}/question`, message: `showIf refers to "${condition.question}", which is not an earlier question` }];
  }
  const issues: SurveyIssue[] = [];
  const values = [...(condition.equals !== undefined ? [condition.equals] : []), ...(condition.anyOf ?? [])];
  if (values.length === 0 && condition.min === undefined && condition.max === undefined) {
    issues.push({ path: at, message: 'showIf needs equals, anyOf, min or max' });
  }
  if (target.options) {
    const known = new Set(target.options.map((o) => o.value));
    values.forEach((value, i) => {
      if (!known.has(String(value))) {
        const path = condition.equals !== undefined && i === 0 ? `${at}/equals` : `${at}/anyOf/${i - (condition.equals !== undefined ? 1 : 0)}`;
        issues.push({ path, message: `"${value}" is not an option of "${target.id}"` });
      }
    });
  }
  return issues;
}
