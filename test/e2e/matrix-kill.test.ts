/**
 * kill -9 proof of the Matrix crypto store: Relais runs as a real process
 * against the fake homeserver (in this test process), receives the room key
 * of an encrypted DM, answers, and is killed with SIGKILL. Messages written
 * while it is dead, with that same room key, are decrypted and answered
 * after it restarts on the same data directory, with the same device
 * identity.
 */
import { jest } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MatrixHomeserverFake, type FakeUser } from '../fakes/matrix-homeserver-fake.js';
import { bodyOf, StudentClient } from '../fakes/matrix/student-client.js';
import { freePort, RelaisProcess } from '../support/relais-process.js';

jest.setTimeout(120_000);

describe('Matrix crypto store survives kill -9', () => {
  let fake: MatrixHomeserverFake;
  let bot: FakeUser;
  let alice: StudentClient;
  let dataDir: string;
  const processes: RelaisProcess[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'relais-matrix-kill-'));
    fake = await new MatrixHomeserverFake().start();
    bot = fake.registerUser('relais', 'Relais', 'KILLBOT');
    alice = await new StudentClient(fake.registerUser('alice', 'Alice'), fake.url).start();
  });
  afterAll(async () => {
    for (const p of processes) {
      p.kill('SIGKILL');
      await p.exited;
    }
    alice?.stop();
    await fake?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const spawn = async (): Promise<RelaisProcess> => {
    const port = String(await freePort());
    const relais = RelaisProcess.spawn({
      RELAIS_DATA_DIR: dataDir,
      // The store under test is the Matrix one: an in-memory database keeps the two boots fast.
      DATABASE_URL: 'memory://',
      PORT: port,
      LOG_LEVEL: 'warn',
      MATRIX_HOMESERVER_URL: fake.url,
      MATRIX_USER_ID: bot.userId,
      MATRIX_ACCESS_TOKEN: bot.accessToken,
      MATRIX_DEVICE_ID: bot.deviceId,
    });
    processes.push(relais);
    await relais.ready(90_000);
    return relais;
  };
  const identity = (): string => JSON.stringify((fake.deviceKeys(bot.userId, bot.deviceId) as { keys: unknown }).keys);

  it('decrypts and answers after SIGKILL and restart, with the same device keys', async () => {
    const first = await spawn();
    const dm = await alice.inviteBot(bot.userId, { encrypted: true });
    await alice.waitForMessages(bot.userId, dm, 1, 30_000);
    await alice.say(dm, 'aide');
    await alice.waitForMessages(bot.userId, dm, 2, 30_000);
    const keys = identity();
    // The room key arrived with the first message; its snapshot is written at once.
    await new Promise((r) => setTimeout(r, 500));
    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    await alice.say(dm, 'aide');
    await spawn();
    // The in-memory database forgot the person: the disclosure comes again, then the answer.
    const replies = await alice.waitForMessages(bot.userId, dm, 4, 60_000);
    const after = replies.slice(2);
    for (const reply of after) expect(reply.decryptionFailed).toBe(false);
    expect(after.map(bodyOf).join('\n')).toContain('Voici ce que je sais faire');
    expect(identity()).toBe(keys);
    // Exactly-once across restarts relies on the durable dedup store, which memory:// is not: it is
    // asserted with PGlite in test/integration/matrix-restart.test.ts, not here.
  });
});
