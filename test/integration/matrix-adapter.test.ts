/**
 * The Matrix adapter end to end: a real Relais whose Matrix adapter
 * (matrix-js-sdk 36 + Rust crypto) syncs against the fake homeserver, and
 * students driven by a second matrix-js-sdk client with Rust crypto, in
 * end-to-end encrypted rooms.
 */
import { jest } from '@jest/globals';
import type { MatrixPlatform } from '../../src/adapters/chat/matrix/matrix.platform.js';
import type { Command } from '../../src/core/conversation/command-registry.js';
import type { ActionHandler } from '../../src/core/conversation/action-registry.js';
import { textMessage } from '../../src/core/messages/outbound.js';
import type { Relais } from '../../src/main.js';
import { MatrixHomeserverFake, type FakeUser } from '../fakes/matrix-homeserver-fake.js';
import { bodyOf, isMessage, StudentClient, type SeenEvent } from '../fakes/matrix/student-client.js';
import { waitForIngestion } from '../support/assistant-helpers.js';
import { startTestRelais } from '../support/start-test-relais.js';
import { ASSISTANT_CORPUS, createTestCorpus, type TestCorpus } from '../support/test-corpus.js';
import { waitFor } from '../support/wait-for.js';

jest.setTimeout(60_000);

const VISIT_QUESTION = 'Je prépare ma première visite à domicile avec ma tutrice et j’ai peur de juger la famille.';

const streamingCommand: Command = {
  id: 'test-stream',
  names: { fr: ['flux'], en: ['stream'] },
  describe: () => 'streams a long answer',
  hidden: true,
  run: async (context) => {
    const stream = await context.reply.stream();
    await stream.informative('Je cherche…');
    for (const part of ['Première partie, ', 'deuxième partie, ', 'fin.']) {
      await stream.append(part);
      await new Promise((r) => setTimeout(r, 400));
    }
    await stream.end({ blocks: [{ type: 'text', markdown: 'Première partie, deuxième partie, **fin**.' }], footer: { text: 'Relais', aiGenerated: true } });
  },
};

const questionCommand: Command = {
  id: 'test-question',
  names: { fr: ['question'], en: ['question'] },
  describe: () => 'asks a choice question',
  hidden: true,
  run: async (context) => {
    await context.reply.send({
      blocks: [
        {
          type: 'choice',
          actionId: 'qtest:q1',
          label: 'Comment s’est passée la semaine ?',
          multiple: false,
          required: true,
          options: [
            { value: 'bien', label: 'Bien' },
            { value: 'moyen', label: 'Moyennement' },
            { value: 'mal', label: 'Difficilement' },
          ],
        },
      ],
    });
  },
};

const longCommand: Command = {
  id: 'test-long',
  names: { fr: ['long'], en: ['long'] },
  describe: () => 'sends a very long text',
  hidden: true,
  run: async (context) => {
    const paragraph = 'Une phrase « entre guillemets » & des accents, pour remplir le message. '.repeat(30);
    await context.reply.send(textMessage(Array(60).fill(paragraph).join('\n\n')));
  },
};

const answers: { value: unknown; platformUser: string }[] = [];
const questionAction: ActionHandler = {
  namespace: 'qtest',
  handle: async (context, action) => {
    answers.push({ value: action.value, platformUser: action.sender.externalId });
    await context.reply.send(textMessage(`Réponse enregistrée : ${String(action.value)}`));
  },
};

describe('Matrix adapter against the fake homeserver (encrypted rooms)', () => {
  let fake: MatrixHomeserverFake;
  let relais: Relais;
  let corpus: TestCorpus;
  let bot: FakeUser;
  let alice: StudentClient;
  let bob: StudentClient;
  let dm: string;
  const students: StudentClient[] = [];

  const platform = (): MatrixPlatform => relais.platforms.get('matrix') as MatrixPlatform;
  const botMessages = (student: StudentClient, roomId: string): SeenEvent[] => student.from(bot.userId, roomId).filter(isMessage);
  const newStudent = async (name: string): Promise<StudentClient> => {
    const student = await new StudentClient(fake.registerUser(name, name[0]!.toUpperCase() + name.slice(1)), fake.url).start();
    students.push(student);
    return student;
  };
  /** Sends `text` and waits for `count` more bot messages in the room. */
  const exchange = async (student: StudentClient, roomId: string, text: string, count = 1, extra: Record<string, unknown> = {}): Promise<SeenEvent[]> => {
    const before = botMessages(student, roomId).length;
    await student.say(roomId, text, extra);
    const all = await student.waitForMessages(bot.userId, roomId, before + count);
    return all.slice(before);
  };

  beforeAll(async () => {
    corpus = await createTestCorpus(ASSISTANT_CORPUS);
    fake = await new MatrixHomeserverFake().start();
    bot = fake.registerUser('relais', 'Relais', 'RELAISBOT');
    relais = await startTestRelais({
      RELAIS_CORPUS_DIR: corpus.directory,
      MATRIX_HOMESERVER_URL: fake.url,
      MATRIX_USER_ID: bot.userId,
      MATRIX_ACCESS_TOKEN: bot.accessToken,
      MATRIX_DEVICE_ID: bot.deviceId,
    });
    relais.core.commands.register(streamingCommand);
    relais.core.commands.register(questionCommand);
    relais.core.commands.register(longCommand);
    relais.core.actions.register(questionAction);
    await waitForIngestion(relais);
    alice = await newStudent('alice');
    bob = await newStudent('bob');
  });
  afterAll(async () => {
    for (const student of students) student.stop();
    await relais?.stop();
    await fake?.stop();
    await corpus?.cleanup();
  });

  it('first contact: accepts the invite to an encrypted DM and greets with the AI disclosure, encrypted', async () => {
    dm = await alice.inviteBot(bot.userId, { encrypted: true });
    const [greeting] = await alice.waitForMessages(bot.userId, dm, 1);
    expect(fake.membershipOf(dm, bot.userId)).toBe('join');
    expect(greeting!.encrypted).toBe(true);
    expect(greeting!.decryptionFailed).toBe(false);
    expect(bodyOf(greeting!)).toContain('intelligence artificielle');
    expect(greeting!.content.format).toBe('org.matrix.custom.html');
    // On the wire the homeserver only saw ciphertext.
    const wire = fake.roomEvents(dm).filter((e) => e.sender === bot.userId && e.type !== 'm.room.member');
    expect(wire.every((e) => e.type === 'm.room.encrypted')).toBe(true);
    // The DM is recorded in the bot's m.direct.
    expect(fake.getAccountData(bot.userId, 'm.direct')).toEqual({ [alice.userId]: [dm] });
  });

  it('answers "aide" with the command list, as HTML with a plain-text fallback', async () => {
    const [reply] = await exchange(alice, dm, 'aide');
    expect(bodyOf(reply!)).toContain('Voici ce que je sais faire');
    expect(String(reply!.content.formatted_body)).toContain('<strong>Voici ce que je sais faire</strong>');
    expect(reply!.encrypted).toBe(true);
  });

  it('answers an assistant question with citations, and stores a 👍 reaction as feedback', async () => {
    const [answer] = await exchange(alice, dm, VISIT_QUESTION);
    const body = bodyOf(answer!);
    expect(body).toContain('Voici des extraits de récits proches de votre situation');
    expect(body).toMatch(/Sources\n\[1\] /);
    expect(body).toContain('👍');
    expect(String(answer!.content.formatted_body)).toMatch(/<li>\[1\] <strong>/);

    const thanks = botMessages(alice, dm).length;
    await alice.react(dm, answer!.eventId, '👍️');
    await alice.waitForMessages(bot.userId, dm, thanks + 1);
    await waitFor(async () => (await relais.repositories.audit.list({ action: 'assistant.feedback' })).length === 1);
    const [feedback] = await relais.repositories.audit.list({ action: 'assistant.feedback' });
    expect(feedback!.details).toEqual({ rating: 'up' });
  });

  it('streams a long answer by throttled edits whose last one is complete', async () => {
    const [first] = await exchange(alice, dm, 'flux');
    await waitFor(() => {
      const edits = alice.from(bot.userId, dm).filter((e) => (e.content['m.relates_to'] as { event_id?: string } | undefined)?.event_id === first!.eventId);
      return edits.some((e) => String((e.content['m.new_content'] as { body?: string }).body).includes('Généré par IA'));
    }, 15_000);
    const edits = alice.from(bot.userId, dm).filter((e) => (e.content['m.relates_to'] as { event_id?: string } | undefined)?.event_id === first!.eventId);
    const final = edits.at(-1)!;
    expect((final.content['m.relates_to'] as { rel_type: string }).rel_type).toBe('m.replace');
    const newContent = final.content['m.new_content'] as { body: string; formatted_body: string };
    expect(newContent.body).toContain('Première partie, deuxième partie, fin.');
    expect(newContent.formatted_body).toContain('<strong>fin</strong>');
    expect(newContent.body).toContain('Généré par IA');
    // Edits are at least 1 s apart: a 1.2 s stream gives few of them.
    const times = fake.roomEvents(dm).filter((e) => e.sender === bot.userId).map((e) => e.origin_server_ts);
    expect(edits.length).toBeLessThanOrEqual(3);
    expect(times.length).toBeGreaterThan(0);
  });

  it('asks a single-choice question as a poll in a DM and maps the vote back to the option value', async () => {
    const [poll] = await exchange(alice, dm, 'question');
    expect(poll!.type).toBe('org.matrix.msc3381.poll.start');
    const start = poll!.content['org.matrix.msc3381.poll.start'] as { answers: { id: string }[] };
    expect(poll!.content['m.poll']).toBeDefined();
    const before = botMessages(alice, dm).length;
    await alice.sendEvent(dm, 'org.matrix.msc3381.poll.response', {
      'm.relates_to': { rel_type: 'm.reference', event_id: poll!.eventId },
      'org.matrix.msc3381.poll.response': { answers: [start.answers[1]!.id] },
    });
    const [ack] = (await alice.waitForMessages(bot.userId, dm, before + 1)).slice(before);
    expect(bodyOf(ack!)).toMatch(/^Réponse enregistrée : moyen\n/);
    expect(answers.at(-1)).toEqual({ value: 'moyen', platformUser: alice.userId });
  });

  it('in a group room: ignores messages without a mention, answers a mention, numbered replies and threads', async () => {
    const room = await bob.inviteBot(bot.userId, { encrypted: true, direct: false, name: 'Promo 2026' });
    await bob.waitForMessages(bot.userId, room, 1); // channel greeting
    // A third member makes it a group.
    const carol = await newStudent('carol');
    await bob.client.invite(room, carol.userId);
    await carol.joinRoom(room);
    await waitFor(() => platform().client?.getRoom(room)?.getJoinedMemberCount() === 3, 10_000);

    const before = botMessages(bob, room).length;
    await bob.say(room, 'on parle du stage demain ?');
    // Numbered options in text (no polls in a group room), then "Relais 3" answers.
    const [question] = await exchange(bob, room, 'Relais : question', 1, { 'm.mentions': { user_ids: [bot.userId] } });
    expect(botMessages(bob, room).length).toBe(before + 1);
    expect(question!.type).toBe('m.room.message');
    expect(bodyOf(question!)).toContain('1. Bien\n2. Moyennement\n3. Difficilement');
    expect(bodyOf(question!)).toContain('Répondez par le numéro');
    const [ack] = await exchange(bob, room, 'Relais 3');
    expect(bodyOf(ack!)).toMatch(/^Réponse enregistrée : mal\n/);

    // A reply in a thread is answered in that thread.
    const root = await bob.say(room, '@relais:relais.test aide');
    await bob.waitForMessages(bot.userId, room, before + 3);
    const [inThread] = await exchange(bob, room, 'Relais aide', 1, {
      'm.relates_to': { rel_type: 'm.thread', event_id: root, is_falling_back: true, 'm.in_reply_to': { event_id: root } },
    });
    expect(inThread!.content['m.relates_to']).toMatchObject({ rel_type: 'm.thread', event_id: root });
  });

  it('proactive DM: reuses the existing DM, or creates an encrypted one recorded in m.direct', async () => {
    const reused = await platform().openDirect(alice.userId);
    expect(reused).toEqual({ platform: 'matrix', externalId: dm, kind: 'direct' });

    const dave = await newStudent('dave');
    const ref = await platform().openDirect(dave.userId);
    expect(ref.externalId).not.toBe(dm);
    expect(fake.stateOf(ref.externalId, 'm.room.encryption')).toEqual({ algorithm: 'm.megolm.v1.aes-sha2' });
    expect(fake.membershipOf(ref.externalId, dave.userId)).toBe('invite');
    expect((fake.getAccountData(bot.userId, 'm.direct') as Record<string, string[]>)[dave.userId]).toEqual([ref.externalId]);
    await dave.joinRoom(ref.externalId);
    await waitFor(() => platform().client?.getRoom(ref.externalId)?.getMember(dave.userId)?.membership === 'join', 10_000);
    await platform().send(ref, { id: 'm1', cursor: '1', createdAt: new Date(), conversationId: 'c', locale: 'fr', message: textMessage('Un nouveau sondage vous attend.') });
    const [message] = await dave.waitForMessages(bot.userId, ref.externalId, 1);
    expect(message!.encrypted).toBe(true);
    expect(bodyOf(message!)).toBe('Un nouveau sondage vous attend.');
    expect(await platform().openDirect(dave.userId)).toEqual(ref);
  });

  it('a redelivered event gets one reply', async () => {
    const before = botMessages(alice, dm).length;
    const eventId = await alice.say(dm, 'aide');
    await alice.waitForMessages(bot.userId, dm, before + 1);
    fake.redeliver(eventId);
    fake.redeliver(eventId);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(botMessages(alice, dm).length).toBe(before + 1);
  });

  it('honours M_LIMIT_EXCEEDED: waits retry_after_ms, then sends once', async () => {
    fake.failNext(/^PUT \/_matrix\/client\/v3\/rooms\/[^/]+\/send\/m\.room\.encrypted\//, 429, { errcode: 'M_LIMIT_EXCEEDED', error: 'Too Many Requests', retry_after_ms: 700 }, { userId: bot.userId });
    const limitedBefore = platform().sender.rateLimited;
    const started = Date.now();
    const [reply] = await exchange(alice, dm, 'aide');
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    expect(bodyOf(reply!)).toContain('Voici ce que je sais faire');
    expect(platform().sender.rateLimited).toBe(limitedBefore + 1);
    // Exactly one copy of the reply.
    await new Promise((r) => setTimeout(r, 300));
    expect(botMessages(alice, dm).filter((m) => m.eventId === reply!.eventId)).toHaveLength(1);
  });

  it('honours HTTP 429 with a Retry-After header', async () => {
    fake.failNext(/^PUT \/_matrix\/client\/v3\/rooms\/[^/]+\/send\//, 429, { errcode: 'M_LIMIT_EXCEEDED', error: 'Too Many Requests' }, { userId: bot.userId, headers: { 'retry-after': '1' } });
    const started = Date.now();
    const [reply] = await exchange(alice, dm, 'aide');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(bodyOf(reply!)).toContain('Voici ce que je sais faire');
  });

  it('splits a very long message into encrypted events the homeserver accepts (65,536 bytes each)', async () => {
    const requestsBefore = fake.requests.length;
    const parts = await exchange(alice, dm, 'long', 3);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const part of parts) expect(part.decryptionFailed).toBe(false);
    expect(parts.map(bodyOf).join('')).toContain('pour remplir le message.');
    const sizes = fake.roomEvents(dm).filter((e) => e.sender === bot.userId).map((e) => Buffer.byteLength(JSON.stringify(e.content)));
    expect(Math.max(...sizes)).toBeLessThan(65_536);
    expect(fake.requests.length).toBeGreaterThan(requestsBefore);
  });

  it('declines invitations from servers outside the allow-list', async () => {
    const stranger = fake.registerUser('eve', 'Eve');
    const roomId = fake.createRoomDirect(stranger.userId, { invite: [bot.userId], isDirect: true });
    void roomId;
    // Same server: allowed. A foreign server name is simulated by a user id on another domain.
    const foreign = new MatrixHomeserverFake({ serverName: 'elsewhere.example' });
    const outsider = foreign.registerUser('mallory');
    const foreignRoom = fake.createRoomDirect(outsider.userId, { invite: [bot.userId], isDirect: true });
    await waitFor(() => fake.membershipOf(foreignRoom, bot.userId) === 'leave', 10_000);
    await waitFor(() => fake.membershipOf(roomId, bot.userId) === 'join', 10_000);
  });
});
