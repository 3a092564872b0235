import { tmpdir } from 'node:os';
import { openDatabase } from '../../src/adapters/store/prisma/database.js';
import { PrismaDigestDeliveryStore } from '../../src/adapters/store/prisma/prisma-digest-delivery.store.js';
import { openMigratedDatabase } from '../support/databases.js';
import { describeWith, postgresAvailability } from '../support/services.js';
import { digestDeliveryContract } from './digest-delivery.contract.js';

describeWith('PostgreSQL', await postgresAvailability())('PostgreSQL server', () => {
  // Two Prisma clients on one database: two instances of the bot.
  digestDeliveryContract('Prisma on PostgreSQL, two clients', async () => {
    const first = await openMigratedDatabase('postgres');
    const second = await openDatabase({ url: first.location, dataDir: tmpdir() });
    return {
      instances: [new PrismaDigestDeliveryStore(first.database.prisma), new PrismaDigestDeliveryStore(second.prisma)],
      async cleanup() {
        await second.close();
        await first.cleanup();
      },
    };
  });
});
