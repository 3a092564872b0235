/**
 * Every request that sends something on the bot's behalf (room events, room
 * creation) goes through here: it waits for the outbound limiter (per room,
 * then per account), and on `M_LIMIT_EXCEEDED` (or HTTP 429) pauses the
 * account for the server's `retry_after_ms` / `Retry-After` on every instance
 * and tries again. The SDK's own retries are off (see matrix-session.ts), so
 * a rate-limited send is retried once per server answer, not twice.
 */
import type { MatrixClient } from 'matrix-js-sdk';
import { RelaisError } from '../../../core/errors.js';
import type { Logger } from '../../../core/ports/logger.js';
import type { RateLimiter, RateRule } from '../../rate-limit/rate-limiter.js';

/**
 * Client-side limits, applied before the homeserver's own. Synapse limits
 * messages per sender (`rc_message`, default per_second 0.2 and burst_count
 * 10, configurable per server and per user through the admin API's
 * `override_ratelimit`, which bot accounts usually get). Whatever the server
 * applies, its `M_LIMIT_EXCEEDED` answers pause the account on every
 * instance; these rules only keep the bot from provoking them.
 */
export interface MatrixRateRules {
  /** Whole account (all rooms): Synapse's `rc_message` is per sender. */
  account: RateRule[];
  /** One room: keeps a single conversation readable. */
  room: RateRule[];
}

/**
 * Defaults: at most 10 sends per second for the account and 5 per 3 s in one
 * room (a streamed answer edits at most once a second).
 */
export function defaultMatrixRules(): MatrixRateRules {
  return { account: [{ limit: 10, windowMs: 1_000 }], room: [{ limit: 5, windowMs: 3_000 }] };
}

/**
 * Synapse's default `rc_message` as a sliding window: `burst` sends per
 * `burst / perSecond` seconds (10 per 50 s), which never exceeds the token
 * bucket and reaches its long-run rate. For homeservers that apply it to the bot.
 */
export function synapseDefaultRules(perSecond = 0.2, burst = 10): MatrixRateRules {
  return {
    account: [{ limit: burst, windowMs: Math.round((burst / perSecond) * 1000) }],
    room: [{ limit: 5, windowMs: 3_000 }],
  };
}

const MAX_ATTEMPTS = 6;

export const accountKey = (userId: string): string => `matrix:account:${userId}`;
const roomKey = (roomId: string): string => `matrix:room:${roomId}`;

interface MatrixLikeError {
  errcode?: string;
  httpStatus?: number;
  data?: { retry_after_ms?: unknown };
  getRetryAfterMs?: () => number | null;
}

/** Milliseconds the server asked us to wait, or undefined when the error is not a rate limit. */
export function retryAfterOf(error: unknown): number | undefined {
  const e = error as MatrixLikeError;
  if (e?.errcode !== 'M_LIMIT_EXCEEDED' && e?.httpStatus !== 429) return undefined;
  let ms: number | null | undefined;
  try {
    ms = e.getRetryAfterMs?.();
  } catch {
    ms = undefined;
  }
  if (typeof ms !== 'number' && typeof e.data?.retry_after_ms === 'number') ms = e.data.retry_after_ms;
  return typeof ms === 'number' && ms >= 0 ? ms : 1_000;
}

export class MatrixSender {
  /** M_LIMIT_EXCEEDED answers received (metrics, benchmark). */
  rateLimited = 0;

  constructor(
    private readonly userId: string,
    private readonly limiter: RateLimiter,
    private readonly rules: MatrixRateRules,
    private readonly log: Logger,
  ) {}

  /** Sends a room event; returns its event id. */
  async sendEvent(client: MatrixClient, roomId: string, type: string, content: Record<string, unknown>): Promise<string> {
    const response = await this.withLimits(roomId, () =>
      // The SDK's typings only know the spec's event types; ours (polls, reactions) are valid too.
      (client.sendEvent as (roomId: string, threadId: string | null, type: string, content: Record<string, unknown>) => Promise<{ event_id: string }>)(
        roomId,
        null,
        type,
        content,
      ),
    );
    return response.event_id;
  }

  /** Runs `request` (one send) within the limits, retrying after rate-limit answers. */
  async withLimits<T>(roomId: string | undefined, request: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (roomId) await this.limiter.acquire(roomKey(roomId), this.rules.room);
      await this.limiter.acquire(accountKey(this.userId), this.rules.account);
      try {
        return await request();
      } catch (error) {
        const retryAfter = retryAfterOf(error);
        if (retryAfter !== undefined && attempt < MAX_ATTEMPTS) {
          this.rateLimited++;
          this.log.info({ retryAfterMs: retryAfter, attempt }, 'rate limited by the homeserver: pausing');
          await this.limiter.pause(accountKey(this.userId), retryAfter);
          continue;
        }
        throw toRelaisError(error);
      }
    }
  }
}

function toRelaisError(error: unknown): RelaisError {
  if (error instanceof RelaisError) return error;
  const e = error as MatrixLikeError & { message?: string };
  const code = e?.errcode;
  if (code === 'M_TOO_LARGE') return new RelaisError('platform.too_large', 'the homeserver refused an event as too large', { userMessage: 'error.tooLong', cause: error });
  if (code === 'M_LIMIT_EXCEEDED') return new RelaisError('platform.rate_limited', 'the homeserver kept rate-limiting', { transient: true, userMessage: 'error.unavailable', cause: error });
  if (code === 'M_FORBIDDEN') return new RelaisError('matrix.forbidden', 'the homeserver refused the request (M_FORBIDDEN)', { cause: error });
  const status = e?.httpStatus;
  const transient = status === undefined || status >= 500;
  return new RelaisError('matrix.request_failed', `Matrix request failed (${code ?? status ?? 'network'})`, { transient, userMessage: transient ? 'error.unavailable' : 'error.generic', cause: error });
}
