import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createSilentLogger } from '../../src/adapters/log/pino-logger.js';
import { PostgresLeaderLock } from '../../src/adapters/store/prisma/postgres-leader-lock.js';
import { createPostgresDatabase } from '../support/databases.js';
import { describeWith, postgresAvailability } from '../support/services.js';
import { leaderLockContract } from './leader-lock.contract.js';

describeWith('PostgreSQL', await postgresAvailability())('PostgreSQL server', () => {
  leaderLockContract('session advisory lock', async () => {
    const created = await createPostgresDatabase();
    const admin = new pg.Client({ connectionString: created.url });
    await admin.connect();
    const locks: PostgresLeaderLock[] = [];
    return {
      async instance() {
        // Each instance names its connections, so a crash can cut exactly them.
        const applicationName = `relais-leader-test-${randomBytes(4).toString('hex')}`;
        const lock = new PostgresLeaderLock({ url: created.url, logger: createSilentLogger(), applicationName, checkEveryMs: 200 });
        locks.push(lock);
        return {
          lock,
          async crash() {
            await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
          },
        };
      },
      holdMs: 600,
      takeoverMs: 5000,
      async cleanup() {
        for (const lock of locks) await lock.close();
        await admin.end();
        await created.drop();
      },
    };
  });
});
