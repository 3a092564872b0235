/**
 * Campaign lifecycle: launch (survey × audience × mode × window × reminders
 * × optional recurrence), open, remind, pause, close; every proactive
 * message respects the quiet hours of the audience's time zone (deferred
 * through the scheduler, never dropped) and is sent at most once per person
 * (compare-and-set in the store before sending).
 */
import { NotFoundError, UnavailableError, ValidationError } from '../errors.js';
import type { Locale } from '../i18n/locale.js';
import type { DeliveryResult, ProactiveMessenger } from '../conversation/proactive-messenger.js';
import type { IdentityService } from '../identity/identity-service.js';
import type { OutboundMessage } from '../messages/outbound.js';
import type { Campaign, CampaignAudience, CampaignRecurrence, CampaignRepository } from '../ports/campaign-repository.js';
import type { Clock } from '../ports/clock.js';
import type { IdGenerator } from '../ports/id-generator.js';
import type { Logger } from '../ports/logger.js';
import type { AuditLog, MessageRepository } from '../ports/repositories.js';
import type { JobContext, Scheduler } from '../ports/scheduler.js';
import type { TeamService } from '../teams/team-service.js';
import { CAMPAIGN_CLOSE_JOB, CAMPAIGN_OPEN_JOB, CAMPAIGN_REMINDER_JOB, CHECKIN_JOB, checkinKey, closeKey, openKey, reminderKey } from './campaign-jobs.js';
import { startActionId } from './question-message.js';
import { isQuiet, nextAllowedTime, type QuietHours } from './quiet-hours.js';
import type { SurveyAnswering } from './survey-answering.js';
import type { SurveyCatalog } from './survey-catalog.js';
import { localize, type PublishedSurvey } from './survey-definition.js';
import { formatDate, st } from './survey-texts.js';

const HOUR_MS = 60 * 60 * 1000;
export const DEFAULT_REMINDER_OFFSETS_HOURS = [72, 120];
export const DEFAULT_WINDOW_DAYS = 7;
/**
 * Invitations and reminders in flight at once: each costs a few store round
 * trips; platform rate limits are enforced by the adapters' limiters.
 */
const DELIVERY_CONCURRENCY = 8;

export interface LaunchRequest {
  surveyId: string;
  audience: CampaignAudience;
  mode?: 'private' | 'channel';
  opensAt?: Date;
  closesAt?: Date;
  /** Window length when `closesAt` is not given (default 7 days). */
  days?: number;
  reminderOffsetsHours?: number[];
  phase?: string | null;
  recurrence?: Omit<CampaignRecurrence, 'timezone'> & { timezone?: string };
  createdBy: string | null;
}

export interface CampaignServiceDeps {
  campaigns: CampaignRepository;
  catalog: SurveyCatalog;
  teams: TeamService;
  answering: SurveyAnswering;
  messenger: ProactiveMessenger;
  identities: IdentityService;
  scheduler: Scheduler;
  audit: AuditLog;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  quietHours: QuietHours | null;
  defaultTimezone: string;
  defaultLocale: Locale;
  /** The conversation log: tells which invitations of an interrupted run were really sent. */
  messages?: Pick<MessageRepository, 'hasOutboundContaining'>;
}

export class CampaignService {
  private readonly log: Logger;

  constructor(private readonly deps: CampaignServiceDeps) {
    this.log = deps.logger.child({ scope: 'campaigns' });
  }

  timezoneOf(campaign: Pick<Campaign, 'teamId' | 'recurrence'>): Promise<string> {
    return campaignTimezone(this.deps.teams, this.deps.defaultTimezone)(campaign);
  }

  async get(campaignId: string): Promise<Campaign> {
    const campaign = await this.deps.campaigns.get(campaignId);
    if (!campaign) throw new NotFoundError('campaign.not_found', `no campaign "${campaignId}"`, { campaignId });
    return campaign;
  }

  async launch(request: LaunchRequest): Promise<{ campaign: Campaign; survey: PublishedSurvey; invitationsAt: Date }> {
    const survey = await this.deps.catalog.latest(request.surveyId);
    const teamId = request.audience.kind === 'team' ? request.audience.teamId : null;
    if (teamId) await this.deps.teams.get(teamId);
    if (request.audience.kind === 'people' && request.audience.personIds.length === 0) throw new ValidationError('campaign.no_audience', 'no one to ask');
    const now = this.deps.clock.now();
    const opensAt = request.opensAt ?? now;
    const days = request.days ?? DEFAULT_WINDOW_DAYS;
    if (!(days > 0 && days <= 365)) throw new ValidationError('campaign.bad_window', 'the window is 1 to 365 days');
    const closesAt = request.closesAt ?? new Date(opensAt.getTime() + days * 24 * HOUR_MS);
    if (closesAt.getTime() <= opensAt.getTime()) throw new ValidationError('campaign.bad_window', 'the campaign must close after it opens');
    const offsets = request.reminderOffsetsHours ?? DEFAULT_REMINDER_OFFSETS_HOURS;
    if (offsets.some((h) => !(h > 0))) throw new ValidationError('campaign.bad_reminders', 'reminder offsets are positive hours');
    if (request.recurrence && (await this.deps.campaigns.list({ status: ['recurring', 'paused'] })).some((c) => c.recurrence && (c.teamId ?? c.id) === teamId)) {
      throw new ValidationError('campaign.recurring_exists', `team ${teamId} already has a recurring campaign; close it first`, { teamId });
    }
    const timezone = request.recurrence?.timezone ?? (await this.timezoneOf({ teamId, recurrence: null }));
    const recurrence: CampaignRecurrence | null = request.recurrence ? { ...request.recurrence, timezone } : null;
    const campaign: Campaign = {
      id: `c-${this.deps.ids.next().replace(/-/g, '').slice(0, 10)}`,
      surveyId: survey.definition.id,
      surveyVersion: survey.version,
      parentId: null,
      teamId,
      audience: request.audience,
      mode: request.mode ?? (request.audience.kind === 'channel' ? 'channel' : 'private'),
      status: recurrence ? 'recurring' : 'scheduled',
      phase: request.phase ?? null,
      opensAt,
      closesAt: recurrence?.until ?? closesAt,
      reminderOffsetsHours: offsets,
      recurrence,
      anonymity: survey.definition.anonymity,
      createdBy: request.createdBy,
      createdAt: now,
      updatedAt: now,
    };
    await this.deps.campaigns.create(campaign);
    if (recurrence) {
      await this.deps.scheduler.schedule(checkinKey(teamId ?? campaign.id), CHECKIN_JOB, { campaignId: campaign.id }, { cron: recurrence.cron, timezone });
    } else {
      await this.scheduleLifecycle(campaign);
    }
    await this.deps.audit.record({
      actorId: request.createdBy,
      action: 'campaign.launched',
      subjectType: 'campaign',
      subjectId: campaign.id,
      outcome: 'ok',
      details: { surveyId: campaign.surveyId, version: campaign.surveyVersion, audience: campaign.audience.kind, recurring: recurrence !== null },
    });
    return { campaign, survey, invitationsAt: nextAllowedTime(opensAt, timezone, this.deps.quietHours) };
  }

  /**
   * Declares the schedule of every recurring campaign again (at each start):
   * idempotent, and a schedule lost from the job store comes back.
   */
  async redeclareSchedules(): Promise<number> {
    const recurring = await this.deps.campaigns.list({ status: ['recurring'] });
    for (const c of recurring) {
      await this.deps.scheduler.schedule(checkinKey(c.teamId ?? c.id), CHECKIN_JOB, { campaignId: c.id }, { cron: c.recurrence!.cron, timezone: c.recurrence!.timezone });
    }
    return recurring.length;
  }

  private async scheduleLifecycle(campaign: Campaign, suffix = ''): Promise<void> {
    const { scheduler } = this.deps;
    await scheduler.enqueue(CAMPAIGN_OPEN_JOB, { campaignId: campaign.id }, { key: openKey(campaign.id) + suffix, runAt: campaign.opensAt });
    const now = this.deps.clock.now().getTime();
    for (const [i, hours] of campaign.reminderOffsetsHours.entries()) {
      const at = campaign.opensAt.getTime() + hours * HOUR_MS;
      if (at >= campaign.closesAt.getTime()) continue;
      await scheduler.enqueue(CAMPAIGN_REMINDER_JOB, { campaignId: campaign.id, n: i + 1 }, { key: reminderKey(campaign.id, i + 1) + suffix, runAt: new Date(Math.max(at, now)) });
    }
    await scheduler.enqueue(CAMPAIGN_CLOSE_JOB, { campaignId: campaign.id }, { key: closeKey(campaign.id) + suffix, runAt: campaign.closesAt });
  }

  /** True when the job was put off to the end of the quiet hours (enqueued again, not dropped). */
  private async deferIfQuiet(jobName: string, data: object, context: JobContext, timezone: string): Promise<boolean> {
    const now = this.deps.clock.now();
    if (!isQuiet(now, timezone, this.deps.quietHours)) return false;
    const next = nextAllowedTime(now, timezone, this.deps.quietHours);
    const base = context.id.split('@')[0]!;
    await this.deps.scheduler.enqueue(jobName, data, { key: `${base}@${next.toISOString()}`, runAt: next });
    this.log.info({ job: jobName, until: next.toISOString() }, 'deferred by quiet hours');
    return true;
  }

  /** Who a private campaign asks, now (a team's members at opening time). */
  private async audienceOf(campaign: Campaign): Promise<string[]> {
    switch (campaign.audience.kind) {
      case 'team':
        return this.deps.teams.memberIds(campaign.audience.teamId);
      case 'people':
        return campaign.audience.personIds;
      case 'channel':
        return [];
    }
  }

  /** Job: opens the campaign and sends each invitation once. */
  async runOpen(campaignId: string, context: JobContext): Promise<void> {
    const campaign = await this.deps.campaigns.get(campaignId);
    if (!campaign || campaign.status === 'closed' || campaign.status === 'paused') return;
    const timezone = await this.timezoneOf(campaign);
    if (await this.deferIfQuiet(CAMPAIGN_OPEN_JOB, { campaignId }, context, timezone)) return;
    const now = this.deps.clock.now();
    if (now.getTime() >= campaign.closesAt.getTime()) return;
    const movedNow = await this.deps.campaigns.setStatus(campaign.id, ['scheduled'], 'open', now);
    const survey = await this.deps.catalog.version(campaign.surveyId, campaign.surveyVersion);
    if (campaign.audience.kind === 'channel') {
      // The status change is the once-only marker of the channel post.
      if (movedNow) await this.postToChannel(campaign, campaign.audience.conversationId, (locale) => this.invitation(campaign, survey, timezone, locale));
      return;
    }
    await this.deps.campaigns.addInvitations(campaign.id, await this.audienceOf(campaign));
    if (context.attempt > 1) await this.recoverInterrupted(campaign);
    let sent = 0;
    let failed = 0;
    const pending = (await this.deps.campaigns.invitations(campaign.id)).filter((i) => !i.invitedAt);
    await forEachConcurrently(pending, DELIVERY_CONCURRENCY, async (invitation) => {
      // Marked before sending: a crash in between loses this invitation (reminders follow), never doubles it.
      if (!(await this.deps.campaigns.markInvited(campaign.id, invitation.personId, this.deps.clock.now()))) return;
      const results = await this.deps.messenger.sendToPerson(invitation.personId, (locale) => this.invitation(campaign, survey, timezone, locale));
      if (undelivered(results)) {
        await this.deps.campaigns.unmarkInvited(campaign.id, invitation.personId);
        failed++;
      } else sent++;
    });
    this.log.info({ campaignId, sent, failed }, 'campaign open');
    if (failed > 0) throw new UnavailableError('campaign.delivery_failed', `${failed} invitation(s) could not be delivered; retrying`);
  }

  /**
   * A run that died mid-delivery (kill -9, lost worker) left invitations
   * marked but maybe never sent: those whose message was never recorded are
   * unmarked, so this run sends them. The messenger records a message just
   * before handing it to the platform, so only a crash during that one call
   * can still lose an invitation (the reminders then reach the person).
   */
  private async recoverInterrupted(campaign: Campaign): Promise<void> {
    const messages = this.deps.messages;
    if (!messages) return;
    const marker = startActionId(campaign.id);
    let recovered = 0;
    for (const invitation of await this.deps.campaigns.invitations(campaign.id)) {
      if (!invitation.invitedAt || invitation.remindersSent > 0) continue;
      if (await messages.hasOutboundContaining(invitation.personId, marker)) continue;
      await this.deps.campaigns.unmarkInvited(campaign.id, invitation.personId);
      recovered++;
    }
    if (recovered > 0) this.log.warn({ campaignId: campaign.id, recovered }, 'invitations of an interrupted run sent again');
  }

  /** Job: reminder n to everyone invited who has not completed. */
  async runReminder(campaignId: string, n: number, context: JobContext): Promise<void> {
    const campaign = await this.deps.campaigns.get(campaignId);
    if (!campaign || campaign.status !== 'open') return;
    if (this.deps.clock.now().getTime() >= campaign.closesAt.getTime()) return;
    const timezone = await this.timezoneOf(campaign);
    if (await this.deferIfQuiet(CAMPAIGN_REMINDER_JOB, { campaignId, n }, context, timezone)) return;
    const survey = await this.deps.catalog.version(campaign.surveyId, campaign.surveyVersion);
    const title = (locale: Locale): string => localize(survey.definition.title, locale);
    if (campaign.audience.kind === 'channel') {
      const { completed } = await this.deps.campaigns.participation(campaign.id);
      await this.postToChannel(campaign, campaign.audience.conversationId, (locale) => ({
        blocks: [
          { type: 'text', markdown: st(locale, 'reminder.channel', { title: title(locale), date: formatDate(campaign.closesAt, locale, timezone), completed }) },
          { type: 'buttons', buttons: [{ actionId: startActionId(campaign.id), label: st(locale, 'button.start'), style: 'primary' }] },
        ],
      }));
      return;
    }
    let sent = 0;
    let failed = 0;
    const due = (await this.deps.campaigns.invitations(campaign.id)).filter((i) => i.invitedAt && i.remindersSent < n);
    await forEachConcurrently(due, DELIVERY_CONCURRENCY, async (invitation) => {
      if (await this.hasCompleted(campaign, invitation.personId)) return;
      if (!(await this.deps.campaigns.markReminded(campaign.id, invitation.personId, n))) return;
      const results = await this.deps.messenger.sendToPerson(invitation.personId, (locale) => ({
        blocks: [
          { type: 'text', markdown: st(locale, 'reminder.text', { title: title(locale), date: formatDate(campaign.closesAt, locale, timezone) }) },
          { type: 'buttons', buttons: [{ actionId: startActionId(campaign.id), label: st(locale, 'button.resume'), style: 'primary' }] },
        ],
      }));
      if (undelivered(results)) {
        await this.deps.campaigns.unmarkReminded(campaign.id, invitation.personId, n);
        failed++;
      } else sent++;
    });
    this.log.info({ campaignId, n, sent, failed }, 'campaign reminder');
    if (failed > 0) throw new UnavailableError('campaign.delivery_failed', `${failed} reminder(s) could not be delivered; retrying`);
  }

  /** Job: closes the campaign at the end of its window. */
  async runClose(campaignId: string): Promise<void> {
    const campaign = await this.deps.campaigns.get(campaignId);
    if (!campaign) return;
    if (this.deps.clock.now().getTime() < campaign.closesAt.getTime()) return;
    await this.close(campaign.id, null);
  }

  /** Job: one occurrence of a recurring campaign (a check-in), at the schedule's fire time. */
  async runCheckin(parentId: string, context: JobContext): Promise<void> {
    const parent = await this.deps.campaigns.get(parentId);
    if (!parent || parent.status !== 'recurring' || !parent.recurrence) return;
    const recurrence = parent.recurrence;
    const at = context.scheduledFor;
    if (recurrence.until && at.getTime() > recurrence.until.getTime()) {
      await this.deps.scheduler.unschedule(checkinKey(parent.teamId ?? parent.id));
      await this.deps.campaigns.setStatus(parent.id, ['recurring'], 'closed', this.deps.clock.now());
      return;
    }
    if (recurrence.from && at.getTime() < recurrence.from.getTime()) return;
    const id = `${parent.id}-${at.toISOString().slice(0, 16).replace(/[-:T]/g, '')}`;
    if (await this.deps.campaigns.get(id)) return;
    const closesAt = new Date(at.getTime() + recurrence.windowHours * HOUR_MS);
    const occurrence: Campaign = {
      ...parent,
      id,
      parentId: parent.id,
      status: 'scheduled',
      opensAt: at,
      closesAt,
      recurrence: null,
      reminderOffsetsHours: parent.reminderOffsetsHours.filter((h) => h < recurrence.windowHours),
      createdAt: this.deps.clock.now(),
      updatedAt: this.deps.clock.now(),
    };
    try {
      await this.deps.campaigns.create(occurrence);
    } catch (error) {
      if (await this.deps.campaigns.get(id)) return;
      throw error;
    }
    await this.scheduleLifecycle(occurrence);
  }

  async pause(campaignId: string, actorId: string | null): Promise<Campaign> {
    const campaign = await this.get(campaignId);
    if (!(await this.deps.campaigns.setStatus(campaign.id, ['open', 'scheduled', 'recurring'], 'paused', this.deps.clock.now()))) {
      throw new ValidationError('campaign.bad_state', `campaign ${campaign.id} is ${campaign.status}`, { campaignId: campaign.id, status: campaign.status });
    }
    await this.deps.audit.record({ actorId, action: 'campaign.paused', subjectType: 'campaign', subjectId: campaign.id, outcome: 'ok', details: {} });
    return { ...campaign, status: 'paused' };
  }

  /** Resumes a paused campaign: uninvited people are invited, reminders missed while paused are sent. */
  async unpause(campaignId: string, actorId: string | null): Promise<Campaign> {
    const campaign = await this.get(campaignId);
    const to = campaign.recurrence ? 'recurring' : 'open';
    if (!(await this.deps.campaigns.setStatus(campaign.id, ['paused'], to, this.deps.clock.now()))) {
      throw new ValidationError('campaign.bad_state', `campaign ${campaign.id} is ${campaign.status}`, { campaignId: campaign.id, status: campaign.status });
    }
    if (!campaign.recurrence) await this.scheduleLifecycle({ ...campaign, status: 'open' }, `@resume-${this.deps.clock.now().getTime()}`);
    await this.deps.audit.record({ actorId, action: 'campaign.resumed', subjectType: 'campaign', subjectId: campaign.id, outcome: 'ok', details: {} });
    return { ...campaign, status: to };
  }

  async close(campaignId: string, actorId: string | null): Promise<Campaign> {
    const campaign = await this.get(campaignId);
    if (campaign.status === 'closed') return campaign;
    const now = this.deps.clock.now();
    await this.deps.campaigns.setStatus(campaign.id, ['scheduled', 'open', 'paused', 'recurring'], 'closed', now);
    if (now.getTime() < campaign.closesAt.getTime()) await this.deps.campaigns.setClosesAt(campaign.id, now, now);
    if (campaign.recurrence) await this.deps.scheduler.unschedule(checkinKey(campaign.teamId ?? campaign.id));
    for (const [i] of campaign.reminderOffsetsHours.entries()) await this.deps.scheduler.cancel(reminderKey(campaign.id, i + 1));
    await this.deps.audit.record({ actorId, action: 'campaign.closed', subjectType: 'campaign', subjectId: campaign.id, outcome: 'ok', details: {} });
    return { ...campaign, status: 'closed', closesAt: now.getTime() < campaign.closesAt.getTime() ? now : campaign.closesAt };
  }

  /** Campaigns a person may manage: the ones they launched and those of teams they coordinate. */
  async manageable(personId: string): Promise<Campaign[]> {
    const teams = new Set(await this.deps.teams.coordinatedBy(personId));
    return (await this.deps.campaigns.list()).filter((c) => c.createdBy === personId || (c.teamId !== null && teams.has(c.teamId)));
  }

  async canManage(campaign: Campaign, personId: string): Promise<boolean> {
    if (campaign.createdBy === personId) return true;
    return campaign.teamId !== null && (await this.deps.teams.isCoordinator(campaign.teamId, personId));
  }

  private async hasCompleted(campaign: Campaign, personId: string): Promise<boolean> {
    const key = this.deps.answering.respondentKey(campaign, personId);
    if ('token' in key) return this.deps.campaigns.hasSubmitted(campaign.id, key.token);
    return (await this.deps.campaigns.findResponse(campaign.id, key))?.status === 'complete';
  }

  private invitation(campaign: Campaign, survey: PublishedSurvey, timezone: string, locale: Locale): OutboundMessage {
    const d = survey.definition;
    const privacy = d.anonymity.mode === 'anonymous' ? st(locale, 'invite.anonymous', { k: d.anonymity.k }) : st(locale, 'invite.named');
    return {
      blocks: [
        { type: 'text', markdown: st(locale, 'invite.intro', { title: localize(d.title, locale), count: d.questions.length, intro: localize(d.intro, locale) }).trim() },
        { type: 'text', markdown: `${st(locale, 'invite.closes', { date: formatDate(campaign.closesAt, locale, timezone) })}\n\n${privacy}` },
        { type: 'buttons', buttons: [{ actionId: startActionId(campaign.id), label: st(locale, 'button.start'), style: 'primary' }] },
      ],
    };
  }

  private async postToChannel(campaign: Campaign, conversationId: string, message: (locale: Locale) => OutboundMessage): Promise<void> {
    const conversation = await this.deps.identities.getConversation(conversationId);
    if (!conversation) {
      this.log.warn({ campaignId: campaign.id }, 'channel of the campaign is unknown');
      return;
    }
    await this.deps.messenger.sendToConversation(conversation.ref, message, this.deps.defaultLocale);
  }
}

/** The time zone of a campaign's audience: its recurrence's, its team's, or the instance default. */
export function campaignTimezone(teams: TeamService, defaultTimezone: string): (campaign: Pick<Campaign, 'teamId' | 'recurrence'>) => Promise<string> {
  return async (campaign) => {
    if (campaign.recurrence) return campaign.recurrence.timezone;
    if (campaign.teamId) return (await teams.find(campaign.teamId))?.timezone ?? defaultTimezone;
    return defaultTimezone;
  };
}

async function forEachConcurrently<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** Nothing reached the person: no account, or every platform failed (e.g. not started yet). */
function undelivered(results: DeliveryResult[]): boolean {
  return results.length > 0 && results.every((r) => !r.delivered);
}
