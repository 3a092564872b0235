/**
 * Daily deletion of expired messages and old job records
 * (`RetentionService.purgeExpired`). Declared with a stable key at every
 * start, so it exists exactly once whatever the number of restarts.
 */
import { ValidationError } from '../core/errors.js';
import type { JobDefinition, Scheduler } from '../core/ports/scheduler.js';
import type { RetentionService } from '../core/privacy/retention.js';

export const RETENTION_PURGE_JOB = 'privacy.retention-purge';
export const RETENTION_PURGE_SCHEDULE_KEY = 'privacy:retention-purge';
/** 03:15 every night, in the instance time zone: off-peak. */
export const RETENTION_PURGE_CRON = '15 3 * * *';

export function retentionPurgeJob(retention: RetentionService): JobDefinition<Record<string, never>> {
  return {
    name: RETENTION_PURGE_JOB,
    parse(data) {
      if (data !== null && typeof data !== 'object') throw new ValidationError('job.invalid_data', 'retention purge takes no data');
      return {};
    },
    async handle() {
      await retention.purgeExpired();
    },
    attempts: 3,
    backoffMs: 60_000,
  };
}

export async function declareRetentionPurge(scheduler: Scheduler, timezone: string): Promise<void> {
  await scheduler.schedule(RETENTION_PURGE_SCHEDULE_KEY, RETENTION_PURGE_JOB, {}, { cron: RETENTION_PURGE_CRON, timezone });
}
