/**
 * One platform's row of `npm run bench -- fanout`: one message sent to N
 * recipients through the adapter against its fake, which enforces the
 * platform's documented limits.
 */
export interface FanoutResult {
  platform: 'slack' | 'teams' | 'matrix';
  recipients: number;
  /** Wall time from the first send to the last delivery, in ms. */
  totalMs: number;
  /** Least time the documented limits allow for these sends, in ms. */
  theoreticalMinMs: number;
  /** 429 / M_LIMIT_EXCEEDED answers the fake gave. */
  rateLimited: number;
  /** Messages the fake received (must equal recipients). */
  delivered: number;
  /** Adapter CPU-side cost per message (render + limiter + SDK call), in ms, measured without limits. */
  overheadMsPerMessage: number;
  /** The limits applied, in words, for the table. */
  limits: string;
}
