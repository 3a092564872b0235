/**
 * Weekly coordinators' digest of one team (`DigestService.sendScheduled`).
 *
 * Declared per team with the stable key `digest:<teamId>` (default Monday
 * 09:00 in the team's time zone), so re-declaring at every start never
 * duplicates it. Idempotent: each coordinator's delivery is claimed per
 * digest week before sending, so a retry sends only what failed.
 *
 * Wiring (composition root): `scheduler.register(digestJob(digestService))`
 * once, then `declareDigest(scheduler, team.id, team.timezone)` for each
 * team with coordinators (and `scheduler.unschedule(digestScheduleKey(id))`
 * when a team is removed). The on-demand `/relais digest` command calls
 * `digestService.compose(teamId, locale)` and replies with the message.
 */
import { z } from 'zod';
import type { DigestService } from '../core/digests/digest-service.js';
import { ValidationError } from '../core/errors.js';
import type { JobDefinition, ScheduleInfo, Scheduler } from '../core/ports/scheduler.js';

export const DIGEST_JOB = 'digests.send';
/** Monday 09:00 (in the team's time zone). */
export const DEFAULT_DIGEST_CRON = '0 9 * * 1';

export function digestScheduleKey(teamId: string): string {
  return `digest:${teamId}`;
}

const DigestJobData = z.object({ teamId: z.string().min(1).max(200) }).strict();
export type DigestJobData = z.infer<typeof DigestJobData>;

export function digestJob(service: Pick<DigestService, 'sendScheduled'>): JobDefinition<DigestJobData> {
  return {
    name: DIGEST_JOB,
    parse(data) {
      const parsed = DigestJobData.safeParse(data);
      if (!parsed.success) {
        throw new ValidationError('job.invalid_data', `digest job data: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
      }
      return parsed.data;
    },
    async handle({ teamId }, context) {
      // The week of the planned fire time, not of the retry: a retry on Tuesday still completes Monday's digest.
      await service.sendScheduled(teamId, context.scheduledFor);
    },
    attempts: 3,
    backoffMs: 5 * 60_000,
  };
}

export async function declareDigest(scheduler: Scheduler, teamId: string, timezone: string, cron = DEFAULT_DIGEST_CRON): Promise<ScheduleInfo> {
  return scheduler.schedule(digestScheduleKey(teamId), DIGEST_JOB, { teamId }, { cron, timezone });
}
