import type { LeaderLease, LeaderLock } from '../../core/ports/leader-lock.js';

/** Leadership within one process (embedded mode has a single instance by construction). */
export class InMemoryLeaderLock implements LeaderLock {
  /** The holder of each name; a lease frees its name only while it still holds it. */
  private readonly held = new Map<string, symbol>();

  async tryAcquire(name: string): Promise<LeaderLease | undefined> {
    if (this.held.has(name)) return undefined;
    const token = Symbol(name);
    this.held.set(name, token);
    let resolveLost!: () => void;
    const lost = new Promise<void>((resolve) => (resolveLost = resolve));
    return {
      lost,
      release: async () => {
        if (this.held.get(name) === token) this.held.delete(name);
        resolveLost();
      },
    };
  }
}
