/**
 * Published survey definitions, by id and version. A definition whose
 * content changed gets a new version; answers keep the version they answered.
 */
import type { PublishedSurvey, SurveyDefinition } from '../surveys/survey-definition.js';

export interface PublishOutcome {
  survey: PublishedSurvey;
  /** False when the latest stored version already had this content. */
  created: boolean;
}

export interface SurveyRepository {
  /**
   * Stores `definition` unless the latest version has the same content hash.
   * A new version is max(latest + 1, declared version). Safe when several
   * processes publish the same file at once.
   */
  publish(definition: SurveyDefinition, contentHash: string, at: Date): Promise<PublishOutcome>;
  get(surveyId: string, version: number): Promise<PublishedSurvey | null>;
  latest(surveyId: string): Promise<PublishedSurvey | null>;
  /** The latest version of every survey, by id. */
  listLatest(): Promise<PublishedSurvey[]>;
}
