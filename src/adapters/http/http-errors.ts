/**
 * How errors become HTTP answers: a status from the error's kind and code,
 * and a JSON body `{ error: { code, message, details?, ref? } }`.
 * Unexpected errors get a reference that also appears in the logs.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { isRelaisError, NotFoundError, UnavailableError, ValidationError, describeError } from '../../core/errors.js';
import type { Logger } from '../../core/ports/logger.js';
import { writeEvent } from './sse.js';

const STATUS_BY_CODE: Record<string, number> = {
  'web.unauthorized': 401,
  'web.message_too_long': 413,
  'web.not_ready': 503,
};

/** body-parser error types → our codes. */
const BODY_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  'entity.parse.failed': { status: 400, code: 'http.invalid_json', message: 'the request body is not valid JSON' },
  'entity.too.large': { status: 413, code: 'http.payload_too_large', message: 'the request body is too large' },
  'encoding.unsupported': { status: 415, code: 'http.unsupported_encoding', message: 'unsupported content encoding' },
  'charset.unsupported': { status: 415, code: 'http.unsupported_charset', message: 'unsupported charset; use UTF-8' },
};

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown>; ref?: string };
}

export function toHttpError(error: unknown): { status: number; body: ErrorBody; unexpected: boolean } {
  const bodyError = typeof error === 'object' && error !== null && 'type' in error ? BODY_ERRORS[String(error.type)] : undefined;
  if (bodyError) return { status: bodyError.status, body: { error: { code: bodyError.code, message: bodyError.message } }, unexpected: false };
  if (isRelaisError(error)) {
    const status =
      STATUS_BY_CODE[error.code] ??
      (error instanceof ValidationError ? 400 : error instanceof NotFoundError ? 404 : error instanceof UnavailableError || error.transient ? 503 : 500);
    const details = Object.keys(error.details).length > 0 ? { details: error.details } : {};
    return { status, body: { error: { code: error.code, message: error.message, ...details } }, unexpected: status >= 500 };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'unexpected error' } }, unexpected: true };
}

/** Paths can carry a user id (`/api/web/users/:userId/...`): never log it. */
export function redactPath(path: string): string {
  return path.replace(/\/users\/[^/]+/, '/users/:userId');
}

export function errorMiddleware(logger: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const { status, body, unexpected } = toHttpError(error);
    if (unexpected) {
      body.error.ref = randomUUID().slice(0, 8);
      logger.error({ err: describeError(error), ref: body.error.ref, method: req.method, path: redactPath(req.path) }, 'request failed');
    }
    if (res.headersSent) {
      // An event stream already started: report in-band, then close.
      writeEvent(res, 'error', body.error);
      res.end();
      return;
    }
    res.status(status).json(body);
  };
}
