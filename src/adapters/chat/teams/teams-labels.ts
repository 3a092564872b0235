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
    fileUploaded: 'Fichier déposé dans votre OneDrive : **{name}**',
    fileDeclined: 'Le fichier n’a pas été envoyé, comme vous l’avez choisi. Redemandez-le quand vous voulez.',
    fileExpired: 'Ce fichier n’est plus disponible (il n’est gardé que 24 heures). Redemandez-le pour en recevoir un nouveau.',
    fileUploadFailed: 'Je n’ai pas pu déposer le fichier dans votre OneDrive. Redemandez-le dans quelques minutes.',
    fileInChannel: 'Teams ne permet d’envoyer un fichier qu’en conversation privée : écrivez-moi en privé pour le recevoir.',
    fileTruncated: 'Aperçu : {shown} lignes sur {total}. Teams ne permet d’envoyer un fichier qu’en conversation privée : écrivez-moi en privé pour le fichier complet.',
  },
  en: {
    feedbackUp: '👍 Helpful',
    feedbackDown: '👎 Not helpful',
    submit: 'Send',
    sources: 'Sources',
    imageTooLarge: 'image too large for Teams',
    scaleHint: '{min} = {minLabel} · {max} = {maxLabel}',
    fileUploaded: 'File saved to your OneDrive: **{name}**',
    fileDeclined: 'The file was not sent, as you chose. Ask for it again whenever you like.',
    fileExpired: 'This file is no longer available (it is kept for 24 hours only). Ask for it again to get a new one.',
    fileUploadFailed: 'I could not save the file to your OneDrive. Please ask for it again in a few minutes.',
    fileInChannel: 'Teams lets a bot send files in personal chats only: message me privately to get it.',
    fileTruncated: 'Preview: {shown} of {total} lines. Teams lets a bot send files in personal chats only: message me privately for the whole file.',
  },
} satisfies Record<Locale, Record<string, string>>;

export type TeamsLabels = (typeof LABELS)['fr'];

export function teamsLabels(locale: string): TeamsLabels {
  return LABELS[localeFromHint(locale) ?? 'fr'];
}
