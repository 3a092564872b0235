/**
 * One contract for every RateLimiter (memory, Redis). Two instances share
 * the limits (in memory: the same object, one process). The test records
 * when each acquire resolves and checks the windows on those times; the
 * tolerance covers the gap between the limiter deciding and the test
 * seeing the promise resolve (a Redis round trip, a busy event loop).
 * Throughput is measured by `bench/rate-limit.bench.ts`, not here.
 */
import { randomBytes } from 'node:crypto';
import type { RateLimiter, RateRule } from '../../src/adapters/rate-limit/rate-limiter.js';
import { ValidationError } from '../../src/core/errors.js';

/** Opening a migrated embedded database can take a while on a busy 2-core machine. */
const OPEN_TIMEOUT_MS = 120_000;

export interface RateLimiterFixture {
  instances: [RateLimiter, RateLimiter];
  cleanup(): Promise<void>;
}

const TOLERANCE_MS = 40;

/** Fails if more than `rule.limit` of `times` fall within any `rule.windowMs` (minus the tolerance). */
function expectWithinRule(times: number[], rule: RateRule): void {
  const sorted = [...times].sort((x, y) => x - y);
  const tightest = Math.min(...sorted.slice(rule.limit).map((t, i) => t - sorted[i]!));
  expect({ rule, tightestSpanOfLimitPlusOne: tightest >= rule.windowMs - TOLERANCE_MS ? 'ok' : tightest }).toEqual({ rule, tightestSpanOfLimitPlusOne: 'ok' });
}

/** Least time `count` sends can take under `rules`: each send as early as every window allows. */
function theoreticalSpan(count: number, rules: readonly RateRule[]): number {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    let t = times[i - 1] ?? 0;
    for (const rule of rules) if (i >= rule.limit) t = Math.max(t, times[i - rule.limit]! + rule.windowMs);
    times.push(t);
  }
  return times[count - 1] ?? 0;
}

export function rateLimiterContract(name: string, open: () => Promise<RateLimiterFixture>): void {
  describe(`rate limiter contract: ${name}`, () => {
    let fixture: RateLimiterFixture;
    let a: RateLimiter;
    let b: RateLimiter;
    const key = (label: string) => `test:${label}:${randomBytes(4).toString('hex')}`;

    /** Runs `count` acquires at once, alternating instances; returns when each resolved. */
    async function burst(k: string, rules: readonly RateRule[], count: number): Promise<number[]> {
      const times: number[] = [];
      await Promise.all(
        Array.from({ length: count }, (_, i) =>
          (i % 2 === 0 ? a : b).acquire(k, rules).then(() => {
            times.push(Date.now());
          }),
        ),
      );
      return times;
    }

    beforeAll(async () => {
      fixture = await open();
      [a, b] = fixture.instances;
    }, OPEN_TIMEOUT_MS);

    afterAll(async () => {
      await fixture?.cleanup();
    });

    it('never lets more than the limit through in any window, across instances, and keeps sending', async () => {
      const rule = { limit: 4, windowMs: 300 };
      const started = Date.now();
      const times = await burst(key('window'), [rule], 14);
      expect(times).toHaveLength(14);
      expectWithinRule(times, rule);
      // Liveness, not speed: far from the ideal would mean waiters are starved or forgotten.
      expect(Date.now() - started).toBeLessThan(theoreticalSpan(14, [rule]) * 2 + 1000);
    });

    it('respects every rule of a key at once', async () => {
      const rules = [
        { limit: 3, windowMs: 100 },
        { limit: 5, windowMs: 400 },
      ];
      const times = await burst(key('rules'), rules, 12);
      for (const rule of rules) expectWithinRule(times, rule);
    });

    it('counts sends made through another instance', async () => {
      const k = key('shared');
      const rule = { limit: 3, windowMs: 400 };
      const first = Date.now();
      for (let i = 0; i < 3; i++) await a.acquire(k, [rule]);
      await b.acquire(k, [rule]);
      expect(Date.now() - first).toBeGreaterThanOrEqual(rule.windowMs - TOLERANCE_MS);
    });

    it('keeps keys apart: a full key does not hold another', async () => {
      const rule = { limit: 1, windowMs: 1500 };
      const full = key('full');
      await a.acquire(full, [rule]);
      const order: string[] = [];
      const waiting = a.acquire(full, [rule]).then(() => order.push('full'));
      await a.acquire(key('free'), [rule]).then(() => order.push('free'));
      await waiting;
      expect(order).toEqual(['free', 'full']);
    });

    it('serves the callers of one instance in arrival order', async () => {
      const k = key('fifo');
      const order: number[] = [];
      await Promise.all(Array.from({ length: 6 }, (_, i) => a.acquire(k, [{ limit: 1, windowMs: 40 }]).then(() => order.push(i))));
      expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    });

    it('holds every send of a paused key on every instance, and keeps the longest pause', async () => {
      const k = key('pause');
      const rule = { limit: 100, windowMs: 1000 };
      await a.acquire(k, [rule]);
      const paused = Date.now();
      await b.pause(k, 400);
      await b.pause(k, 50);
      await a.acquire(k, [rule]);
      expect(Date.now() - paused).toBeGreaterThanOrEqual(400 - TOLERANCE_MS);
    });

    it('does not pause for a zero or negative Retry-After, nor for other keys', async () => {
      const k = key('nopause');
      await a.pause(k, 0);
      await a.pause(k, -5);
      await a.pause(key('elsewhere'), 60_000);
      const started = Date.now();
      await b.acquire(k, [{ limit: 5, windowMs: 1000 }]);
      expect(Date.now() - started).toBeLessThan(1000);
    });

    it('refuses rules that could never allow a send', async () => {
      await expect(a.acquire(key('bad'), [{ limit: 0, windowMs: 1000 }])).rejects.toBeInstanceOf(ValidationError);
      await expect(a.acquire(key('bad'), [{ limit: 1, windowMs: 0 }])).rejects.toBeInstanceOf(ValidationError);
      await expect(a.acquire(key('bad'), [{ limit: 1.5, windowMs: 10 }])).rejects.toBeInstanceOf(ValidationError);
    });
  });
}
