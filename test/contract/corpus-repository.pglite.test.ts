import { PrismaCorpusRepository } from '../../src/adapters/store/prisma/prisma-corpus.repository.js';
import { openMigratedDatabase } from '../support/databases.js';
import { corpusRepositoryContract } from './corpus-repository.contract.js';

// One database for the whole file: opening and migrating PGlite takes seconds.
corpusRepositoryContract('Prisma on embedded PGlite', async () => {
  const { database, cleanup } = await openMigratedDatabase('pglite');
  return { corpus: new PrismaCorpusRepository(database.prisma), cleanup };
});
