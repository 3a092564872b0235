/**
 * Campaigns (a survey sent to an audience within a window), their
 * invitations, and the responses with their answers.
 *
 * Anonymous campaigns: a response in progress is found by a one-way
 * respondent token (never a person id); at submission the token leaves the
 * response and is kept apart, only to refuse a second submission.
 */
import type { Anonymity } from '../surveys/survey-definition.js';
import type { AnswerValue } from '../surveys/answer-rules.js';

export type CampaignStatus = 'scheduled' | 'open' | 'paused' | 'closed' | 'recurring';

export type CampaignAudience =
  | { kind: 'team'; teamId: string }
  | { kind: 'people'; personIds: string[] }
  | { kind: 'channel'; conversationId: string };

/** Recurring campaigns (check-ins): an occurrence opens at each fire time. */
export interface CampaignRecurrence {
  cron: string;
  timezone: string;
  /** Occurrences before this time are skipped. */
  from?: Date;
  /** No occurrence after this time; the schedule is removed. */
  until?: Date;
  /** How long each occurrence stays open, in hours. */
  windowHours: number;
}

export interface Campaign {
  id: string;
  surveyId: string;
  surveyVersion: number;
  /** The recurring campaign this occurrence belongs to. */
  parentId: string | null;
  teamId: string | null;
  audience: CampaignAudience;
  /** private: one question at a time in direct messages; channel: an invitation in the channel. */
  mode: 'private' | 'channel';
  status: CampaignStatus;
  /** Free label for indicator series ("baseline", "suivi"). */
  phase: string | null;
  opensAt: Date;
  closesAt: Date;
  /** Reminders to non-respondents, in hours after opening (default 72 and 120). */
  reminderOffsetsHours: number[];
  recurrence: CampaignRecurrence | null;
  anonymity: Anonymity;
  /** Person who launched it, or null (CLI). */
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface Invitation {
  campaignId: string;
  personId: string;
  /** When the invitation was sent (null: not yet). */
  invitedAt: Date | null;
  /** Reminders sent so far. */
  remindersSent: number;
}

export type ResponseStatus = 'in_progress' | 'complete';

export interface SurveyResponse {
  id: string;
  campaignId: string;
  surveyId: string;
  surveyVersion: number;
  /** Null in anonymous campaigns. */
  personId: string | null;
  /** Anonymous campaigns, while in progress only. */
  respondentToken: string | null;
  teamId: string | null;
  phase: string | null;
  status: ResponseStatus;
  /** Question last sent, for typed answers. */
  currentQuestionId: string | null;
  startedAt: Date;
  updatedAt: Date;
  submittedAt: Date | null;
}

export interface StoredAnswer {
  responseId: string;
  questionId: string;
  /** Null: an optional question the person skipped. */
  value: AnswerValue | null;
  answeredAt: Date;
}

export interface Participation {
  invited: number;
  started: number;
  completed: number;
}

export type RespondentKey = { personId: string } | { token: string };

export interface CampaignRepository {
  create(campaign: Campaign): Promise<void>;
  get(id: string): Promise<Campaign | null>;
  list(filter?: { status?: CampaignStatus[]; teamId?: string; parentId?: string }): Promise<Campaign[]>;
  /** Compare-and-set: moves to `to` only from one of `from`; true if it moved. */
  setStatus(id: string, from: CampaignStatus[], to: CampaignStatus, at: Date): Promise<boolean>;
  /** Changes the close time (pause/extend). */
  setClosesAt(id: string, closesAt: Date, at: Date): Promise<void>;

  /** Adds invitations, ignoring people already invited. */
  addInvitations(campaignId: string, personIds: string[]): Promise<void>;
  invitations(campaignId: string): Promise<Invitation[]>;
  /** Marks sent once: true only for the first call (no duplicate invitation). */
  markInvited(campaignId: string, personId: string, at: Date): Promise<boolean>;
  /** Raises remindersSent to n when it is lower: true only for the first call for this n (no duplicate reminder). */
  markReminded(campaignId: string, personId: string, n: number): Promise<boolean>;
  /** Undoes `markInvited` after a failed delivery, so a retry sends it. */
  unmarkInvited(campaignId: string, personId: string): Promise<void>;
  /** Undoes `markReminded(n)` after a failed delivery. */
  unmarkReminded(campaignId: string, personId: string, n: number): Promise<void>;
  /** Campaigns with one of these statuses where the person is invited. */
  campaignsInviting(personId: string, status: CampaignStatus[]): Promise<Campaign[]>;

  /** Starts a response, or returns the existing one for the same respondent (race-safe). */
  startResponse(response: SurveyResponse): Promise<{ response: SurveyResponse; created: boolean }>;
  getResponse(id: string): Promise<SurveyResponse | null>;
  findResponse(campaignId: string, key: RespondentKey): Promise<SurveyResponse | null>;
  /** Records (or replaces) one answer; also moves `updatedAt`. */
  saveAnswer(responseId: string, questionId: string, value: AnswerValue | null, at: Date): Promise<void>;
  answersOf(responseId: string): Promise<StoredAnswer[]>;
  setCurrentQuestion(responseId: string, questionId: string | null, at: Date): Promise<void>;
  /**
   * Marks a response complete (once: false if it already was). With
   * `submittedToken`, the token is recorded as submitted and erased from
   * the response in the same transaction; false if it was already submitted.
   */
  completeResponse(responseId: string, at: Date, submittedToken?: string): Promise<boolean>;
  hasSubmitted(campaignId: string, token: string): Promise<boolean>;
  responses(campaignId: string): Promise<SurveyResponse[]>;
  /** Answers of every response of a campaign. */
  answersOfCampaign(campaignId: string): Promise<StoredAnswer[]>;
  participation(campaignId: string): Promise<Participation>;
}
