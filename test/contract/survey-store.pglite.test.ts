import { PrismaCampaignRepository } from '../../src/adapters/store/prisma/prisma-campaign.repository.js';
import { PrismaSurveyRepository } from '../../src/adapters/store/prisma/prisma-survey.repository.js';
import { PrismaTeamRepository } from '../../src/adapters/store/prisma/prisma-team.repository.js';
import { openMigratedDatabase } from '../support/databases.js';
import { surveyStoreContract } from './survey-store.contract.js';

// One database for the whole file: opening and migrating PGlite takes seconds.
surveyStoreContract('Prisma on embedded PGlite', async () => {
  const { database, cleanup } = await openMigratedDatabase('pglite');
  return { surveys: new PrismaSurveyRepository(database.prisma), campaigns: new PrismaCampaignRepository(database.prisma), teams: new PrismaTeamRepository(database.prisma), cleanup };
});
