import type { ClaimResult, EventDeduplicator } from '../../core/ports/event-deduplicator.js';
import type { Clock } from '../../core/ports/clock.js';
import { systemClock } from '../../core/ports/clock.js';

/** One process only: for local mode and unit tests (several instances need PostgreSQL or Redis). */
export class InMemoryEventDeduplicator implements EventDeduplicator {
  private readonly entries = new Map<string, { until: number; done: boolean }>();

  constructor(private readonly clock: Clock = systemClock) {}

  async claim(key: string, leaseMs: number): Promise<ClaimResult> {
    const now = this.clock.now().getTime();
    const entry = this.entries.get(key);
    if (entry && entry.until > now) return 'duplicate';
    this.entries.set(key, { until: now + leaseMs, done: false });
    if (this.entries.size > 50_000) this.sweep(now);
    return 'claimed';
  }

  async complete(key: string, keepMs: number): Promise<void> {
    this.entries.set(key, { until: this.clock.now().getTime() + keepMs, done: true });
  }

  async release(key: string): Promise<void> {
    const entry = this.entries.get(key);
    if (entry && !entry.done) this.entries.delete(key);
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.entries) if (entry.until <= now) this.entries.delete(key);
  }
}
