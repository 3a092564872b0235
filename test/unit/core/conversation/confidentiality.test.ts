/**
 * The confidentiality hook of the conversation service: decided before an
 * inbound event is recorded, it replaces what is stored in the conversation
 * log, while the handlers still get the full event.
 */
import { randomUUID } from 'node:crypto';
import { createInMemoryRepositories } from '../../../../src/adapters/memory/create-in-memory-repositories.js';
import { createSilentLogger } from '../../../../src/adapters/log/pino-logger.js';
import type { ConfidentialityPolicy } from '../../../../src/core/conversation/conversation-service.js';
import { createConversationCore } from '../../../../src/core/conversation/create-conversation-core.js';
import type { InboundAction } from '../../../../src/core/messages/inbound.js';
import { textMessage } from '../../../../src/core/messages/outbound.js';
import type { StoredContent, StoredMessage } from '../../../../src/core/ports/repositories.js';
import { createPseudonymizer } from '../../../../src/core/privacy/pseudonymizer.js';
import { TEST_SECRET } from '../../../support/start-test-relais.js';
import { markdownOf, TestChatClient, TEST_SETTINGS } from '../../../support/test-chat-client.js';

function setup(confidentiality?: ConfidentialityPolicy) {
  const repositories = createInMemoryRepositories();
  const received: { actions: InboundAction[]; texts: string[] } = { actions: [], texts: [] };
  const core = createConversationCore({
    settings: TEST_SETTINGS,
    repositories,
    pseudonymizer: createPseudonymizer(Buffer.from(TEST_SECRET)),
    platforms: new Map(),
    clock: { now: () => new Date() },
    ids: { next: () => randomUUID() },
    logger: createSilentLogger(),
    freeText: async (context, text) => {
      received.texts.push(text);
      await context.reply.send(textMessage('noté'));
    },
    ...(confidentiality ? { confidentiality } : {}),
  });
  core.actions.register({
    namespace: 'secret',
    handle: async (context, action) => {
      received.actions.push(action);
      await context.reply.send(textMessage('reçu'));
    },
  });
  const client = new TestChatClient(core);
  const inbound = async (): Promise<StoredContent[]> => {
    const person = await core.identities.resolvePerson('web', client.userId);
    const out = await repositories.messages.listOutboundForPerson(person.id, 'web', { limit: 1000 });
    const all: StoredMessage[] = await repositories.messages.listRecent(out[0]!.conversationId, 1000);
    return all.filter((m) => m.direction === 'in').map((m) => m.content);
  };
  return { core, repositories, client, received, inbound };
}

/** Redacts `secret:` actions and messages starting with "confidentiel". */
const policy: ConfidentialityPolicy = async (event) => {
  if (event.kind === 'action' && event.actionId.startsWith('secret:')) return { kind: 'action', actionId: 'secret:redacted', value: null };
  if (event.kind === 'message' && event.text.startsWith('confidentiel')) return { kind: 'text', text: '[masqué]' };
  return null;
};

describe('conversation service: confidentiality hook', () => {
  it('records the redacted form of a confidential action; the handler gets the full action', async () => {
    const { client, received, inbound } = setup(policy);
    expect(markdownOf(await client.act('secret:r-123:q1', 'ma réponse'))).toContain('reçu');
    expect(received.actions).toEqual([expect.objectContaining({ actionId: 'secret:r-123:q1', value: 'ma réponse' })]);
    expect(await inbound()).toEqual([{ kind: 'action', actionId: 'secret:redacted', value: null }]);
  });

  it('records the redacted form of a confidential message; free text gets the words', async () => {
    const { client, received, inbound } = setup(policy);
    await client.say('confidentiel : 42');
    await client.say('bonjour');
    expect(received.texts).toEqual(['confidentiel : 42', 'bonjour']);
    expect(await inbound()).toEqual([
      { kind: 'text', text: '[masqué]' },
      { kind: 'text', text: 'bonjour' },
    ]);
  });

  it('records everything as received without a policy, or when the policy returns null', async () => {
    for (const s of [setup(), setup(async () => null)]) {
      await s.client.act('secret:r-1:q1', 3);
      await s.client.say('confidentiel');
      expect(await s.inbound()).toEqual([
        { kind: 'action', actionId: 'secret:r-1:q1', value: 3 },
        { kind: 'text', text: 'confidentiel' },
      ]);
    }
  });

  it('is asked before the event is recorded, with the person, the conversation and the locale', async () => {
    const seen: { stored: number; personId: string; conversationKind: string; locale: string }[] = [];
    const s = setup(async (event, who) => {
      const stored = await s.repositories.messages.listRecent(who.conversation.id, 1000);
      seen.push({ stored: stored.filter((m) => m.direction === 'in').length, personId: who.personId, conversationKind: who.conversation.kind, locale: who.locale });
      return policy(event, who);
    });
    await s.client.say('confidentiel');
    await s.client.say('confidentiel');
    const person = await s.core.identities.resolvePerson('web', s.client.userId);
    expect(seen).toEqual([
      { stored: 0, personId: person.id, conversationKind: 'direct', locale: 'fr' },
      { stored: 1, personId: person.id, conversationKind: 'direct', locale: 'fr' },
    ]);
  });

  it('records nothing and runs no handler when the policy fails (the person gets the error message)', async () => {
    const { core, client, received, repositories } = setup(async () => {
      throw new Error('store down');
    });
    const replies = await client.act('secret:r-1:q1', 'ma réponse');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.message.purpose).toBe('error');
    expect(received.actions).toHaveLength(0);
    const conversation = await core.identities.resolveConversation(client.conversation);
    expect(await repositories.messages.listRecent(conversation.id, 1000)).toEqual([]);
  });
});
