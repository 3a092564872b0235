/**
 * Campaign opening (invitations) and closing, keyed `campaign:<id>:open`
 * and `campaign:<id>:close`. Thin: validate, call the core use case.
 */
import { ValidationError } from '../core/errors.js';
import type { JobDefinition } from '../core/ports/scheduler.js';
import { CAMPAIGN_CLOSE_JOB, CAMPAIGN_OPEN_JOB, type CampaignJobData } from '../core/surveys/campaign-jobs.js';
import type { CampaignService } from '../core/surveys/campaign-service.js';

export function parseCampaignJobData(data: unknown): CampaignJobData {
  const campaignId = (data as { campaignId?: unknown } | null)?.campaignId;
  if (typeof campaignId !== 'string' || campaignId === '') throw new ValidationError('job.invalid_data', 'campaignId must be a non-empty string');
  return { campaignId };
}

export function campaignOpenJob(campaigns: CampaignService): JobDefinition<CampaignJobData> {
  return {
    name: CAMPAIGN_OPEN_JOB,
    parse: parseCampaignJobData,
    handle: (data, context) => campaigns.runOpen(data.campaignId, context),
    attempts: 5,
    backoffMs: 5_000,
  };
}

export function campaignCloseJob(campaigns: CampaignService): JobDefinition<CampaignJobData> {
  return {
    name: CAMPAIGN_CLOSE_JOB,
    parse: parseCampaignJobData,
    handle: (data) => campaigns.runClose(data.campaignId),
    attempts: 5,
    backoffMs: 5_000,
  };
}
