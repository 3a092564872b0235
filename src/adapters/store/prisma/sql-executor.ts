/**
 * The few raw SQL operations the data layer needs outside Prisma Client
 * (migrations, health, schema checks), over `pg` — a PostgreSQL server or
 * the embedded PGlite served on its local socket.
 */
import type pg from 'pg';

export interface SqlExecutor {
  /** One parameterised statement. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** A script of several statements, no parameters. */
  exec(script: string): Promise<void>;
  /** Runs `work` in one transaction on one connection; rolls back if it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

function clientExecutor(client: pg.PoolClient): SqlExecutor {
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      return (await client.query(sql, params)).rows as T[];
    },
    async exec(script) {
      // No parameters: pg uses the simple query protocol, which accepts several statements.
      await client.query(script);
    },
    transaction: (work) => work(clientExecutor(client)),
  };
}

export function poolExecutor(pool: pg.Pool): SqlExecutor {
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      return (await pool.query(sql, params)).rows as T[];
    },
    async exec(script) {
      await pool.query(script);
    },
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(clientExecutor(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
  };
}
