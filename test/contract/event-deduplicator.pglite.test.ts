import { PostgresEventDeduplicator } from '../../src/adapters/store/prisma/postgres-event-deduplicator.js';
import { openMigratedDatabase, type TestDatabase } from '../support/databases.js';
import { waitFor } from '../support/wait-for.js';
import { eventDeduplicatorContract } from './event-deduplicator.contract.js';

// Opening a migrated PGlite costs seconds: both blocks share one, closed by the contract's cleanup (which runs last).
let shared: Promise<TestDatabase> | undefined;
const database = () => (shared ??= openMigratedDatabase('pglite'));

describe('PostgresEventDeduplicator purge on embedded PGlite', () => {
  it('deletes expired event ids when a claim comes after the purge interval', async () => {
    const { sql } = (await database()).database;
    const dedup = new PostgresEventDeduplicator(sql, { purgeEveryMs: 0 });
    await dedup.claim('purge:old-claim', 1);
    await dedup.complete('purge:old-done', 1);
    await dedup.complete('purge:kept', 60_000);
    const rows = async () => (await sql.query<{ key: string }>(`SELECT key FROM processed_events WHERE key LIKE 'purge:%'`)).map((r) => r.key);
    await waitFor(async () => {
      await dedup.claim(`purge:trigger:${Date.now()}`, 60_000);
      return !(await rows()).some((k) => k.startsWith('purge:old'));
    });
    expect(await rows()).toContain('purge:kept');
  }, 120_000);
});

// Embedded PGlite is one process; two deduplicators on its shared pool stand for two callers of it.
eventDeduplicatorContract('PostgreSQL statements on embedded PGlite', async () => {
  const test = await database();
  return { instances: [new PostgresEventDeduplicator(test.database.sql), new PostgresEventDeduplicator(test.database.sql)], cleanup: test.cleanup };
});
