import { PrismaDigestDeliveryStore } from '../../src/adapters/store/prisma/prisma-digest-delivery.store.js';
import { openMigratedDatabase } from '../support/databases.js';
import { digestDeliveryContract } from './digest-delivery.contract.js';

digestDeliveryContract('Prisma on embedded PGlite', async () => {
  const { database, cleanup } = await openMigratedDatabase('pglite');
  return { instances: [new PrismaDigestDeliveryStore(database.prisma), new PrismaDigestDeliveryStore(database.prisma)], cleanup };
});
