/**
 * The instant a calendar day starts in a time zone (00:00 local), so that
 * dates typed by a coordinator ("au=2027-06-30") mean that day where the
 * team works, daylight saving time included.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Local time minus UTC at `at`, in ms. */
function offsetMs(at: number, timezone: string): number {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(timezone, format);
  }
  const p = Object.fromEntries(format.formatToParts(new Date(at)).map((part) => [part.type, Number(part.value)]));
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - Math.floor(at / 1000) * 1000;
}

/** 00:00 on `year-month-day` in `timezone` (month 1–12). */
export function zonedMidnight(year: number, month: number, day: number, timezone: string): Date {
  const wall = Date.UTC(year, month - 1, day);
  let at = wall - offsetMs(wall, timezone);
  // Once more with the offset in force at the first guess (it differs across a DST change).
  at = wall - offsetMs(at, timezone);
  return new Date(at);
}

/**
 * A `YYYY-MM-DD` date typed by someone: when that day starts in `timezone`,
 * or, for an inclusive end (`endOfDay`), when the next day starts. Null for
 * anything else (other formats, 30 February).
 */
export function parseLocalDay(text: string, timezone: string, options: { endOfDay?: boolean } = {}): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  const start = new Date(Date.UTC(year, month - 1, day + (options.endOfDay ? 1 : 0)));
  return zonedMidnight(start.getUTCFullYear(), start.getUTCMonth() + 1, start.getUTCDate(), timezone);
}
