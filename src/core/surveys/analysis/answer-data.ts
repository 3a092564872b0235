/**
 * Data contract between the survey engine (which stores answers) and the
 * analysis functions (aggregates, irritants ranking, indicators, digests).
 *
 * These shapes deliberately carry no person identifier: analysis works on
 * submissions only, so anonymous campaigns can be analysed with exactly the
 * same code as named ones without any risk of leaking who answered what.
 */

/** One answer to one question, as given in a submission. */
export interface AnsweredQuestion {
  /** Question id, as declared in the survey definition. */
  questionId: string;
  /** Question type, as declared in the survey definition. */
  type: 'single' | 'multi' | 'scale' | 'number' | 'text';
  /**
   * The answer: an option value (`single`), a list of option values
   * (`multi`), a number (`scale`, `number`) or free text (`text`).
   */
  value: string | string[] | number;
}

/** One person's submission to a campaign, stripped of any person identifier. */
export interface SubmissionData {
  /** Stable id of the submission (never derived from the person). */
  submissionId: string;
  /** Survey id, e.g. `irritants`. */
  surveyId: string;
  /** Version of the survey definition this submission answered. */
  surveyVersion: number;
  /** Campaign the submission belongs to. */
  campaignId: string;
  /** Team the campaign audience belongs to, when known. */
  teamId: string | null;
  /** Experimentation phase (e.g. `baseline`, `follow-up`), when known. */
  phase: string | null;
  /** When the submission was (last) submitted or, for partial ones, last answered. */
  submittedAt: Date;
  /** True once every required question has been answered and the submission sent. */
  complete: boolean;
  /** Answers given so far, in question order. */
  answers: AnsweredQuestion[];
}
