/**
 * A survey campaign on Matrix, end to end: a real Relais whose Matrix adapter
 * (matrix-js-sdk + Rust crypto) syncs against the fake homeserver, and a
 * person driven by a second matrix-js-sdk client in an encrypted DM; the
 * "irritants" campaign launched in private mode for a team of Matrix people;
 * the invitation arrives in the DM as HTML with numbered options; answers are
 * numbered or typed replies and MSC3381 poll responses; the results count the
 * submission.
 */
import { jest } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSilentLogger } from '../../src/adapters/log/pino-logger.js';
import { loadConfig } from '../../src/config.js';
import { startRelais, type Relais } from '../../src/main.js';
import { MatrixHomeserverFake, type FakeUser } from '../fakes/matrix-homeserver-fake.js';
import { bodyOf, isMessage, StudentClient, type SeenEvent } from '../fakes/matrix/student-client.js';
import { TEST_SECRET } from '../support/start-test-relais.js';
import { waitFor } from '../support/wait-for.js';

jest.setTimeout(60_000);

/** Monday 7 December 2026, 10:00 in Paris: outside quiet hours. */
const START = Date.parse('2026-12-07T09:00:00Z');
const POLL_START = 'org.matrix.msc3381.poll.start';

describe('survey campaign on Matrix', () => {
  let fake: MatrixHomeserverFake;
  let relais: Relais;
  let dataDir: string;
  let bot: FakeUser;
  let agent: StudentClient;

  beforeAll(async () => {
    fake = await new MatrixHomeserverFake().start();
    bot = fake.registerUser('relais', 'Relais', 'RELAISBOT');
    dataDir = await mkdtemp(join(tmpdir(), 'relais-survey-matrix-'));
    const origin = Date.now();
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
    relais = await startRelais(config, { logger: createSilentLogger(), clock: { now: () => new Date(START + (Date.now() - origin)) } });
    agent = await new StudentClient(fake.registerUser('agent', 'Agent'), fake.url).start();
  });
  afterAll(async () => {
    agent?.stop();
    await relais?.stop();
    await fake?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('irritants in private mode: numbered HTML invitation in the DM, answered by replies and poll votes, counted in the results', async () => {
    // First contact in an encrypted DM (greeting with the AI disclosure): the DM Relais writes in later.
    const dm = await agent.inviteBot(bot.userId, { encrypted: true });
    await agent.waitForMessages(bot.userId, dm, 1);
    const botMessages = (): SeenEvent[] => agent.from(bot.userId, dm).filter(isMessage);
    const next = async (after: number): Promise<SeenEvent> => (await agent.waitForMessages(bot.userId, dm, after + 1)).at(-1)!;

    const team = await relais.surveys.teams.create({ name: 'Scolarité Matrix' }, null);
    await relais.surveys.teams.add(team.id, [{ platform: 'matrix', externalId: agent.userId }, { platform: 'matrix', externalId: '@absent:relais.test' }], 'member', null);
    const before = botMessages().length;
    const { campaign } = await relais.surveys.campaigns.launch({ surveyId: 'irritants', audience: { kind: 'team', teamId: team.id }, mode: 'private', createdBy: null });

    // The invitation: HTML with the survey title and numbered options, encrypted.
    const invitation = await next(before);
    expect(invitation.encrypted).toBe(true);
    expect(invitation.content.format).toBe('org.matrix.custom.html');
    expect(bodyOf(invitation)).toContain('Vos irritants au quotidien');
    const startLine = /^(\d+)\. .*$/m.exec(bodyOf(invitation));
    expect(startLine).not.toBeNull();

    /** Replies and waits for the next bot message. */
    const reply = async (text: string): Promise<SeenEvent> => {
      const count = botMessages().length;
      await agent.say(dm, text);
      return next(count);
    };
    /** Waits for a poll sent after the first `count` bot messages. */
    const pollAfter = async (count: number): Promise<SeenEvent> => {
      await waitFor(() => botMessages().slice(count).some((e) => e.type === POLL_START), 10_000);
      return botMessages().slice(count).find((e) => e.type === POLL_START)!;
    };
    const vote = async (poll: SeenEvent, answerId: string): Promise<SeenEvent> => {
      const count = botMessages().length;
      await agent.sendEvent(dm, 'org.matrix.msc3381.poll.response', {
        'm.relates_to': { rel_type: 'm.reference', event_id: poll.eventId },
        'org.matrix.msc3381.poll.response': { answers: [answerId] },
      });
      return next(count);
    };

    // "1" starts; the first question is a text question.
    let question = await reply(startLine![1]!);
    expect(bodyOf(question)).toContain('Quelle tâche répétitive');

    // Single choice in a DM of a named campaign: a poll.
    let count = botMessages().length;
    await agent.say(dm, 'Saisie des notes dans Apogée à la main');
    question = await pollAfter(count);
    expect(JSON.stringify(question.content)).toContain('Chaque semaine');
    question = await vote(question, 'a3');

    // Number: typed.
    expect(bodyOf(question)).toContain('Combien de temps');
    count = botMessages().length;
    await agent.say(dm, '90');

    // Scale: a poll too.
    question = await pollAfter(count);
    expect(JSON.stringify(question.content)).toContain('4');
    question = await vote(question, 'v4');

    // Several choices: numbered options, answered "1, 2".
    expect(bodyOf(question)).toMatch(/1\. Moi seul·e\n2\. Mon équipe/);
    question = await reply('1, 2');

    // Optional text.
    expect(bodyOf(question)).toContain("Qu'est-ce qui vous aiderait");
    const thanks = await reply('Un import automatique');
    expect(bodyOf(thanks)).toContain('Merci');

    const stored = await relais.surveys.campaigns.get(campaign.id);
    const results = await relais.surveys.results.results(stored);
    expect(results.participation).toEqual({ invited: 2, started: 1, completed: 1 });
    const submissions = await relais.surveys.results.submissions(stored);
    expect(submissions).toHaveLength(1);
    expect(submissions[0]!.complete).toBe(true);
    const { header, rows } = await relais.surveys.results.exportRows(stored);
    const row = Object.fromEntries(header.map((h, i) => [h, rows[0]![i]]));
    expect(row).toMatchObject({ tache: 'Saisie des notes dans Apogée à la main', frequence: 'hebdomadaire', duree: '90', impact: '4', acteurs: 'moi|equipe', aide: 'Un import automatique' });
  });
});
