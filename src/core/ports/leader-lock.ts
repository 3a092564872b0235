/**
 * Leadership among instances for work only one may do at a time (the Matrix
 * sync loop). The holder keeps it while alive; if it dies, another instance
 * takes over within the lock's time to live.
 */
export interface LeaderLease {
  /** Resolves when leadership is lost (another holder, store unreachable). */
  readonly lost: Promise<void>;
  /** Gives leadership up. */
  release(): Promise<void>;
}

export interface LeaderLock {
  /** Tries once; undefined when another instance holds `name`. */
  tryAcquire(name: string): Promise<LeaderLease | undefined>;
}
