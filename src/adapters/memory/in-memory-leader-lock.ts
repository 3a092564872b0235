import type { LeaderLease, LeaderLock } from '../../core/ports/leader-lock.js';

/** Leadership within one process (embedded mode has a single instance by construction). */
export class InMemoryLeaderLock implements LeaderLock {
  private readonly held = new Set<string>();

  async tryAcquire(name: string): Promise<LeaderLease | undefined> {
    if (this.held.has(name)) return undefined;
    this.held.add(name);
    let resolveLost!: () => void;
    const lost = new Promise<void>((resolve) => (resolveLost = resolve));
    return {
      lost,
      release: async () => {
        this.held.delete(name);
        resolveLost();
      },
    };
  }
}
