/**
 * Validation and next-run computation of recurring schedules (cron in a time
 * zone, or a fixed interval), shared by both schedulers.
 */
import { CronExpressionParser } from 'cron-parser';
import { ValidationError } from '../core/errors.js';
import type { Recurrence } from '../core/ports/scheduler.js';

/** Shortest interval accepted, to keep a typo from flooding the queue. */
export const MIN_INTERVAL_MS = 100;

export function isValidTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

export function validateRecurrence(recurrence: Recurrence): void {
  if ('everyMs' in recurrence) {
    if (!Number.isInteger(recurrence.everyMs) || recurrence.everyMs < MIN_INTERVAL_MS) {
      throw new ValidationError('scheduler.invalid_interval', `interval must be an integer ≥ ${MIN_INTERVAL_MS} ms`, {
        everyMs: recurrence.everyMs,
      });
    }
    return;
  }
  if (!isValidTimeZone(recurrence.timezone)) {
    throw new ValidationError('scheduler.invalid_timezone', `unknown time zone "${recurrence.timezone}"`);
  }
  try {
    CronExpressionParser.parse(recurrence.cron, { tz: recurrence.timezone, strict: false });
  } catch (cause) {
    throw new ValidationError('scheduler.invalid_cron', `invalid cron pattern "${recurrence.cron}": ${(cause as Error).message}`);
  }
}

/** The first fire time strictly after `after`. */
export function nextRunAfter(recurrence: Recurrence, after: Date): Date {
  if ('everyMs' in recurrence) return new Date(after.getTime() + recurrence.everyMs);
  return CronExpressionParser.parse(recurrence.cron, { currentDate: after, tz: recurrence.timezone }).next().toDate();
}

export function sameRecurrence(a: Recurrence, b: Recurrence): boolean {
  if ('everyMs' in a || 'everyMs' in b) return 'everyMs' in a && 'everyMs' in b && a.everyMs === b.everyMs;
  return a.cron === b.cron && a.timezone === b.timezone;
}
