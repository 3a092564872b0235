/** Every repository on Prisma Client (PGlite or PostgreSQL). */
import type { Repositories } from '../../../core/ports/repositories.js';
import type { PrismaClient } from '../../../generated/prisma/client.js';
import { PrismaAnswerRepository } from './prisma-answer.repository.js';
import { PrismaAuditLog } from './prisma-audit-log.js';
import { PrismaCorpusRepository } from './prisma-corpus.repository.js';
import { PrismaConversationRepository } from './prisma-conversation.repository.js';
import { PrismaJobStore } from './prisma-job.store.js';
import { PrismaMessageRepository } from './prisma-message.repository.js';
import { PrismaPersonRepository } from './prisma-person.repository.js';
import { PrismaSurveyRepository } from './prisma-survey.repository.js';
import { PrismaCampaignRepository } from './prisma-campaign.repository.js';
import { PrismaTeamRepository } from './prisma-team.repository.js';

export function createPrismaRepositories(prisma: PrismaClient): Repositories {
  return {
    people: new PrismaPersonRepository(prisma),
    conversations: new PrismaConversationRepository(prisma),
    messages: new PrismaMessageRepository(prisma),
    audit: new PrismaAuditLog(prisma),
    jobs: new PrismaJobStore(prisma),
    corpus: new PrismaCorpusRepository(prisma),
    answers: new PrismaAnswerRepository(prisma),
    surveys: new PrismaSurveyRepository(prisma),
    campaigns: new PrismaCampaignRepository(prisma),
    teams: new PrismaTeamRepository(prisma),
  };
}
