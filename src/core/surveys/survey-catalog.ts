/**
 * The surveys this instance offers: definitions loaded from files are
 * published at start (a changed file gets a new version), then read from
 * the store, so a campaign always finds the exact version it was launched
 * with.
 */
import { NotFoundError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { SurveyRepository } from '../ports/survey-repository.js';
import { contentHash, type PublishedSurvey, type SurveyDefinition } from './survey-definition.js';

export class SurveyCatalog {
  constructor(
    private readonly store: SurveyRepository,
    private readonly clock: Clock,
  ) {}

  /** Publishes each definition; returns the ones that got a new version. */
  async publishAll(definitions: SurveyDefinition[]): Promise<PublishedSurvey[]> {
    const created: PublishedSurvey[] = [];
    for (const definition of definitions) {
      const outcome = await this.store.publish(definition, contentHash(definition), this.clock.now());
      if (outcome.created) created.push(outcome.survey);
    }
    return created;
  }

  async latest(surveyId: string): Promise<PublishedSurvey> {
    const survey = await this.store.latest(surveyId);
    if (!survey) throw new NotFoundError('survey.not_found', `no survey "${surveyId}"`, { surveyId });
    return survey;
  }

  async version(surveyId: string, version: number): Promise<PublishedSurvey> {
    const survey = await this.store.get(surveyId, version);
    if (!survey) throw new NotFoundError('survey.not_found', `no survey "${surveyId}" version ${version}`, { surveyId, version });
    return survey;
  }

  list(): Promise<PublishedSurvey[]> {
    return this.store.listLatest();
  }
}
