/**
 * One contract for every PlatformStateStore (memory, PGlite, PostgreSQL).
 * Two instances share one store: what one writes, the other reads.
 */
import { randomBytes } from 'node:crypto';
import type { PlatformStateStore } from '../../src/core/ports/platform-state.js';

/** Opening a migrated embedded database can take a while on a busy 2-core machine. */
const OPEN_TIMEOUT_MS = 120_000;

export interface PlatformStateFixture {
  /** Two stores on the same data (in memory: the same object twice). */
  instances: [PlatformStateStore, PlatformStateStore];
  cleanup(): Promise<void>;
}

export function platformStateContract(name: string, open: () => Promise<PlatformStateFixture>): void {
  describe(`platform state contract: ${name}`, () => {
    let fixture: PlatformStateFixture;
    let a: PlatformStateStore;
    let b: PlatformStateStore;
    const ns = (label: string) => `test.${label}.${randomBytes(4).toString('hex')}`;

    beforeAll(async () => {
      fixture = await open();
      [a, b] = fixture.instances;
    }, OPEN_TIMEOUT_MS);

    afterAll(async () => {
      await fixture?.cleanup();
    });

    it('returns undefined for what was never set', async () => {
      expect(await a.get(ns('missing'), 'nothing')).toBeUndefined();
      expect(await a.list(ns('empty'))).toEqual([]);
    });

    it('round-trips every JSON value, read by another instance', async () => {
      const space = ns('values');
      const values: Record<string, unknown> = {
        object: { serviceUrl: 'https://smba.trafficmanager.net/fr/', conversation: { id: 'a:1xyz', tenantId: 't' }, n: 3, ok: true, none: null },
        array: [1, 'deux', { trois: [3] }],
        text: 's_1234_5678',
        unicode: 'Élève — « réflexion » 😊',
        number: 42.5,
        zero: 0,
        boolean: false,
        null: null,
        emptyObject: {},
      };
      for (const [key, value] of Object.entries(values)) await a.set(space, key, value);
      for (const [key, value] of Object.entries(values)) expect({ key, value: await b.get(space, key) }).toEqual({ key, value });
    });

    it('stores JSON, not objects: Dates become strings, undefined fields vanish, later mutations do not leak in', async () => {
      const space = ns('json');
      const value = { at: new Date('2026-12-07T09:00:00.000Z'), skipped: undefined as unknown, list: [1] };
      await a.set(space, 'k', value);
      value.list.push(2);
      const read = await b.get<Record<string, unknown>>(space, 'k');
      expect(read).toEqual({ at: '2026-12-07T09:00:00.000Z', list: [1] });
      expect(read && 'skipped' in read).toBe(false);
      (read!.list as number[]).push(3);
      expect(await a.get(space, 'k')).toEqual({ at: '2026-12-07T09:00:00.000Z', list: [1] });
    });

    it('overwrites, deletes, and deleting a missing key is harmless', async () => {
      const space = ns('overwrite');
      await a.set(space, 'sync', { token: 's1' });
      await b.set(space, 'sync', { token: 's2' });
      expect(await a.get(space, 'sync')).toEqual({ token: 's2' });
      await b.delete(space, 'sync');
      expect(await a.get(space, 'sync')).toBeUndefined();
      await expect(a.delete(space, 'sync')).resolves.toBeUndefined();
      await expect(a.delete(ns('never'), 'x')).resolves.toBeUndefined();
    });

    it('keeps namespaces apart and lists one namespace with its values', async () => {
      const teams = ns('teams');
      const slack = ns('slack');
      await a.set(teams, 'conv:b', { id: 'b' });
      await a.set(teams, 'conv:a', { id: 'a' });
      await a.set(slack, 'conv:a', { id: 'slack-a' });
      const listed = await b.list<{ id: string }>(teams);
      expect([...listed].sort((x, y) => x.key.localeCompare(y.key))).toEqual([
        { key: 'conv:a', value: { id: 'a' } },
        { key: 'conv:b', value: { id: 'b' } },
      ]);
      expect(await b.get(slack, 'conv:a')).toEqual({ id: 'slack-a' });
      await a.delete(teams, 'conv:a');
      expect(await b.list(teams)).toEqual([{ key: 'conv:b', value: { id: 'b' } }]);
      expect(await b.list(slack)).toHaveLength(1);
    });

    it('stores undefined as null rather than losing the key', async () => {
      const space = ns('undefined');
      await a.set(space, 'k', undefined);
      expect(await b.get(space, 'k')).toBeNull();
      expect(await b.list(space)).toEqual([{ key: 'k', value: null }]);
    });

    it('keeps the last of concurrent writes to one key, with no error', async () => {
      const space = ns('race');
      await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).set(space, 'k', { i })));
      const value = await a.get<{ i: number }>(space, 'k');
      expect(value?.i).toBeGreaterThanOrEqual(0);
      expect(await a.list(space)).toHaveLength(1);
    });

    it('holds a value of a few hundred kilobytes (a Matrix sync token is short; Teams references are ~1 KB)', async () => {
      const space = ns('large');
      const big = { items: Array.from({ length: 5000 }, (_, i) => ({ id: `conversation-${i}`, url: 'https://example.org/' })) };
      await a.set(space, 'big', big);
      expect(await b.get(space, 'big')).toEqual(big);
    });
  });
}
