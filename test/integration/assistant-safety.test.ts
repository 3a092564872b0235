/**
 * Safety first: a message in crisis gets human help at once — the 3114, the
 * emergency numbers, the institution's contact — and nothing else (no
 * corpus answer, no model call), with an audit trace that holds signal codes
 * and never the words. Hyperbole is answered normally; the moderation
 * endpoint (the Mistral fake) is a second opinion that can escalate too.
 */
import { jest } from '@jest/globals';
import type { WebMessage } from '../../src/adapters/chat/web/web-message.js';
import type { AuditEvent } from '../../src/core/ports/repositories.js';
import type { Relais } from '../../src/main.js';
import { startMistralFake, type MistralFake } from '../fakes/mistral-fake-server.js';
import { answerIdOf, answerOf, answerText, blocksOf, chatRequests, citationsOf, contentOf, waitForIngestion } from '../support/assistant-helpers.js';
import { SseReader } from '../support/sse-client.js';
import { startTestRelais } from '../support/start-test-relais.js';
import { ASSISTANT_CORPUS, createTestCorpus, type TestCorpus } from '../support/test-corpus.js';
import { textOf, WebTestClient } from '../support/web-test-client.js';

jest.setTimeout(60_000);

const FAKE_KEY = 'test-key';
const INSTITUTION = 'la référente santé de l’IRTS, Mme Dupuis, 03 20 00 00 00';

describe('assistant safety (distress before anything else)', () => {
  let corpus: TestCorpus;
  let fake: MistralFake;
  let relais: Relais;

  beforeAll(async () => {
    corpus = await createTestCorpus(ASSISTANT_CORPUS);
    fake = await startMistralFake({ apiKey: FAKE_KEY });
    relais = await startTestRelais({
      RELAIS_CORPUS_DIR: corpus.directory,
      MISTRAL_API_KEY: FAKE_KEY,
      MISTRAL_SERVER_URL: fake.url,
      RELAIS_INSTITUTION_CONTACTS: INSTITUTION,
    });
    await waitForIngestion(relais);
  });
  beforeEach(() => fake.reset());
  afterAll(async () => {
    await relais?.stop();
    await fake?.close();
    await corpus?.cleanup();
  });

  async function personId(client: WebTestClient): Promise<string> {
    const person = await relais.core.identities.findPerson('web', client.userId);
    if (!person) throw new Error('unknown person');
    return person.id;
  }

  async function escalationsOf(client: WebTestClient): Promise<AuditEvent[]> {
    const id = await personId(client);
    return relais.repositories.audit.list({ action: 'safety.escalation', actorId: id });
  }

  function expectEscalation(message: WebMessage): void {
    expect(message.purpose).toBe('reply');
    expect(message.blocks.map((b) => b.type)).toEqual(['text']);
    const text = answerText(message);
    expect(text).toContain('**3114**');
    expect(text).toContain('**15**');
    expect(text).toContain('**112**');
    expect(text).toContain(`Votre établissement : ${INSTITUTION}.`);
    expect(message.footer).toEqual({ text: 'Message de sécurité automatique — Relais ne remplace pas une aide humaine', aiGenerated: false });
    expect(citationsOf(message)).toEqual([]);
  }

  function expectNoTextIn(event: AuditEvent, text: string): void {
    const serialised = JSON.stringify(event).toLowerCase();
    for (const word of text.toLowerCase().split(/[^\p{L}]+/u).filter((w) => w.length >= 4)) expect(serialised).not.toContain(word);
  }

  it.each([['je veux en finir ce soir'], ['j’ai pensé à me foutre en l’air'], ['J\'ai pensé à me foutre en l\'air, je n\'en peux plus du stage']])(
    'escalates "%s" without any corpus answer or model call',
    async (text) => {
      const client = new WebTestClient(relais.url);
      const replies = await client.say(text);
      expect(replies.map((r) => r.purpose)).toEqual(['disclosure', 'reply']);
      expectEscalation(replies[1]!);
      expect(replies.some((r) => blocksOf(r, 'feedback').length > 0)).toBe(false);
      expect(chatRequests(fake)).toHaveLength(0);
      expect(fake.requestsTo('/v1/embeddings')).toHaveLength(0);

      const events = await escalationsOf(client);
      expect(events).toHaveLength(1);
      expect(events[0]!.details.level).toBe('crisis');
      const signals = events[0]!.details.signals as string[];
      expect(signals.length).toBeGreaterThan(0);
      for (const signal of signals) expect(signal).toMatch(/^[a-z_]+(\.[a-z_]+)*$/);
      expectNoTextIn(events[0]!, text);
      expect((await relais.repositories.audit.list({ action: 'assistant.answer', actorId: await personId(client) })).length).toBe(0);
    },
  );

  it('escalates a crisis message that starts with a command word instead of showing help', async () => {
    const client = new WebTestClient(relais.url);
    const replies = await client.say('aide je veux mourir');
    expectEscalation(replies.at(-1)!);
    expect(textOf(replies)).not.toContain('Voici ce que je sais faire');
    expect(chatRequests(fake)).toHaveLength(0);
    const [event] = await escalationsOf(client);
    expect(event?.details).toMatchObject({ level: 'crisis' });
    expect((await relais.repositories.audit.list({ action: 'conversation.command', actorId: await personId(client) })).length).toBe(0);
  });

  it('answers hyperbole normally', async () => {
    fake.setReply('Quarante dossiers, c’est beaucoup pour un stage [1].');
    const client = new WebTestClient(relais.url);
    const answer = answerOf(await client.say('ce stage me tue, trop de dossiers'));
    expect(answerText(answer)).toBe('Quarante dossiers, c’est beaucoup pour un stage [1].');
    expect(citationsOf(answer).length).toBe(1);
    expect(answerText(answer)).not.toContain('3114');
    expect(chatRequests(fake)).toHaveLength(1);
    expect(await escalationsOf(client)).toEqual([]);
    expect(await relais.repositories.answers.get(answerIdOf(answer))).toMatchObject({ mode: 'generative', safetyLevel: 'none' });
  });

  it('answers a heavy but not dangerous message with the answer and a pointer to human help', async () => {
    fake.setReply('Ce que vous décrivez rappelle le récit [1].');
    const client = new WebTestClient(relais.url);
    const answer = answerOf(await client.say('Je suis épuisée par mon stage, trop de dossiers et je dors mal'));
    expect(answerText(answer)).toContain('Ce que vous décrivez rappelle le récit [1].');
    expect(answerText(answer)).toContain('le 3114 répond 24 h/24');
    expect(await relais.repositories.answers.get(answerIdOf(answer))).toMatchObject({ mode: 'generative', safetyLevel: 'concern' });
    expect(await escalationsOf(client)).toEqual([]);
  });

  it('escalates when the moderation endpoint flags self-harm in an otherwise neutral message', async () => {
    fake.setSelfHarmTriggers(['licorne']);
    const text = 'Je prépare une fiche sur la licorne du service pour mon stage';
    const client = new WebTestClient(relais.url);
    const replies = await client.say(text);
    expectEscalation(replies.at(-1)!);
    const moderations = fake.requestsTo('/v1/moderations');
    expect(moderations).toHaveLength(1);
    expect(moderations[0]!.status).toBe(200);
    expect(chatRequests(fake)).toHaveLength(0);
    expect(fake.requestsTo('/v1/embeddings')).toHaveLength(0);
    const events = await escalationsOf(client);
    expect(events).toHaveLength(1);
    expect(events[0]!.details).toEqual({ level: 'crisis', signals: ['moderation.self_harm'] });
    expectNoTextIn(events[0]!, text);
  });

  it('does not stream anything before an escalation', async () => {
    const stream = await SseReader.open(`${relais.url}/api/web/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: `sse-crisis-${Date.now()}`, text: 'je veux en finir ce soir' }),
    });
    await stream.finished();
    expect(stream.events.map((e) => e.event)).toEqual(['message', 'message', 'done']);
    expectEscalation(stream.events[1]!.data as WebMessage);
  });

  it('escalates a crisis written in a typed answer (feedback comment)', async () => {
    fake.setReply('Observer avant de juger [1].');
    const client = new WebTestClient(relais.url);
    const answerId = answerIdOf(answerOf(await client.say('Comment préparer ma première visite à domicile ?')));
    await client.act(`feedback:${answerId}`, 'down');
    const replies = await client.act(`feedback-comment:${answerId}`, 'rien ne sert à rien, je veux en finir ce soir');
    expectEscalation(replies.at(-1)!);
    expect((await relais.repositories.answers.feedbackFor(answerId))[0]).toMatchObject({ rating: 'down', comment: null });
    expect(await escalationsOf(client)).toHaveLength(1);
  });

  // BUG (src/core/assistant/reflective-assistant.ts, memoryOf): every earlier 'text' message of the
  // conversation becomes a user turn, including a message that was escalated (and commands such as
  // "aide"), while assistant turns are only taken from answers. A crisis message that the safety gate
  // kept away from the model ("nothing else happens") is sent to it with the next question — without
  // the escalation reply, so the model sees an unanswered suicidal statement. Health data (RGPD art. 9)
  // reach the model provider although the crisis path was designed not to call it.
  it('does not send an earlier crisis message to the model with the next question', async () => {
    fake.setReply('Observer avant de juger [1].');
    const client = new WebTestClient(relais.url);
    await client.say('je veux en finir ce soir');
    await client.say('Comment préparer ma première visite à domicile ?');
    const { messages } = chatRequests(fake)[0]!.body;
    const sent = messages.map((m) => contentOf(m)).join('\n');
    expect(sent).toContain('Comment préparer ma première visite à domicile ?');
    expect(sent).not.toContain('je veux en finir ce soir');
  });
});
