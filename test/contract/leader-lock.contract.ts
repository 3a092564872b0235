/**
 * One contract for every LeaderLock (memory, PostgreSQL server, Redis).
 * Each `instance()` stands for one bot process; `crash` (when the store can
 * outlive a process) makes it vanish without releasing anything.
 */
import { randomBytes } from 'node:crypto';
import type { LeaderLease, LeaderLock } from '../../src/core/ports/leader-lock.js';
import { waitFor } from '../support/wait-for.js';

/** Opening a migrated embedded database can take a while on a busy 2-core machine. */
const OPEN_TIMEOUT_MS = 120_000;

export interface LeaderLockInstance {
  lock: LeaderLock;
  /** The process dies: its connection drops, nothing is released. Absent for in-process locks. */
  crash?(): Promise<void>;
}

export interface LeaderLockFixture {
  /** A new instance sharing the store (in memory: the same lock, one process). */
  instance(): Promise<LeaderLockInstance>;
  /** How long a holder must keep its lease without doing anything (e.g. a few times the ttl). */
  holdMs: number;
  /** Longest takeover after a crash. */
  takeoverMs: number;
  cleanup(): Promise<void>;
}

const settled = async (promise: Promise<unknown>, ms = 50): Promise<boolean> =>
  Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

export function leaderLockContract(name: string, open: () => Promise<LeaderLockFixture>): void {
  describe(`leader lock contract: ${name}`, () => {
    let fixture: LeaderLockFixture;
    const lockName = (label: string) => `test-${label}-${randomBytes(4).toString('hex')}`;
    const toRelease: LeaderLease[] = [];
    const hold = (lease: LeaderLease | undefined): LeaderLease => {
      expect(lease).toBeDefined();
      toRelease.push(lease!);
      return lease!;
    };

    beforeAll(async () => {
      fixture = await open();
    }, OPEN_TIMEOUT_MS);

    afterEach(async () => {
      for (const lease of toRelease.splice(0)) await lease.release();
    });

    afterAll(async () => {
      await fixture?.cleanup();
    });

    it('gives a name to one holder at a time, and names are independent', async () => {
      const [one, two] = [await fixture.instance(), await fixture.instance()];
      const name = lockName('one');
      const lease = hold(await one.lock.tryAcquire(name));
      expect(await two.lock.tryAcquire(name)).toBeUndefined();
      expect(await one.lock.tryAcquire(name)).toBeUndefined();
      hold(await two.lock.tryAcquire(lockName('other')));
      expect(await settled(lease.lost)).toBe(false);
    });

    it('lets exactly one of many concurrent tries win', async () => {
      const instances = await Promise.all(Array.from({ length: 4 }, () => fixture.instance()));
      const name = lockName('race');
      const leases = await Promise.all(Array.from({ length: 12 }, (_, i) => instances[i % instances.length]!.lock.tryAcquire(name)));
      const won = leases.filter((lease): lease is LeaderLease => lease !== undefined);
      for (const lease of won) toRelease.push(lease);
      expect(won).toHaveLength(1);
    });

    it('hands the name over on release, and the released lease reports it lost', async () => {
      const [one, two] = [await fixture.instance(), await fixture.instance()];
      const name = lockName('handover');
      const lease = hold(await one.lock.tryAcquire(name));
      await lease.release();
      await lease.release();
      expect(await settled(lease.lost, 1000)).toBe(true);
      const next = hold(await two.lock.tryAcquire(name));
      // A late release of the old lease (a stop racing a lost handler) must not free the new holder's name.
      await lease.release();
      expect(await one.lock.tryAcquire(name)).toBeUndefined();
      expect(await settled(next.lost)).toBe(false);
    });

    it('keeps the lease while the holder is alive, however long', async () => {
      const [one, two] = [await fixture.instance(), await fixture.instance()];
      const name = lockName('hold');
      const lease = hold(await one.lock.tryAcquire(name));
      await new Promise((resolve) => setTimeout(resolve, fixture.holdMs));
      expect(await two.lock.tryAcquire(name)).toBeUndefined();
      expect(await settled(lease.lost)).toBe(false);
    });

    it('lets another instance take over when the holder crashes, and the crashed lease reports it lost', async () => {
      const one = await fixture.instance();
      if (!one.crash) return; // in-process lock: a crash takes every contender with it
      const two = await fixture.instance();
      const name = lockName('crash');
      const lease = await one.lock.tryAcquire(name);
      expect(lease).toBeDefined();
      await one.crash();
      let taken: LeaderLease | undefined;
      await waitFor(async () => (taken = await two.lock.tryAcquire(name)) !== undefined, fixture.takeoverMs, 50);
      hold(taken);
      expect(await settled(lease!.lost, fixture.takeoverMs)).toBe(true);
    });
  });
}
