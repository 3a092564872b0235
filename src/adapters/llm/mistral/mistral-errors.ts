/**
 * Turns whatever the Mistral SDK (or fetch underneath it) throws into the
 * coded errors of `core/errors.ts`:
 *
 * | code               | when                                                    | transient |
 * |--------------------|---------------------------------------------------------|-----------|
 * | `llm.rate_limited` | HTTP 429                                                | yes       |
 * | `llm.unavailable`  | HTTP 5xx, connection refused/reset, stream cut          | yes       |
 * | `llm.timeout`      | our per-attempt timeout fired, HTTP 408                 | yes       |
 * | `llm.rejected`     | HTTP 400/401/403/404/422 and other 4xx, invalid request | no        |
 * | `llm.bad_response` | the answer does not have the documented shape           | no        |
 * | `llm.aborted`      | the caller's AbortSignal fired                          | no        |
 *
 * Messages are written here, never copied from the SDK: its messages embed
 * the response body, and a 422 body echoes the request (user content). The
 * SDK error is not attached as `cause` for the same reason (and because it
 * holds the Request, whose headers carry the API key).
 */
import { MistralError, ResponseValidationError, SDKValidationError } from '@mistralai/mistralai/models/errors';
import { RelaisError, UnavailableError } from '../../../core/errors.js';

/** What an adapter call does, for messages and logs. */
export type MistralOperation = 'chat' | 'chat.stream' | 'embeddings' | 'moderation';

export interface FailureContext {
  operation: MistralOperation;
  model: string;
  /** Scrubbed from every message, should any text ever contain it. */
  apiKey: string;
  /** Our own per-attempt timer fired (the SDK only sees an aborted fetch). */
  timedOut: boolean;
  /** The caller's AbortSignal fired. */
  callerAborted: boolean;
  /** Clock for HTTP-date `Retry-After` values (tests). */
  now?: number;
}

/**
 * `Retry-After` in milliseconds: either delay-seconds or an HTTP date
 * (RFC 9110 §10.2.3). Undefined when absent or unreadable; a date in the past
 * means "now" (0).
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  // Delay-seconds is an integer per the RFC; fractions are tolerated since some proxies send them.
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Replaces the API key by a marker (defence in depth: our messages never include it). */
export function redactSecret(text: string, secret: string): string {
  return secret.length >= 4 ? text.split(secret).join('[redacted]') : text;
}

function label(context: FailureContext): string {
  return `Mistral ${context.operation} (${context.model})`;
}

function make(code: string, message: string, transient: boolean, context: FailureContext, details: Record<string, unknown>): RelaisError {
  const text = redactSecret(message, context.apiKey);
  const allDetails = { operation: context.operation, model: context.model, ...details };
  if (transient) return new UnavailableError(code, text, { details: allDetails });
  return new RelaisError(code, text, { transient: false, userMessage: code === 'llm.aborted' ? 'error.generic' : 'error.unavailable', details: allDetails });
}

/** Where a 422 says the problem is (`loc` and `type` only: `input` and `msg` may quote content). */
function validationSummary(body: string): Array<{ loc: string; type: string }> | undefined {
  try {
    const parsed = JSON.parse(body) as { detail?: unknown };
    if (!Array.isArray(parsed.detail)) return undefined;
    return parsed.detail.slice(0, 10).map((entry: { loc?: unknown; type?: unknown }) => ({
      loc: Array.isArray(entry.loc) ? entry.loc.map(String).join('.') : '',
      type: typeof entry.type === 'string' ? entry.type : '',
    }));
  } catch {
    return undefined;
  }
}

function fromStatus(status: number, headers: Headers, body: string, context: FailureContext): RelaisError {
  const retryAfterMs = parseRetryAfter(headers.get('retry-after'), context.now);
  const extra = retryAfterMs === undefined ? {} : { retryAfterMs };
  if (status === 429) return make('llm.rate_limited', `${label(context)} was rate limited (HTTP 429)`, true, context, { status, ...extra });
  if (status === 408) return make('llm.timeout', `${label(context)} timed out on the server side (HTTP 408)`, true, context, { status });
  if (status >= 500) return make('llm.unavailable', `${label(context)} failed with HTTP ${status}`, true, context, { status, ...extra });
  if (status >= 400) {
    const reason = status === 401 || status === 403 ? 'the API key was refused' : status === 404 ? 'the model or route does not exist' : 'the request was refused';
    const validation = status === 422 || status === 400 ? validationSummary(body) : undefined;
    return make('llm.rejected', `${label(context)}: ${reason} (HTTP ${status})`, false, context, { status, ...(validation ? { validation } : {}) });
  }
  return make('llm.unavailable', `${label(context)} answered an unexpected HTTP ${status}`, true, context, { status });
}

/**
 * Errors are recognised by shape, not `instanceof Error`: fetch's errors come
 * from Node's own realm, which is not the caller's under a VM (Jest's ESM
 * mode, for one), so `instanceof` fails there.
 */
function errorLike(value: unknown): { name?: unknown; code?: unknown; cause?: unknown; issues?: unknown } | undefined {
  return typeof value === 'object' && value !== null ? (value as { name?: unknown; code?: unknown; cause?: unknown; issues?: unknown }) : undefined;
}

function isZodError(error: unknown): boolean {
  const e = errorLike(error);
  return e !== undefined && (e.name === 'ZodError' || e.name === '$ZodError' || Array.isArray(e.issues));
}

/**
 * The coded error for a failed attempt. Who aborted is decided from the
 * signals, not from the error's shape: fetch rejects with whatever reason the
 * signal carried, so the SDK may report our timeout as an "abort" and a
 * caller's custom reason as an "unexpected client error".
 */
export function mapMistralError(error: unknown, context: FailureContext): RelaisError {
  if (error instanceof RelaisError) return error;
  if (context.callerAborted) return make('llm.aborted', `${label(context)} was cancelled by the caller`, false, context, {});
  if (context.timedOut) return make('llm.timeout', `${label(context)} timed out`, true, context, {});
  // ResponseValidationError extends MistralError (with the 200 status): test it first.
  if (error instanceof ResponseValidationError) {
    return make('llm.bad_response', `${label(context)} answered with an unexpected shape`, false, context, { status: error.statusCode });
  }
  if (error instanceof MistralError) return fromStatus(error.statusCode, error.headers, error.body, context);
  if (error instanceof SDKValidationError) return make('llm.rejected', `${label(context)}: the SDK refused the request as invalid`, false, context, { reason: 'invalid_request' });
  // Streamed events are parsed inside the SDK's EventStream, which surfaces the raw zod error.
  if (isZodError(error)) return make('llm.bad_response', `${label(context)} streamed an event with an unexpected shape`, false, context, {});
  const rawName = errorLike(error)?.name;
  const name = typeof rawName === 'string' ? rawName : typeof error;
  if (name === 'RequestTimeoutError' || name === 'TimeoutError') return make('llm.timeout', `${label(context)} timed out`, true, context, {});
  const networkCode = networkErrorCode(error);
  return make('llm.unavailable', `${label(context)} failed on the network or in the client (${networkCode ?? name})`, true, context, networkCode ? { network: networkCode } : { errorName: name });
}

/** The system error code (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET…) somewhere in the cause chain. */
function networkErrorCode(error: unknown): string | undefined {
  let current = errorLike(error);
  for (let depth = 0; depth < 5 && current; depth++) {
    if (typeof current.code === 'string' && /^[A-Z_]+$/.test(current.code)) return current.code;
    current = errorLike(current.cause);
  }
  return undefined;
}

/** The answer was received but cannot be used (missing choice, wrong vector size…). */
export function badResponse(context: Pick<FailureContext, 'operation' | 'model' | 'apiKey'>, reason: string, details: Record<string, unknown> = {}): RelaisError {
  return make('llm.bad_response', `${label({ ...context, timedOut: false, callerAborted: false })}: ${reason}`, false, { ...context, timedOut: false, callerAborted: false }, details);
}

/** The stream closed without a finish reason: what was received may be a truncated answer. */
export function streamEndedEarly(context: Pick<FailureContext, 'operation' | 'model' | 'apiKey'>): RelaisError {
  return make('llm.unavailable', `${label({ ...context, timedOut: false, callerAborted: false })}: the stream ended before its finish reason`, true, { ...context, timedOut: false, callerAborted: false }, {});
}
