import { describe, expect, it } from '@jest/globals';
import { isSuppressed } from '../../../../../src/core/surveys/analysis/k-anonymity.js';
import { computeIndicators, weekOf } from '../../../../../src/core/surveys/analysis/indicators.js';
import { submission, times } from './submission-builder.js';

const Q = [{ id: 'minutes_gagnees', type: 'number' as const }, { id: 'bien_etre', type: 'scale' as const }];
const types = { bien_etre: 'scale' } as const;

function checkin(teamId: string | null, phase: string | null, at: string, minutes: number, wellBeing = 3) {
  return submission({ minutes_gagnees: minutes, bien_etre: wellBeing }, { teamId, phase, submittedAt: new Date(at), types, surveyId: 'checkin-hebdo' });
}

describe('weekOf', () => {
  it('names the week by its local Monday in the time zone', () => {
    expect(weekOf(new Date('2027-03-12T13:00:00Z'), 'Europe/Paris')).toBe('2027-03-08'); // Friday
    expect(weekOf(new Date('2027-03-08T00:30:00+01:00'), 'Europe/Paris')).toBe('2027-03-08'); // Monday 00:30 Paris = Sunday 23:30 UTC
    expect(weekOf(new Date('2027-03-07T23:30:00Z'), 'UTC')).toBe('2027-03-01');
    expect(weekOf(new Date('2027-03-14T22:30:00Z'), 'Europe/Paris')).toBe('2027-03-08'); // Sunday 23:30 Paris
    expect(weekOf(new Date('2027-03-29T00:30:00+02:00'), 'Europe/Paris')).toBe('2027-03-29'); // after the DST change
    expect(weekOf(new Date('2027-01-01T12:00:00Z'), 'Pacific/Auckland')).toBe('2026-12-28');
  });

  it('refuses an unknown time zone with a coded error', () => {
    expect(() => weekOf(new Date(), 'Europe/Atlantis')).toThrow(expect.objectContaining({ code: 'indicators.invalid_timezone' }));
  });
});

describe('computeIndicators', () => {
  it('gives weekly means per team and overall, phase summaries and deltas', () => {
    const subs = [
      ...times(5, (i) => checkin('scol', 'baseline', '2027-03-03T10:00:00Z', 10 + i, 2)), // week 03-01, mean 12
      ...times(6, () => checkin('scol', 'follow-up', '2027-03-10T10:00:00Z', 40, 4)), // week 03-08
      ...times(5, () => checkin('scol', 'follow-up', '2027-03-17T10:00:00Z', 51, 5)), // week 03-15
      checkin('scol', 'follow-up', '2027-03-17T10:00:00Z', 40, 5, ), // incomplete below
    ];
    subs[subs.length - 1]!.complete = false;
    const report = computeIndicators(Q, subs, { minGroupSize: 5 });
    expect(report.weeks).toEqual(['2027-03-01', '2027-03-08', '2027-03-15']);
    const minutes = report.questions[0]!;
    expect(minutes.series.map((s) => s.teamId)).toEqual([null, 'scol']);
    const scol = minutes.series[1]!;
    expect(scol.points).toEqual([
      { week: '2027-03-01', phase: 'baseline', value: { n: 5, mean: 12 } },
      { week: '2027-03-08', phase: 'follow-up', value: { n: 6, mean: 40 } },
      { week: '2027-03-15', phase: 'follow-up', value: { n: 5, mean: 51 } },
    ]);
    expect(scol.phases).toEqual({ baseline: { n: 5, mean: 12 }, 'follow-up': { n: 11, mean: 45 } });
    expect(scol.delta).toBe(33);
    expect(report.questions[1]!.series[0]!.delta).toBeCloseTo((6 * 4 + 5 * 5) / 11 - 2);
  });

  it('suppresses small weeks, keeps them out of every later phase total, and applies complementary suppression across teams', () => {
    const subs = [
      ...times(6, () => checkin('scol', 'follow-up', '2027-03-10T10:00:00Z', 30)),
      ...times(7, () => checkin('stages', 'follow-up', '2027-03-10T10:00:00Z', 20)),
      ...times(2, () => checkin('rh', 'follow-up', '2027-03-10T10:00:00Z', 200)),
      ...times(8, () => checkin('scol', 'follow-up', '2027-03-17T10:00:00Z', 35)),
      ...times(3, () => checkin('stages', 'follow-up', '2027-03-17T10:00:00Z', 90)),
      ...times(9, () => checkin('rh', 'follow-up', '2027-03-17T10:00:00Z', 25)),
    ];
    const report = computeIndicators([Q[0]!], subs, { minGroupSize: 5 });
    const [all, rh, scol, stages] = report.questions[0]!.series;
    const value = (s: typeof all, week: string) => s!.points.find((p) => p.week === week)!.value;
    // Week of 03-08: rh (2) hidden, and scol (6, the smallest published) too, so all − stages covers 8 people.
    expect(isSuppressed(value(rh, '2027-03-08'))).toBe(true);
    expect(isSuppressed(value(scol, '2027-03-08'))).toBe(true);
    expect(value(stages, '2027-03-08')).toEqual({ n: 7, mean: 20 });
    expect(value(all, '2027-03-08')).toEqual({ n: 15, mean: (180 + 140 + 400) / 15 });
    // Week of 03-15: stages (3) hidden, and scol (8, smaller than rh's 9).
    expect(isSuppressed(value(stages, '2027-03-15'))).toBe(true);
    expect(isSuppressed(value(scol, '2027-03-15'))).toBe(true);
    expect(value(rh, '2027-03-15')).toEqual({ n: 9, mean: 25 });
    // Phase totals only add published points: a hidden week never leaks through a total.
    expect(scol!.phases).toEqual({ 'follow-up': null });
    expect(rh!.phases).toEqual({ 'follow-up': { n: 9, mean: 25 } });
    expect(all!.phases['follow-up']!.n).toBe(35);
    // Nothing hidden carries a number.
    expect(JSON.stringify(rh!.points[0])).toBe('{"week":"2027-03-08","phase":"follow-up","value":{"suppressed":true,"minGroupSize":5}}');
  });

  it('counts answers without a team in the overall series only, as a hidden part', () => {
    const subs = [
      ...times(6, () => checkin('scol', null, '2027-03-10T10:00:00Z', 30)),
      checkin(null, null, '2027-03-10T10:00:00Z', 500),
    ];
    const [all, scol] = computeIndicators([Q[0]!], subs).questions[0]!.series;
    expect(all!.points[0]!.value).toEqual({ n: 7, mean: 680 / 7 });
    expect(isSuppressed(scol!.points[0]!.value)).toBe(true); // else all − scol = the one teamless answer
    expect(all!.phases).toEqual({});
    expect(all!.delta).toBeNull();
  });

  it('gives one point per phase in a week that spans a phase change, and supports custom phase names', () => {
    const subs = [
      ...times(5, () => checkin('scol', 'avant', '2027-03-08T10:00:00Z', 10)),
      ...times(5, () => checkin('scol', 'apres', '2027-03-12T10:00:00Z', 25)),
    ];
    const report = computeIndicators([Q[0]!], subs, { baselinePhase: 'avant', followUpPhase: 'apres' });
    const scol = report.questions[0]!.series[1]!;
    expect(scol.points.map((p) => [p.week, p.phase])).toEqual([['2027-03-08', 'apres'], ['2027-03-08', 'avant']]);
    expect(scol.delta).toBe(15);
  });

  it('buckets by local week across a summer-time change (Sunday 23:30 and Monday 00:30 Paris fall in different weeks)', () => {
    const subs = [
      ...times(5, () => checkin('scol', null, '2027-03-28T21:30:00Z', 10)), // Sunday 23:30 CEST
      ...times(5, () => checkin('scol', null, '2027-03-28T22:30:00Z', 20)), // Monday 00:30 CEST
      ...times(5, () => checkin('scol', null, '2027-03-27T23:30:00Z', 30)), // Sunday 00:30 CET, before the change
    ];
    const report = computeIndicators([Q[0]!], subs, { timezone: 'Europe/Paris' });
    expect(report.weeks).toEqual(['2027-03-22', '2027-03-29']);
    expect(report.questions[0]!.series[1]!.points.map((p) => [p.week, p.value])).toEqual([
      ['2027-03-22', { n: 10, mean: 20 }],
      ['2027-03-29', { n: 5, mean: 20 }],
    ]);
  });

  it('ignores missing or non-numeric answers', () => {
    const subs = [...times(5, () => checkin('scol', 'baseline', '2027-03-10T10:00:00Z', 10)), submission({ bien_etre: 3 }, { teamId: 'scol', types })];
    const report = computeIndicators([Q[0]!], subs, { minGroupSize: 1 });
    expect(report.questions[0]!.series[1]!.points).toHaveLength(1);
  });
});
