/**
 * Offline evaluation of the distress check on labelled messages
 * (`relais eval safety --messages <file.jsonl>`). Pure: the caller reads the
 * file and prints the report. A prediction counts as positive when the level
 * is `crisis`, because only a crisis replaces the answer with human help.
 */
import { ValidationError } from '../../errors.js';
import type { DistressAssessment, DistressLevel } from './distress.js';

/** One line of an evaluation file: 1 = the message needs escalation. */
export interface LabelledMessage {
  id: string;
  text: string;
  label: 0 | 1;
}

export interface SafetyEvaluation {
  total: number;
  positives: number;
  negatives: number;
  truePositives: number;
  falsePositives: number;
  /** truePositives / positives; 1 when there is no positive (nothing was missed). */
  recall: number;
  /** falsePositives / negatives; 0 when there is no negative. */
  falseAlarmRate: number;
  /** truePositives / (truePositives + falsePositives); 1 when nothing was flagged. */
  precision: number;
  /** Positives not escalated, with the level given instead. */
  misses: { id: string; level: DistressLevel }[];
  /** Negatives escalated, with the signals that fired (codes, never text). */
  falseAlarms: { id: string; level: DistressLevel; signals: string[] }[];
}

export function evaluateSafety(messages: LabelledMessage[], assess: (text: string) => DistressAssessment): SafetyEvaluation {
  const misses: SafetyEvaluation['misses'] = [];
  const falseAlarms: SafetyEvaluation['falseAlarms'] = [];
  let truePositives = 0;
  let positives = 0;
  for (const message of messages) {
    const { level, signals } = assess(message.text);
    const flagged = level === 'crisis';
    if (message.label === 1) {
      positives += 1;
      if (flagged) truePositives += 1;
      else misses.push({ id: message.id, level });
    } else if (flagged) {
      falseAlarms.push({ id: message.id, level, signals });
    }
  }
  const negatives = messages.length - positives;
  const falsePositives = falseAlarms.length;
  return {
    total: messages.length,
    positives,
    negatives,
    truePositives,
    falsePositives,
    recall: positives === 0 ? 1 : truePositives / positives,
    falseAlarmRate: negatives === 0 ? 0 : falsePositives / negatives,
    precision: truePositives + falsePositives === 0 ? 1 : truePositives / (truePositives + falsePositives),
    misses,
    falseAlarms,
  };
}

function invalidLine(line: number, problem: string): ValidationError {
  return new ValidationError('eval.invalid_line', `Line ${line}: ${problem}`, { line });
}

function parseLabel(value: unknown, line: number): 0 | 1 {
  if (value === 0 || value === false) return 0;
  if (value === 1 || value === true) return 1;
  throw invalidLine(line, 'label must be 0, 1, true or false');
}

function parseLine(raw: string, line: number): LabelledMessage {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw invalidLine(line, 'not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidLine(line, 'expected a JSON object');
  const record = value as Record<string, unknown>;
  // Extra fields (note, label_raw, lang…) are allowed: public sets carry their own metadata.
  if (typeof record.id !== 'string' || record.id.trim() === '') throw invalidLine(line, 'id must be a non-empty string');
  if (typeof record.text !== 'string') throw invalidLine(line, 'text must be a string');
  return { id: record.id, text: record.text, label: parseLabel(record.label, line) };
}

/**
 * Parses JSON Lines `{id, text, label}` (blank lines skipped). Throws a
 * `ValidationError` coded `eval.invalid_line` naming the first bad line
 * (1-based) and what is wrong with it; duplicate ids are rejected too, since
 * they would make the list of misses ambiguous.
 */
export function parseLabelledJsonl(content: string): LabelledMessage[] {
  const messages: LabelledMessage[] = [];
  const seen = new Set<string>();
  content.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === '') return;
    const message = parseLine(raw, index + 1);
    if (seen.has(message.id)) throw invalidLine(index + 1, `duplicate id "${message.id}"`);
    seen.add(message.id);
    messages.push(message);
  });
  return messages;
}
