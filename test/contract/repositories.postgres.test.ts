import { createPrismaRepositories } from '../../src/adapters/store/prisma/create-prisma-repositories.js';
import { openMigratedDatabase } from '../support/databases.js';
import { describeWith, postgresAvailability } from '../support/services.js';
import { repositoriesContract } from './repositories.contract.js';

describeWith('PostgreSQL', await postgresAvailability())('PostgreSQL server', () => {
  repositoriesContract('Prisma on PostgreSQL', async () => {
    const { database, cleanup } = await openMigratedDatabase('postgres');
    return { repositories: createPrismaRepositories(database.prisma), cleanup };
  });
});
