/**
 * Cuts a récit into passages for retrieval. Paragraphs are kept whole
 * whenever they fit: a passage is a few paragraphs of about `targetChars`;
 * only a paragraph longer than 1.5 × target is cut, between sentences. Each
 * passage after the first starts with the end of the previous one (about
 * `overlapChars`, whole sentences) so an idea split across two passages is
 * still found with its context.
 */

export interface ChunkingOptions {
  /** Target passage length in characters (default 1,200 ≈ 200 French words). */
  targetChars: number;
  /** Characters of context repeated from the previous passage (default 200). */
  overlapChars: number;
}

export const DEFAULT_CHUNKING: ChunkingOptions = { targetChars: 1200, overlapChars: 200 };

const SENTENCE_END = /(?<=[.!?…»"])\s+(?=[«"A-ZÀ-ÖØ-Þ0-9—–-])/u;

function paragraphs(body: string): string[] {
  return body
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}

function sentences(text: string): string[] {
  return text.split(SENTENCE_END).map((s) => s.trim()).filter(Boolean);
}

/** A "sentence" with no punctuation: pieces of whole words; a word longer than `limit` (a URL) is cut. Nothing is dropped. */
function cutBetweenWords(text: string, limit: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    for (let start = 0; start < word.length; start += limit) {
      const part = word.slice(start, start + limit);
      if (current && current.length + 1 + part.length > limit) {
        pieces.push(current);
        current = '';
      }
      current = current ? `${current} ${part}` : part;
    }
  }
  if (current) pieces.push(current);
  return pieces;
}

/** Splits an over-long paragraph into pieces of at most `limit` characters, between sentences when possible. */
function splitLong(paragraph: string, limit: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const sentence of sentences(paragraph)) {
    if (current && current.length + 1 + sentence.length > limit) {
      pieces.push(current);
      current = '';
    }
    if (sentence.length > limit) {
      pieces.push(...cutBetweenWords(sentence, limit));
      continue;
    }
    current = current ? `${current} ${sentence}` : sentence;
  }
  if (current) pieces.push(current);
  return pieces;
}

/** The last whole sentences of `text` within `limit` characters. */
function tail(text: string, limit: number): string {
  if (limit <= 0) return '';
  const parts = sentences(text);
  let result = '';
  for (let i = parts.length - 1; i >= 0; i--) {
    const candidate = result ? `${parts[i]} ${result}` : parts[i]!;
    if (candidate.length > limit) break;
    result = candidate;
  }
  return result;
}

export function chunkText(body: string, options: ChunkingOptions = DEFAULT_CHUNKING): string[] {
  const limit = Math.round(options.targetChars * 1.5);
  const units = paragraphs(body).flatMap((p) => (p.length > limit ? splitLong(p, options.targetChars) : [p]));
  const chunks: string[] = [];
  let current: string[] = [];
  let length = 0;
  for (const unit of units) {
    if (current.length > 0 && length + unit.length > options.targetChars) {
      chunks.push(current.join('\n\n'));
      const overlap = tail(current.at(-1)!, options.overlapChars);
      current = overlap ? [overlap] : [];
      length = overlap.length;
    }
    current.push(unit);
    length += unit.length + 2;
  }
  if (current.length > 0) chunks.push(current.join('\n\n'));
  return chunks;
}

/** Number of words, the length BM25 normalises by. */
export function countWords(text: string): number {
  return text.normalize('NFC').split(/[^\p{L}\p{N}]+/u).filter(Boolean).length;
}
