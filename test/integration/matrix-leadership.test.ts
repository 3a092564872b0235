/**
 * Only the instance holding the `matrix-sync` leadership runs the Matrix
 * client; another instance takes over when the leader stops, and a
 * non-leader refuses proactive sends with a transient error.
 */
import { jest } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MatrixPlatform } from '../../src/adapters/chat/matrix/matrix.platform.js';
import { createSilentLogger } from '../../src/adapters/log/pino-logger.js';
import { InMemoryEventDeduplicator } from '../../src/adapters/memory/in-memory-event-deduplicator.js';
import { InMemoryLeaderLock } from '../../src/adapters/memory/in-memory-leader-lock.js';
import { InMemoryPlatformStateStore } from '../../src/adapters/memory/in-memory-platform-state.js';
import { InMemoryRateLimiter } from '../../src/adapters/rate-limit/in-memory-rate-limiter.js';
import { RelaisError } from '../../src/core/errors.js';
import { systemClock } from '../../src/core/ports/clock.js';
import { MatrixHomeserverFake } from '../fakes/matrix-homeserver-fake.js';
import { waitFor } from '../support/wait-for.js';

jest.setTimeout(30_000);

describe('Matrix sync leadership', () => {
  it('syncs on one instance at a time and fails over', async () => {
    const fake = await new MatrixHomeserverFake().start();
    const bot = fake.registerUser('relais', 'Relais', 'LEADBOT');
    const lock = new InMemoryLeaderLock();
    const state = new InMemoryPlatformStateStore();
    const dedup = new InMemoryEventDeduplicator();
    const dirs = [await mkdtemp(join(tmpdir(), 'relais-matrix-a-')), await mkdtemp(join(tmpdir(), 'relais-matrix-b-'))];
    const make = (dataDir: string): MatrixPlatform =>
      new MatrixPlatform({
        homeserverUrl: fake.url,
        userId: bot.userId,
        accessToken: bot.accessToken,
        deviceId: bot.deviceId,
        allow: { domains: [fake.serverName], rooms: [], users: [] },
        dataDir,
        logger: createSilentLogger(),
        clock: systemClock,
        dedup,
        limiter: new InMemoryRateLimiter(),
        state,
        leaderLock: lock,
        leaderRetryMs: 100,
      });
    const [a, b] = [make(dirs[0]!), make(dirs[1]!)];
    try {
      await a.start(async () => undefined);
      await b.start(async () => undefined);
      expect(a.isLeader).toBe(true);
      expect(b.isLeader).toBe(false);
      const syncsBefore = fake.requests.filter((r) => r.startsWith('GET /_matrix/client/v3/sync')).length;
      await expect(b.openDirect('@alice:relais.test')).rejects.toMatchObject({ code: 'matrix.not_leader', transient: true });
      await expect(b.openDirect('@alice:relais.test')).rejects.toBeInstanceOf(RelaisError);

      await a.stop();
      await waitFor(() => b.isLeader, 10_000);
      expect(a.isLeader).toBe(false);
      expect(fake.requests.filter((r) => r.startsWith('GET /_matrix/client/v3/sync')).length).toBeGreaterThan(syncsBefore);
      expect(await state.get('matrix', 'sync')).toMatchObject({ token: expect.stringMatching(/^s\d+$/) });
    } finally {
      await a.stop();
      await b.stop();
      await fake.stop();
      for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    }
  });
});
