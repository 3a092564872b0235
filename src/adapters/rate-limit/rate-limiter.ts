/**
 * Outbound rate limiting that follows each platform's documented limits,
 * shared by every instance when Redis is configured.
 *
 * A key names what a limit applies to ("teams:conv:<id>", "slack:channel:<id>",
 * "teams:tenant:<id>"); rules are sliding windows, all of which must allow a
 * send. A platform's 429 pauses the key for the Retry-After it gave.
 */
export interface RateRule {
  /** Sends allowed within `windowMs`. */
  limit: number;
  windowMs: number;
}

export interface RateLimiter {
  /** Waits until one more send under `key` respects every rule and any pause, then counts it. */
  acquire(key: string, rules: readonly RateRule[]): Promise<void>;
  /** Holds every send under `key` for `ms` milliseconds (a 429 Retry-After), on every instance. */
  pause(key: string, ms: number): Promise<void>;
}
