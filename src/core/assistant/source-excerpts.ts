/**
 * The sources of an answer: numbered, with how to show them (title, role,
 * year) and, only where consent allows quotation, an excerpt.
 */
import type { Locale } from '../i18n/locale.js';
import type { Citation } from '../messages/outbound.js';
import type { AuthorRole } from '../corpus/recit.js';
import type { RetrievedChunk } from '../retrieval/hybrid-retriever.js';
import { foldAccents, queryTerms } from '../retrieval/query-terms.js';

export interface NumberedSource {
  index: number;
  hit: RetrievedChunk;
}

const ROLE_LABELS: Record<Locale, Record<AuthorRole, string>> = {
  fr: { 'ancien-etudiant': 'Ancien·ne étudiant·e', 'travailleur-social': 'Travailleur·se social·e', formateur: 'Formateur·rice', autre: 'Autre témoin' },
  en: { 'ancien-etudiant': 'Former student', 'travailleur-social': 'Social worker', formateur: 'Trainer', autre: 'Other witness' },
};

export function roleLabel(locale: Locale, role: AuthorRole): string {
  return ROLE_LABELS[locale][role];
}

/** One passage per récit, best first: several passages of one story would crowd out the others. */
export function numberSources(hits: RetrievedChunk[], max: number): NumberedSource[] {
  const seen = new Set<string>();
  const sources: NumberedSource[] = [];
  for (const hit of hits) {
    if (seen.has(hit.chunk.recitId)) continue;
    seen.add(hit.chunk.recitId);
    sources.push({ index: sources.length + 1, hit });
    if (sources.length === max) break;
  }
  return sources;
}

/** Sentence ends, but not after an initial or a short title ("Madame K.", "M.", "Dr."). */
const SENTENCE_BREAK = /(?<!(?:^|[\s(])[A-ZÀ-Ý][a-z]{0,2}\.)(?<=[.!?…»])\s+/u;
/** An editorial line such as "*Récit fictif écrit pour…*" is not part of the story. */
const EDITORIAL = /^\*[^*]+\*$/;

function stems(text: string): Set<string> {
  return new Set(
    foldAccents(text.toLowerCase())
      .split(/[^a-z0-9]+/)
      .filter((w) => w.length >= 4)
      .map((w) => w.slice(0, 5)),
  );
}

/**
 * The passage of `text` that best matches `query`: the window of up to
 * three consecutive sentences sharing the most words with it (the start of
 * the text when nothing matches), within `maxChars`.
 */
export function bestExcerpt(text: string, query: string, maxChars = 280): string {
  const sentences = text
    .split(/\n+/)
    .map((line) => line.trim())
    .filter((line) => line && !EDITORIAL.test(line))
    .flatMap((line) => line.split(SENTENCE_BREAK))
    .filter(Boolean);
  if (sentences.length === 0) return shortExcerpt(text, maxChars);
  const wanted = queryTerms(query).length > 0 ? stems(queryTerms(query).join(' ')) : new Set<string>();
  const score = sentences.map((s) => [...stems(s)].filter((w) => wanted.has(w)).length);
  let best = { start: 0, end: 1, score: -1, leads: false };
  for (let start = 0; start < sentences.length; start++) {
    // Whole sentences that fit in maxChars (at least one: shortExcerpt cuts it if needed).
    let end = start + 1;
    let length = sentences[start]!.length;
    while (end < Math.min(start + 3, sentences.length) && length + 1 + sentences[end]!.length <= maxChars) length += 1 + sentences[end++]!.length;
    const total = score.slice(start, end).reduce((a, b) => a + b, 0);
    const leads = score[start]! > 0;
    // On a tie, prefer the window that opens on a matching sentence: a cut would otherwise lose it.
    if (total > best.score || (total === best.score && leads && !best.leads)) best = { start, end, score: total, leads };
  }
  return shortExcerpt(sentences.slice(best.start, best.end).join(' '), maxChars);
}

/** A short excerpt cut at a sentence or word boundary. */
export function shortExcerpt(text: string, maxChars = 280): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= maxChars) return clean;
  const cut = clean.slice(0, maxChars);
  const sentenceEnd = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('! '), cut.lastIndexOf('? '));
  return sentenceEnd > maxChars / 2 ? cut.slice(0, sentenceEnd + 1) : `${cut.slice(0, cut.lastIndexOf(' '))}…`;
}

export function toCitation(locale: Locale, source: NumberedSource, query: string): Citation {
  const { chunk } = source.hit;
  return {
    index: source.index,
    title: chunk.heading,
    source: `${roleLabel(locale, chunk.authorRole)} · ${chunk.sector} · ${chunk.year}`,
    ...(chunk.quotable ? { excerpt: `« ${bestExcerpt(chunk.text, query, 240)} »` } : {}),
  };
}
