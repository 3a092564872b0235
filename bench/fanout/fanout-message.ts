import type { OutboundEnvelope } from '../../src/core/messages/outbound.js';

/** The one message every platform's fan-out sends: a survey reminder with a button, as recipient `n` gets it. */
export function fanoutEnvelope(n: number): OutboundEnvelope {
  return {
    id: `bench-${n}`,
    cursor: String(n),
    createdAt: new Date(),
    conversationId: `conv-${n}`,
    locale: 'fr',
    message: {
      purpose: 'proactive',
      blocks: [
        { type: 'text', markdown: '**Sondage de fin de stage** : il vous reste *trois jours* pour répondre. Merci !' },
        { type: 'buttons', buttons: [{ actionId: 'survey:open:bench', label: 'Répondre', style: 'primary' }] },
      ],
      footer: { text: 'Relais · message automatique', aiGenerated: false },
    },
  };
}
