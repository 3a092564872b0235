import { describe, expect, it } from '@jest/globals';
import { isSuppressed, suppressCells, suppressed } from '../../../../../src/core/surveys/analysis/k-anonymity.js';

const counts = (entries: Record<string, number>): Map<string, number> => new Map(Object.entries(entries));

describe('suppressCells', () => {
  it('hides every non-empty cell under k, and never an empty one', () => {
    const out = suppressCells(counts({ a: 4, b: 5, c: 0, d: 1 }), [], 5);
    expect([...out].sort()).toEqual(['a', 'd']);
  });

  it('hides a second part when the total minus the published parts would reveal a single small part', () => {
    // all = 20 published; team A (3) hidden; without more, all − B − C = A.
    const out = suppressCells(counts({ all: 20, A: 3, B: 9, C: 8 }), [{ total: 'all', parts: ['A', 'B', 'C'] }], 5);
    expect(out.has('A')).toBe(true);
    expect(out.has('C')).toBe(true); // the smallest published part
    expect(out.has('B')).toBe(false);
    expect(out.has('all')).toBe(false);
  });

  it('needs nothing more when the hidden parts together already hold k people', () => {
    const out = suppressCells(counts({ all: 20, A: 3, B: 2, C: 15 }), [{ total: 'all', parts: ['A', 'B', 'C'] }], 5);
    expect([...out].sort()).toEqual(['A', 'B']);
  });

  it('counts never-published cells (answers without a team) among the hidden parts', () => {
    const rel = [{ total: 'all', parts: ['none', 'A', 'B'] }];
    expect([...suppressCells(counts({ all: 16, none: 1, A: 7, B: 8 }), rel, 5, ['none'])].sort()).toEqual(['A', 'none']);
    expect([...suppressCells(counts({ all: 20, none: 5, A: 7, B: 8 }), rel, 5, ['none'])]).toEqual(['none']);
  });

  it('checks every linked relation (a cell hidden in one relation is a hidden part in the others)', () => {
    // Week 1: teams A, B under the overall week; team A's phase total = weeks 1 + 2.
    const out = suppressCells(
      counts({ w1: 12, 'A:w1': 6, 'B:w1': 6, w2: 9, 'A:w2': 6, 'B:w2': 3, A: 12 }),
      [
        { total: 'w1', parts: ['A:w1', 'B:w1'] },
        { total: 'w2', parts: ['A:w2', 'B:w2'] },
        { total: 'A', parts: ['A:w1', 'A:w2'] },
      ],
      5,
    );
    // B:w2 is small → A:w2 hidden too (w2 − A:w2 would be B:w2); A − A:w1 is then A:w2, 6 people: enough.
    expect([...out].sort()).toEqual(['A:w2', 'B:w2']);
  });

  it('is deterministic on ties and refuses a meaningless k', () => {
    const rel = [{ total: 'all', parts: ['x', 'b', 'a'] }];
    expect([...suppressCells(counts({ all: 16, x: 2, a: 7, b: 7 }), rel, 5)].sort()).toEqual(['a', 'x']);
    expect(() => suppressCells(counts({}), [], 0)).toThrow(RangeError);
    expect(isSuppressed(suppressed(5))).toBe(true);
    expect(isSuppressed({ mean: 3 })).toBe(false);
  });
});
