/**
 * A coordinator runs a campaign from Matrix, end to end: a real Relais whose
 * Matrix adapter (matrix-js-sdk + Rust crypto) syncs against the fake
 * homeserver, and people driven by other matrix-js-sdk clients.
 *
 * The coordinator launches "irritants" for their team by a message in their
 * encrypted DM with the bot; four Matrix members get the invitation in an
 * encrypted DM the bot opens; three answer (poll votes, numbered replies,
 * one in two sittings), the fourth does not; three days later the reminder
 * reaches only the fourth, once. The coordinator asks the results, gets the
 * export as an encrypted `m.file` whose bytes are the CSV, and the digest
 * with ranked irritants and an encrypted PNG chart. In an unencrypted room
 * the export is a plain `m.file` pointing at the media repository.
 *
 * The digest only lists irritants and draws a chart from k = 5 answers:
 * five colleagues of the team answer through the web chat (fast) so that
 * the figures exist; everything the coordinator and the Matrix members
 * see goes through Matrix.
 */
import { jest } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebBlock, WebMessage } from '../../src/adapters/chat/web/web-message.js';
import { createSilentLogger } from '../../src/adapters/log/pino-logger.js';
import { loadConfig } from '../../src/config.js';
import { CAMPAIGN_CLOSE_JOB } from '../../src/core/surveys/campaign-jobs.js';
import { startRelais, type Relais } from '../../src/main.js';
import { MatrixHomeserverFake, type FakeUser } from '../fakes/matrix-homeserver-fake.js';
import { attachmentBytes } from '../fakes/matrix/attachments.js';
import { bodyOf, isMessage, StudentClient, type SeenEvent } from '../fakes/matrix/student-client.js';
import { TEST_SECRET } from '../support/start-test-relais.js';
import { waitFor } from '../support/wait-for.js';
import { textOf, WebTestClient } from '../support/web-test-client.js';
import { TestClock } from '../support/test-clock.js';

jest.setTimeout(180_000);

const HOUR = 60 * 60 * 1000;
/** Monday 7 December 2026, 10:00 in Paris: outside quiet hours. */
const START = Date.parse('2026-12-07T09:00:00Z');
const POLL_START = 'org.matrix.msc3381.poll.start';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const TITLE = 'Vos irritants au quotidien';
const REMINDER = 'Petit rappel';
/** The invitation itself (questions repeat the survey's title, reminders too). */
const isInvitation = (e: SeenEvent): boolean => bodyOf(e).includes(`${TITLE} — 6 questions`) && !bodyOf(e).includes(REMINDER);

/** A Matrix person and the DM the bot opened with them. */
interface Member {
  client: StudentClient;
  dm: string;
}

async function webHistory(url: string, userId: string): Promise<WebMessage[]> {
  return ((await (await fetch(`${url}/api/web/users/${userId}/messages?limit=200`)).json()) as { messages: WebMessage[] }).messages;
}

function webInput(messages: WebMessage[]): Extract<WebBlock, { actionId: string }> | undefined {
  return messages
    .flatMap((m) => m.blocks)
    .filter((b): b is Extract<WebBlock, { actionId: string }> => 'actionId' in b && b.type !== 'feedback')
    .at(-1);
}

describe('a coordinator runs a campaign from Matrix', () => {
  const clock = new TestClock(START);
  let fake: MatrixHomeserverFake;
  let relais: Relais;
  let dataDir: string;
  let bot: FakeUser;
  let coordinator: StudentClient;
  const clients: StudentClient[] = [];
  const joinedBy = new Map<StudentClient, string[]>();
  /** The irritants campaign launched in the first test. */
  let irritantsId = '';

  beforeAll(async () => {
    fake = await new MatrixHomeserverFake().start();
    bot = fake.registerUser('relais', 'Relais', 'RELAISBOT');
    dataDir = await mkdtemp(join(tmpdir(), 'relais-survey-matrix-coord-'));
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      DATABASE_URL: 'memory://',
      RELAIS_DATA_DIR: dataDir,
      RELAIS_SECRET: TEST_SECRET,
      LOG_LEVEL: 'silent',
      MATRIX_HOMESERVER_URL: fake.url,
      MATRIX_USER_ID: bot.userId,
      MATRIX_ACCESS_TOKEN: bot.accessToken,
      MATRIX_DEVICE_ID: bot.deviceId,
    });
    relais = await startRelais(config, { logger: createSilentLogger(), clock });
    const started = await Promise.all(
      [['coord', 'Coordinatrice'], ['agent1', 'Agent 1'], ['agent2', 'Agent 2'], ['agent3', 'Agent 3'], ['agent4', 'Agent 4']].map(([name, display]) =>
        new StudentClient(fake.registerUser(name!, display!), fake.url).start(),
      ),
    );
    for (const client of started) {
      clients.push(client);
      joinedBy.set(client, client.acceptInvitesFrom(bot.userId));
    }
    coordinator = started[0]!;
  });
  afterAll(async () => {
    for (const client of clients) client.stop();
    await relais?.stop();
    await fake?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const botMessages = (client: StudentClient, roomId: string): SeenEvent[] => client.from(bot.userId, roomId).filter(isMessage);
  /** Waits for the bot's first message after the first `after` ones. */
  const next = async (client: StudentClient, roomId: string, after: number): Promise<SeenEvent> => (await client.waitForMessages(bot.userId, roomId, after + 1, 20_000))[after]!;
  /** Says `text` and waits for the bot's next message. */
  const reply = async (m: Member, text: string): Promise<SeenEvent> => {
    const count = botMessages(m.client, m.dm).length;
    await m.client.say(m.dm, text);
    return next(m.client, m.dm, count);
  };
  /** Says `text` and waits until the bot's new messages satisfy `done`; returns them. */
  const exchange = async (client: StudentClient, roomId: string, text: string, done: (news: SeenEvent[]) => boolean): Promise<SeenEvent[]> => {
    const count = botMessages(client, roomId).length;
    await client.say(roomId, text);
    await waitFor(() => done(botMessages(client, roomId).slice(count)), 20_000);
    await client.waitForMessages(bot.userId, roomId, count + 1);
    return botMessages(client, roomId).slice(count);
  };
  const pollIn = (news: SeenEvent[]): SeenEvent | undefined => news.find((e) => e.type === POLL_START);
  const vote = async (m: Member, poll: SeenEvent, answerId: string): Promise<SeenEvent> => {
    const count = botMessages(m.client, m.dm).length;
    await m.client.sendEvent(m.dm, 'org.matrix.msc3381.poll.response', {
      'm.relates_to': { rel_type: 'm.reference', event_id: poll.eventId },
      'org.matrix.msc3381.poll.response': { answers: [answerId] },
    });
    return next(m.client, m.dm, count);
  };
  /** Text question → poll (single choice) → typed number → poll (scale) → numbered several choices → optional text. */
  const untilPoll = async (m: Member, text: string): Promise<SeenEvent> => pollIn(await exchange(m.client, m.dm, text, (news) => pollIn(news) !== undefined))!;

  const wake = async (campaignId: string): Promise<void> => {
    await relais.scheduler.enqueue(CAMPAIGN_CLOSE_JOB, { campaignId }, { key: `wake-${Date.now()}` });
  };

  const answerOnWeb = async (userId: string, campaignId: string, values: unknown[]): Promise<void> => {
    await waitFor(
      async () => (await webHistory(relais.url, userId)).flatMap((m) => m.blocks).some((b) => b.type === 'buttons' && b.buttons.some((x) => x.actionId === `survey:start:${campaignId}`)),
      15_000,
    );
    const client = new WebTestClient(relais.url, userId);
    let replies = await client.act(`survey:start:${campaignId}`);
    for (const value of values) replies = await client.act(webInput(replies)!.actionId, value);
    expect(textOf(replies)).toContain('Merci');
  };

  it('launch from the DM, invitations in encrypted DMs, answers, one reminder, results, CSV file, digest with a PNG chart', async () => {
    const [, a1, a2, a3, a4] = clients as [StudentClient, StudentClient, StudentClient, StudentClient, StudentClient];
    const team = await relais.surveys.teams.create({ name: 'Scolarité Tchap', service: 'Scolarité' }, null);
    await relais.surveys.teams.add(team.id, [a1, a2, a3, a4].map((c) => ({ platform: 'matrix', externalId: c.userId })), 'member', null);
    const colleagues = ['web-1', 'web-2', 'web-3', 'web-4', 'web-5'];
    await relais.surveys.teams.add(team.id, colleagues.map((externalId) => ({ platform: 'web', externalId })), 'member', null);
    await relais.surveys.teams.add(team.id, [{ platform: 'matrix', externalId: coordinator.userId }], 'coordinator', null);

    // The coordinator's encrypted DM with the bot (greeting with the AI disclosure), then the launch.
    const coordDm = await coordinator.inviteBot(bot.userId, { encrypted: true });
    await coordinator.waitForMessages(bot.userId, coordDm, 1);
    const coord: Member = { client: coordinator, dm: coordDm };
    const launched = bodyOf(await reply(coord, `sondage lancer irritants @${team.id}`));
    expect(launched).toContain('lancé');
    const campaignId = /(c-[0-9a-f]+)/.exec(launched)![1]!;
    irritantsId = campaignId;

    // Each member gets the invitation in an encrypted DM the bot opened (recorded in m.direct).
    const members: Member[] = [];
    for (const client of [a1, a2, a3, a4]) {
      const joined = joinedBy.get(client)!;
      await waitFor(() => joined.length === 1, 20_000);
      const dm = joined[0]!;
      await waitFor(() => botMessages(client, dm).some(isInvitation), 20_000);
      const invitation = botMessages(client, dm).find(isInvitation)!;
      expect(invitation.encrypted).toBe(true);
      expect(invitation.decryptionFailed).toBe(false);
      expect(invitation.content.format).toBe('org.matrix.custom.html');
      expect((fake.getAccountData(bot.userId, 'm.direct') as Record<string, string[]>)[client.userId]).toEqual([dm]);
      members.push({ client, dm });
    }
    const [m1, m2, m3, m4] = members as [Member, Member, Member, Member];
    const startNumber = (m: Member): string => /^(\d+)\. .*$/m.exec(bodyOf(botMessages(m.client, m.dm).find(isInvitation)!))![1]!;

    // m1 votes in the polls.
    expect(bodyOf(await reply(m1, startNumber(m1)))).toContain('Quelle tâche répétitive');
    let poll = await untilPoll(m1, 'Saisie des notes dans Apogée à la main');
    expect(JSON.stringify(poll.content)).toContain('Chaque semaine');
    expect(bodyOf(await vote(m1, poll, 'a3'))).toContain('Combien de temps');
    poll = await untilPoll(m1, '90');
    await vote(m1, poll, 'v4');
    expect(bodyOf(await reply(m1, '1, 2'))).toContain("Qu'est-ce qui vous aiderait");
    expect(bodyOf(await reply(m1, 'Un import automatique'))).toContain('Merci');

    // m2 answers the polls by their numbers, as in a client that does not show polls.
    await reply(m2, startNumber(m2));
    await untilPoll(m2, 'Relances des dossiers de bourse incomplets');
    expect(bodyOf(await reply(m2, '2'))).toContain('Combien de temps');
    await untilPoll(m2, '20');
    expect(bodyOf(await reply(m2, '5'))).toContain('Qui est impliqué');
    await reply(m2, '1, 3');
    expect(bodyOf(await reply(m2, 'Une relance automatique'))).toContain('Merci');

    // m3 answers two questions, does something else, and comes back later.
    await reply(m3, startNumber(m3));
    poll = await untilPoll(m3, 'Saisie des notes dans Apogée à la main');
    expect(bodyOf(await vote(m3, poll, 'a2'))).toContain('Combien de temps');
    const help = await exchange(m3.client, m3.dm, 'aide', (news) => news.length > 0);
    expect(help.map(bodyOf).join('\n')).not.toContain('Combien de temps');
    await exchange(m3.client, m3.dm, 'sondage reprendre', (news) => news.some((e) => bodyOf(e).includes('Combien de temps')));
    poll = await untilPoll(m3, '45');
    await vote(m3, poll, 'v5');
    await reply(m3, '1');
    expect(bodyOf(await reply(m3, 'Un export depuis Apogée'))).toContain('Merci');

    // Five colleagues answer on the web (the digest needs k = 5 reports).
    const tasks = ['Saisie des notes dans Apogée à la main', 'Relances des dossiers de bourse incomplets', 'Saisie des notes dans Apogée à la main', 'Édition des attestations', 'Relances des dossiers de bourse incomplets'];
    for (const [i, id] of colleagues.entries()) await answerOnWeb(id, campaignId, [tasks[i], i % 2 ? 'quotidienne' : 'hebdomadaire', 30 + i * 10, 3 + (i % 3), ['moi'], '~skip']);

    // Three days later, the reminder reaches m4 only, once (even when the runner wakes again).
    const before = members.map((m) => botMessages(m.client, m.dm).length);
    clock.advance(72 * HOUR);
    await wake(campaignId);
    await waitFor(() => botMessages(m4.client, m4.dm).some((e) => bodyOf(e).includes(REMINDER)), 20_000);
    await wake(campaignId);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(botMessages(m4.client, m4.dm).filter((e) => bodyOf(e).includes(REMINDER))).toHaveLength(1);
    expect(botMessages(m4.client, m4.dm).filter(isInvitation)).toHaveLength(1);
    for (const [i, m] of [m1, m2, m3].entries()) expect(botMessages(m.client, m.dm).length).toBe(before[i]);

    // Results in the coordinator's DM.
    const results = bodyOf(await reply(coord, 'sondage résultats'));
    expect(results).toContain('8 réponse(s) complète(s) sur 9');
    expect(results).toContain('Irritants prioritaires');
    expect(results).toMatch(/1\. .*Saisie des notes/);

    // The export: a line of text, then the CSV as an encrypted m.file.
    const exported = await exchange(coordinator, coordDm, 'sondage export', (news) => news.some((e) => e.content.msgtype === 'm.file'));
    expect(bodyOf(exported[0]!)).toContain(`Export CSV de ${campaignId}`);
    const files = exported.filter((e) => e.content.msgtype === 'm.file');
    expect(files).toHaveLength(1);
    const file = files[0]!;
    expect(file.encrypted).toBe(true);
    expect(file.content.url).toBeUndefined();
    expect(file.content).toMatchObject({ body: `irritants-${campaignId}.csv`, filename: `irritants-${campaignId}.csv`, info: { mimetype: 'text/csv' } });
    const csvBytes = await attachmentBytes(fake.url, coordinator.user.accessToken, file.content);
    expect(csvBytes.encrypted).toBe(true);
    expect((file.content.info as { size: number }).size).toBe(csvBytes.bytes.length);
    const lines = csvBytes.bytes.toString('utf8').trim().split('\r\n');
    expect(lines[0]).toBe('submission_id,survey_version,team,phase,submitted_at,complete,tache,frequence,duree,impact,acteurs,aide');
    expect(lines).toHaveLength(9);
    const rows = lines.slice(1).map((line) => line.split(','));
    expect(rows.find((r) => r[8] === '90')!.slice(6)).toEqual(['Saisie des notes dans Apogée à la main', 'hebdomadaire', '90', '4', 'moi|equipe', 'Un import automatique']);
    expect(rows.find((r) => r[8] === '20')!.slice(6)).toEqual(['Relances des dossiers de bourse incomplets', 'quotidienne', '20', '5', 'moi|autres_services', 'Une relance automatique']);
    expect(rows.find((r) => r[8] === '45')!.slice(6)).toEqual(['Saisie des notes dans Apogée à la main', 'quotidienne', '45', '5', 'moi', 'Un export depuis Apogée']);

    // A homeserver that refuses the upload: the coordinator is told, in words, where to get the export.
    fake.failNext(/^POST \/_matrix\/media\/v3\/upload$/, 413, { errcode: 'M_TOO_LARGE', error: 'Upload too large' }, { userId: bot.userId });
    const refused = await exchange(coordinator, coordDm, 'sondage export', (news) => news.some((e) => bodyOf(e).includes('n’a pas pu être envoyé')));
    expect(refused.filter((e) => e.content.msgtype === 'm.file')).toHaveLength(0);
    expect(refused.map(bodyOf).join('\n')).toContain('relais survey export');

    // A weekly check-in answered by the five colleagues gives the digest its chart.
    const checkin = bodyOf(await reply(coord, `sondage lancer checkin-hebdo @${team.id}`));
    const checkinId = /(c-[0-9a-f]+)/.exec(checkin)![1]!;
    for (const id of colleagues) await answerOnWeb(id, checkinId, [60, 4, 2, 5, '~skip']);

    const beforeDigest = botMessages(coordinator, coordDm).length;
    await exchange(coordinator, coordDm, 'digest', (news) => news.some((e) => bodyOf(e).includes('Irritants prioritaires')) && news.some((e) => e.content.msgtype === 'm.image'));
    await new Promise((r) => setTimeout(r, 1_000)); // every part of the digest is in
    const digestParts = botMessages(coordinator, coordDm).slice(beforeDigest);
    const digestText = digestParts.filter((e) => e.content.msgtype === 'm.text').map(bodyOf).join('\n');
    expect(digestText).toContain('Scolarité Tchap');
    expect(digestText).toMatch(/Vos irritants au quotidien : 8 réponses sur 9 personnes invitées/);
    expect(digestText).toContain('Irritants prioritaires');
    expect(digestText).toMatch(/1\. .*(Saisie des notes dans Apogée|Relances des dossiers de bourse)/);
    expect(digestText).toContain('IA');
    const images = digestParts.filter((e) => e.content.msgtype === 'm.image');
    expect(images.length).toBeGreaterThanOrEqual(1);
    for (const image of images) {
      expect(image.encrypted).toBe(true);
      const png = await attachmentBytes(fake.url, coordinator.user.accessToken, image.content);
      expect(png.encrypted).toBe(true);
      expect([...png.bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
      expect((image.content.info as { mimetype: string }).mimetype).toBe('image/png');
    }

    // Nothing was delivered twice, to anyone.
    for (const client of clients) {
      const ids = client.from(bot.userId).filter(isMessage).map((e) => e.eventId);
      expect(new Set(ids).size).toBe(ids.length);
    }
    expect(digestParts.filter((e) => bodyOf(e).includes('Irritants prioritaires'))).toHaveLength(1);
    expect(botMessages(coordinator, coordDm).filter((e) => e.content.msgtype === 'm.file')).toHaveLength(1);
    for (const m of members) expect(botMessages(m.client, m.dm).filter(isInvitation)).toHaveLength(1);
    for (const m of members) expect(botMessages(m.client, m.dm).filter((e) => bodyOf(e).includes(REMINDER))).toHaveLength(m === m4 ? 1 : 0);
    // Every DM the bot opened is the one recorded: no second room for anyone.
    for (const client of clients.slice(1)) expect(joinedBy.get(client)).toHaveLength(1);
  });

  it('in an unencrypted room the export is a plain m.file (url), here in JSON', async () => {
    const room = await coordinator.inviteBot(bot.userId, { encrypted: false });
    await coordinator.waitForMessages(bot.userId, room, 1);
    const exported = await exchange(coordinator, room, `sondage export ${irritantsId} json`, (news) => news.some((e) => e.content.msgtype === 'm.file'));
    const file = exported.find((e) => e.content.msgtype === 'm.file')!;
    expect(file.encrypted).toBe(false);
    expect(file.content.file).toBeUndefined();
    expect(file.content).toMatchObject({ info: { mimetype: 'application/json' } });
    expect(file.content).toMatchObject({ body: `irritants-${irritantsId}.json`, filename: `irritants-${irritantsId}.json` });
    const { bytes, encrypted } = await attachmentBytes(fake.url, coordinator.user.accessToken, file.content);
    expect(encrypted).toBe(false);
    expect((file.content.info as { size: number }).size).toBe(bytes.length);
    const json = JSON.parse(bytes.toString('utf8')) as { submissions: unknown[] };
    expect(json.submissions).toHaveLength(8);
  });
});
