import type { MatrixSettings } from '../config.js';
import { MatrixPlatform } from '../adapters/chat/matrix/matrix.platform.js';
import type { BuiltPlatform, ChatPlatformDeps } from './chat-platform-deps.js';

/** Builds the Matrix adapter (src/adapters/chat/matrix); no I/O until start(). */
export async function createMatrixPlatform(settings: MatrixSettings, deps: ChatPlatformDeps): Promise<BuiltPlatform> {
  const platform = new MatrixPlatform({
    homeserverUrl: settings.homeserverUrl,
    userId: settings.userId,
    accessToken: settings.accessToken,
    ...(settings.deviceId ? { deviceId: settings.deviceId } : {}),
    ...(settings.recoveryKey ? { recoveryKey: settings.recoveryKey } : {}),
    allow: { domains: settings.allowedDomains, rooms: settings.allowedRooms, users: settings.allowedUsers },
    dataDir: deps.config.dataDir,
    logger: deps.logger,
    clock: deps.clock,
    dedup: deps.dedup,
    limiter: deps.limiter,
    state: deps.state,
    leaderLock: deps.leaderLock,
  });
  return { platform };
}
