/**
 * The result of the distress check run on every inbound message before
 * anything else (`distress-detector.ts`).
 */

/** none: nothing found; concern: worrying but not urgent; crisis: escalate to humans now. */
export type DistressLevel = 'none' | 'concern' | 'crisis';

export interface DistressAssessment {
  level: DistressLevel;
  /** Codes of the signals that fired (e.g. "fr.suicidal_ideation"), never the text itself. */
  signals: string[];
}
