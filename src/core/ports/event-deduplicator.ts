/**
 * Exactly-once handling of platform events that may be delivered several
 * times (Slack retries, Teams redeliveries, Matrix replays after a restart),
 * across every running instance.
 *
 * A delivery is first *claimed* for a short lease while it is handled, then
 * *completed* (remembered for a long time). A redelivery during the lease or
 * after completion is a duplicate; a redelivery after a lease expired without
 * completion (the instance crashed mid-way) is handled again — a retry may be
 * the only delivery left.
 */
export type ClaimResult = 'claimed' | 'duplicate';

export interface EventDeduplicator {
  /** Claims `key` (e.g. "slack:Ev0123") for `leaseMs` milliseconds. */
  claim(key: string, leaseMs: number): Promise<ClaimResult>;
  /** Marks `key` handled; redeliveries within `keepMs` milliseconds are duplicates. */
  complete(key: string, keepMs: number): Promise<void>;
  /** Gives a claim back (handling failed before anything was sent): the next delivery is handled. */
  release(key: string): Promise<void>;
}

/** How long handled event ids are remembered: Slack's last retry comes about 5 minutes later. */
export const DEDUP_KEEP_MS = 24 * 60 * 60 * 1000;
/** How long a claim protects an event being handled before another instance may take it over. */
export const DEDUP_LEASE_MS = 2 * 60 * 1000;
