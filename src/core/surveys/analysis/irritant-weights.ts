/**
 * Parsing of the irritant score weights set by `RELAIS_IRRITANT_WEIGHTS`:
 * score = frequency^a × minutes^b × impact^c, written
 * "frequency=1,minutes=1,impact=1". Weights are exponents so that doubling a
 * weight makes that factor count twice as much on a log scale, whatever the
 * units (occurrences per month, minutes, 1–5).
 */
import type { IrritantWeights } from './irritants-ranking.js';

const NAMES: Record<string, keyof IrritantWeights> = {
  frequency: 'frequency',
  frequence: 'frequency',
  minutes: 'minutes',
  time: 'minutes',
  duree: 'minutes',
  impact: 'impact',
};

export const DEFAULT_IRRITANT_WEIGHTS: Readonly<IrritantWeights> = { frequency: 1, minutes: 1, impact: 1 };

/** Throws an Error naming the bad part; missing factors keep their default (1). */
export function parseIrritantWeights(text: string): IrritantWeights {
  const weights: IrritantWeights = { ...DEFAULT_IRRITANT_WEIGHTS };
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [rawName = '', rawValue = ''] = part.split('=').map((p) => p.trim());
    const name = NAMES[rawName.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '')];
    if (!name) throw new Error(`unknown factor "${rawName}": use frequency, minutes and impact`);
    const value = Number(rawValue);
    if (rawValue === '' || !Number.isFinite(value) || value < 0 || value > 5) throw new Error(`weight of ${rawName} must be a number from 0 to 5`);
    weights[name] = value;
  }
  return weights;
}
