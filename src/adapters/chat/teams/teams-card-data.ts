/**
 * What our Adaptive Cards carry back when a user clicks or submits: the
 * `data` of every Action.Execute / Action.Submit we render, and the ids of
 * our inputs. Shared by the renderer (writes it) and the inbound mapper
 * (reads it), so the two cannot drift.
 */
import type { ActionValue } from '../../../core/messages/inbound.js';
import { asRecord } from './teams-activity.js';

/** Verb of our Action.Execute actions (Universal Actions). */
export const CARD_VERB = 'relais';

/** How the answered value is read back. */
export type CardValueKind = 'button' | 'choice' | 'multi' | 'scale' | 'number' | 'text';

export interface RelaisCardData {
  relais: {
    /** The neutral actionId. */
    a: string;
    k: CardValueKind;
    /** Value carried by the button itself (buttons, scale points). */
    v?: string | number;
  };
}

/** Id of the input that answers `actionId` (unique within one card). */
export function inputIdFor(actionId: string): string {
  return `relais.${actionId}`;
}

export function cardData(actionId: string, kind: CardValueKind, value?: string | number): RelaisCardData {
  return { relais: { a: actionId, k: kind, ...(value === undefined ? {} : { v: value }) } };
}

/**
 * Reads our action back from a card submit: Teams merges the input values
 * into the action data (Action.Submit: `activity.value`; Action.Execute:
 * `activity.value.action.data`). Undefined when the data is not ours.
 */
export function readCardData(data: unknown): { actionId: string; value: ActionValue | undefined } | undefined {
  const record = asRecord(data);
  const relais = asRecord(record?.relais);
  if (!record || !relais || typeof relais.a !== 'string' || relais.a === '') return undefined;
  const kind = relais.k as CardValueKind;
  const carried = relais.v;
  const input = record[inputIdFor(relais.a)];
  return { actionId: relais.a, value: decodeValue(kind, carried, input) };
}

function decodeValue(kind: CardValueKind, carried: unknown, input: unknown): ActionValue | undefined {
  const raw = carried ?? input;
  switch (kind) {
    case 'scale':
    case 'number': {
      if (raw === undefined || raw === null || raw === '') return undefined;
      const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
      return Number.isFinite(n) ? n : undefined;
    }
    case 'multi': {
      if (Array.isArray(raw)) return raw.map(String);
      if (typeof raw !== 'string' || raw === '') return [];
      // Input.ChoiceSet with isMultiSelect answers "a,b,c".
      return raw.split(',').filter((v) => v !== '');
    }
    case 'choice':
    case 'text':
    case 'button':
    default:
      if (raw === undefined || raw === null) return undefined;
      return typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw : undefined;
  }
}
