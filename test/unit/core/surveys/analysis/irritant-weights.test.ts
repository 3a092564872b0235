import { parseIrritantWeights } from '../../../../../src/core/surveys/analysis/irritant-weights.js';
import { loadConfig } from '../../../../../src/config.js';

describe('irritant weights (RELAIS_IRRITANT_WEIGHTS)', () => {
  it('reads each factor, French names and accents included; missing ones stay 1', () => {
    expect(parseIrritantWeights('frequency=1,minutes=0.5,impact=2')).toEqual({ frequency: 1, minutes: 0.5, impact: 2 });
    expect(parseIrritantWeights(' fréquence = 2 , durée=1 ')).toEqual({ frequency: 2, minutes: 1, impact: 1 });
    expect(parseIrritantWeights('')).toEqual({ frequency: 1, minutes: 1, impact: 1 });
  });

  it('names the bad part', () => {
    expect(() => parseIrritantWeights('frequency=1,effort=2')).toThrow('unknown factor "effort"');
    expect(() => parseIrritantWeights('impact=beaucoup')).toThrow('weight of impact must be a number from 0 to 5');
    expect(() => parseIrritantWeights('impact=-1')).toThrow('from 0 to 5');
    expect(() => parseIrritantWeights('impact=')).toThrow('from 0 to 5');
  });

  it('is part of the configuration, and a bad value names the variable', () => {
    expect(loadConfig({ NODE_ENV: 'test', RELAIS_IRRITANT_WEIGHTS: 'impact=2' }).surveys.irritantWeights).toEqual({ frequency: 1, minutes: 1, impact: 2 });
    expect(loadConfig({ NODE_ENV: 'test' }).surveys.irritantWeights).toEqual({ frequency: 1, minutes: 1, impact: 1 });
    expect(() => loadConfig({ NODE_ENV: 'test', RELAIS_IRRITANT_WEIGHTS: 'vitesse=3' })).toThrow(/RELAIS_IRRITANT_WEIGHTS/);
  });
});
