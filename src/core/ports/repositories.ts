/**
 * Persistence ports. Implementations: `adapters/memory` (tests, local mode,
 * benchmarks) and `adapters/store/prisma` (PGlite or PostgreSQL); one
 * contract suite (`test/contract/repositories.contract.ts`) runs on all.
 */
import type { ConversationKind, PlatformName } from '../messages/conversation-ref.js';
import type { OutboundMessage } from '../messages/outbound.js';
import type { Recurrence } from './scheduler.js';
import type { Locale } from '../i18n/locale.js';
import type { AnswerRepository } from './answer-repository.js';
import type { CorpusRepository } from './corpus-repository.js';
import type { SurveyRepository } from './survey-repository.js';
import type { CampaignRepository } from './campaign-repository.js';
import type { TeamRepository } from './team-repository.js';

export type { Locale };

// ---------------------------------------------------------------- people


/** A person known by a pseudonymous id only (see `core/privacy/pseudonymizer.ts`). */
export interface Person {
  id: string;
  /** Chosen interface language; null means the instance default. */
  locale: Locale | null;
  /** When the AI disclosure was shown to this person (AI Act art. 50); null before. */
  disclosedAt: Date | null;
  createdAt: Date;
}

/** One platform identity of a person. */
export interface PlatformAccount {
  /** HMAC of platform + external id: the lookup key, not reversible. */
  accountKey: string;
  platform: PlatformName;
  personId: string;
  /** Platform user id encrypted with the instance secret (needed for proactive DMs). */
  sealedExternalId: string;
  createdAt: Date;
}

export interface PersonRepository {
  /**
   * Returns the person owning `accountKey`, creating the person and account
   * on first contact. Safe under concurrent calls for the same account.
   */
  resolveAccount(account: Omit<PlatformAccount, 'createdAt'>): Promise<Person>;
  /** The person owning an account, without creating anything. */
  findByAccount(accountKey: string): Promise<Person | null>;
  get(personId: string): Promise<Person | null>;
  accountsOf(personId: string): Promise<PlatformAccount[]>;
  setLocale(personId: string, locale: Locale | null): Promise<void>;
  /** Marks the disclosure as shown; true only for the call that set it first. */
  markDisclosed(personId: string, at: Date): Promise<boolean>;
}

// ---------------------------------------------------------------- conversations

export interface Conversation {
  /** HMAC-derived id, stable for a platform conversation. */
  id: string;
  platform: PlatformName;
  kind: ConversationKind;
  /**
   * The platform reference (`ConversationRef`), sealed with the instance
   * secret: platform ids (a web user id, a Teams 1:1 id) can identify a
   * person, so they are not stored in clear.
   */
  sealedRef: string;
  /** When the bot greeted this conversation (install/join); null before. */
  greetedAt: Date | null;
  createdAt: Date;
  lastActivityAt: Date;
}

export interface ConversationRepository {
  /** Creates or refreshes (sealed ref, last activity) the conversation with this id. */
  upsert(id: string, conversation: Pick<Conversation, 'platform' | 'kind' | 'sealedRef'>, at: Date): Promise<Conversation>;
  get(id: string): Promise<Conversation | null>;
  /** Marks the greeting as sent; true only for the call that set it first. */
  markGreeted(id: string, at: Date): Promise<boolean>;
}

// ---------------------------------------------------------------- messages

/** What is stored of a message: inbound text or action, or an outbound neutral message. */
export type StoredContent =
  | { kind: 'text'; text: string }
  | { kind: 'action'; actionId: string; value: unknown }
  | { kind: 'joined' }
  | { kind: 'outbound'; message: OutboundMessage };

export interface StoredMessage {
  id: string;
  /** Opaque increasing position, usable as a delivery cursor. */
  cursor: string;
  conversationId: string;
  /** Sender (inbound) or addressee (outbound into a direct conversation); null in channels. */
  personId: string | null;
  platform: PlatformName;
  direction: 'in' | 'out';
  content: StoredContent;
  locale: Locale;
  createdAt: Date;
  /** Retention limit: the message is purged after this time. */
  expiresAt: Date;
}

export type NewMessage = Omit<StoredMessage, 'cursor'>;

export interface MessageQuery {
  /** Only messages after this cursor (exclusive). */
  after?: string;
  /** Maximum number of messages returned, oldest first (default 100). */
  limit?: number;
}

export interface MessageRepository {
  append(message: NewMessage): Promise<StoredMessage>;
  /** Outbound messages addressed to a person on one platform, oldest first. */
  listOutboundForPerson(personId: string, platform: PlatformName, query?: MessageQuery): Promise<StoredMessage[]>;
  /** Cursor of the newest outbound message to a person on a platform, or null. */
  latestOutboundCursor(personId: string, platform: PlatformName): Promise<string | null>;
  /** The latest `limit` messages of a conversation, oldest first (conversation memory). */
  listRecent(conversationId: string, limit: number): Promise<StoredMessage[]>;
  /** Deletes messages whose retention has expired; returns how many. */
  deleteExpired(now: Date): Promise<number>;
  /**
   * Replaces the content of the outbound messages to a person whose stored
   * content contains `marker` (e.g. the action ids of an anonymous survey);
   * returns how many. Ids, cursors and dates stay.
   */
  redactOutbound(personId: string, marker: string, replacement: StoredContent): Promise<number>;
  /** Whether an outbound message to a person whose stored content contains `marker` was recorded. */
  hasOutboundContaining(personId: string, marker: string): Promise<boolean>;
}

// ---------------------------------------------------------------- audit log

/**
 * Record keeping (AI Act art. 12; evidence for the RGPD art. 30 register and
 * art. 5(2) accountability): who did what, when, with
 * what outcome. Details hold codes and counts, never message content unless
 * the deployment explicitly enables it.
 */
export interface AuditEvent {
  id: string;
  occurredAt: Date;
  /** Pseudonymous person id, or null for the system. */
  actorId: string | null;
  /** Dotted action code, e.g. "conversation.disclosure_shown". */
  action: string;
  subjectType?: string;
  subjectId?: string;
  outcome: 'ok' | 'error';
  correlationId?: string;
  details: Record<string, unknown>;
}

export interface AuditQuery {
  since?: Date;
  action?: string;
  actorId?: string;
  limit?: number;
}

export interface AuditLog {
  record(event: Omit<AuditEvent, 'id' | 'occurredAt'> & { occurredAt?: Date }): Promise<AuditEvent>;
  /** Newest first. */
  list(query?: AuditQuery): Promise<AuditEvent[]>;
}

// ---------------------------------------------------------------- jobs

export type JobStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

export interface StoredJob {
  id: string;
  jobName: string;
  data: unknown;
  runAt: Date;
  status: JobStatus;
  /** Tries already started. */
  attempts: number;
  maxAttempts: number;
  backoffMs: number;
  scheduleKey: string | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface StoredSchedule {
  key: string;
  jobName: string;
  recurrence: Recurrence;
  data: unknown;
  nextRunAt: Date | null;
  lastRunAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Durable state of the job layer: the source of truth both schedulers rebuild from. */
export interface JobStore {
  /** Inserts a pending job; returns false (and changes nothing) if the id exists and is pending or running. */
  insertJob(job: Omit<StoredJob, 'createdAt' | 'updatedAt' | 'attempts' | 'lastError' | 'status'>): Promise<boolean>;
  getJob(id: string): Promise<StoredJob | null>;
  /** Pending jobs due at or before `now`, earliest first. */
  dueJobs(now: Date, limit: number): Promise<StoredJob[]>;
  /** Earliest run time of any pending job, or null. */
  nextDueAt(): Promise<Date | null>;
  /** Pending and running jobs (re-mirrored into Redis at start: Redis may have lost them). */
  unfinishedJobs(): Promise<StoredJob[]>;
  /**
   * Atomically moves a job to running and counts the attempt; null if it is
   * not pending. With `reclaimRunning`, a running job is claimed again (its
   * runner died; the queue's own lock guarantees no one else runs it).
   */
  claimJob(id: string, now: Date, reclaimRunning?: boolean): Promise<StoredJob | null>;
  completeJob(id: string, now: Date): Promise<void>;
  /** Records a failed try: back to pending at `retryAt`, or failed when null. */
  failJob(id: string, error: string, retryAt: Date | null, now: Date): Promise<void>;
  cancelJob(id: string, now: Date): Promise<boolean>;
  /** Running jobs go back to pending (after a crash). Returns how many. */
  requeueRunning(now: Date): Promise<number>;
  /** Deletes finished (done, failed, cancelled) jobs updated before `before`. */
  deleteFinished(before: Date): Promise<number>;

  upsertSchedule(schedule: Omit<StoredSchedule, 'createdAt' | 'updatedAt' | 'lastRunAt'>, now: Date): Promise<StoredSchedule>;
  getSchedule(key: string): Promise<StoredSchedule | null>;
  listSchedules(): Promise<StoredSchedule[]>;
  deleteSchedule(key: string): Promise<boolean>;
  /** Moves a schedule forward after a fire, only if it still expected `expectedNextRunAt` (compare-and-set). */
  advanceSchedule(key: string, expectedNextRunAt: Date, firedAt: Date, nextRunAt: Date | null): Promise<boolean>;
  /** Records that a run of the schedule happened (BullMQ path). */
  markScheduleRun(key: string, at: Date): Promise<void>;
}

// ---------------------------------------------------------------- aggregate

/** Every repository, as built by one store adapter. */
export interface Repositories {
  people: PersonRepository;
  conversations: ConversationRepository;
  messages: MessageRepository;
  audit: AuditLog;
  jobs: JobStore;
  corpus: CorpusRepository;
  answers: AnswerRepository;
  surveys: SurveyRepository;
  campaigns: CampaignRepository;
  teams: TeamRepository;
}
