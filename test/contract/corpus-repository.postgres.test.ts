import { PrismaCorpusRepository } from '../../src/adapters/store/prisma/prisma-corpus.repository.js';
import { openMigratedDatabase } from '../support/databases.js';
import { describeWith, postgresAvailability } from '../support/services.js';
import { corpusRepositoryContract } from './corpus-repository.contract.js';

describeWith('PostgreSQL', await postgresAvailability())('PostgreSQL server', () => {
  corpusRepositoryContract('Prisma on PostgreSQL', async () => {
    const { database, cleanup } = await openMigratedDatabase('postgres');
    return { corpus: new PrismaCorpusRepository(database.prisma), cleanup };
  });
});
