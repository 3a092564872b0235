/**
 * "à propos" / "about": what Relais is, what it does with data, how to reach
 * a human, the licence and the EU co-funding mention when configured.
 */
import { catalog } from '../../i18n/translate.js';
import type { Command } from '../command-registry.js';

export const aboutCommand: Command = {
  id: 'about',
  names: { fr: ['à propos', 'a propos', 'apropos', 'confidentialité'], en: ['about', 'privacy'] },
  describe: (locale) => catalog(locale)['help.cmd.about'],
  run: async (context) => {
    const texts = catalog(context.locale);
    const { settings } = context;
    const params = {
      version: settings.version,
      humanContact: settings.humanContact,
      retentionDays: settings.messageRetentionDays,
      privacyContact: settings.privacyContact,
      fundingNotice: settings.fundingNotice,
    };
    await context.reply.send({
      blocks: [{ type: 'text', markdown: `${texts['about.title'](params)}\n\n${texts['about.body'](params)}` }],
    });
  },
};
