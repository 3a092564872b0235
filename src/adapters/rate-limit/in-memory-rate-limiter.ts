/**
 * Sliding-window rate limiter for one process (no Redis). Each key keeps the
 * times of its recent sends; a caller waits until every rule has room.
 */
import type { RateLimiter, RateRule } from './rate-limiter.js';
import { validateRules } from './validate-rules.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class InMemoryRateLimiter implements RateLimiter {
  private readonly sends = new Map<string, number[]>();
  private readonly pausedUntil = new Map<string, number>();
  /** Callers of one key are served in arrival order. */
  private readonly queues = new Map<string, Promise<void>>();

  /**
   * @param now current time in ms; the default has sub-millisecond precision, because whole
   * milliseconds (Date.now) let a send through up to 1 ms before its window ends.
   */
  constructor(private readonly now: () => number = () => performance.timeOrigin + performance.now()) {}

  acquire(key: string, rules: readonly RateRule[]): Promise<void> {
    try {
      validateRules(rules);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const previous = this.queues.get(key) ?? Promise.resolve();
    const turn = previous.then(() => this.waitForRoom(key, rules));
    const tail = turn.catch(() => undefined);
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return turn;
  }

  async pause(key: string, ms: number): Promise<void> {
    const until = this.now() + ms;
    if ((this.pausedUntil.get(key) ?? 0) < until) this.pausedUntil.set(key, until);
  }

  private async waitForRoom(key: string, rules: readonly RateRule[]): Promise<void> {
    const longest = Math.max(0, ...rules.map((r) => r.windowMs));
    for (;;) {
      const now = this.now();
      const wait = Math.max(this.pauseLeft(key, now), this.windowWait(key, rules, now, longest));
      if (wait <= 0) {
        const times = this.sends.get(key) ?? [];
        times.push(now);
        this.sends.set(key, times);
        return;
      }
      await sleep(wait);
    }
  }

  private pauseLeft(key: string, now: number): number {
    const until = this.pausedUntil.get(key);
    if (until === undefined) return 0;
    if (until <= now) this.pausedUntil.delete(key);
    return until - now;
  }

  /** Milliseconds until every rule allows one more send. */
  private windowWait(key: string, rules: readonly RateRule[], now: number, longest: number): number {
    const times = this.sends.get(key);
    if (!times) return 0;
    while (times.length > 0 && times[0]! <= now - longest) times.shift();
    let wait = 0;
    for (const rule of rules) {
      const inWindow = countSince(times, now - rule.windowMs);
      if (inWindow < rule.limit) continue;
      // The send that must leave the window before one more fits.
      const blocking = times[times.length - rule.limit]!;
      wait = Math.max(wait, blocking + rule.windowMs - now);
    }
    return wait;
  }
}

function countSince(sorted: number[], since: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! > since) hi = mid;
    else lo = mid + 1;
  }
  return sorted.length - lo;
}
