import type { PublishOutcome, SurveyRepository } from '../../../core/ports/survey-repository.js';
import type { PublishedSurvey, SurveyDefinition } from '../../../core/surveys/survey-definition.js';
import { Prisma, type PrismaClient } from '../../../generated/prisma/client.js';
import { toJson } from './json.js';

interface Row {
  surveyId: string;
  version: number;
  contentHash: string;
  definition: unknown;
  publishedAt: Date;
}

const toPublished = (row: Row): PublishedSurvey => ({
  definition: row.definition as SurveyDefinition,
  version: row.version,
  contentHash: row.contentHash,
  publishedAt: row.publishedAt,
});

export class PrismaSurveyRepository implements SurveyRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async publish(definition: SurveyDefinition, contentHash: string, at: Date): Promise<PublishOutcome> {
    // Two processes publishing the same file race on the primary key: the loser reads the winner's row.
    for (let attempt = 0; attempt < 3; attempt++) {
      const latest = await this.latest(definition.id);
      if (latest && latest.contentHash === contentHash) return { survey: latest, created: false };
      const version = Math.max(latest ? latest.version + 1 : 1, definition.version);
      try {
        const row = await this.prisma.surveyDefinition.create({
          data: { surveyId: definition.id, version, contentHash, definition: toJson({ ...definition, version }), publishedAt: at },
        });
        return { survey: toPublished(row), created: true };
      } catch (error) {
        if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')) throw error;
      }
    }
    throw new Error(`survey ${definition.id}: could not publish after concurrent writes`);
  }

  async get(surveyId: string, version: number): Promise<PublishedSurvey | null> {
    const row = await this.prisma.surveyDefinition.findUnique({ where: { surveyId_version: { surveyId, version } } });
    return row ? toPublished(row) : null;
  }

  async latest(surveyId: string): Promise<PublishedSurvey | null> {
    const row = await this.prisma.surveyDefinition.findFirst({ where: { surveyId }, orderBy: { version: 'desc' } });
    return row ? toPublished(row) : null;
  }

  async listLatest(): Promise<PublishedSurvey[]> {
    const rows = await this.prisma.surveyDefinition.findMany({ orderBy: [{ surveyId: 'asc' }, { version: 'desc' }], distinct: ['surveyId'] });
    return rows.map(toPublished);
  }
}
