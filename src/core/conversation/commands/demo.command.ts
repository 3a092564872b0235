/**
 * "démo" / "demo": one message with every element of the neutral message
 * model, so an administrator can check how a platform renders each of them,
 * and answer them to check the round trip. Answers are echoed, not kept
 * beyond the normal message retention.
 */
import { catalog } from '../../i18n/translate.js';
import type { Locale } from '../../i18n/locale.js';
import type { ActionValue } from '../../messages/inbound.js';
import { textMessage, type OutboundMessage } from '../../messages/outbound.js';
import type { ActionHandler } from '../action-registry.js';
import type { Command } from '../command-registry.js';
import { DEMO_CHART_PNG_BASE64 } from './demo-chart.js';

export const DEMO_ACTION_NAMESPACE = 'demo';

const options = (labels: string[]): { value: string; label: string }[] =>
  labels.map((label, i) => ({ value: String(i + 1), label }));

export function demoMessage(locale: Locale): OutboundMessage {
  const x = catalog(locale);
  const id = (part: string): string => `${DEMO_ACTION_NAMESPACE}:${part}`;
  return {
    blocks: [
      { type: 'text', markdown: x['demo.intro'] },
      {
        type: 'buttons',
        buttons: [
          { actionId: id('button'), value: 'primary', label: x['demo.button.primary'], style: 'primary' },
          { actionId: id('button'), value: 'secondary', label: x['demo.button.secondary'] },
        ],
      },
      { type: 'choice', actionId: id('single'), label: x['demo.single.label'], options: options(x['demo.single.options']), multiple: false, required: true },
      {
        type: 'choice',
        actionId: id('multi'),
        label: x['demo.multi.label'],
        options: options(x['demo.multi.options']),
        multiple: true,
        required: false,
        submitLabel: x['demo.submit'],
      },
      { type: 'scale', actionId: id('scale'), label: x['demo.scale.label'], min: 1, max: 5, minLabel: x['demo.scale.min'], maxLabel: x['demo.scale.max'], required: true },
      { type: 'number', actionId: id('number'), label: x['demo.number.label'], min: 0, max: 600, step: 5, unit: x['demo.number.unit'], required: true, submitLabel: x['demo.submit'] },
      { type: 'text-input', actionId: id('text'), label: x['demo.text.label'], multiline: true, placeholder: x['demo.text.placeholder'], maxLength: 500, required: false, submitLabel: x['demo.submit'] },
      { type: 'image', source: { kind: 'bytes', mimeType: 'image/png', base64: DEMO_CHART_PNG_BASE64 }, alt: x['demo.image.alt'], title: x['demo.image.title'] },
      {
        type: 'citations',
        items: [
          { index: 1, title: x['demo.citation1.title'], source: x['demo.citation1.source'], excerpt: x['demo.citation1.excerpt'] },
          { index: 2, title: x['demo.citation2.title'], source: x['demo.citation2.source'], excerpt: x['demo.citation2.excerpt'] },
        ],
      },
      { type: 'feedback', actionId: id('feedback') },
    ],
  };
}

export const demoCommand: Command = {
  id: 'demo',
  names: { fr: ['démo', 'demo'], en: ['demo'] },
  describe: (locale) => catalog(locale)['help.cmd.demo'],
  run: async (context) => {
    await context.reply.send(demoMessage(context.locale));
  },
};

/** Shows back what was answered, with option labels rather than values. */
function describeAnswer(locale: Locale, part: string, value: ActionValue | undefined): string {
  const x = catalog(locale);
  const labelsFor: Record<string, string[]> = { single: x['demo.single.options'], multi: x['demo.multi.options'] };
  const labels = labelsFor[part];
  const values = value === undefined ? [] : Array.isArray(value) ? value : [String(value)];
  if (values.length === 0 || values.every((v) => v.trim() === '')) return x['demo.noAnswer'];
  return values.map((v) => (labels ? (labels[Number(v) - 1] ?? v) : v)).join(', ');
}

export const demoAction: ActionHandler = {
  namespace: DEMO_ACTION_NAMESPACE,
  async handle(context, action, part) {
    const x = catalog(context.locale);
    if (part === 'feedback') {
      await context.reply.send(textMessage(action.value === 'up' ? x['demo.feedback.up'] : x['demo.feedback.down']));
      return;
    }
    await context.reply.send(textMessage(x['demo.received'](describeAnswer(context.locale, part, action.value))));
  },
};
