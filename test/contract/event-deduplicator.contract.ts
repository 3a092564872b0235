/**
 * One contract for every EventDeduplicator (memory, PGlite, PostgreSQL,
 * Redis). A fixture gives two instances sharing one store — two bot
 * processes — so claims are checked across instances, not only within one.
 * Expiry is awaited with bounded polls, never asserted against a stopwatch.
 */
import { randomBytes } from 'node:crypto';
import type { EventDeduplicator } from '../../src/core/ports/event-deduplicator.js';
import { waitFor } from '../support/wait-for.js';

/** Opening a migrated embedded database can take a while on a busy 2-core machine. */
const OPEN_TIMEOUT_MS = 120_000;

export interface EventDeduplicatorFixture {
  /** Two deduplicators on the same store (in memory: the same object twice, one process). */
  instances: [EventDeduplicator, EventDeduplicator];
  cleanup(): Promise<void>;
}

const LONG = 60_000;
const SHORT = 120;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function eventDeduplicatorContract(name: string, open: () => Promise<EventDeduplicatorFixture>): void {
  describe(`event deduplicator contract: ${name}`, () => {
    let fixture: EventDeduplicatorFixture;
    let a: EventDeduplicator;
    let b: EventDeduplicator;
    const key = (label: string) => `test:${label}:${randomBytes(4).toString('hex')}`;

    beforeAll(async () => {
      fixture = await open();
      [a, b] = fixture.instances;
    }, OPEN_TIMEOUT_MS);

    afterAll(async () => {
      await fixture?.cleanup();
    });

    it('gives a key to its first claimer only, on any instance', async () => {
      const k = key('first');
      expect(await a.claim(k, LONG)).toBe('claimed');
      expect(await a.claim(k, LONG)).toBe('duplicate');
      expect(await b.claim(k, LONG)).toBe('duplicate');
    });

    it('keeps keys apart, whatever characters they contain', async () => {
      const ids = ['slack:Ev0123ABCD', 'matrix:$Yf3k:example.org', 'teams:1:a/b?c=d&é', 'x'.repeat(300)].map((id) => `${id}:${randomBytes(3).toString('hex')}`);
      for (const id of ids) expect(await a.claim(id, LONG)).toBe('claimed');
      for (const id of ids) expect(await b.claim(id, LONG)).toBe('duplicate');
    });

    it('lets exactly one of many concurrent claims of one key win, across instances', async () => {
      for (let round = 0; round < 3; round++) {
        const k = key(`race${round}`);
        const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).claim(k, LONG)));
        expect(results.filter((r) => r === 'claimed')).toHaveLength(1);
      }
    });

    it('remembers a completed key as a duplicate, and release does not forget it', async () => {
      const k = key('done');
      expect(await a.claim(k, LONG)).toBe('claimed');
      await a.complete(k, LONG);
      await a.release(k);
      expect(await b.claim(k, LONG)).toBe('duplicate');
    });

    it('remembers a key completed without a claim', async () => {
      const k = key('bare');
      await b.complete(k, LONG);
      expect(await a.claim(k, LONG)).toBe('duplicate');
    });

    it('hands a released claim to the next delivery at once', async () => {
      const k = key('released');
      expect(await a.claim(k, LONG)).toBe('claimed');
      await a.release(k);
      expect(await b.claim(k, LONG)).toBe('claimed');
      await b.release(k);
      await b.release(k);
      expect(await a.claim(k, LONG)).toBe('claimed');
    });

    it('releasing an unknown key is harmless', async () => {
      await expect(a.release(key('unknown'))).resolves.toBeUndefined();
    });

    it('lets another instance take over a claim whose lease ran out (the holder crashed)', async () => {
      const k = key('lease');
      expect(await a.claim(k, SHORT)).toBe('claimed');
      await waitFor(async () => (await b.claim(k, LONG)) === 'claimed', 5000, 40);
      expect(await a.claim(k, LONG)).toBe('duplicate');
    });

    it('forgets a completed key once its memory period is over', async () => {
      const k = key('keep');
      expect(await a.claim(k, LONG)).toBe('claimed');
      await a.complete(k, SHORT);
      await waitFor(async () => (await b.claim(k, LONG)) === 'claimed', 5000, 40);
    });

    it('completing extends a claim: a completed key outlives the lease', async () => {
      const k = key('extend');
      expect(await a.claim(k, SHORT)).toBe('claimed');
      await a.complete(k, LONG);
      await sleep(SHORT * 3);
      expect(await b.claim(k, LONG)).toBe('duplicate');
    });
  });
}
