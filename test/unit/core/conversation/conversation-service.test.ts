/**
 * The conversation core driven conversationally, as a person would use it,
 * with in-memory repositories.
 */
import { InMemoryMessageRepository } from '../../../../src/adapters/memory/in-memory-message.repository.js';
import { createInMemoryRepositories } from '../../../../src/adapters/memory/create-in-memory-repositories.js';
import { UnavailableError } from '../../../../src/core/errors.js';
import type { NewMessage, StoredMessage } from '../../../../src/core/ports/repositories.js';
import { createTestCore, markdownOf, TestChatClient } from '../../../support/test-chat-client.js';

const DISCLOSURE = /intelligence artificielle/;

describe('conversation core', () => {
  it('shows the AI disclosure at first contact, then answers', async () => {
    const { core } = createTestCore();
    const client = new TestChatClient(core);
    const replies = await client.say('aide');
    expect(replies).toHaveLength(2);
    expect(replies[0]!.message.purpose).toBe('disclosure');
    const disclosure = markdownOf([replies[0]!]);
    expect(disclosure).toMatch(DISCLOSURE);
    expect(disclosure).toContain('pas une personne');
    expect(disclosure).toContain('écrivez à accueil@exemple.fr');
    expect(disclosure).toContain('30 jours');
    expect(markdownOf([replies[1]!])).toContain('Voici ce que je sais faire');

    const next = await client.say('aide');
    expect(next).toHaveLength(1);
    expect(markdownOf(next)).not.toMatch(DISCLOSURE);
  });

  it('shows the disclosure once when first messages arrive together', async () => {
    const { core } = createTestCore();
    const client = new TestChatClient(core);
    const all = (await Promise.all([client.say('aide'), client.say('à propos'), client.say('démo')])).flat();
    expect(all.filter((r) => r.message.purpose === 'disclosure')).toHaveLength(1);
  });

  it('puts the bot footer on every message', async () => {
    const { core } = createTestCore();
    const replies = await new TestChatClient(core).say('bonjour');
    for (const reply of replies) expect(reply.message.footer).toMatchObject({ aiGenerated: false, text: expect.stringContaining('IA') });
  });

  it('answers "à propos" with version, contacts and the co-funding notice', async () => {
    const { core } = createTestCore({
      settings: { privacyContact: 'dpo@exemple.fr', fundingNotice: 'Projet cofinancé par l’Union européenne (FSE+).' },
    });
    const client = new TestChatClient(core);
    await client.say('aide');
    const text = markdownOf(await client.say('À propos'));
    expect(text).toContain('0.0.0-test');
    expect(text).toContain('dpo@exemple.fr');
    expect(text).toContain('cofinancé par l’Union européenne (FSE+)');
    expect(text).toContain('intelligence artificielle');
  });

  it('switches to English and remembers it', async () => {
    const { core } = createTestCore();
    const client = new TestChatClient(core);
    await client.say('aide');
    expect(markdownOf(await client.say('langue en'))).toContain('English');
    const help = await client.say('help');
    expect(markdownOf(help)).toContain('Here is what I can do');
    expect(help[0]!.locale).toBe('en');
    const sameUserElsewhere = new TestChatClient(core, client.userId);
    expect(markdownOf(await sameUserElsewhere.say('aide'))).toContain('Here is what I can do');
    expect(markdownOf(await client.say('language fr'))).toContain('français');
    expect(markdownOf(await client.say('langue klingon'))).toContain('langue fr');
  });

  it('explains what it can do when it does not understand', async () => {
    const { core } = createTestCore();
    const client = new TestChatClient(core);
    await client.say('aide');
    for (const text of ['Je ne sais pas quoi faire avec mon stage', '/inconnu', 'xyz']) {
      const reply = markdownOf(await client.say(text));
      expect(reply).toContain('Je n’ai pas reconnu cette demande');
      expect(reply).toContain('**aide**');
    }
    expect(markdownOf(await client.say('   '))).toContain('vide');
  });

  it('runs commands from buttons and rejects stale or unknown ones', async () => {
    const { core } = createTestCore();
    const client = new TestChatClient(core);
    await client.say('aide');
    expect(markdownOf(await client.act('cmd:about'))).toContain('À propos de Relais');
    expect(markdownOf(await client.act('cmd:language', 'en'))).toContain('English');
    expect(markdownOf(await client.act('cmd:nope'))).toContain('no longer active');
    expect(markdownOf(await client.act('mystery:thing', 'x'))).toContain('no longer active');
  });

  it('shows every element of the message model with "démo" and echoes answers', async () => {
    const { core } = createTestCore();
    const client = new TestChatClient(core);
    await client.say('aide');
    const [demo] = await client.say('démo');
    const types = demo!.message.blocks.map((b) => b.type);
    expect(new Set(types)).toEqual(new Set(['text', 'buttons', 'choice', 'scale', 'number', 'text-input', 'image', 'citations', 'feedback']));
    expect(markdownOf(await client.act('demo:single', '2'))).toBe('Bien reçu : Mercredi après-midi');
    expect(markdownOf(await client.act('demo:multi', ['1', '3']))).toBe('Bien reçu : Messagerie, Traitement de texte');
    expect(markdownOf(await client.act('demo:scale', 4))).toBe('Bien reçu : 4');
    expect(markdownOf(await client.act('demo:text', ''))).toBe('Bien reçu : (aucune réponse)');
    expect(markdownOf(await client.act('demo:feedback', 'up'))).toContain('positif');
  });

  it('greets a channel once when added, with the disclosure', async () => {
    const { core } = createTestCore();
    const client = new TestChatClient(core, 'U1', { platform: 'slack', externalId: 'C123', kind: 'channel' });
    const greeting = await client.join();
    expect(greeting).toHaveLength(1);
    expect(markdownOf(greeting)).toContain('Bonjour à toutes et à tous');
    expect(markdownOf(greeting)).toMatch(DISCLOSURE);
    expect(await client.join()).toHaveLength(0);
  });

  it('records messages with their retention limit, pseudonymously', async () => {
    const { core, repositories } = createTestCore();
    const client = new TestChatClient(core, 'alice@example.org');
    const before = Date.now();
    const [disclosure] = await client.say('aide');
    const person = await core.identities.findPerson('web', 'alice@example.org');
    expect(person!.id).not.toContain('alice');
    const [account] = await repositories.people.accountsOf(person!.id);
    expect(account!.sealedExternalId).not.toContain('alice');
    expect(account!.accountKey).not.toContain('alice');

    const conversation = await repositories.conversations.get(disclosure!.conversationId);
    expect(JSON.stringify(conversation)).not.toContain('alice');
    expect((await core.identities.getConversation(disclosure!.conversationId))?.ref).toEqual(client.conversation);

    const history = await repositories.messages.listRecent(disclosure!.conversationId, 10);
    expect(history.map((m) => m.direction)).toEqual(['in', 'out', 'out']);
    expect(history[0]!.content).toEqual({ kind: 'text', text: 'aide' });
    for (const message of history) {
      const days = (message.expiresAt.getTime() - before) / 86_400_000;
      expect(days).toBeGreaterThan(29.9);
      expect(days).toBeLessThan(30.1);
      expect(message.personId).toBe(person!.id);
    }
  });

  it('keeps the audit log free of message content', async () => {
    const { core, repositories } = createTestCore();
    await new TestChatClient(core).say('aide');
    const events = await repositories.audit.list();
    expect(events.map((e) => e.action).sort()).toEqual(['conversation.command', 'conversation.disclosure_shown']);
    expect(JSON.stringify(events)).not.toContain('"aide"');
    expect(events.find((e) => e.action === 'conversation.command')?.details).toEqual({ command: 'help' });
  });

  it('still answers, with a reference, when the store fails', async () => {
    class BrokenMessages extends InMemoryMessageRepository {
      override async append(message: NewMessage): Promise<StoredMessage> {
        if (message.direction === 'in') throw new UnavailableError('db.unavailable', 'database down');
        return super.append(message);
      }
    }
    const repositories = { ...createInMemoryRepositories(), messages: new BrokenMessages() };
    const { core } = createTestCore({ repositories });
    const replies = await new TestChatClient(core).say('aide');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.message.purpose).toBe('error');
    expect(markdownOf(replies)).toMatch(/momentanément indisponible.*code : [0-9a-f]{8}/);
  });
});
