/**
 * Channel mode on the real core: the coordinator launches in a channel, the
 * invitation is posted there, a click in the channel continues in private
 * messages (answers are never shown in the channel).
 */
import { randomUUID } from 'node:crypto';
import { createInMemoryRepositories } from '../../../../src/adapters/memory/create-in-memory-repositories.js';
import { createSilentLogger } from '../../../../src/adapters/log/pino-logger.js';
import { createSurveyServices, registerSurveyServices } from '../../../../src/composition/survey-services.js';
import { loadConfig } from '../../../../src/config.js';
import { createConversationCore } from '../../../../src/core/conversation/create-conversation-core.js';
import type { ConversationRef, PlatformName } from '../../../../src/core/messages/conversation-ref.js';
import type { OutboundEnvelope } from '../../../../src/core/messages/outbound.js';
import type { ChatPlatform } from '../../../../src/core/ports/chat-platform.js';
import { createPseudonymizer } from '../../../../src/core/privacy/pseudonymizer.js';
import { openKey } from '../../../../src/core/surveys/campaign-jobs.js';
import { InProcessScheduler } from '../../../../src/jobs/in-process-scheduler.js';
import { TEST_SECRET } from '../../../support/start-test-relais.js';
import { markdownOf, TEST_SETTINGS, TestChatClient } from '../../../support/test-chat-client.js';

class RecordingPlatform implements ChatPlatform {
  readonly name: PlatformName = 'slack';
  readonly sent: { ref: ConversationRef; envelope: OutboundEnvelope }[] = [];
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async send(ref: ConversationRef, envelope: OutboundEnvelope): Promise<void> {
    this.sent.push({ ref, envelope });
  }
  async openDirect(userExternalId: string): Promise<ConversationRef> {
    return { platform: 'slack', externalId: `D-${userExternalId}`, kind: 'direct' };
  }
}

test('channel campaign: invitation in the channel, answers in private', async () => {
  const repositories = createInMemoryRepositories();
  const platform = new RecordingPlatform();
  const logger = createSilentLogger();
  const clock = { now: () => new Date('2026-12-07T09:00:00Z') };
  const ids = { next: () => randomUUID() };
  const secret = Buffer.from(TEST_SECRET);
  const core = createConversationCore({ settings: TEST_SETTINGS, repositories, pseudonymizer: createPseudonymizer(secret), platforms: new Map([['slack', platform]]), clock, ids, logger });
  const scheduler = new InProcessScheduler({ store: repositories.jobs, logger, clock });
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'memory://', RELAIS_SECRET: TEST_SECRET });
  const surveys = await createSurveyServices({ config, repositories, secret, identities: core.identities, messenger: core.messenger, scheduler, logger, clock, ids });
  registerSurveyServices(surveys, core, scheduler, core.messenger);

  const team = await surveys.teams.create({ name: 'Accueil' }, null);
  await surveys.teams.add(team.id, [{ platform: 'slack', externalId: 'UCOORD' }], 'coordinator', null);
  const channel: ConversationRef = { platform: 'slack', externalId: 'C-ACCUEIL', kind: 'channel' };
  const coordinator = new TestChatClient(core, 'UCOORD', channel);
  const member = new TestChatClient(core, 'UMEMBER', channel);
  const stranger = new TestChatClient(core, 'USTRANGER', channel);

  expect(markdownOf(await stranger.say('@relais sondage lancer irritants ici'))).toContain('Seule la coordination');
  const launched = markdownOf(await coordinator.say('@relais sondage lancer irritants ici'));
  expect(launched).toContain('pour ce canal');
  const campaignId = /`(c-[0-9a-f]+)`/.exec(launched)![1]!;
  await surveys.campaigns.runOpen(campaignId, { id: openKey(campaignId), attempt: 1, scheduledFor: clock.now() });
  const posted = platform.sent.filter((s) => s.ref.externalId === 'C-ACCUEIL');
  expect(posted).toHaveLength(1);
  expect(posted[0]!.envelope.message.blocks.some((b) => b.type === 'buttons' && b.buttons[0]!.actionId === `survey:start:${campaignId}`)).toBe(true);

  // A click in the channel: nothing answered in the channel, the first question arrives privately.
  expect(await member.act(`survey:start:${campaignId}`)).toEqual(expect.not.arrayContaining([expect.objectContaining({ message: expect.objectContaining({ blocks: expect.arrayContaining([expect.objectContaining({ type: 'text-input' })]) }) })]));
  const privately = platform.sent.filter((s) => s.ref.externalId === 'D-UMEMBER');
  expect(privately.at(-1)!.envelope.message.blocks.some((b) => b.type === 'text-input' && b.actionId.endsWith(':tache'))).toBe(true);
});
