import { InMemoryCampaignRepository } from '../../src/adapters/memory/in-memory-campaign.repository.js';
import { InMemorySurveyRepository } from '../../src/adapters/memory/in-memory-survey.repository.js';
import { InMemoryTeamRepository } from '../../src/adapters/memory/in-memory-team.repository.js';
import { surveyStoreContract } from './survey-store.contract.js';

surveyStoreContract('in-memory', async () => ({
  surveys: new InMemorySurveyRepository(),
  campaigns: new InMemoryCampaignRepository(),
  teams: new InMemoryTeamRepository(),
  cleanup: async () => undefined,
}));
