/**
 * Coded errors shared by the whole product.
 *
 * Every error that can reach a user or a log carries a stable string `code`
 * (dotted, `area.reason`), a log message (English, may name variables, never
 * message content) and a user-facing message key resolved in the user's
 * locale by the conversation layer. `transient` tells jobs and adapters
 * whether retrying can help.
 */

/** Keys of user-facing error texts (see `core/i18n`). */
export type UserErrorKey =
  | 'error.generic'
  | 'error.invalidInput'
  | 'error.tooLong'
  | 'error.unavailable'
  | 'error.notFound'
  | 'error.unknownAction';

export interface RelaisErrorOptions {
  /** Whether retrying the same operation later may succeed (default false). */
  transient?: boolean;
  /** Text key shown to the user; defaults to `error.generic`. */
  userMessage?: UserErrorKey;
  /** Structured, content-free details for logs and API responses. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class RelaisError extends Error {
  readonly code: string;
  readonly transient: boolean;
  readonly userMessage: UserErrorKey;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, options: RelaisErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RelaisError';
    this.code = code;
    this.transient = options.transient ?? false;
    this.userMessage = options.userMessage ?? 'error.generic';
    this.details = options.details ?? {};
  }
}

/** Input that can never become valid by retrying (malformed payload, bad value). */
export class ValidationError extends RelaisError {
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(code, message, { transient: false, userMessage: 'error.invalidInput', details });
    this.name = 'ValidationError';
  }
}

/** Something the caller referred to does not exist (or is not theirs). */
export class NotFoundError extends RelaisError {
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(code, message, { transient: false, userMessage: 'error.notFound', details });
    this.name = 'NotFoundError';
  }
}

/** A dependency (database, Redis, platform, model) failed in a way that may pass. */
export class UnavailableError extends RelaisError {
  constructor(code: string, message: string, options: Omit<RelaisErrorOptions, 'transient' | 'userMessage'> = {}) {
    super(code, message, { ...options, transient: true, userMessage: 'error.unavailable' });
    this.name = 'UnavailableError';
  }
}

export function isRelaisError(error: unknown): error is RelaisError {
  return error instanceof RelaisError;
}

/** True when a retry may help: coded transient errors, and unknown errors by default. */
export function isTransient(error: unknown): boolean {
  return isRelaisError(error) ? error.transient : true;
}

/** Content-free description of any thrown value, safe for logs. */
export function describeError(error: unknown): { code: string; message: string } {
  if (isRelaisError(error)) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: 'internal', message: error.message };
  return { code: 'internal', message: String(error) };
}
