import { PrismaPlatformStateStore } from '../../src/adapters/store/prisma/prisma-platform-state.store.js';
import { openMigratedDatabase } from '../support/databases.js';
import { platformStateContract } from './platform-state.contract.js';

platformStateContract('Prisma on embedded PGlite', async () => {
  const { database, cleanup } = await openMigratedDatabase('pglite');
  return { instances: [new PrismaPlatformStateStore(database.prisma), new PrismaPlatformStateStore(database.prisma)], cleanup };
});
