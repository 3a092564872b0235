/**
 * "aide" / "help": what the bot can do, built from the registered commands.
 */
import { catalog } from '../../i18n/translate.js';
import type { Locale } from '../../i18n/locale.js';
import type { OutboundMessage } from '../../messages/outbound.js';
import type { Command, CommandRegistry } from '../command-registry.js';
import { commandButton } from './command-button.js';

export function helpMessage(commands: CommandRegistry, locale: Locale, intro?: string): OutboundMessage {
  const texts = catalog(locale);
  const lines = commands.listed().map((c) => `- **${c.names[locale][0]}** — ${c.describe(locale)}`);
  const markdown = [intro, texts['help.title'], texts['help.assistant'], texts['help.commandsIntro'], lines.join('\n'), texts['help.soon']]
    .filter(Boolean)
    .join('\n\n');
  const otherLocale: Locale = locale === 'fr' ? 'en' : 'fr';
  return {
    blocks: [
      { type: 'text', markdown },
      {
        type: 'buttons',
        buttons: [
          commandButton('about', texts['button.about']),
          commandButton('demo', texts['button.demo']),
          commandButton('language', texts['button.otherLanguage'], 'default', otherLocale),
        ],
      },
    ],
  };
}

export function createHelpCommand(commands: CommandRegistry): Command {
  return {
    id: 'help',
    names: { fr: ['aide', '?', 'menu'], en: ['help'] },
    describe: (locale) => catalog(locale)['help.cmd.help'],
    run: async (context) => {
      await context.reply.send(helpMessage(commands, context.locale));
    },
  };
}
