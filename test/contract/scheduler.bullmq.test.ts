import { createSilentLogger } from '../../src/adapters/log/pino-logger.js';
import { PrismaJobStore } from '../../src/adapters/store/prisma/prisma-job.store.js';
import { BullMqScheduler } from '../../src/jobs/bullmq-scheduler.js';
import { openMigratedDatabase } from '../support/databases.js';
import { deleteRedisPrefix, uniqueRedisPrefix } from '../support/redis.js';
import { describeWith, postgresAvailability, redisAvailability, TEST_REDIS_URL } from '../support/services.js';
import { schedulerContract } from './scheduler.contract.js';

const [redis, postgres] = await Promise.all([redisAvailability(), postgresAvailability()]);
const both = redis.ok && postgres.ok ? redis : { ok: false, reason: [redis, postgres].filter((a) => !a.ok).map((a) => a.reason).join('; ') };

describeWith('Redis + PostgreSQL', both)('BullMQ on the real Redis', () => {
  schedulerContract('BullMQ runner, PostgreSQL store', async () => {
    const { database, cleanup } = await openMigratedDatabase('postgres');
    const store = new PrismaJobStore(database.prisma);
    const prefix = uniqueRedisPrefix();
    return {
      store,
      createScheduler: () => new BullMqScheduler({ redisUrl: TEST_REDIS_URL, prefix, store, logger: createSilentLogger(), reconcileEveryMs: 500 }),
      async cleanup() {
        await cleanup();
        await deleteRedisPrefix(prefix);
      },
    };
  });
});
