/**
 * "langue en" / "language fr": the person's interface language, kept for
 * every later message on any conversation of this account.
 */
import { t, catalog } from '../../i18n/translate.js';
import type { Locale } from '../../i18n/locale.js';
import { textMessage } from '../../messages/outbound.js';
import { normalizeWords, type Command } from '../command-registry.js';

const LANGUAGE_NAMES: Record<string, Locale> = {
  fr: 'fr',
  francais: 'fr',
  french: 'fr',
  en: 'en',
  anglais: 'en',
  english: 'en',
};

export function parseLanguage(args: string): Locale | undefined {
  return LANGUAGE_NAMES[normalizeWords(args)];
}

export const languageCommand: Command = {
  id: 'language',
  names: { fr: ['langue'], en: ['language', 'lang'] },
  describe: (locale) => catalog(locale)['help.cmd.language'],
  run: async (context, args) => {
    const locale = parseLanguage(args);
    if (!locale) {
      await context.reply.send(textMessage(t(context.locale, 'language.usage')));
      return;
    }
    await context.setLocale(locale);
    await context.reply.send(textMessage(t(locale, 'language.changed')));
  },
};
