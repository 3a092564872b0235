/**
 * Structured logger the core and adapters receive by injection.
 *
 * Same call shape as pino: `log.info({ code, conversationId }, 'reply sent')`.
 * Never pass message content, names or secrets: identifiers and codes only.
 */
export interface LogFn {
  (message: string): void;
  (fields: Record<string, unknown>, message?: string): void;
}

export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  /** A logger whose every line carries `bindings` (e.g. `{ scope: 'web' }`). */
  child(bindings: Record<string, unknown>): Logger;
}
