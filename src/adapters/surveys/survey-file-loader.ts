/**
 * Reads survey definitions from YAML files: JSON Schema
 * (`surveys/survey.schema.json`, ajv) then the semantic checks of the core.
 * Every problem names the file and the JSON path; a bad file never stops
 * the good ones from loading.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { parseDocument } from 'yaml';
import type { SurveyDefinition } from '../../core/surveys/survey-definition.js';
import { normalizeSurvey, validateSurveySemantics, type RawSurvey, type SurveyIssue } from '../../core/surveys/survey-semantics.js';

export const SURVEYS_DIR = fileURLToPath(new URL('../../../surveys/', import.meta.url));
export const SURVEY_SCHEMA_FILE = join(SURVEYS_DIR, 'survey.schema.json');

export interface SurveyFileError {
  file: string;
  path: string;
  message: string;
}

export interface SurveyLoadReport {
  surveys: { file: string; definition: SurveyDefinition }[];
  errors: SurveyFileError[];
}

let validator: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null } | undefined;

async function schemaValidator(): Promise<typeof validator & object> {
  if (!validator) {
    const schema = JSON.parse(await readFile(SURVEY_SCHEMA_FILE, 'utf8')) as object;
    validator = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  return validator;
}

/** Most useful ajv error first: the deepest, and no "must match oneOf" noise when a deeper one exists. */
function schemaIssues(errors: ErrorObject[]): SurveyIssue[] {
  const specific = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'if');
  const chosen = specific.length > 0 ? specific : errors;
  const seen = new Set<string>();
  const issues: SurveyIssue[] = [];
  for (const e of chosen) {
    const extra = e.keyword === 'additionalProperties' ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"` : '';
    const allowed = e.keyword === 'enum' ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : '';
    const message = `${e.message ?? 'invalid'}${extra}${allowed}`;
    const key = `${e.instancePath}|${message}`;
    if (!seen.has(key)) issues.push({ path: e.instancePath || '/', message });
    seen.add(key);
  }
  return issues;
}

/** Parses and validates one YAML text; `file` only names it in errors. */
export async function parseSurveyText(file: string, text: string): Promise<{ definition?: SurveyDefinition; errors: SurveyFileError[] }> {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    return { errors: document.errors.map((e) => ({ file, path: `line ${e.linePos?.[0].line ?? '?'}`, message: e.message.split('\n')[0]! })) };
  }
  const raw: unknown = document.toJS();
  const validate = await schemaValidator();
  if (!validate(raw)) return { errors: schemaIssues(validate.errors ?? []).map((i) => ({ file, ...i })) };
  const definition = normalizeSurvey(raw as RawSurvey);
  const issues = validateSurveySemantics(definition);
  if (issues.length > 0) return { errors: issues.map((i) => ({ file, ...i })) };
  const expectedId = basename(file, extname(file));
  if (expectedId !== definition.id) {
    return { errors: [{ file, path: '/id', message: `id "${definition.id}" must match the file name "${expectedId}"` }] };
  }
  return { definition, errors: [] };
}

export async function loadSurveyFile(file: string): Promise<{ definition?: SurveyDefinition; errors: SurveyFileError[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { errors: [{ file, path: '/', message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }] };
  }
  return parseSurveyText(file, text);
}

/** Loads a file or every `*.yaml`/`*.yml` of a directory (sorted by name). */
export async function loadSurveys(target: string = SURVEYS_DIR): Promise<SurveyLoadReport> {
  const info = await stat(target).catch(() => null);
  if (!info) return { surveys: [], errors: [{ file: target, path: '/', message: 'no such file or directory' }] };
  const files = info.isDirectory()
    ? (await readdir(target)).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(target, f))
    : [target];
  const report: SurveyLoadReport = { surveys: [], errors: [] };
  const ids = new Map<string, string>();
  for (const file of files) {
    const { definition, errors } = await loadSurveyFile(file);
    report.errors.push(...errors);
    if (!definition) continue;
    const other = ids.get(definition.id);
    if (other) {
      report.errors.push({ file, path: '/id', message: `id "${definition.id}" is already used by ${other}` });
      continue;
    }
    ids.set(definition.id, file);
    report.surveys.push({ file, definition });
  }
  return report;
}

export function formatSurveyError(error: SurveyFileError): string {
  return `${error.file} ${error.path}: ${error.message}`;
}
