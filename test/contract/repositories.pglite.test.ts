import { createPrismaRepositories } from '../../src/adapters/store/prisma/create-prisma-repositories.js';
import { openMigratedDatabase } from '../support/databases.js';
import { repositoriesContract } from './repositories.contract.js';

repositoriesContract('Prisma on embedded PGlite', async () => {
  const { database, cleanup } = await openMigratedDatabase('pglite');
  return { repositories: createPrismaRepositories(database.prisma), cleanup };
});
