/**
 * One contract for every `VectorIndex` (in memory, pgvector on PGlite and
 * PostgreSQL, Chroma), so approximate indexes and the in-memory reference
 * cannot drift apart. Each `vector-index.*.test.ts` next to this file runs it
 * on one implementation.
 *
 * What an implementation must do, decided here:
 * - Scores are cosine similarities (−1 to 1, higher is closer), within 1e-3
 *   of the exact value; hits are sorted by descending score; at most `k`.
 * - The dimension is fixed when the index is built (1024 by default,
 *   mistral-embed). A vector of another length, the zero vector, or a
 *   non-finite component is rejected with `ValidationError` code
 *   `vector.invalid` — in `upsert` (the whole batch is rejected, nothing is
 *   written) and in `search`. So is a `k` that is not a positive integer, and
 *   an empty chunk or récit id.
 * - `recitIds` filters *before* `k`: a filtered search returns the best `k`
 *   of the allowed récits even when other récits are closer. An empty list
 *   means "no récit allowed" and returns no hits.
 * - `upsert` replaces by chunk id (vector and récit); a batch that repeats a
 *   chunk id keeps the last one; an empty batch is a no-op.
 * - `deleteRecit` removes every vector of the récit, returns how many, and
 *   they never come back in a search.
 * - Exact duplicates are always found first, even by approximate indexes.
 *
 * `open()` is called before every test and must return an EMPTY index of
 * 1024 dimensions; `cleanup()` runs after the test. Runners on expensive
 * engines share the engine across calls and give each call a fresh table or
 * collection.
 */
import { ValidationError } from '../../src/core/errors.js';
import type { VectorHit, VectorIndex, VectorRecord } from '../../src/core/ports/vector-index.js';

export interface VectorIndexFixture {
  index: VectorIndex;
  cleanup(): Promise<void>;
}

/** The dimension every index under this contract is built with. */
export const CONTRACT_DIMENSIONS = 1024;

const SCORE_TOLERANCE = 1e-3;

/** A vector of the contract's dimension with the given components set (all others 0). */
export function sparseVector(components: Record<number, number>): number[] {
  const vector = new Array<number>(CONTRACT_DIMENSIONS).fill(0);
  for (const [index, value] of Object.entries(components)) vector[Number(index)] = value;
  return vector;
}

/** The i-th basis vector, times `scale`. */
export const axis = (i: number, scale = 1): number[] => sparseVector({ [i]: scale });

/** Deterministic pseudo-random numbers (mulberry32), so a failure reproduces. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Gaussian vector: its direction is uniform on the sphere, so two of them are nearly orthogonal in 1024 dimensions. */
export function randomVector(random: () => number): number[] {
  const vector = new Array<number>(CONTRACT_DIMENSIONS);
  for (let i = 0; i < CONTRACT_DIMENSIONS; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    vector[i] = radius * Math.cos(angle);
    if (i + 1 < CONTRACT_DIMENSIONS) vector[i + 1] = radius * Math.sin(angle);
  }
  return vector;
}

/** Exact cosine similarity, in double precision, to compare scores against. */
export function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

function expectScore(hit: VectorHit | undefined, expected: number): void {
  expect(hit).toBeDefined();
  const difference = Math.abs(hit!.score - expected);
  if (difference > SCORE_TOLERANCE) {
    throw new Error(`score of ${hit!.chunkId} is ${hit!.score}, expected ${expected} ± ${SCORE_TOLERANCE}`);
  }
}

function expectDescending(hits: VectorHit[]): void {
  for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
}

async function expectInvalid(operation: Promise<unknown>): Promise<void> {
  const error = await operation.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  expect(error).toMatchObject({ code: 'vector.invalid' });
}

const ids = (hits: VectorHit[]): string[] => hits.map((h) => h.chunkId);

export function vectorIndexContract(name: string, open: () => Promise<VectorIndexFixture>): void {
  describe(`vector index contract: ${name}`, () => {
    let fixture: VectorIndexFixture | undefined;
    let index: VectorIndex;

    beforeEach(async () => {
      fixture = await open();
      index = fixture.index;
    });
    afterEach(async () => {
      await fixture?.cleanup();
      fixture = undefined;
    });

    // Hand-made records whose cosine to axis(0) is known exactly:
    // a = 1, d = 3/√10 ≈ 0.9487, c = 1/√2 ≈ 0.7071, b = 0, e = −1.
    const handMade: VectorRecord[] = [
      { chunkId: 'b', recitId: 'r1', vector: axis(1) },
      { chunkId: 'd', recitId: 'r2', vector: sparseVector({ 0: 3, 2: 1 }) },
      { chunkId: 'a', recitId: 'r1', vector: axis(0) },
      { chunkId: 'e', recitId: 'r3', vector: axis(0, -1) },
      { chunkId: 'c', recitId: 'r2', vector: sparseVector({ 0: 1, 1: 1 }) },
    ];
    const expectedOrder = ['a', 'd', 'c', 'b', 'e'];
    const expectedScores: Record<string, number> = { a: 1, d: 3 / Math.sqrt(10), c: Math.SQRT1_2, b: 0, e: -1 };

    describe('search', () => {
      it('returns the nearest records by cosine similarity, best first, with their récit', async () => {
        await index.upsert(handMade);
        const hits = await index.search({ vector: axis(0), k: 5 });
        expect(ids(hits)).toEqual(expectedOrder);
        for (const hit of hits) expectScore(hit, expectedScores[hit.chunkId]!);
        expect(hits.map((h) => h.recitId)).toEqual(['r1', 'r2', 'r2', 'r1', 'r3']);
      });

      it('compares directions, not lengths', async () => {
        await index.upsert([...handMade, { chunkId: 'long', recitId: 'r4', vector: sparseVector({ 3: 1000, 4: 1000 }) }]);
        for (const scale of [0.001, 1000]) {
          const hits = await index.search({ vector: sparseVector({ 3: scale, 4: scale }), k: 1 });
          expect(ids(hits)).toEqual(['long']);
          expectScore(hits[0], 1);
        }
        const scaled = await index.search({ vector: axis(0, 250), k: 5, recitIds: ['r1', 'r2', 'r3'] });
        expect(ids(scaled)).toEqual(expectedOrder);
        for (const hit of scaled) expectScore(hit, expectedScores[hit.chunkId]!);
      });

      it('returns at most k hits', async () => {
        await index.upsert(handMade);
        expect(ids(await index.search({ vector: axis(0), k: 1 }))).toEqual(['a']);
        expect(ids(await index.search({ vector: axis(0), k: 2 }))).toEqual(['a', 'd']);
        expect(ids(await index.search({ vector: axis(0), k: 3 }))).toEqual(['a', 'd', 'c']);
        expect(await index.search({ vector: axis(0), k: 50 })).toHaveLength(handMade.length);
      });

      it('sorts hits by descending score, each score the true cosine', async () => {
        const random = seededRandom(7);
        const records = Array.from({ length: 120 }, (_, i) => ({ chunkId: `r${i}`, recitId: `recit-${i % 6}`, vector: randomVector(random) }));
        await index.upsert(records);
        const byId = new Map(records.map((r) => [r.chunkId, r.vector]));
        for (let q = 0; q < 3; q++) {
          // Near one record, so the top of the list has a clear leader and a tail of low scores.
          const query = records[q * 17]!.vector.map((x) => x + 0.8 * (random() - 0.5));
          const hits = await index.search({ vector: query, k: 20 });
          expect(hits).toHaveLength(20);
          expectDescending(hits);
          for (const hit of hits) expectScore(hit, cosine(query, byId.get(hit.chunkId)!));
          expect(hits[0]!.chunkId).toBe(records[q * 17]!.chunkId);
        }
      });

      it('returns no hits on an empty index', async () => {
        expect(await index.search({ vector: axis(0), k: 10 })).toEqual([]);
        expect(await index.search({ vector: axis(0), k: 10, recitIds: ['r1'] })).toEqual([]);
      });

      it('keeps its own copy of the vectors it is given', async () => {
        const vector = axis(0);
        await index.upsert([{ chunkId: 'a', recitId: 'r1', vector }]);
        vector[0] = 0;
        vector[1] = 1;
        const hits = await index.search({ vector: axis(0), k: 1 });
        expect(ids(hits)).toEqual(['a']);
        expectScore(hits[0], 1);
      });
    });

    describe('recitIds filter', () => {
      it('restricts hits to the given récits', async () => {
        await index.upsert(handMade);
        const only2 = await index.search({ vector: axis(0), k: 5, recitIds: ['r2'] });
        expect(ids(only2)).toEqual(['d', 'c']);
        expect(only2.every((h) => h.recitId === 'r2')).toBe(true);
        for (const hit of only2) expectScore(hit, expectedScores[hit.chunkId]!);

        const oneAndThree = await index.search({ vector: axis(0), k: 5, recitIds: ['r1', 'r3'] });
        expect(ids(oneAndThree)).toEqual(['a', 'b', 'e']);
        expect(ids(await index.search({ vector: axis(0), k: 1, recitIds: ['r3', 'r2'] }))).toEqual(['d']);
      });

      it('filters before k: the best k of the allowed récits, even when others are closer', async () => {
        // 300 distractors much closer to the query (cosine ≈ 0.96) than the 3 allowed chunks:
        // more than an HNSW search looks at by default (ef_search 40 in pgvector, 100 in
        // Chroma), so filtering after the approximate search would return fewer than 3 hits.
        const random = seededRandom(11);
        const distractors = Array.from({ length: 300 }, (_, i) => ({
          chunkId: `near-${i}`,
          recitId: `crowd-${i % 3}`,
          vector: axis(0).map((x, j) => x * 10 + (j === 0 ? 0 : 0.3 * (random() - 0.5))),
        }));
        const allowed: VectorRecord[] = [
          { chunkId: 'far-1', recitId: 'rare', vector: sparseVector({ 0: 1, 5: 1 }) },
          { chunkId: 'far-2', recitId: 'rare', vector: sparseVector({ 0: 1, 5: 2 }) },
          { chunkId: 'far-3', recitId: 'rare', vector: sparseVector({ 0: 1, 5: 3 }) },
        ];
        for (let i = 0; i < distractors.length; i += 100) await index.upsert(distractors.slice(i, i + 100));
        await index.upsert(allowed);

        const hits = await index.search({ vector: axis(0), k: 3, recitIds: ['rare'] });
        expect(ids(hits)).toEqual(['far-1', 'far-2', 'far-3']);
        expectScore(hits[0], 1 / Math.SQRT2);
        expectScore(hits[1], 1 / Math.sqrt(5));
        expectScore(hits[2], 1 / Math.sqrt(10));
        expect(ids(await index.search({ vector: axis(0), k: 2, recitIds: ['rare'] }))).toEqual(['far-1', 'far-2']);
      });

      it('returns no hits for an empty list or unknown récits', async () => {
        await index.upsert(handMade);
        expect(await index.search({ vector: axis(0), k: 5, recitIds: [] })).toEqual([]);
        expect(await index.search({ vector: axis(0), k: 5, recitIds: ['nobody'] })).toEqual([]);
        expect(ids(await index.search({ vector: axis(0), k: 5, recitIds: ['nobody', 'r3'] }))).toEqual(['e']);
      });
    });

    describe('upsert', () => {
      it('replaces the vector and récit of an existing chunk id, without a duplicate', async () => {
        await index.upsert([{ chunkId: 'x', recitId: 'old', vector: axis(0) }]);
        await index.upsert([{ chunkId: 'x', recitId: 'new', vector: axis(1) }]);
        expect(await index.count()).toBe(1);

        const byNewVector = await index.search({ vector: axis(1), k: 10 });
        expect(byNewVector).toHaveLength(1);
        expect(byNewVector[0]).toMatchObject({ chunkId: 'x', recitId: 'new' });
        expectScore(byNewVector[0], 1);
        expectScore((await index.search({ vector: axis(0), k: 10 }))[0], 0);

        expect(await index.search({ vector: axis(1), k: 10, recitIds: ['old'] })).toEqual([]);
        expect(await index.deleteRecit('old')).toBe(0);
        expect(await index.count()).toBe(1);
      });

      it('keeps the last record when a batch repeats a chunk id', async () => {
        await index.upsert([
          { chunkId: 'x', recitId: 'r1', vector: axis(0) },
          { chunkId: 'y', recitId: 'r1', vector: axis(2) },
          { chunkId: 'x', recitId: 'r2', vector: axis(1) },
        ]);
        expect(await index.count()).toBe(2);
        const hits = await index.search({ vector: axis(1), k: 1 });
        expect(hits[0]).toMatchObject({ chunkId: 'x', recitId: 'r2' });
        expectScore(hits[0], 1);
      });

      it('accepts an empty batch as a no-op', async () => {
        await index.upsert([]);
        expect(await index.count()).toBe(0);
        await index.upsert(handMade);
        await index.upsert([]);
        expect(await index.count()).toBe(handMade.length);
      });

      it('does not lose records under concurrent upserts', async () => {
        const random = seededRandom(3);
        const batches = Array.from({ length: 20 }, (_, b) =>
          Array.from({ length: 10 }, (_, i) => ({ chunkId: `c-${b}-${i}`, recitId: `r-${b % 4}`, vector: randomVector(random) })),
        );
        await Promise.all(batches.map((batch) => index.upsert(batch)));
        expect(await index.count()).toBe(200);
        for (const batch of batches) {
          const record = batch[batch.length - 1]!;
          const hits = await index.search({ vector: record.vector, k: 1 });
          expect(hits[0]).toMatchObject({ chunkId: record.chunkId, recitId: record.recitId });
          expectScore(hits[0], 1);
        }
      });

      it('leaves exactly one coherent record when the same chunk id is upserted concurrently', async () => {
        await Promise.all(Array.from({ length: 10 }, (_, i) => index.upsert([{ chunkId: 'same', recitId: `r-${i}`, vector: axis(i) }])));
        expect(await index.count()).toBe(1);
        const [hit] = await index.search({ vector: axis(0), k: 10 });
        expect(hit?.chunkId).toBe('same');
        // The récit and the vector must come from the same write.
        const winner = Number(hit!.recitId.slice(2));
        expectScore((await index.search({ vector: axis(winner), k: 1 }))[0], 1);
      });
    });

    describe('deleteRecit', () => {
      const recits: VectorRecord[] = [
        { chunkId: 'r1-a', recitId: 'r1', vector: axis(0) },
        { chunkId: 'r1-b', recitId: 'r1', vector: sparseVector({ 0: 1, 1: 0.1 }) },
        { chunkId: 'r1-c', recitId: 'r1', vector: sparseVector({ 0: 1, 2: 0.1 }) },
        { chunkId: 'r2-a', recitId: 'r2', vector: axis(1) },
        { chunkId: 'r2-b', recitId: 'r2', vector: sparseVector({ 0: 0.2, 1: 1 }) },
      ];

      it('removes every vector of the récit and returns how many', async () => {
        await index.upsert(recits);
        expect(await index.deleteRecit('r1')).toBe(3);
        expect(await index.count()).toBe(2);
        expect(await index.deleteRecit('r1')).toBe(0);
        expect(await index.deleteRecit('unknown')).toBe(0);
        expect(await index.count()).toBe(2);
      });

      it('deleted vectors never come back in a search', async () => {
        await index.upsert(recits);
        await index.deleteRecit('r1');
        await index.upsert([{ chunkId: 'r3-a', recitId: 'r3', vector: axis(3) }]);
        for (const query of [axis(0), axis(1), axis(2), axis(3)]) {
          const hits = await index.search({ vector: query, k: 100 });
          expect(hits.map((h) => h.recitId)).not.toContain('r1');
          expect(ids(hits).sort()).toEqual(['r2-a', 'r2-b', 'r3-a']);
        }
        expect(await index.search({ vector: axis(0), k: 100, recitIds: ['r1'] })).toEqual([]);
      });

      it('lets a récit be ingested again after its deletion', async () => {
        await index.upsert(recits);
        await index.deleteRecit('r1');
        await index.upsert([{ chunkId: 'r1-new', recitId: 'r1', vector: axis(0) }]);
        const hits = await index.search({ vector: axis(0), k: 10, recitIds: ['r1'] });
        expect(ids(hits)).toEqual(['r1-new']);
        expect(await index.count()).toBe(3);
      });
    });

    describe('count', () => {
      it('counts distinct chunks', async () => {
        expect(await index.count()).toBe(0);
        await index.upsert(handMade);
        expect(await index.count()).toBe(5);
        await index.upsert([{ chunkId: 'a', recitId: 'r1', vector: axis(7) }]);
        expect(await index.count()).toBe(5);
        await index.deleteRecit('r2');
        expect(await index.count()).toBe(3);
      });
    });

    describe('validation', () => {
      it('rejects the zero vector', async () => {
        await expectInvalid(index.upsert([{ chunkId: 'z', recitId: 'r1', vector: axis(0, 0) }]));
        await expectInvalid(index.search({ vector: axis(0, 0), k: 1 }));
      });

      it('rejects vectors of another dimension than the index', async () => {
        for (const length of [0, 3, CONTRACT_DIMENSIONS - 1, CONTRACT_DIMENSIONS + 1, 1536]) {
          const vector = new Array<number>(length).fill(0.5);
          await expectInvalid(index.upsert([{ chunkId: 'w', recitId: 'r1', vector }]));
          await expectInvalid(index.search({ vector, k: 1 }));
        }
      });

      it('rejects non-finite components', async () => {
        for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
          const vector = sparseVector({ 0: 1, 9: bad });
          await expectInvalid(index.upsert([{ chunkId: 'n', recitId: 'r1', vector }]));
          await expectInvalid(index.search({ vector, k: 1 }));
        }
      });

      it('rejects the whole batch when one record is invalid', async () => {
        await expectInvalid(
          index.upsert([
            { chunkId: 'good', recitId: 'r1', vector: axis(0) },
            { chunkId: 'bad', recitId: 'r1', vector: axis(0).slice(1) },
          ]),
        );
        expect(await index.count()).toBe(0);
        expect(await index.search({ vector: axis(0), k: 5 })).toEqual([]);
      });

      it('rejects a k that is not a positive integer', async () => {
        await index.upsert(handMade);
        for (const k of [0, -1, 1.5, Number.NaN]) await expectInvalid(index.search({ vector: axis(0), k }));
      });

      it('rejects empty chunk and récit ids', async () => {
        await expectInvalid(index.upsert([{ chunkId: '', recitId: 'r1', vector: axis(0) }]));
        await expectInvalid(index.upsert([{ chunkId: 'x', recitId: '', vector: axis(0) }]));
        expect(await index.count()).toBe(0);
      });
    });

    describe('at scale', () => {
      it('finds an exact duplicate first among 2,000 random vectors, with a score of 1', async () => {
        const random = seededRandom(2026);
        const records = Array.from({ length: 2000 }, (_, i) => ({ chunkId: `rand-${i}`, recitId: `recit-${i % 40}`, vector: randomVector(random) }));
        for (let i = 0; i < records.length; i += 250) await index.upsert(records.slice(i, i + 250));
        expect(await index.count()).toBe(2000);

        for (const target of [0, 1, 499, 1000, 1337, 1998, 1999]) {
          const record = records[target]!;
          const hits = await index.search({ vector: record.vector, k: 5 });
          expect(hits[0]?.chunkId).toBe(record.chunkId);
          expectScore(hits[0], 1);
          expectDescending(hits);
          // Random directions in 1024 dimensions are nearly orthogonal: the runner-up is far behind.
          expect(hits[1]!.score).toBeLessThan(0.3);
          const filtered = await index.search({ vector: record.vector, k: 3, recitIds: [record.recitId] });
          expect(filtered[0]?.chunkId).toBe(record.chunkId);
          expect(filtered.every((h) => h.recitId === record.recitId)).toBe(true);
        }
      }, 180_000);
    });
  });
}
