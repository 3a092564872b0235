import { ValidationError } from '../../../../src/core/errors.js';
import { evaluateRetrieval, parseQueriesJsonl, type LabelledQuery } from '../../../../src/core/retrieval/retrieval-evaluation.js';

/** A search that answers each question with a fixed ranking of récit ids. */
const fixed = (rankings: Record<string, string[]>) => async (question: string) => rankings[question] ?? [];

/** A clock that returns the given instants in turn (two readings per question). */
function clock(...instants: number[]): () => number {
  let i = 0;
  return () => instants[i++] ?? instants.at(-1)!;
}

const q = (id: string, relevant: string[]): LabelledQuery => ({ id, question: `question ${id}`, relevant });

describe('evaluateRetrieval', () => {
  it('computes recall@k, MRR and nDCG@10 by hand on three questions', async () => {
    const queries = [q('deuil', ['recit-a', 'recit-b']), q('signalement', ['recit-c']), q('nuit', ['recit-d'])];
    const search = fixed({
      'question deuil': ['recit-x', 'recit-a', 'recit-y', 'recit-b'],
      'question signalement': ['recit-c', 'recit-z'],
      'question nuit': ['recit-p', 'recit-q', 'recit-r', 'recit-d'],
    });
    const result = await evaluateRetrieval(queries, 3, search, clock(0, 0));
    // recall@3: deuil 1/2 (b is 4th), signalement 1, nuit 0 → 0.5
    // MRR: 1/2, 1/1, 1/4 → 0.5833…
    // nDCG@10: deuil (1/log2 3 + 1/log2 5) / (1 + 1/log2 3) = 0.6509, signalement 1, nuit 1/log2 5 = 0.4307 → 0.6939
    expect(result).toEqual({
      queries: 3,
      k: 3,
      recallAtK: 0.5,
      mrr: 0.583,
      ndcgAt10: 0.694,
      latency: { p50: 0, p95: 0 },
      misses: [{ id: 'nuit', relevant: ['recit-d'], top: ['recit-p', 'recit-q', 'recit-r'] }],
    });
  });

  it('counts a récit once, at the rank of its first passage', async () => {
    const search = fixed({ 'question fatigue': ['recit-a', 'recit-a', 'recit-a', 'recit-b', 'recit-a', 'recit-c'] });
    const result = await evaluateRetrieval([q('fatigue', ['recit-b', 'recit-c'])], 2, search, clock(0));
    // Ranked récits: a, b, c → recall@2 = 1/2, first relevant at rank 2, DCG = 1/log2 3 + 1/log2 4.
    expect(result.recallAtK).toBe(0.5);
    expect(result.mrr).toBe(0.5);
    expect(result.ndcgAt10).toBeCloseTo((1 / Math.log2(3) + 1 / Math.log2(4)) / (1 + 1 / Math.log2(3)), 3);
    expect(result.misses).toEqual([]);
  });

  it('scores 1 everywhere when every relevant récit comes first', async () => {
    const search = fixed({ 'question a': ['r1', 'r2', 'r3'], 'question b': ['r4'] });
    const result = await evaluateRetrieval([q('a', ['r2', 'r1']), q('b', ['r4'])], 5, search, clock(0));
    expect(result).toMatchObject({ recallAtK: 1, mrr: 1, ndcgAt10: 1, misses: [] });
  });

  it('scores 0 for a question whose relevant récits are never found, and lists it in misses with its top 3', async () => {
    const search = fixed({ 'question vide': ['r7', 'r8', 'r9', 'r10', 'r11'] });
    const result = await evaluateRetrieval([q('vide', ['r1'])], 5, search, clock(0));
    expect(result).toMatchObject({ recallAtK: 0, mrr: 0, ndcgAt10: 0 });
    expect(result.misses).toEqual([{ id: 'vide', relevant: ['r1'], top: ['r7', 'r8', 'r9'] }]);
  });

  it('handles an empty ranking', async () => {
    const result = await evaluateRetrieval([q('rien', ['r1'])], 3, fixed({}), clock(0));
    expect(result).toMatchObject({ recallAtK: 0, mrr: 0, ndcgAt10: 0, misses: [{ id: 'rien', relevant: ['r1'], top: [] }] });
  });

  it('uses at most 10 relevant récits for the ideal DCG and looks at the first 10 only', async () => {
    const relevant = Array.from({ length: 12 }, (_, i) => `r${i + 1}`);
    const all = await evaluateRetrieval([q('beaucoup', relevant)], 12, fixed({ 'question beaucoup': relevant }), clock(0));
    expect(all).toMatchObject({ recallAtK: 1, mrr: 1, ndcgAt10: 1 });
    const late = await evaluateRetrieval([q('tard', ['r11'])], 12, fixed({ 'question tard': relevant }), clock(0));
    // r11 ranks 11th: inside k, outside nDCG@10.
    expect(late).toMatchObject({ recallAtK: 1, mrr: 0.091, ndcgAt10: 0 });
  });

  it('reports the median and 95th percentile of the search latencies', async () => {
    const queries = [q('a', ['r']), q('b', ['r']), q('c', ['r']), q('d', ['r'])];
    // Latencies: 10, 30, 5, 42.5 ms → sorted 5, 10, 30, 42.5
    const result = await evaluateRetrieval(queries, 1, fixed({}), clock(0, 10, 100, 130, 200, 205, 300, 342.5));
    expect(result.latency).toEqual({ p50: 10, p95: 42.5 });
  });

  it('passes each question to the search function once, in order', async () => {
    const asked: string[] = [];
    await evaluateRetrieval([q('1', ['r']), q('2', ['r'])], 3, async (question) => {
      asked.push(question);
      return ['r'];
    });
    expect(asked).toEqual(['question 1', 'question 2']);
  });
});

describe('parseQueriesJsonl', () => {
  it('reads one labelled question per line, skipping blank lines and CRLF endings', () => {
    const content = [
      '{"id":"q1","question":"Comment parler d’un décès en EHPAD ?","relevant":["recit-003"]}',
      '',
      '   ',
      '{"id":"q2","question":"Mon tuteur m’ignore en réunion","relevant":["recit-013","recit-017"],"note":"ignored"}',
    ].join('\r\n');
    expect(parseQueriesJsonl(content)).toEqual([
      { id: 'q1', question: 'Comment parler d’un décès en EHPAD ?', relevant: ['recit-003'] },
      { id: 'q2', question: 'Mon tuteur m’ignore en réunion', relevant: ['recit-013', 'recit-017'] },
    ]);
  });

  function errorOf(content: string): ValidationError {
    try {
      parseQueriesJsonl(content);
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      return error as ValidationError;
    }
    throw new Error('expected a parse error');
  }

  const good = '{"id":"q1","question":"Que faire après une agression ?","relevant":["recit-004"]}';

  it.each([
    ['invalid JSON', '{"id":"q2",', 'line 3: not valid JSON'],
    ['a missing id', '{"question":"Et la nuit ?","relevant":["r"]}', 'line 3: "id" must be a non-empty text'],
    ['an empty id', '{"id":"","question":"Et la nuit ?","relevant":["r"]}', 'line 3: "id" must be a non-empty text'],
    ['a JSON value that is not an object', 'null', 'line 3: "id" must be a non-empty text'],
    ['a repeated id', '{"id":"q1","question":"Encore ?","relevant":["r"]}', 'line 3: id "q1" appears twice'],
    ['a blank question', '{"id":"q2","question":"  ","relevant":["r"]}', 'line 3: "question" must be a non-empty text'],
    ['an empty relevant list', '{"id":"q2","question":"Et la nuit ?","relevant":[]}', 'line 3: "relevant" must be a non-empty list of récit ids'],
    ['a relevant list with a number', '{"id":"q2","question":"Et la nuit ?","relevant":["r", 3]}', 'line 3: "relevant" must be a non-empty list of récit ids'],
    ['relevant given as a text', '{"id":"q2","question":"Et la nuit ?","relevant":"r"}', 'line 3: "relevant" must be a non-empty list of récit ids'],
  ])('names the line of %s, counting blank lines', (_label, bad, message) => {
    const error = errorOf([good, '', bad].join('\n'));
    expect(error.code).toBe('eval.invalid_line');
    expect(error.message).toBe(message);
  });

  it('rejects a file without any question', () => {
    for (const content of ['', '\n\n  \n']) {
      const error = errorOf(content);
      expect(error.code).toBe('eval.empty');
      expect(error.message).toBe('no question in the file');
    }
  });
});
