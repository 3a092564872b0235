/** Every repository in memory: unit tests, benchmarks and `DATABASE_URL=memory://`. */
import type { Repositories } from '../../core/ports/repositories.js';
import { InMemoryAnswerRepository } from './in-memory-answer.repository.js';
import { InMemoryAuditLog } from './in-memory-audit-log.js';
import { InMemoryCorpusRepository } from './in-memory-corpus.repository.js';
import { InMemoryConversationRepository } from './in-memory-conversation.repository.js';
import { InMemoryJobStore } from './in-memory-job.store.js';
import { InMemoryMessageRepository } from './in-memory-message.repository.js';
import { InMemoryPersonRepository } from './in-memory-person.repository.js';
import { InMemorySurveyRepository } from './in-memory-survey.repository.js';
import { InMemoryCampaignRepository } from './in-memory-campaign.repository.js';
import { InMemoryTeamRepository } from './in-memory-team.repository.js';

export function createInMemoryRepositories(): Repositories {
  return {
    people: new InMemoryPersonRepository(),
    conversations: new InMemoryConversationRepository(),
    messages: new InMemoryMessageRepository(),
    audit: new InMemoryAuditLog(),
    jobs: new InMemoryJobStore(),
    corpus: new InMemoryCorpusRepository(),
    answers: new InMemoryAnswerRepository(),
    surveys: new InMemorySurveyRepository(),
    campaigns: new InMemoryCampaignRepository(),
    teams: new InMemoryTeamRepository(),
  };
}
