import type { PublishOutcome, SurveyRepository } from '../../core/ports/survey-repository.js';
import type { PublishedSurvey, SurveyDefinition } from '../../core/surveys/survey-definition.js';

export class InMemorySurveyRepository implements SurveyRepository {
  private readonly versions = new Map<string, PublishedSurvey[]>();

  async publish(definition: SurveyDefinition, contentHash: string, at: Date): Promise<PublishOutcome> {
    const list = this.versions.get(definition.id) ?? [];
    const latest = list.at(-1);
    if (latest && latest.contentHash === contentHash) return { survey: structuredClone(latest), created: false };
    const version = Math.max(latest ? latest.version + 1 : 1, definition.version);
    const survey: PublishedSurvey = { definition: structuredClone({ ...definition, version }), version, contentHash, publishedAt: at };
    list.push(survey);
    this.versions.set(definition.id, list);
    return { survey: structuredClone(survey), created: true };
  }

  async get(surveyId: string, version: number): Promise<PublishedSurvey | null> {
    const found = this.versions.get(surveyId)?.find((s) => s.version === version);
    return found ? structuredClone(found) : null;
  }

  async latest(surveyId: string): Promise<PublishedSurvey | null> {
    const found = this.versions.get(surveyId)?.at(-1);
    return found ? structuredClone(found) : null;
  }

  async listLatest(): Promise<PublishedSurvey[]> {
    return [...this.versions.keys()].sort().map((id) => structuredClone(this.versions.get(id)!.at(-1)!));
  }
}
