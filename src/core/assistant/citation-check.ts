/**
 * Citations in a model answer must point at sources that were given: any
 * `[n]` that does not is removed (the model must not invent sources), and
 * the answer's source list is what it actually cited — or, if it cited
 * nothing, every source it was given, since the answer drew on them.
 */

export interface CheckedCitations {
  text: string;
  cited: number[];
  removed: number[];
}

/** A marker with the one space or tab before it (never a line break: it belongs to the layout). */
const MARKER = /([ \t]?)\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]/g;

export function checkCitations(answer: string, available: number[]): CheckedCitations {
  const valid = new Set(available);
  const cited = new Set<number>();
  const removed = new Set<number>();
  // A removed marker takes its leading space with it, so the text around it needs no other repair.
  const text = answer.replace(MARKER, (_match, space: string, list: string) => {
    const numbers = list.split(/[,;]/).map((n) => Number(n.trim()));
    const kept = numbers.filter((n) => valid.has(n));
    numbers.filter((n) => !valid.has(n)).forEach((n) => removed.add(n));
    kept.forEach((n) => cited.add(n));
    if (kept.length === 0) return '';
    return kept.map((n) => `${space}[${n}]`).join('');
  });
  return { text, cited: [...cited].sort((a, b) => a - b), removed: [...removed].sort((a, b) => a - b) };
}
