/**
 * Campaign lifecycle on the real core with in-memory stores, a recording
 * platform and an injected clock; jobs are run by calling the use cases the
 * jobs call, and the scheduler's store is inspected for what was declared.
 */
import { randomUUID } from 'node:crypto';
import { createInMemoryRepositories } from '../../../../src/adapters/memory/create-in-memory-repositories.js';
import { createSilentLogger } from '../../../../src/adapters/log/pino-logger.js';
import { createConversationCore } from '../../../../src/core/conversation/create-conversation-core.js';
import type { ConversationRef, PlatformName } from '../../../../src/core/messages/conversation-ref.js';
import type { OutboundEnvelope } from '../../../../src/core/messages/outbound.js';
import type { ChatPlatform } from '../../../../src/core/ports/chat-platform.js';
import type { JobContext } from '../../../../src/core/ports/scheduler.js';
import { createPseudonymizer } from '../../../../src/core/privacy/pseudonymizer.js';
import { CampaignService, campaignTimezone } from '../../../../src/core/surveys/campaign-service.js';
import { checkinKey, openKey, reminderKey } from '../../../../src/core/surveys/campaign-jobs.js';
import { DEFAULT_QUIET_HOURS } from '../../../../src/core/surveys/quiet-hours.js';
import { createRespondentTokens } from '../../../../src/core/surveys/respondent-token.js';
import { SurveyAnswering } from '../../../../src/core/surveys/survey-answering.js';
import { SurveyCatalog } from '../../../../src/core/surveys/survey-catalog.js';
import type { SurveyDefinition } from '../../../../src/core/surveys/survey-definition.js';
import { TeamService } from '../../../../src/core/teams/team-service.js';
import { InProcessScheduler } from '../../../../src/jobs/in-process-scheduler.js';
import { campaignCloseJob, campaignOpenJob } from '../../../../src/jobs/campaign.job.js';
import { checkinJob } from '../../../../src/jobs/checkin.job.js';
import { campaignReminderJob } from '../../../../src/jobs/reminder.job.js';
import { TEST_SETTINGS } from '../../../support/test-chat-client.js';
import { TEST_SECRET } from '../../../support/start-test-relais.js';

class RecordingPlatform implements ChatPlatform {
  readonly name: PlatformName = 'web';
  readonly sent: { userId: string; envelope: OutboundEnvelope }[] = [];
  fail = false;
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async send(ref: ConversationRef, envelope: OutboundEnvelope): Promise<void> {
    if (this.fail) throw new Error('platform down');
    this.sent.push({ userId: ref.externalId, envelope });
  }
  async openDirect(userExternalId: string): Promise<ConversationRef> {
    return { platform: 'web', externalId: userExternalId, kind: 'direct' };
  }
  textsTo(userId: string): string[] {
    return this.sent.filter((s) => s.userId === userId).map((s) => s.envelope.message.blocks.map((b) => (b.type === 'text' ? b.markdown : '')).join('\n'));
  }
}

const SURVEY: SurveyDefinition = {
  id: 'point',
  version: 1,
  title: 'Point',
  anonymity: { mode: 'named' },
  questions: [{ id: 'note', type: 'scale', label: 'Note', min: 1, max: 5, required: true }],
};

function setup(startIso: string) {
  let now = new Date(startIso);
  const clock = { now: () => now };
  const repositories = createInMemoryRepositories();
  const platform = new RecordingPlatform();
  const ids = { next: () => randomUUID() };
  const logger = createSilentLogger();
  const core = createConversationCore({
    settings: TEST_SETTINGS,
    repositories,
    pseudonymizer: createPseudonymizer(Buffer.from(TEST_SECRET)),
    platforms: new Map([['web', platform]]),
    clock,
    ids,
    logger,
  });
  const scheduler = new InProcessScheduler({ store: repositories.jobs, logger, clock });
  const catalog = new SurveyCatalog(repositories.surveys, clock);
  const teams = new TeamService(repositories.teams, core.identities, repositories.audit, clock, 'Europe/Paris');
  const answering = new SurveyAnswering({ campaigns: repositories.campaigns, catalog, tokens: createRespondentTokens(Buffer.from(TEST_SECRET)), audit: repositories.audit, clock, ids, timezoneOf: campaignTimezone(teams, 'Europe/Paris') });
  const campaigns = new CampaignService({
    campaigns: repositories.campaigns,
    catalog,
    teams,
    answering,
    messenger: core.messenger,
    identities: core.identities,
    scheduler,
    audit: repositories.audit,
    clock,
    ids,
    logger,
    quietHours: DEFAULT_QUIET_HOURS,
    defaultTimezone: 'Europe/Paris',
    defaultLocale: 'fr',
  });
  for (const job of [campaignOpenJob(campaigns), campaignReminderJob(campaigns), campaignCloseJob(campaigns), checkinJob(campaigns)]) scheduler.register(job as never);
  const context = (id: string, scheduledFor = now): JobContext => ({ id, attempt: 1, scheduledFor });
  return { repositories, platform, catalog, teams, campaigns, answering, scheduler, context, setNow: (iso: string) => (now = new Date(iso)) };
}

async function teamOf(s: ReturnType<typeof setup>, people: string[]): Promise<string> {
  const team = await s.teams.create({ name: `Équipe ${randomUUID().slice(0, 4)}` }, null);
  await s.teams.add(team.id, people.map((externalId) => ({ platform: 'web' as const, externalId })), 'member', null);
  return team.id;
}

describe('campaign service', () => {
  test('launch declares open, reminders and close with stable keys; running open twice invites once', async () => {
    const s = setup('2026-12-07T09:00:00Z');
    await s.catalog.publishAll([SURVEY]);
    const teamId = await teamOf(s, ['u1', 'u2']);
    const { campaign } = await s.campaigns.launch({ surveyId: 'point', audience: { kind: 'team', teamId }, createdBy: null });
    const jobs = await Promise.all([openKey(campaign.id), reminderKey(campaign.id, 1), reminderKey(campaign.id, 2), `campaign:${campaign.id}:close`].map((k) => s.repositories.jobs.getJob(k)));
    expect(jobs.map((j) => j?.runAt.toISOString())).toEqual(['2026-12-07T09:00:00.000Z', '2026-12-10T09:00:00.000Z', '2026-12-12T09:00:00.000Z', '2026-12-14T09:00:00.000Z']);
    await s.campaigns.runOpen(campaign.id, s.context(openKey(campaign.id)));
    await s.campaigns.runOpen(campaign.id, s.context(openKey(campaign.id)));
    // First contact: the AI disclosure, then the invitation; nothing twice.
    expect(s.platform.textsTo('u1')).toHaveLength(2);
    expect(s.platform.textsTo('u1')[1]).toContain('**Point** — 1 questions');
    expect((await s.repositories.campaigns.get(campaign.id))!.status).toBe('open');
  });

  test('quiet hours: an invitation due on Saturday is deferred to Monday 08:00, not dropped', async () => {
    const s = setup('2026-12-12T10:00:00Z');
    await s.catalog.publishAll([SURVEY]);
    const teamId = await teamOf(s, ['u1']);
    const { campaign, invitationsAt } = await s.campaigns.launch({ surveyId: 'point', audience: { kind: 'team', teamId }, createdBy: null });
    expect(invitationsAt.toISOString()).toBe('2026-12-14T07:00:00.000Z');
    await s.campaigns.runOpen(campaign.id, s.context(openKey(campaign.id)));
    expect(s.platform.sent).toHaveLength(0);
    const deferred = await s.repositories.jobs.getJob(`${openKey(campaign.id)}@2026-12-14T07:00:00.000Z`);
    expect(deferred).toMatchObject({ status: 'pending', data: { campaignId: campaign.id } });
    s.setNow('2026-12-14T07:00:00Z');
    await s.campaigns.runOpen(campaign.id, s.context(deferred!.id));
    expect(s.platform.textsTo('u1').at(-1)).toContain('Point');
  });

  test('a failed delivery is not counted as sent: the job retries and the person is invited later', async () => {
    const s = setup('2026-12-07T09:00:00Z');
    await s.catalog.publishAll([SURVEY]);
    const teamId = await teamOf(s, ['u1']);
    const { campaign } = await s.campaigns.launch({ surveyId: 'point', audience: { kind: 'team', teamId }, createdBy: null });
    s.platform.fail = true;
    await expect(s.campaigns.runOpen(campaign.id, s.context(openKey(campaign.id)))).rejects.toMatchObject({ code: 'campaign.delivery_failed', transient: true });
    expect((await s.repositories.campaigns.invitations(campaign.id))[0]!.invitedAt).toBeNull();
    s.platform.fail = false;
    await s.campaigns.runOpen(campaign.id, s.context(openKey(campaign.id)));
    expect(s.platform.textsTo('u1').some((t) => t.includes('Point'))).toBe(true);
  });

  test('reminders go to non-respondents only, once each; none after closing', async () => {
    const s = setup('2026-12-07T09:00:00Z');
    await s.catalog.publishAll([SURVEY]);
    const teamId = await teamOf(s, ['u1', 'u2']);
    const { campaign } = await s.campaigns.launch({ surveyId: 'point', audience: { kind: 'team', teamId }, createdBy: null });
    await s.campaigns.runOpen(campaign.id, s.context(openKey(campaign.id)));
    const u1 = (await s.repositories.people.findByAccount(createPseudonymizer(Buffer.from(TEST_SECRET)).accountKey('web', 'u1')))!;
    const [question] = await s.answering.begin(campaign.id, u1.id, 'fr');
    const actionId = question!.blocks.find((b) => b.type === 'scale')!;
    const [, responseId] = (actionId as { actionId: string }).actionId.split(':');
    await s.answering.answer(u1.id, responseId!, 'note', 4, 'fr');
    s.setNow('2026-12-10T09:00:00Z');
    await s.campaigns.runReminder(campaign.id, 1, s.context(reminderKey(campaign.id, 1)));
    await s.campaigns.runReminder(campaign.id, 1, s.context(reminderKey(campaign.id, 1)));
    expect(s.platform.textsTo('u2').filter((t) => t.includes('Petit rappel'))).toHaveLength(1);
    expect(s.platform.textsTo('u1').filter((t) => t.includes('Petit rappel'))).toHaveLength(0);
    await s.campaigns.close(campaign.id, null);
    s.setNow('2026-12-12T09:00:00Z');
    await s.campaigns.runReminder(campaign.id, 2, s.context(reminderKey(campaign.id, 2)));
    expect(s.platform.textsTo('u2').filter((t) => t.includes('Petit rappel'))).toHaveLength(1);
    expect((await s.answering.answer(u1.id, responseId!, 'note', 2, 'fr'))[0]!.blocks[0]).toMatchObject({ markdown: expect.stringContaining('est clos') });
  });

  test('recurring check-in: one schedule per team, one occurrence per fire time (idempotent), none after the end date', async () => {
    const s = setup('2026-03-02T08:00:00Z');
    await s.catalog.publishAll([SURVEY]);
    const teamId = await teamOf(s, ['u1']);
    const { campaign } = await s.campaigns.launch({
      surveyId: 'point',
      audience: { kind: 'team', teamId },
      createdBy: null,
      recurrence: { cron: '0 14 * * 5', until: new Date('2026-06-30T00:00:00Z'), windowHours: 72 },
      reminderOffsetsHours: [24, 96],
    });
    const [schedule] = await s.scheduler.listSchedules();
    expect(schedule).toMatchObject({ key: checkinKey(teamId), recurrence: { cron: '0 14 * * 5', timezone: 'Europe/Paris' } });
    expect(schedule!.nextRunAt!.toISOString()).toBe('2026-03-06T13:00:00.000Z');
    await expect(
      s.campaigns.launch({ surveyId: 'point', audience: { kind: 'team', teamId }, createdBy: null, recurrence: { cron: '0 9 * * 1', windowHours: 24 } }),
    ).rejects.toMatchObject({ code: 'campaign.recurring_exists' });
    await s.scheduler.unschedule(checkinKey(teamId));
    expect(await s.campaigns.redeclareSchedules()).toBe(1);
    expect((await s.scheduler.listSchedules())[0]!.nextRunAt!.toISOString()).toBe('2026-03-06T13:00:00.000Z');
    const fire = new Date('2026-03-06T13:00:00Z');
    s.setNow(fire.toISOString());
    await s.campaigns.runCheckin(campaign.id, s.context(`${checkinKey(teamId)}@${fire.toISOString()}`, fire));
    await s.campaigns.runCheckin(campaign.id, s.context(`${checkinKey(teamId)}@${fire.toISOString()}`, fire));
    const occurrences = await s.repositories.campaigns.list({ parentId: campaign.id });
    expect(occurrences).toHaveLength(1);
    expect(occurrences[0]).toMatchObject({ status: 'scheduled', reminderOffsetsHours: [24], teamId });
    expect(occurrences[0]!.closesAt.toISOString()).toBe('2026-03-09T13:00:00.000Z');
    const late = new Date('2026-07-03T12:00:00Z');
    await s.campaigns.runCheckin(campaign.id, s.context('late', late));
    expect(await s.scheduler.listSchedules()).toEqual([]);
    expect((await s.repositories.campaigns.get(campaign.id))!.status).toBe('closed');
  });

  test('a changed survey gets a new version; a running campaign keeps answering the version it was launched with', async () => {
    const s = setup('2026-12-07T09:00:00Z');
    await s.catalog.publishAll([SURVEY]);
    const teamId = await teamOf(s, ['u1']);
    const { campaign } = await s.campaigns.launch({ surveyId: 'point', audience: { kind: 'team', teamId }, createdBy: null });
    const [published] = await s.catalog.publishAll([{ ...SURVEY, questions: [{ ...SURVEY.questions[0]!, max: 10 }] }]);
    expect(published!.version).toBe(2);
    expect(await s.catalog.publishAll([{ ...SURVEY, questions: [{ ...SURVEY.questions[0]!, max: 10 }] }])).toEqual([]);
    await s.campaigns.runOpen(campaign.id, s.context(openKey(campaign.id)));
    const u1 = (await s.repositories.people.findByAccount(createPseudonymizer(Buffer.from(TEST_SECRET)).accountKey('web', 'u1')))!;
    const [question] = await s.answering.begin(campaign.id, u1.id, 'fr');
    expect(question!.blocks.find((b) => b.type === 'scale')).toMatchObject({ max: 5 });
    expect((await s.repositories.campaigns.responses(campaign.id))[0]!.surveyVersion).toBe(1);
  });
});
