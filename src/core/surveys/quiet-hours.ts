/**
 * Quiet hours: no proactive message (invitation, reminder, check-in) is sent
 * in the evening, at night, at the weekend or on a public holiday in the
 * audience's time zone. A message due then is deferred to the next allowed
 * time, never dropped.
 */
import { isFrenchPublicHoliday } from './french-public-holidays.js';

export interface QuietHours {
  /** Start of the quiet period, minutes after local midnight (default 19:00 = 1140). */
  startMinute: number;
  /** End, minutes after local midnight (default 08:00 = 480); may be before start (overnight). */
  endMinute: number;
  /** Saturdays and Sundays are quiet all day. */
  weekends: boolean;
  /** French public holidays are quiet all day. */
  holidays?: boolean;
}

export const DEFAULT_QUIET_HOURS: QuietHours = { startMinute: 19 * 60, endMinute: 8 * 60, weekends: true, holidays: true };

/** Time zones use offsets in multiples of 15 minutes: stepping by 15 lands on every local boundary. */
const STEP_MS = 15 * 60 * 1000;
const MAX_STEPS = 4 * 24 * 8;

const formatters = new Map<string, Intl.DateTimeFormat>();

function localParts(at: Date, timezone: string): { year: number; month: number; day: number; weekday: number; minute: number } {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timezone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday!);
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), weekday, minute: Number(parts.hour) * 60 + Number(parts.minute) };
}

export function isQuiet(at: Date, timezone: string, quiet: QuietHours | null): boolean {
  if (!quiet) return false;
  const { year, month, day, weekday, minute } = localParts(at, timezone);
  if (quiet.weekends && (weekday === 0 || weekday === 6)) return true;
  if (quiet.holidays && isFrenchPublicHoliday(year, month, day)) return true;
  if (quiet.startMinute === quiet.endMinute) return false;
  return quiet.startMinute > quiet.endMinute
    ? minute >= quiet.startMinute || minute < quiet.endMinute
    : minute >= quiet.startMinute && minute < quiet.endMinute;
}

/** `at` itself when allowed, else the first allowed quarter hour after it. */
export function nextAllowedTime(at: Date, timezone: string, quiet: QuietHours | null): Date {
  if (!isQuiet(at, timezone, quiet)) return at;
  let candidate = Math.ceil(at.getTime() / STEP_MS) * STEP_MS;
  for (let i = 0; i < MAX_STEPS; i++, candidate += STEP_MS) {
    if (!isQuiet(new Date(candidate), timezone, quiet)) return new Date(candidate);
  }
  // A configuration that is quiet all the time: never silence the campaign for ever.
  return at;
}

const WEEKEND_FLAGS = ['weekends', 'week-ends'];
const HOLIDAY_FLAGS = ['holidays', 'jours-feries', 'feries', 'jours-fériés', 'fériés'];

/** Parses "19:00-08:00,weekends,holidays", "18:30-07:45" or "off"; throws a message naming the problem. */
export function parseQuietHours(text: string): QuietHours | null {
  const value = text.trim().toLowerCase();
  if (value === 'off' || value === 'none' || value === '') return null;
  const [range, ...flags] = value.split(',').map((s) => s.trim());
  const match = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(range ?? '');
  if (!match) throw new Error('expected "HH:MM-HH:MM" optionally followed by ",weekends" and ",holidays", or "off"');
  const [, h1, m1, h2, m2] = match.map(Number) as [number, number, number, number, number];
  if (h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59) throw new Error('hours are 00–23 and minutes 00–59');
  const unknown = flags.filter((f) => !WEEKEND_FLAGS.includes(f) && !HOLIDAY_FLAGS.includes(f));
  if (unknown.length > 0) throw new Error(`unknown flag "${unknown[0]}" (only "weekends" and "holidays")`);
  return {
    startMinute: h1 * 60 + m1,
    endMinute: h2 * 60 + m2,
    weekends: flags.some((f) => WEEKEND_FLAGS.includes(f)),
    holidays: flags.some((f) => HOLIDAY_FLAGS.includes(f)),
  };
}
