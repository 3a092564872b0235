/**
 * The few labels the Teams rendering adds itself (the core's messages carry
 * every other word). French by default, English when the message is.
 */
import { localeFromHint, type Locale } from '../../../core/i18n/locale.js';

const LABELS = {
  fr: {
    feedbackUp: '👍 Utile',
    feedbackDown: '👎 Pas utile',
    submit: 'Envoyer',
    sources: 'Sources',
    imageTooLarge: 'image trop volumineuse pour Teams',
    scaleHint: '{min} = {minLabel} · {max} = {maxLabel}',
  },
  en: {
    feedbackUp: '👍 Helpful',
    feedbackDown: '👎 Not helpful',
    submit: 'Send',
    sources: 'Sources',
    imageTooLarge: 'image too large for Teams',
    scaleHint: '{min} = {minLabel} · {max} = {maxLabel}',
  },
} satisfies Record<Locale, Record<string, string>>;

export type TeamsLabels = (typeof LABELS)['fr'];

export function teamsLabels(locale: string): TeamsLabels {
  return LABELS[localeFromHint(locale) ?? 'fr'];
}
