/** Reminder n of a campaign to non-respondents, keyed `campaign:<id>:reminder:<n>`. */
import { ValidationError } from '../core/errors.js';
import type { JobDefinition } from '../core/ports/scheduler.js';
import { CAMPAIGN_REMINDER_JOB, type ReminderJobData } from '../core/surveys/campaign-jobs.js';
import type { CampaignService } from '../core/surveys/campaign-service.js';
import { parseCampaignJobData } from './campaign.job.js';

export function campaignReminderJob(campaigns: CampaignService): JobDefinition<ReminderJobData> {
  return {
    name: CAMPAIGN_REMINDER_JOB,
    parse(data) {
      const { campaignId } = parseCampaignJobData(data);
      const n = (data as { n?: unknown }).n;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new ValidationError('job.invalid_data', 'n must be a positive integer');
      return { campaignId, n };
    },
    handle: (data, context) => campaigns.runReminder(data.campaignId, data.n, context),
    attempts: 5,
    backoffMs: 5_000,
  };
}
