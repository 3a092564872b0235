import { DEFAULT_QUIET_HOURS, isQuiet, nextAllowedTime, parseQuietHours } from '../../../../src/core/surveys/quiet-hours.js';

const PARIS = 'Europe/Paris';

describe('quiet hours', () => {
  test('evenings, nights and weekends are quiet in the audience time zone', () => {
    expect(isQuiet(new Date('2026-12-07T09:00:00Z'), PARIS, DEFAULT_QUIET_HOURS)).toBe(false); // Monday 10:00
    expect(isQuiet(new Date('2026-12-07T18:30:00Z'), PARIS, DEFAULT_QUIET_HOURS)).toBe(true); // Monday 19:30
    expect(isQuiet(new Date('2026-12-08T06:59:00Z'), PARIS, DEFAULT_QUIET_HOURS)).toBe(true); // Tuesday 07:59
    expect(isQuiet(new Date('2026-12-12T12:00:00Z'), PARIS, DEFAULT_QUIET_HOURS)).toBe(true); // Saturday
    expect(isQuiet(new Date('2026-12-07T18:30:00Z'), 'America/New_York', DEFAULT_QUIET_HOURS)).toBe(false); // 13:30 there
    expect(isQuiet(new Date('2026-12-12T12:00:00Z'), PARIS, null)).toBe(false);
  });

  test('a message due in quiet hours moves to the next allowed time, never later than needed', () => {
    expect(nextAllowedTime(new Date('2026-12-07T18:30:00Z'), PARIS, DEFAULT_QUIET_HOURS).toISOString()).toBe('2026-12-08T07:00:00.000Z');
    // Friday evening → Monday 08:00 Paris.
    expect(nextAllowedTime(new Date('2026-12-11T19:00:00Z'), PARIS, DEFAULT_QUIET_HOURS).toISOString()).toBe('2026-12-14T07:00:00.000Z');
    // Summer time: 08:00 Paris is 06:00 UTC.
    expect(nextAllowedTime(new Date('2026-06-13T10:00:00Z'), PARIS, DEFAULT_QUIET_HOURS).toISOString()).toBe('2026-06-15T06:00:00.000Z');
    const allowed = new Date('2026-12-07T09:07:13Z');
    expect(nextAllowedTime(allowed, PARIS, DEFAULT_QUIET_HOURS)).toBe(allowed);
  });

  test('configuration: ranges, weekends flag, off; clear errors', () => {
    expect(parseQuietHours('19:00-08:00,weekends')).toEqual(DEFAULT_QUIET_HOURS);
    expect(parseQuietHours('12:00-14:00')).toEqual({ startMinute: 720, endMinute: 840, weekends: false });
    expect(isQuiet(new Date('2026-12-07T12:00:00Z'), PARIS, parseQuietHours('12:00-14:00'))).toBe(true);
    expect(parseQuietHours('off')).toBeNull();
    expect(() => parseQuietHours('7pm-8am')).toThrow('HH:MM-HH:MM');
    expect(() => parseQuietHours('25:00-08:00')).toThrow('00–23');
    expect(() => parseQuietHours('19:00-08:00,holidays')).toThrow('unknown flag "holidays"');
  });
});
