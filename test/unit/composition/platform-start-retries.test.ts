import { createSilentLogger } from '../../../src/adapters/log/pino-logger.js';
import { PlatformStartRetries } from '../../../src/composition/platform-start-retries.js';
import { RelaisError, UnavailableError } from '../../../src/core/errors.js';
import type { ChatPlatform, InboundHandler } from '../../../src/core/ports/chat-platform.js';

/** A platform whose start fails with the given errors, then succeeds. */
function platformFailing(...errors: Error[]): ChatPlatform & { starts: number; started: boolean } {
  return {
    name: 'slack',
    starts: 0,
    started: false,
    async start() {
      this.starts++;
      const error = errors.shift();
      if (error) throw error;
      this.started = true;
    },
    async stop() {},
    async send() {},
    async openDirect() {
      throw new Error('unused');
    },
  };
}

const handler: InboundHandler = async () => undefined;
const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe('starting chat platforms', () => {
  it('keeps going when a platform is unreachable, and starts it in the background once it answers', async () => {
    const retries = new PlatformStartRetries(createSilentLogger(), 10);
    const platform = platformFailing(new UnavailableError('platform.unavailable', 'connection refused'), new UnavailableError('platform.unavailable', 'still down'));
    await retries.start(platform, handler);
    expect(platform.started).toBe(false);
    await until(() => platform.started);
    expect(platform).toMatchObject({ started: true, starts: 3 });
    retries.cancel();
  });

  it('fails the start at once on a permanent error (a revoked token)', async () => {
    const retries = new PlatformStartRetries(createSilentLogger(), 10);
    const platform = platformFailing(new RelaisError('platform.unauthorized', 'invalid_auth'));
    await expect(retries.start(platform, handler)).rejects.toMatchObject({ code: 'platform.unauthorized' });
    retries.cancel();
  });

  it('stops retrying at shutdown', async () => {
    const retries = new PlatformStartRetries(createSilentLogger(), 20);
    const platform = platformFailing(new UnavailableError('platform.unavailable', 'down'));
    await retries.start(platform, handler);
    retries.cancel();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(platform.starts).toBe(1);
  });
});
