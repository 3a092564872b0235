import { DEFAULT_QUIET_HOURS, isQuiet, nextAllowedTime, parseQuietHours } from '../../../../src/core/surveys/quiet-hours.js';
import { easterSunday, isFrenchPublicHoliday } from '../../../../src/core/surveys/french-public-holidays.js';

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
    expect(parseQuietHours('19:00-08:00,weekends,holidays')).toEqual(DEFAULT_QUIET_HOURS);
    expect(parseQuietHours('19:00-08:00,weekends')).toEqual({ ...DEFAULT_QUIET_HOURS, holidays: false });
    expect(parseQuietHours('12:00-14:00')).toEqual({ startMinute: 720, endMinute: 840, weekends: false, holidays: false });
    expect(parseQuietHours('19:00-08:00,jours-feries')).toEqual({ startMinute: 1140, endMinute: 480, weekends: false, holidays: true });
    expect(isQuiet(new Date('2026-12-07T12:00:00Z'), PARIS, parseQuietHours('12:00-14:00'))).toBe(true);
    expect(parseQuietHours('off')).toBeNull();
    expect(() => parseQuietHours('7pm-8am')).toThrow('HH:MM-HH:MM');
    expect(() => parseQuietHours('25:00-08:00')).toThrow('00–23');
    expect(() => parseQuietHours('19:00-08:00,lundis')).toThrow('unknown flag "lundis"');
  });
});

describe('French public holidays', () => {
  it('computes Easter and its holidays', () => {
    expect(easterSunday(2026)).toEqual([4, 5]);
    expect(easterSunday(2027)).toEqual([3, 28]);
    expect(easterSunday(2038)).toEqual([4, 25]);
    // 2027: Easter Monday 29 March, Ascension 6 May, Whit Monday 17 May.
    for (const [m, d] of [[3, 29], [5, 6], [5, 17]] as const) expect(isFrenchPublicHoliday(2027, m, d)).toBe(true);
    for (const [m, d] of [[1, 1], [5, 1], [5, 8], [7, 14], [8, 15], [11, 1], [11, 11], [12, 25]] as const) expect(isFrenchPublicHoliday(2027, m, d)).toBe(true);
    expect(isFrenchPublicHoliday(2027, 3, 28)).toBe(false); // Easter Sunday is a Sunday anyway
    expect(isFrenchPublicHoliday(2027, 12, 26)).toBe(false); // Alsace-Moselle only
  });

  it('defers a message due on a holiday to the next working morning', () => {
    // Friday 25 December 2026, 10:00 in Paris → Monday 28 December 08:00 (weekend in between).
    expect(isQuiet(new Date('2026-12-25T09:00:00Z'), PARIS, DEFAULT_QUIET_HOURS)).toBe(true);
    expect(nextAllowedTime(new Date('2026-12-25T09:00:00Z'), PARIS, DEFAULT_QUIET_HOURS).toISOString()).toBe('2026-12-28T07:00:00.000Z');
    // Thursday 6 May 2027 (Ascension) → Friday 7 May 08:00; without the flag it is a working day.
    expect(nextAllowedTime(new Date('2027-05-06T08:00:00Z'), PARIS, DEFAULT_QUIET_HOURS).toISOString()).toBe('2027-05-07T06:00:00.000Z');
    expect(isQuiet(new Date('2027-05-06T08:00:00Z'), PARIS, parseQuietHours('19:00-08:00,weekends'))).toBe(false);
    // The local date decides: 22:30 UTC on 13 July is already 14 July in Paris.
    const holidaysOnly = { ...DEFAULT_QUIET_HOURS, startMinute: 0, endMinute: 0 };
    expect(isQuiet(new Date('2027-07-13T22:30:00Z'), PARIS, holidaysOnly)).toBe(true);
    expect(isQuiet(new Date('2027-07-13T21:30:00Z'), PARIS, holidaysOnly)).toBe(false);
  });
});
