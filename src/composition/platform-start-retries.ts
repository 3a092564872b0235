/**
 * Starts the chat platforms. A platform that cannot be reached at start (a
 * transient error: network, 5xx, rate limit) must not keep the others — the
 * web chat, another platform — from serving: it is retried in the background
 * with a capped backoff, and /readyz reports it through its health probe
 * meanwhile. A permanent error (a revoked token, a bad configuration) still
 * fails the start, so a misconfiguration is seen at once.
 */
import { RelaisError } from '../core/errors.js';
import type { ChatPlatform, InboundHandler } from '../core/ports/chat-platform.js';
import type { Logger } from '../core/ports/logger.js';

const FIRST_RETRY_MS = 2_000;
const MAX_RETRY_MS = 60_000;

export class PlatformStartRetries {
  private readonly timers = new Set<NodeJS.Timeout>();
  private cancelled = false;

  constructor(
    private readonly logger: Logger,
    private readonly firstRetryMs: number = FIRST_RETRY_MS,
  ) {}

  async start(platform: ChatPlatform, handler: InboundHandler): Promise<void> {
    try {
      await platform.start(handler);
    } catch (error) {
      if (!(error instanceof RelaisError && error.transient)) throw error;
      this.logger.error({ platform: platform.name, code: error.code, err: error.message }, 'platform unreachable at start; retrying in the background');
      this.retryLater(platform, handler, this.firstRetryMs);
    }
  }

  /** Stops pending retries (shutdown). */
  cancel(): void {
    this.cancelled = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private retryLater(platform: ChatPlatform, handler: InboundHandler, delayMs: number): void {
    if (this.cancelled) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.cancelled) return;
      platform.start(handler).then(
        () => this.logger.info({ platform: platform.name }, 'platform started after retry'),
        (error: unknown) => {
          const code = error instanceof RelaisError ? error.code : 'unknown';
          this.logger.error({ platform: platform.name, code, err: (error as Error).message }, 'platform start failed again');
          this.retryLater(platform, handler, Math.min(delayMs * 2, MAX_RETRY_MS));
        },
      );
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }
}
