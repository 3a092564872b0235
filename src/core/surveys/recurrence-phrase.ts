/**
 * The recurrence a coordinator types in chat, turned into a cron pattern:
 * `chaque=vendredi@14h`, `chaque=lundi,jeudi@9h30`, `chaque=jour@9:00`
 * (working days), `every=friday@14:00`. A cron pattern needs spaces, which
 * chat arguments cannot hold; the CLI takes cron directly (`--every`).
 */
import { normalizeWords } from '../conversation/command-registry.js';

const DAYS: Record<string, number> = {
  dimanche: 0, sunday: 0, sun: 0, dim: 0,
  lundi: 1, monday: 1, mon: 1, lun: 1,
  mardi: 2, tuesday: 2, tue: 2, mar: 2,
  mercredi: 3, wednesday: 3, wed: 3, mer: 3,
  jeudi: 4, thursday: 4, thu: 4, jeu: 4,
  vendredi: 5, friday: 5, fri: 5, ven: 5,
  samedi: 6, saturday: 6, sat: 6, sam: 6,
};
const WORKING_DAYS = ['jour', 'jours', 'day', 'days', 'weekday', 'weekdays', 'semaine'];

export interface RecurrencePhrase {
  cron: string;
  /** Days of the week, 0 = Sunday, in the order given. */
  days: number[];
  hour: number;
  minute: number;
}

/** Parses "vendredi@14h"; returns null when the phrase is not understood. */
export function parseRecurrencePhrase(text: string): RecurrencePhrase | null {
  const [daysText = '', timeText = ''] = text.split('@');
  const time = /^(\d{1,2})(?:[h:](\d{2})?)?$/i.exec(timeText.trim());
  if (!time) return null;
  const hour = Number(time[1]);
  const minute = Number(time[2] ?? 0);
  if (hour > 23 || minute > 59) return null;
  const words = daysText.split(',').map((d) => normalizeWords(d)).filter(Boolean);
  if (words.length === 0) return null;
  let days: number[];
  if (words.length === 1 && WORKING_DAYS.includes(words[0]!)) days = [1, 2, 3, 4, 5];
  else {
    days = [];
    for (const word of words) {
      const day = DAYS[word];
      if (day === undefined) return null;
      if (!days.includes(day)) days.push(day);
    }
  }
  return { cron: `${minute} ${hour} * * ${days.join(',')}`, days, hour, minute };
}

const DAY_NAMES = {
  fr: ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
};

/** "chaque vendredi à 14:00" / "every Friday at 14:00". */
export function describeRecurrence(phrase: RecurrencePhrase, locale: 'fr' | 'en'): string {
  const time = `${String(phrase.hour).padStart(2, '0')}:${String(phrase.minute).padStart(2, '0')}`;
  const workingDays = phrase.days.length === 5 && [1, 2, 3, 4, 5].every((d) => phrase.days.includes(d));
  if (locale === 'fr') {
    const days = workingDays ? 'jour ouvré' : phrase.days.map((d) => DAY_NAMES.fr[d]).join(', ');
    return `chaque ${days} à ${time}`;
  }
  const days = workingDays ? 'working day' : phrase.days.map((d) => DAY_NAMES.en[d]).join(', ');
  return `every ${days} at ${time}`;
}
