/**
 * With MATRIX_RECOVERY_KEY on a fresh account, the adapter creates the
 * cross-signing keys, signs its device, stores the secrets in secret storage
 * under the recovery key and turns key backup on — all against the fake
 * homeserver, through the SDK.
 */
import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRecoveryKey } from 'matrix-js-sdk/lib/crypto-api/recovery-key.js';
import { MatrixPlatform } from '../../src/adapters/chat/matrix/matrix.platform.js';
import { createSilentLogger } from '../../src/adapters/log/pino-logger.js';
import { InMemoryEventDeduplicator } from '../../src/adapters/memory/in-memory-event-deduplicator.js';
import { InMemoryLeaderLock } from '../../src/adapters/memory/in-memory-leader-lock.js';
import { InMemoryPlatformStateStore } from '../../src/adapters/memory/in-memory-platform-state.js';
import { InMemoryRateLimiter } from '../../src/adapters/rate-limit/in-memory-rate-limiter.js';
import { systemClock } from '../../src/core/ports/clock.js';
import { MatrixHomeserverFake } from '../fakes/matrix-homeserver-fake.js';

jest.setTimeout(60_000);

describe('Matrix recovery key', () => {
  it('bootstraps cross-signing and key backup, and signs the device', async () => {
    const fake = await new MatrixHomeserverFake().start();
    const bot = fake.registerUser('relais', 'Relais', 'RKBOT');
    const dataDir = await mkdtemp(join(tmpdir(), 'relais-matrix-rk-'));
    const platform = new MatrixPlatform({
      homeserverUrl: fake.url,
      userId: bot.userId,
      accessToken: bot.accessToken,
      deviceId: bot.deviceId,
      recoveryKey: encodeRecoveryKey(new Uint8Array(randomBytes(32)))!,
      allow: { domains: [fake.serverName], rooms: [], users: [] },
      dataDir,
      logger: createSilentLogger(),
      clock: systemClock,
      dedup: new InMemoryEventDeduplicator(),
      limiter: new InMemoryRateLimiter(),
      state: new InMemoryPlatformStateStore(),
      leaderLock: new InMemoryLeaderLock(),
    });
    try {
      await platform.start(async () => undefined);
      const crypto = platform.client!.getCrypto()!;
      expect(await crypto.isCrossSigningReady()).toBe(true);
      expect(await crypto.isSecretStorageReady()).toBe(true);
      expect(await crypto.getActiveSessionBackupVersion()).not.toBeNull();
      const device = fake.deviceKeys(bot.userId, bot.deviceId) as { signatures: Record<string, Record<string, string>> };
      // Signed by the device itself and by the self-signing key.
      expect(Object.keys(device.signatures[bot.userId]!).length).toBeGreaterThanOrEqual(2);
      expect(fake.getAccountData(bot.userId, 'm.secret_storage.default_key')).toBeDefined();
      expect(fake.getAccountData(bot.userId, 'm.cross_signing.master')).toBeDefined();
    } finally {
      await platform.stop();
      await fake.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
