import { describeRecurrence, parseRecurrencePhrase } from '../../../../src/core/surveys/recurrence-phrase.js';

describe('recurrence typed in chat', () => {
  it('turns days and a time into a cron pattern', () => {
    expect(parseRecurrencePhrase('vendredi@14h')).toMatchObject({ cron: '0 14 * * 5', days: [5], hour: 14, minute: 0 });
    expect(parseRecurrencePhrase('Lundi,Jeudi@9h30')?.cron).toBe('30 9 * * 1,4');
    expect(parseRecurrencePhrase('friday@14:00')?.cron).toBe('0 14 * * 5');
    expect(parseRecurrencePhrase('jour@9')?.cron).toBe('0 9 * * 1,2,3,4,5');
    expect(parseRecurrencePhrase('mercredi,mercredi@8h')?.cron).toBe('0 8 * * 3');
  });

  it('refuses what it does not understand', () => {
    for (const text of ['vendredi', 'vendredi@', 'vendredi@25h', 'vendredi@14h75', 'fridays@14:00', '@14h', 'vendredi@midi']) {
      expect(parseRecurrencePhrase(text)).toBeNull();
    }
  });

  it('says it back in French and English', () => {
    expect(describeRecurrence(parseRecurrencePhrase('vendredi@14h')!, 'fr')).toBe('chaque vendredi à 14:00');
    expect(describeRecurrence(parseRecurrencePhrase('lundi,jeudi@9h30')!, 'en')).toBe('every Monday, Thursday at 09:30');
    expect(describeRecurrence(parseRecurrencePhrase('jour@8h')!, 'fr')).toBe('chaque jour ouvré à 08:00');
  });
});
