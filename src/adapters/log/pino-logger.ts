/**
 * The `Logger` port on pino: JSON lines on stdout, one `scope` per component.
 * Redaction is a safety net only: callers never pass content or secrets.
 */
import { pino, type DestinationStream } from 'pino';
import type { Logger } from '../../core/ports/logger.js';

export interface PinoLoggerOptions {
  level: string;
  /** Where lines go (default stdout). */
  destination?: DestinationStream;
  /** Write to stderr instead (command-line tools keep stdout for their output). */
  stderr?: boolean;
}

const REDACTED_KEYS = ['text', 'content', 'password', 'token', 'secret', 'authorization', 'apiKey', 'cookie'];

export function createPinoLogger(options: PinoLoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'relais' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: [...REDACTED_KEYS, ...REDACTED_KEYS.map((k) => `*.${k}`)], censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? (options.stderr ? pino.destination(2) : undefined),
  ) as unknown as Logger;
}

/** A logger that drops everything (tests, benchmarks). */
export function createSilentLogger(): Logger {
  return createPinoLogger({ level: 'silent' });
}
