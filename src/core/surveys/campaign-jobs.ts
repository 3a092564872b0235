/**
 * Names and stable keys of the campaign jobs. Stable keys make every
 * declaration idempotent: launching, restarting or redeploying never
 * duplicates an invitation, a reminder or a check-in schedule.
 */
export const CAMPAIGN_OPEN_JOB = 'survey.campaign-open';
export const CAMPAIGN_REMINDER_JOB = 'survey.campaign-reminder';
export const CAMPAIGN_CLOSE_JOB = 'survey.campaign-close';
export const CHECKIN_JOB = 'survey.checkin';

export const openKey = (campaignId: string): string => `campaign:${campaignId}:open`;
export const reminderKey = (campaignId: string, n: number): string => `campaign:${campaignId}:reminder:${n}`;
export const closeKey = (campaignId: string): string => `campaign:${campaignId}:close`;
/** One check-in schedule per team (or per recurring campaign without a team). */
export const checkinKey = (teamIdOrCampaignId: string): string => `checkin:${teamIdOrCampaignId}`;

export interface CampaignJobData {
  campaignId: string;
}

export interface ReminderJobData extends CampaignJobData {
  /** 1 for the first reminder. */
  n: number;
}
