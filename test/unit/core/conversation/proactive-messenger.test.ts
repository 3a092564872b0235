/**
 * Messages the bot starts reach every platform account of a person, with the
 * AI disclosure first if that person never saw it; failures are recorded.
 */
import { RelaisError } from '../../../../src/core/errors.js';
import type { ConversationRef, PlatformName } from '../../../../src/core/messages/conversation-ref.js';
import type { OutboundEnvelope } from '../../../../src/core/messages/outbound.js';
import type { ChatPlatform } from '../../../../src/core/ports/chat-platform.js';
import { createTestCore, markdownOf, TestChatClient } from '../../../support/test-chat-client.js';

/** A platform that keeps what it was asked to deliver (a port implementation, not a mock). */
class RecordingPlatform implements ChatPlatform {
  readonly delivered: { ref: ConversationRef; envelope: OutboundEnvelope }[] = [];
  failWith: RelaisError | undefined;

  constructor(readonly name: PlatformName) {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async send(ref: ConversationRef, envelope: OutboundEnvelope): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.delivered.push({ ref, envelope });
  }
  async openDirect(userExternalId: string): Promise<ConversationRef> {
    return { platform: this.name, externalId: `dm-${userExternalId}`, kind: 'direct' };
  }
}

describe('proactive messages', () => {
  it('disclose first to someone who never talked to the bot, then deliver', async () => {
    const slack = new RecordingPlatform('slack');
    const { core } = createTestCore({ platforms: new Map([['slack', slack]]) });
    const person = await core.identities.resolvePerson('slack', 'U42');

    const results = await core.messenger.sendToPerson(person.id, (locale) => ({
      blocks: [{ type: 'text', markdown: locale === 'fr' ? 'Le sondage est ouvert' : 'The survey is open' }],
    }));
    expect(results).toEqual([{ platform: 'slack', delivered: true, envelopeId: expect.any(String) }]);
    expect(slack.delivered.map((d) => d.envelope.message.purpose)).toEqual(['disclosure', 'proactive']);
    expect(slack.delivered[0]!.ref.externalId).toBe('dm-U42');
    expect(markdownOf([slack.delivered[1]!.envelope])).toBe('Le sondage est ouvert');

    await core.messenger.sendToPerson(person.id, { blocks: [{ type: 'text', markdown: 'Rappel' }] });
    expect(slack.delivered.map((d) => d.envelope.message.purpose)).toEqual(['disclosure', 'proactive', 'proactive']);
  });

  it('writes in the person’s chosen language', async () => {
    const slack = new RecordingPlatform('slack');
    const { core } = createTestCore({ platforms: new Map([['slack', slack]]) });
    const client = new TestChatClient(core, 'U7', { platform: 'slack', externalId: 'D7', kind: 'direct' });
    await client.say('language en');
    const person = await core.identities.findPerson('slack', 'U7');
    await core.messenger.sendToPerson(person!.id, (locale) => ({ blocks: [{ type: 'text', markdown: locale }] }));
    expect(markdownOf([slack.delivered.at(-1)!.envelope])).toBe('en');
  });

  it('records a failed delivery and tells the caller', async () => {
    const teams = new RecordingPlatform('teams');
    teams.failWith = new RelaisError('platform.not_installed', 'the app is not installed for this user');
    const { core, repositories } = createTestCore({ platforms: new Map([['teams', teams]]) });
    const person = await core.identities.resolvePerson('teams', 'aad-1');
    const results = await core.messenger.sendToPerson(person.id, { blocks: [{ type: 'text', markdown: 'x' }] });
    expect(results).toEqual([{ platform: 'teams', delivered: false, error: 'platform.not_installed' }]);
    const [event] = await repositories.audit.list({ action: 'proactive.delivery_failed' });
    expect(event).toMatchObject({ subjectId: person.id, outcome: 'error', details: { platform: 'teams', code: 'platform.not_installed' } });
  });

  it('posts into a channel', async () => {
    const slack = new RecordingPlatform('slack');
    const { core } = createTestCore({ platforms: new Map([['slack', slack]]) });
    const envelope = await core.messenger.sendToConversation({ platform: 'slack', externalId: 'C9', kind: 'channel' }, { blocks: [{ type: 'text', markdown: 'Digest' }] });
    expect(slack.delivered).toEqual([{ ref: { platform: 'slack', externalId: 'C9', kind: 'channel' }, envelope }]);
  });
});
