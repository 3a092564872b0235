/**
 * Picks a few "notable" free-text comments for a digest, anonymised.
 *
 * Only called when the group behind the comments holds at least k answers
 * (the caller checks). Each comment is scrubbed of personal data
 * (`scrubPii`: e-mails, phone numbers, names next to a title or a known
 * first name…), whitespace-normalised and cut to `maxLength`. Comments too
 * short to say anything are dropped, exact duplicates merged. "Notable" is
 * deliberately simple and deterministic: the comments with the most
 * distinct content words, ties in alphabetical order — never the order of
 * submission, which could tell who wrote what.
 */
import { scrubPii } from '../corpus/pii-scrubber.js';
import { irritantTerms } from '../surveys/analysis/french-terms.js';

export interface NotableCommentOptions {
  /** How many comments to keep (default 3). */
  max?: number;
  /** Longest comment kept, in characters (default 280); longer ones are cut at a word with "…". */
  maxLength?: number;
  /** Shortest comment kept (default 15 characters). */
  minLength?: number;
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 1);
  const space = head.lastIndexOf(' ');
  return `${(space > max / 2 ? head.slice(0, space) : head).replace(/[\s,;:.]+$/, '')}…`;
}

export function selectNotableComments(texts: readonly string[], options: NotableCommentOptions = {}): string[] {
  const max = options.max ?? 3;
  const maxLength = options.maxLength ?? 280;
  const minLength = options.minLength ?? 15;
  const seen = new Set<string>();
  const candidates: Array<{ text: string; weight: number }> = [];
  for (const raw of texts) {
    const text = scrubPii(raw.replace(/\s+/g, ' ').trim()).text;
    if (text.length < minLength) continue;
    const key = text.toLocaleLowerCase('fr');
    if (seen.has(key)) continue;
    seen.add(key);
    candidates.push({ text: cut(text, maxLength), weight: irritantTerms(text).length });
  }
  return candidates
    .sort((a, b) => b.weight - a.weight || a.text.localeCompare(b.text, 'fr'))
    .slice(0, max)
    .map((c) => c.text);
}
