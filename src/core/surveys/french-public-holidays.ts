/**
 * French public holidays (jours fériés, metropolitan France): the eight
 * fixed dates, and Easter Monday, Ascension Day and Whit Monday computed
 * from Easter. Alsace-Moselle's two extra days (Good Friday, 26 December)
 * and overseas commemorations are not included.
 */

const FIXED = new Set(['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25']);
const cache = new Map<number, Set<string>>();

/** Easter Sunday of the Gregorian calendar (anonymous Gregorian algorithm), as [month 1–12, day]. */
export function easterSunday(year: number): [number, number] {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return [month, day];
}

function movableHolidays(year: number): Set<string> {
  let days = cache.get(year);
  if (!days) {
    const [month, day] = easterSunday(year);
    const easter = Date.UTC(year, month - 1, day);
    days = new Set(
      [1, 39, 50].map((offset) => {
        const date = new Date(easter + offset * 86_400_000);
        return `${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCDate()).padStart(2, '0')}`;
      }),
    );
    cache.set(year, days);
  }
  return days;
}

/** True for a French public holiday; the date is a local calendar date. */
export function isFrenchPublicHoliday(year: number, month: number, day: number): boolean {
  const key = `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return FIXED.has(key) || movableHolidays(year).has(key);
}
