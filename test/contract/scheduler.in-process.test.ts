import { createSilentLogger } from '../../src/adapters/log/pino-logger.js';
import { InMemoryJobStore } from '../../src/adapters/memory/in-memory-job.store.js';
import { PrismaJobStore } from '../../src/adapters/store/prisma/prisma-job.store.js';
import { InProcessScheduler } from '../../src/jobs/in-process-scheduler.js';
import { openMigratedDatabase } from '../support/databases.js';
import { schedulerContract } from './scheduler.contract.js';

schedulerContract('in-process runner, in-memory store', async () => {
  const store = new InMemoryJobStore();
  return {
    store,
    createScheduler: () => new InProcessScheduler({ store, logger: createSilentLogger() }),
    cleanup: async () => undefined,
  };
});

schedulerContract('in-process runner, PGlite store', async () => {
  const { database, cleanup } = await openMigratedDatabase('pglite');
  const store = new PrismaJobStore(database.prisma);
  return { store, createScheduler: () => new InProcessScheduler({ store, logger: createSilentLogger() }), cleanup };
});
