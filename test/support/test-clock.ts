/**
 * A clock for tests that runs at real speed from a chosen start and can be
 * moved forward (quiet hours, reminder delays, weekly digests), while job
 * runners and timers keep working in real time.
 */
export class TestClock {
  private offset = 0;
  private readonly origin = Date.now();

  constructor(private readonly start: number) {}

  now = (): Date => new Date(this.start + (Date.now() - this.origin) + this.offset);

  advance(ms: number): void {
    this.offset += ms;
  }
}
