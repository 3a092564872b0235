/**
 * Storage limitation (RGPD art. 5(1)(e)): conversation messages are deleted
 * once their retention time has passed, feedback comments after the same
 * time (the ratings and the answer records, which hold no text, stay for
 * AI Act record keeping), and finished job records after `JOB_HISTORY_DAYS`.
 * Runs daily as the `privacy.retention-purge` job.
 */
import type { AnswerRepository } from '../ports/answer-repository.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { AuditLog, JobStore, MessageRepository } from '../ports/repositories.js';

const JOB_HISTORY_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface PurgeReport {
  messages: number;
  feedbackComments: number;
  jobs: number;
}

export interface RetentionDeps {
  messages: MessageRepository;
  answers: AnswerRepository;
  jobs: JobStore;
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
  /** RELAIS_MESSAGE_RETENTION_DAYS: also how long feedback comments are kept. */
  messageRetentionDays: number;
}

export class RetentionService {
  constructor(private readonly deps: RetentionDeps) {}

  async purgeExpired(): Promise<PurgeReport> {
    const { messages, answers, jobs, clock } = this.deps;
    const now = clock.now();
    const report: PurgeReport = {
      messages: await messages.deleteExpired(now),
      feedbackComments: await answers.clearCommentsBefore(new Date(now.getTime() - this.deps.messageRetentionDays * DAY_MS)),
      jobs: await jobs.deleteFinished(new Date(now.getTime() - JOB_HISTORY_DAYS * DAY_MS)),
    };
    await this.deps.audit.record({ actorId: null, action: 'privacy.retention_purge', outcome: 'ok', details: { ...report } });
    this.deps.logger.info({ scope: 'retention', ...report }, 'retention purge done');
    return report;
  }
}
