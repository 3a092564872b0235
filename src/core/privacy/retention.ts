/**
 * Storage limitation (RGPD art. 5(1)(e)): conversation messages are deleted
 * once their retention time has passed, and finished job records after
 * `JOB_HISTORY_DAYS`. Runs daily as the `privacy.retention-purge` job.
 */
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { AuditLog, JobStore, MessageRepository } from '../ports/repositories.js';

const JOB_HISTORY_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface PurgeReport {
  messages: number;
  jobs: number;
}

export class RetentionService {
  constructor(
    private readonly messages: MessageRepository,
    private readonly jobs: JobStore,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async purgeExpired(): Promise<PurgeReport> {
    const now = this.clock.now();
    const report: PurgeReport = {
      messages: await this.messages.deleteExpired(now),
      jobs: await this.jobs.deleteFinished(new Date(now.getTime() - JOB_HISTORY_DAYS * DAY_MS)),
    };
    await this.audit.record({ actorId: null, action: 'privacy.retention_purge', outcome: 'ok', details: { ...report } });
    this.logger.info({ scope: 'retention', ...report }, 'retention purge done');
    return report;
  }
}
