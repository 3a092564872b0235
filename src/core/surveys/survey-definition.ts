/**
 * Survey definitions: what a survey asks, in which order, under which
 * anonymity. Written by admins as YAML (`surveys/*.yaml`), validated by
 * `adapters/surveys` (JSON Schema) and `validateSurveySemantics` (ids,
 * options, conditions), then published with a version.
 */
import { createHash } from 'node:crypto';
import type { Locale } from '../i18n/locale.js';

/** A text in French, optionally with an English alternative; a plain string is French. */
export type LocalizedText = string | { fr: string; en?: string };

export type QuestionType = 'single' | 'multi' | 'scale' | 'number' | 'text';

export interface QuestionOption {
  value: string;
  label: LocalizedText;
}

/**
 * Shows a question only when an earlier answer matches: `equals` one value,
 * `anyOf` several (for a multiple choice: any selected), or a numeric range.
 */
export interface ShowIf {
  question: string;
  equals?: string | number;
  anyOf?: (string | number)[];
  min?: number;
  max?: number;
}

export interface SurveyQuestion {
  id: string;
  type: QuestionType;
  label: LocalizedText;
  help?: LocalizedText;
  options?: QuestionOption[];
  min?: number;
  max?: number;
  /** Unit shown next to numbers ("minutes"). */
  unit?: LocalizedText;
  minLabel?: LocalizedText;
  maxLabel?: LocalizedText;
  /** Default true. */
  required: boolean;
  showIf?: ShowIf;
  /** Longest text answer (default 2000). */
  maxLength?: number;
}

export type Anonymity = { mode: 'named' } | { mode: 'anonymous'; k: number };

/** Default minimum group size under which no breakdown is shown (k-anonymity). */
export const DEFAULT_K = 5;

export interface SurveyDefinition {
  id: string;
  /** Version declared in the file (at least 1); publishing may assign a higher one. */
  version: number;
  title: LocalizedText;
  intro?: LocalizedText;
  outro?: LocalizedText;
  anonymity: Anonymity;
  questions: SurveyQuestion[];
  /** A computed result shown at the end (e.g. "ai-act" for the AI Act self-assessment). */
  scoring?: 'ai-act';
}

/** A definition as stored: the version it was published under and its content hash. */
export interface PublishedSurvey {
  definition: SurveyDefinition;
  version: number;
  contentHash: string;
  publishedAt: Date;
}

export function localize(text: LocalizedText | undefined, locale: Locale): string {
  if (text === undefined) return '';
  if (typeof text === 'string') return text;
  return (locale === 'en' ? text.en : undefined) ?? text.fr;
}

/** Hash of everything but the version: an unchanged file keeps its version. */
export function contentHash(definition: SurveyDefinition): string {
  const { version: _version, ...content } = definition;
  return createHash('sha256').update(canonicalJson(content)).digest('hex').slice(0, 32);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function findQuestion(definition: SurveyDefinition, questionId: string): SurveyQuestion | undefined {
  return definition.questions.find((q) => q.id === questionId);
}
