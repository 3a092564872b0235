import { DEFAULT_VECTOR_DIMENSIONS, InMemoryVectorIndex } from '../../src/adapters/memory/in-memory-vector-index.js';
import { axis, vectorIndexContract } from './vector-index.contract.js';

vectorIndexContract('in memory (exact)', async () => ({ index: new InMemoryVectorIndex(), cleanup: async () => undefined }));

describe('InMemoryVectorIndex', () => {
  it('has 1024 dimensions by default, and describes itself', () => {
    const index = new InMemoryVectorIndex();
    expect(index.dimensions).toBe(DEFAULT_VECTOR_DIMENSIONS);
    expect(DEFAULT_VECTOR_DIMENSIONS).toBe(1024);
    expect(index.description).toBe('in memory (exact, cosine, 1024 dimensions)');
  });

  it('takes its dimension at construction and holds every vector to it', async () => {
    const index = new InMemoryVectorIndex({ dimensions: 3 });
    await index.upsert([
      { chunkId: 'a', recitId: 'r', vector: [1, 0, 0] },
      { chunkId: 'b', recitId: 'r', vector: [1, 1, 0] },
    ]);
    const hits = await index.search({ vector: [2, 0, 0], k: 2 });
    expect(hits.map((h) => h.chunkId)).toEqual(['a', 'b']);
    expect(hits[1]!.score).toBeCloseTo(Math.SQRT1_2, 6);
    await expect(index.upsert([{ chunkId: 'c', recitId: 'r', vector: axis(0) }])).rejects.toMatchObject({ code: 'vector.invalid' });
    await expect(index.search({ vector: [1, 0], k: 1 })).rejects.toMatchObject({ code: 'vector.invalid', details: { expected: 3, actual: 2 } });
  });

  it('refuses a dimension that is not a positive integer', () => {
    for (const dimensions of [0, -3, 1.5, Number.NaN]) {
      let thrown: unknown;
      try {
        new InMemoryVectorIndex({ dimensions });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({ code: 'config.invalid' });
    }
  });

  it('keeps the cosine of extreme magnitudes finite', async () => {
    const index = new InMemoryVectorIndex({ dimensions: 2 });
    await index.upsert([{ chunkId: 'huge', recitId: 'r', vector: [1e200, 1e200] }]);
    const [hit] = await index.search({ vector: [1e-200, 1e-200], k: 1 });
    expect(hit!.score).toBeCloseTo(1, 6);
  });
});
