/**
 * Retrieval quality on a set of questions with known relevant récits — the
 * measure curators run on their own question sets (`relais eval retrieval`).
 * Ranking is per récit: a récit counts once, at the rank of its best passage.
 * recall@k = share of a question's relevant récits in its first k, averaged;
 * MRR = mean of 1 / rank of the first relevant récit; nDCG@10 with binary
 * relevance.
 */
import { ValidationError } from '../errors.js';

export interface LabelledQuery {
  id: string;
  question: string;
  relevant: string[];
}

export interface QueryOutcome {
  id: string;
  ranked: string[];
  latencyMs: number;
  firstRelevantRank: number | null;
}

export interface RetrievalEvaluation {
  queries: number;
  k: number;
  recallAtK: number;
  mrr: number;
  ndcgAt10: number;
  latency: { p50: number; p95: number };
  /** Questions with no relevant récit in the first k. */
  misses: { id: string; relevant: string[]; top: string[] }[];
}

export function parseQueriesJsonl(content: string): LabelledQuery[] {
  const queries: LabelledQuery[] = [];
  const ids = new Set<string>();
  content.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `line ${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new ValidationError('eval.invalid_line', `${where}: not valid JSON`);
    }
    const { id, question, relevant } = (value ?? {}) as Record<string, unknown>;
    if (typeof id !== 'string' || id === '') throw new ValidationError('eval.invalid_line', `${where}: "id" must be a non-empty text`);
    if (ids.has(id)) throw new ValidationError('eval.invalid_line', `${where}: id "${id}" appears twice`);
    if (typeof question !== 'string' || question.trim() === '') throw new ValidationError('eval.invalid_line', `${where}: "question" must be a non-empty text`);
    if (!Array.isArray(relevant) || relevant.length === 0 || !relevant.every((r) => typeof r === 'string')) {
      throw new ValidationError('eval.invalid_line', `${where}: "relevant" must be a non-empty list of récit ids`);
    }
    ids.add(id);
    queries.push({ id, question, relevant: relevant as string[] });
  });
  if (queries.length === 0) throw new ValidationError('eval.empty', 'no question in the file');
  return queries;
}

function percentile(sorted: number[], q: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

const round = (n: number, digits = 3): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** `search` returns récit ids best first (duplicates allowed: the first occurrence counts). */
export async function evaluateRetrieval(
  queries: LabelledQuery[],
  k: number,
  search: (question: string) => Promise<string[]>,
  now: () => number = () => performance.now(),
): Promise<RetrievalEvaluation> {
  let recall = 0;
  let reciprocal = 0;
  let ndcg = 0;
  const latencies: number[] = [];
  const misses: RetrievalEvaluation['misses'] = [];
  for (const query of queries) {
    const started = now();
    const ranked = [...new Set(await search(query.question))];
    latencies.push(now() - started);
    const relevant = new Set(query.relevant);
    const topK = ranked.slice(0, k);
    recall += topK.filter((id) => relevant.has(id)).length / relevant.size;
    const first = ranked.findIndex((id) => relevant.has(id));
    if (first >= 0) reciprocal += 1 / (first + 1);
    const dcg = ranked.slice(0, 10).reduce((sum, id, i) => sum + (relevant.has(id) ? 1 / Math.log2(i + 2) : 0), 0);
    const ideal = [...Array(Math.min(relevant.size, 10)).keys()].reduce((sum, i) => sum + 1 / Math.log2(i + 2), 0);
    ndcg += dcg / ideal;
    if (!topK.some((id) => relevant.has(id))) misses.push({ id: query.id, relevant: query.relevant, top: topK.slice(0, 3) });
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    queries: queries.length,
    k,
    recallAtK: round(recall / queries.length),
    mrr: round(reciprocal / queries.length),
    ndcgAt10: round(ndcg / queries.length),
    latency: { p50: round(percentile(sorted, 0.5), 2), p95: round(percentile(sorted, 0.95), 2) },
    misses,
  };
}
