/**
 * The AI disclosure (AI Act art. 50(1)): at the first interaction, people are
 * told clearly that they talk to an AI system, what happens to their data and
 * how to reach a human. Shown once per person, and when the bot joins a
 * conversation.
 */
import { catalog } from '../i18n/translate.js';
import type { Locale } from '../i18n/locale.js';
import type { OutboundMessage } from '../messages/outbound.js';
import type { ProductSettings } from '../product-settings.js';
import { commandButton } from './commands/command-button.js';

export function disclosureMessage(locale: Locale, settings: ProductSettings, audience: 'person' | 'channel'): OutboundMessage {
  const texts = catalog(locale);
  const body = texts['disclosure.body']({
    humanContact: settings.humanContact,
    retentionDays: settings.messageRetentionDays,
    privacyContact: settings.privacyContact,
  });
  const opening = audience === 'channel' ? `${texts['disclosure.channel']}\n\n` : '';
  return {
    purpose: 'disclosure',
    blocks: [
      { type: 'text', markdown: `${opening}${texts['disclosure.title']}\n\n${body}` },
      {
        type: 'buttons',
        buttons: [
          commandButton('help', texts['button.help'], 'primary'),
          commandButton('about', texts['button.about']),
        ],
      },
    ],
  };
}
