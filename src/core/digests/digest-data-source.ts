/**
 * What the digest needs from storage, as a port the survey repositories
 * implement (`PrismaDigestDataSource`, an in-memory one for tests). The
 * digest never reads people: submissions come without person ids, and
 * coordinators are addressed by the person ids the source returns.
 */
import type { Locale } from '../i18n/locale.js';
import type { OutboundMessage } from '../messages/outbound.js';
import type { SubmissionData } from '../surveys/analysis/answer-data.js';
import type { DigestIndicatorQuestion, DigestParticipation } from './digest-builder.js';

export interface DigestTeam {
  id: string;
  name: string;
  /** IANA time zone of the team (weeks, dates). */
  timezone: string;
  /** Person ids of the team's coordinators (the digest's recipients). */
  coordinatorPersonIds: string[];
}

export interface DigestData {
  team: DigestTeam;
  /** k in force for this team's anonymous surveys (the largest k among them; 5 by default). */
  minGroupSize: number;
  /** One line per campaign of the team that was open during the period. */
  participation: DigestParticipation[];
  /**
   * Check-in submissions of the whole experimentation so far, of this team
   * and of the other teams (they feed the "all teams" line); may be empty.
   */
  checkins: SubmissionData[];
  /** Numeric and scale check-in questions to show, with their labels. */
  indicatorQuestions: DigestIndicatorQuestion[];
  /** Submissions of the team's `irritants` campaigns (all of them, not only the period's). */
  irritants: SubmissionData[];
  /** Text questions of check-ins whose answers may be quoted as comments (e.g. `commentaire`). */
  commentQuestionIds: string[];
  /** Phase names compared by the deltas (defaults `baseline`, `follow-up`). */
  phases?: { baseline: string; followUp: string };
}

export interface DigestDataSource {
  /** The team's digest data, or `null` when the team does not exist. */
  load(teamId: string, period: { from: Date; to: Date }): Promise<DigestData | null>;
  /**
   * Claims the delivery of the digest `periodKey` to one coordinator
   * (atomic insert-if-absent); false when it was already claimed, so a
   * retried or re-fired job never sends the same digest twice.
   */
  claimDelivery(teamId: string, periodKey: string, personId: string): Promise<boolean>;
  /** Releases a claim after a failed delivery, so the next try sends it. */
  releaseDelivery(teamId: string, periodKey: string, personId: string): Promise<void>;
}

/** How the digest reaches a person: `ProactiveMessenger` fits (quiet hours and rate limits are its business). */
export interface DigestSender {
  sendToPerson(
    personId: string,
    source: (locale: Locale) => OutboundMessage,
  ): Promise<Array<{ delivered: boolean; error?: string }>>;
}
