import { parseLocalDay, zonedMidnight } from '../../../../src/core/surveys/zoned-midnight.js';

describe('midnight in a time zone', () => {
  it('gives the instant a local day starts, summer and winter time alike', () => {
    expect(zonedMidnight(2027, 6, 30, 'Europe/Paris').toISOString()).toBe('2027-06-29T22:00:00.000Z');
    expect(zonedMidnight(2027, 1, 15, 'Europe/Paris').toISOString()).toBe('2027-01-14T23:00:00.000Z');
    expect(zonedMidnight(2027, 3, 28, 'Europe/Paris').toISOString()).toBe('2027-03-27T23:00:00.000Z'); // DST starts at 02:00 that day
    expect(zonedMidnight(2027, 3, 29, 'Europe/Paris').toISOString()).toBe('2027-03-28T22:00:00.000Z');
    expect(zonedMidnight(2027, 6, 30, 'America/Cayenne').toISOString()).toBe('2027-06-30T03:00:00.000Z');
    expect(zonedMidnight(2027, 6, 30, 'UTC').toISOString()).toBe('2027-06-30T00:00:00.000Z');
  });
});

describe('a day typed by a coordinator', () => {
  it('starts at local midnight; an inclusive end is the next local midnight', () => {
    expect(parseLocalDay('2027-03-01', 'Europe/Paris')?.toISOString()).toBe('2027-02-28T23:00:00.000Z');
    expect(parseLocalDay('2027-06-30', 'Europe/Paris', { endOfDay: true })?.toISOString()).toBe('2027-06-30T22:00:00.000Z');
    expect(parseLocalDay('2027-12-31', 'Europe/Paris', { endOfDay: true })?.toISOString()).toBe('2027-12-31T23:00:00.000Z');
  });

  it('refuses other formats and days that do not exist', () => {
    for (const text of ['30/06/2027', '2027-6-30', '2027-02-30', '2027-13-01', 'demain', '']) expect(parseLocalDay(text, 'Europe/Paris')).toBeNull();
  });
});
