/**
 * A child logger created only when something is logged: handling an event
 * binds a correlation id to every line, but most events log nothing.
 */
import type { LogFn, Logger } from './ports/logger.js';

export function lazyChild(parent: Logger, bindings: Record<string, unknown>): Logger {
  let child: Logger | undefined;
  const real = (): Logger => (child ??= parent.child(bindings));
  const forward =
    (level: 'debug' | 'info' | 'warn' | 'error'): LogFn =>
    ((first: string | Record<string, unknown>, message?: string) =>
      typeof first === 'string' ? real()[level](first) : real()[level](first, message)) as LogFn;
  return {
    debug: forward('debug'),
    info: forward('info'),
    warn: forward('warn'),
    error: forward('error'),
    child: (more) => lazyChild(parent, { ...bindings, ...more }),
  };
}
