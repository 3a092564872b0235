/**
 * Exactly-once handling of platform events on PostgreSQL (embedded PGlite or
 * a server), for deployments without Redis. One row per event id in
 * `processed_events`; every decision is one statement, so concurrent
 * instances cannot both claim an event, and times come from the database
 * clock, so instances with drifting clocks agree on when a lease ends.
 */
import type { ClaimResult, EventDeduplicator } from '../../../core/ports/event-deduplicator.js';
import type { SqlExecutor } from './sql-executor.js';

export interface PostgresEventDeduplicatorOptions {
  /** How often a claim also deletes expired rows, in ms (default 10 minutes; 0 = at every claim). */
  purgeEveryMs?: number;
  /** Local clock for the purge cadence only (default Date.now). */
  now?: () => number;
}

// Insert the claim, or take over a row whose lease or memory has expired.
// Under READ COMMITTED a concurrent insert of the same key waits for the
// other transaction, then re-checks the WHERE clause on the committed row:
// exactly one caller sees a returned row.
const CLAIM = `
INSERT INTO processed_events (key, state, expires_at)
VALUES ($1, 'claimed', now() + $2::double precision * interval '1 millisecond')
ON CONFLICT (key) DO UPDATE SET state = 'claimed', expires_at = EXCLUDED.expires_at
  WHERE processed_events.expires_at <= now()
RETURNING key`;

const COMPLETE = `
INSERT INTO processed_events (key, state, expires_at)
VALUES ($1, 'done', now() + $2::double precision * interval '1 millisecond')
ON CONFLICT (key) DO UPDATE SET state = 'done', expires_at = EXCLUDED.expires_at`;

const RELEASE = `DELETE FROM processed_events WHERE key = $1 AND state = 'claimed'`;

const PURGE = `DELETE FROM processed_events WHERE expires_at <= now()`;

export class PostgresEventDeduplicator implements EventDeduplicator {
  private readonly purgeEveryMs: number;
  private readonly now: () => number;
  private lastPurge: number;

  constructor(
    private readonly sql: SqlExecutor,
    options: PostgresEventDeduplicatorOptions = {},
  ) {
    this.purgeEveryMs = options.purgeEveryMs ?? 10 * 60 * 1000;
    this.now = options.now ?? Date.now;
    // The first claim of a process purges: a restarted instance clears what piled up while it was down.
    this.lastPurge = Number.NEGATIVE_INFINITY;
  }

  async claim(key: string, leaseMs: number): Promise<ClaimResult> {
    const rows = await this.sql.query(CLAIM, [key, leaseMs]);
    if (this.now() - this.lastPurge >= this.purgeEveryMs) {
      this.lastPurge = this.now();
      // Storage limitation: expired event ids are deleted here rather than by the nightly job;
      // a failed purge is retried at the next cadence and never fails the claim.
      await this.purgeExpired().catch(() => {
        this.lastPurge = Number.NEGATIVE_INFINITY;
      });
    }
    return rows.length > 0 ? 'claimed' : 'duplicate';
  }

  async complete(key: string, keepMs: number): Promise<void> {
    await this.sql.query(COMPLETE, [key, keepMs]);
  }

  async release(key: string): Promise<void> {
    await this.sql.query(RELEASE, [key]);
  }

  /** Deletes every expired row; returns how many. */
  async purgeExpired(): Promise<number> {
    const rows = await this.sql.query<{ n: number }>(`WITH gone AS (${PURGE} RETURNING 1) SELECT count(*)::int AS n FROM gone`);
    return rows[0]?.n ?? 0;
  }
}
