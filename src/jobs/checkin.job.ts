/**
 * One occurrence of a recurring campaign (weekly check-in), fired by the
 * schedule `checkin:<teamId>` (cron in the team's time zone).
 */
import type { JobDefinition } from '../core/ports/scheduler.js';
import { CHECKIN_JOB, type CampaignJobData } from '../core/surveys/campaign-jobs.js';
import type { CampaignService } from '../core/surveys/campaign-service.js';
import { parseCampaignJobData } from './campaign.job.js';

export function checkinJob(campaigns: CampaignService): JobDefinition<CampaignJobData> {
  return {
    name: CHECKIN_JOB,
    parse: parseCampaignJobData,
    handle: (data, context) => campaigns.runCheckin(data.campaignId, context),
    attempts: 5,
    backoffMs: 10_000,
  };
}
