/**
 * Leadership on a PostgreSQL server through a session advisory lock, held on
 * a connection of its own: the server frees the lock the moment that
 * connection ends (process killed, network cut), so another instance can
 * take over without waiting for any time to live.
 *
 * Not for embedded PGlite: one data directory is served by exactly one
 * process (see database.ts), so leadership there is the in-memory lock.
 */
import pg from 'pg';
import type { LeaderLease, LeaderLock } from '../../../core/ports/leader-lock.js';
import type { Logger } from '../../../core/ports/logger.js';

export interface PostgresLeaderLockOptions {
  /** postgres:// URL of the server (the same database as the application). */
  url: string;
  logger: Logger;
  /** How often a held lock checks its connection, in ms (default 5 s). */
  checkEveryMs?: number;
  /** `application_name` of the lock connections (default "relais-leader"), visible in pg_stat_activity. */
  applicationName?: string;
}

/**
 * First key of the two-key advisory lock ("RLDR"): keeps leader locks apart
 * from other advisory locks of the database (two-key and one-key locks never
 * conflict, and the migration lock is a one-key lock).
 */
const LEADER_LOCK_CLASS = 0x524c4452;

export class PostgresLeaderLock implements LeaderLock {
  private readonly log: Logger;
  private readonly leases = new Set<PostgresLease>();

  constructor(private readonly options: PostgresLeaderLockOptions) {
    this.log = options.logger.child({ scope: 'leader-lock', store: 'postgres' });
  }

  async tryAcquire(name: string): Promise<LeaderLease | undefined> {
    const client = new pg.Client({
      connectionString: this.options.url,
      application_name: this.options.applicationName ?? 'relais-leader',
      keepAlive: true,
      connectionTimeoutMillis: 5000,
    });
    // Errors after connect are reported through 'error'; without a listener they would crash the process.
    client.on('error', () => undefined);
    await client.connect();
    let acquired = false;
    try {
      const { rows } = await client.query<{ acquired: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS acquired', [LEADER_LOCK_CLASS, name]);
      acquired = rows[0]?.acquired === true;
    } finally {
      if (!acquired) await client.end().catch(() => undefined);
    }
    if (!acquired) return undefined;
    const lease = new PostgresLease(name, client, this.options.checkEveryMs ?? 5000, this.log, () => this.leases.delete(lease));
    this.leases.add(lease);
    return lease;
  }

  /** Releases every lease still held (shutdown). */
  async close(): Promise<void> {
    await Promise.all([...this.leases].map((lease) => lease.release()));
  }
}

class PostgresLease implements LeaderLease {
  readonly lost: Promise<void>;
  private resolveLost!: () => void;
  private done = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly name: string,
    private readonly client: pg.Client,
    checkEveryMs: number,
    private readonly log: Logger,
    private readonly onEnd: () => void,
  ) {
    this.lost = new Promise<void>((resolve) => (this.resolveLost = resolve));
    client.on('error', (error: Error) => this.end(`connection error: ${error.message}`));
    client.on('end', () => this.end('connection ended'));
    // A silently dead connection (no FIN, no error) is found by a periodic round trip.
    this.timer = setInterval(() => {
      client.query('SELECT 1').catch((error: Error) => this.end(`connection check failed: ${error.message}`));
    }, checkEveryMs);
    this.timer.unref();
  }

  async release(): Promise<void> {
    if (this.done) return;
    this.finish();
    // Ending the session frees the lock even if the unlock fails.
    await this.client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LEADER_LOCK_CLASS, this.name]).catch(() => undefined);
    await this.client.end().catch(() => undefined);
  }

  private end(reason: string): void {
    if (this.done) return;
    this.log.warn({ lock: this.name, reason }, 'leadership lost');
    this.finish();
    void this.client.end().catch(() => undefined);
  }

  private finish(): void {
    this.done = true;
    clearInterval(this.timer);
    this.onEnd();
    this.resolveLost();
  }
}
