import { PrismaCampaignRepository } from '../../src/adapters/store/prisma/prisma-campaign.repository.js';
import { PrismaSurveyRepository } from '../../src/adapters/store/prisma/prisma-survey.repository.js';
import { PrismaTeamRepository } from '../../src/adapters/store/prisma/prisma-team.repository.js';
import { openMigratedDatabase } from '../support/databases.js';
import { describeWith, postgresAvailability } from '../support/services.js';
import { surveyStoreContract } from './survey-store.contract.js';

describeWith('PostgreSQL', await postgresAvailability())('PostgreSQL server', () => {
  surveyStoreContract('Prisma on PostgreSQL', async () => {
    const { database, cleanup } = await openMigratedDatabase('postgres');
    return { surveys: new PrismaSurveyRepository(database.prisma), campaigns: new PrismaCampaignRepository(database.prisma), teams: new PrismaTeamRepository(database.prisma), cleanup };
  });
});
