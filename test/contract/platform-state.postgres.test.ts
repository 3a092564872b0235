import { tmpdir } from 'node:os';
import { openDatabase } from '../../src/adapters/store/prisma/database.js';
import { PrismaPlatformStateStore } from '../../src/adapters/store/prisma/prisma-platform-state.store.js';
import { openMigratedDatabase } from '../support/databases.js';
import { describeWith, postgresAvailability } from '../support/services.js';
import { platformStateContract } from './platform-state.contract.js';

describeWith('PostgreSQL', await postgresAvailability())('PostgreSQL server', () => {
  // Two Prisma clients on one database: two instances of the bot.
  platformStateContract('Prisma on PostgreSQL, two clients', async () => {
    const first = await openMigratedDatabase('postgres');
    const second = await openDatabase({ url: first.location, dataDir: tmpdir() });
    return {
      instances: [new PrismaPlatformStateStore(first.database.prisma), new PrismaPlatformStateStore(second.prisma)],
      async cleanup() {
        await second.close();
        await first.cleanup();
      },
    };
  });
});
