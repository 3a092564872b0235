/**
 * Validation of a récit file's front matter (docs/corpus.md). Every problem
 * is reported with the file and the field, all at once, so a curator can
 * fix a file in one pass; one bad file never stops the others.
 */
import { RelaisError } from '../errors.js';
import { AUTHOR_ROLES, CONSENT_SCOPES, type AuthorRole, type ConsentScope, type Recit } from './recit.js';

export interface FieldProblem {
  field: string;
  message: string;
}

export class RecitValidationError extends RelaisError {
  constructor(
    readonly file: string,
    readonly problems: FieldProblem[],
  ) {
    super('corpus.invalid_recit', `${file}: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, {
      details: { file, problems },
    });
    this.name = 'RecitValidationError';
  }
}

const ID = /^[a-z0-9][a-z0-9-]{1,119}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const KNOWN_FIELDS = new Set(['id', 'title', 'author_role', 'sector', 'year', 'themes', 'language', 'consent', 'anonymized', 'fictional']);
const KNOWN_CONSENT_FIELDS = new Set(['status', 'date', 'scope', 'reference']);

type Raw = Record<string, unknown>;

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** YAML turns `2024-03-12` into a Date: accept both and keep the ISO day. */
function isoDay(value: unknown): string | undefined {
  if (typeof value === 'string' && ISO_DATE.test(value) && Number.isNaN(Date.parse(value))) return undefined;
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  // Date.parse rolls 2024-02-30 over to March: check the day survives the round trip.
  if (typeof value === 'string' && ISO_DATE.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value) return value;
  return undefined;
}

class Collector {
  readonly problems: FieldProblem[] = [];
  add(field: string, message: string): void {
    this.problems.push({ field, message });
  }
  text(raw: Raw, field: string, path = field): string {
    const value = raw[field];
    if (value === undefined || value === null) this.add(path, 'required');
    else if (typeof value !== 'string' || value.trim() === '') this.add(path, 'must be a non-empty text');
    else return value.trim();
    return '';
  }
  bool(raw: Raw, field: string): boolean {
    const value = raw[field];
    if (typeof value !== 'boolean') this.add(field, value === undefined ? 'required (true or false)' : 'must be true or false');
    return value === true;
  }
}

/** Checks the parsed front matter and body of one file; throws `RecitValidationError` listing every problem. */
export function validateRecit(file: string, frontMatter: unknown, body: string): Recit {
  const c = new Collector();
  if (!isRecord(frontMatter)) throw new RecitValidationError(file, [{ field: '(front matter)', message: 'missing: the file must start with a YAML block between two "---" lines' }]);
  for (const key of Object.keys(frontMatter)) if (!KNOWN_FIELDS.has(key)) c.add(key, 'unknown field');

  const id = c.text(frontMatter, 'id');
  if (id && !ID.test(id)) c.add('id', 'lowercase letters, digits and hyphens only (2 to 120 characters)');
  const title = c.text(frontMatter, 'title');
  const role = c.text(frontMatter, 'author_role');
  if (role && !(AUTHOR_ROLES as readonly string[]).includes(role)) c.add('author_role', `must be one of ${AUTHOR_ROLES.join(', ')}`);
  const sector = c.text(frontMatter, 'sector');
  const year = frontMatter.year;
  if (!Number.isInteger(year) || (year as number) < 1900 || (year as number) > 2100) c.add('year', year === undefined ? 'required' : 'must be a year such as 2019');
  const themes = frontMatter.themes;
  if (!Array.isArray(themes) || themes.length === 0 || !themes.every((t) => typeof t === 'string' && t.trim() !== '')) {
    c.add('themes', themes === undefined ? 'required (a list such as [premier stage, supervision])' : 'must be a non-empty list of texts');
  }
  const language = c.text(frontMatter, 'language');
  if (language && !/^[a-z]{2}(-[A-Za-z]{2})?$/.test(language)) c.add('language', 'must be a language code such as fr or en');
  const consent = validateConsent(c, frontMatter.consent);
  const anonymized = c.bool(frontMatter, 'anonymized');
  const fictional = c.bool(frontMatter, 'fictional');
  if (body.trim().length < 50) c.add('(body)', 'the récit text after the front matter is missing or too short');

  if (c.problems.length > 0) throw new RecitValidationError(file, c.problems);
  return {
    id,
    title,
    authorRole: role as AuthorRole,
    sector,
    year: year as number,
    themes: (themes as string[]).map((t) => t.trim()),
    language: language.slice(0, 2),
    consent: consent!,
    anonymized,
    fictional,
    body,
  };
}

function validateConsent(c: Collector, raw: unknown): Recit['consent'] | undefined {
  if (!isRecord(raw)) {
    c.add('consent', raw === undefined ? 'required (status, date, scope, reference)' : 'must be a block with status, date, scope, reference');
    return undefined;
  }
  for (const key of Object.keys(raw)) if (!KNOWN_CONSENT_FIELDS.has(key)) c.add(`consent.${key}`, 'unknown field');
  const status = raw.status;
  if (status !== 'granted' && status !== 'withdrawn') c.add('consent.status', status === undefined ? 'required (granted or withdrawn)' : 'must be granted or withdrawn');
  const date = isoDay(raw.date);
  if (!date) c.add('consent.date', raw.date === undefined ? 'required (YYYY-MM-DD)' : 'must be a date YYYY-MM-DD');
  const scope = raw.scope;
  if (!Array.isArray(scope) || !scope.every((s) => (CONSENT_SCOPES as readonly string[]).includes(s as string))) {
    c.add('consent.scope', scope === undefined ? 'required (a list: rag, citation)' : `must be a list of ${CONSENT_SCOPES.join(', ')}`);
  }
  const reference = c.text(raw, 'reference', 'consent.reference');
  return {
    status: status as 'granted' | 'withdrawn',
    date: date ?? '',
    scope: Array.isArray(scope) ? ([...new Set(scope)] as ConsentScope[]) : [],
    reference,
  };
}
