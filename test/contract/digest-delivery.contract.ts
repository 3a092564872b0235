/**
 * One contract for every DigestDeliveryStore (memory, PGlite, PostgreSQL).
 * Two instances share one store: a claim taken by one is refused to the other.
 */
import { randomBytes } from 'node:crypto';
import type { DigestDeliveryStore } from '../../src/core/ports/digest-delivery-store.js';

/** Opening a migrated embedded database can take a while on a busy 2-core machine. */
const OPEN_TIMEOUT_MS = 120_000;

export interface DigestDeliveryFixture {
  /** Two stores on the same data (in memory: the same object twice). */
  instances: [DigestDeliveryStore, DigestDeliveryStore];
  cleanup(): Promise<void>;
}

export function digestDeliveryContract(name: string, open: () => Promise<DigestDeliveryFixture>): void {
  describe(`digest delivery contract: ${name}`, () => {
    let fixture: DigestDeliveryFixture;
    let a: DigestDeliveryStore;
    let b: DigestDeliveryStore;
    const at = new Date('2026-12-07T08:00:00Z');
    const team = (): string => `team-${randomBytes(4).toString('hex')}`;

    beforeAll(async () => {
      fixture = await open();
      [a, b] = fixture.instances;
    }, OPEN_TIMEOUT_MS);
    afterAll(async () => fixture?.cleanup());

    test('the first claim wins, a second one (any instance) is refused', async () => {
      const t = team();
      expect(await a.isClaimed(t, '2026-12-07', 'p1')).toBe(false);
      expect(await a.claim(t, '2026-12-07', 'p1', at)).toBe(true);
      expect(await a.claim(t, '2026-12-07', 'p1', at)).toBe(false);
      expect(await b.claim(t, '2026-12-07', 'p1', at)).toBe(false);
      expect(await b.isClaimed(t, '2026-12-07', 'p1')).toBe(true);
    });

    test('claims are per team, period and person', async () => {
      const t = team();
      expect(await a.claim(t, '2026-12-07', 'p1', at)).toBe(true);
      expect(await a.claim(t, '2026-12-07', 'p2', at)).toBe(true);
      expect(await a.claim(t, '2026-12-14', 'p1', at)).toBe(true);
      expect(await a.claim(team(), '2026-12-07', 'p1', at)).toBe(true);
    });

    test('concurrent claims: exactly one succeeds', async () => {
      const t = team();
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).claim(t, '2026-12-07', 'p1', at)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    test('a released claim can be taken again; releasing nothing is harmless', async () => {
      const t = team();
      await a.claim(t, '2026-12-07', 'p1', at);
      await b.release(t, '2026-12-07', 'p1');
      expect(await a.isClaimed(t, '2026-12-07', 'p1')).toBe(false);
      expect(await a.claim(t, '2026-12-07', 'p1', at)).toBe(true);
      await a.release(t, '2026-12-21', 'nobody');
    });
  });
}
