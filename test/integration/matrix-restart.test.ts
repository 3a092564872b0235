/**
 * The bot restarts (stop + start with the same data directory, embedded
 * PGlite database): same device identity, still decrypts new messages in the
 * existing encrypted room, answers a message sent while it was down exactly
 * once, and never answers older history again.
 */
import { jest } from '@jest/globals';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MatrixPlatform } from '../../src/adapters/chat/matrix/matrix.platform.js';
import type { Relais } from '../../src/main.js';
import { MatrixHomeserverFake, type FakeUser } from '../fakes/matrix-homeserver-fake.js';
import { bodyOf, isMessage, StudentClient } from '../fakes/matrix/student-client.js';
import { startTestRelais } from '../support/start-test-relais.js';
import { waitFor } from '../support/wait-for.js';

jest.setTimeout(90_000);

describe('Matrix adapter across a restart', () => {
  let fake: MatrixHomeserverFake;
  let bot: FakeUser;
  let alice: StudentClient;
  let dataDir: string;
  let relais: Relais | undefined;

  const start = async (): Promise<Relais> =>
    startTestRelais({
      DATABASE_URL: '',
      RELAIS_DATA_DIR: dataDir,
      MATRIX_HOMESERVER_URL: fake.url,
      MATRIX_USER_ID: bot.userId,
      MATRIX_ACCESS_TOKEN: bot.accessToken,
      MATRIX_DEVICE_ID: bot.deviceId,
    });
  const fromBot = (roomId: string) => alice.from(bot.userId, roomId).filter(isMessage);
  const identityKey = (): string => JSON.stringify((fake.deviceKeys(bot.userId, bot.deviceId) as { keys: unknown }).keys);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'relais-matrix-restart-'));
    fake = await new MatrixHomeserverFake().start();
    bot = fake.registerUser('relais', 'Relais', 'RELAISBOT');
    alice = await new StudentClient(fake.registerUser('alice', 'Alice'), fake.url).start();
  });
  afterAll(async () => {
    alice?.stop();
    await relais?.stop();
    await fake?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps its device identity and room keys, answers what came while it was down once, and no history', async () => {
    relais = await start();
    const dm = await alice.inviteBot(bot.userId, { encrypted: true });
    await alice.waitForMessages(bot.userId, dm, 1);
    await alice.say(dm, 'aide');
    await alice.waitForMessages(bot.userId, dm, 2);
    const keyBefore = identityKey();
    const platform = relais.platforms.get('matrix') as MatrixPlatform;
    const storeFile = platform.storeFile;

    await relais.stop();
    relais = undefined;
    expect((await stat(storeFile)).size).toBeGreaterThan(1_000);
    const uploadsBefore = fake.requests.filter((r) => r.endsWith('/keys/upload')).length;

    // Written while the bot is down: encrypted with the session the bot already holds.
    const whileDown = await alice.say(dm, 'à propos');
    relais = await start();
    const replies = await alice.waitForMessages(bot.userId, dm, 3, 30_000);
    expect(bodyOf(replies[2]!)).toMatch(/données|propos/i);
    expect(replies[2]!.decryptionFailed).toBe(false);

    // Same device identity: the keys on the server did not change.
    expect(identityKey()).toBe(keyBefore);
    const uploadsAfter = fake.requests.filter((r) => r.endsWith('/keys/upload')).length;
    expect(uploadsAfter - uploadsBefore).toBeLessThanOrEqual(1); // at most one-time keys top-up

    // New messages in the existing encrypted room are still decrypted and answered.
    await alice.say(dm, 'aide');
    const after = await alice.waitForMessages(bot.userId, dm, 4, 30_000);
    expect(bodyOf(after[3]!)).toContain('Voici ce que je sais faire');

    // Nothing else: neither the first "aide" nor the message sent while down were answered twice.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(fromBot(dm)).toHaveLength(4);
    expect(whileDown).toBeTruthy();
  });

  it('a second restart replays nothing', async () => {
    const dm = fake.roomIds().find((id) => fake.membershipOf(id, bot.userId) === 'join')!;
    const count = fromBot(dm).length;
    await relais!.stop();
    relais = await start();
    await waitFor(() => (relais!.platforms.get('matrix') as MatrixPlatform).isLeader, 10_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(fromBot(dm)).toHaveLength(count);
  });
});
