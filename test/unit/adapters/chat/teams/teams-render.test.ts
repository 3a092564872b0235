/**
 * The pure Teams renderer: text messages with native citations and the AI
 * label, Adaptive Cards 1.5 for controls, native or button feedback, and the
 * message size limit.
 */
import { readCardData, inputIdFor } from '../../../../../src/adapters/chat/teams/teams-card-data.js';
import { ADAPTIVE_CARD_CONTENT_TYPE, byteSize, renderTeamsMessage, splitText } from '../../../../../src/adapters/chat/teams/teams-render.js';
import { toTeamsMarkdown } from '../../../../../src/adapters/chat/teams/teams-markdown.js';
import type { TeamsActivity } from '../../../../../src/adapters/chat/teams/teams-activity.js';
import type { OutboundEnvelope, OutboundMessage } from '../../../../../src/core/messages/outbound.js';

function envelope(message: OutboundMessage, locale = 'fr'): OutboundEnvelope {
  return { id: 'env-1', cursor: '1', createdAt: new Date(), conversationId: 'c1', locale, message };
}

type Card = { type: string; version: string; body: Record<string, unknown>[] };

function cardOf(activity: TeamsActivity): Card {
  const attachment = activity.attachments?.find((a) => a.contentType === ADAPTIVE_CARD_CONTENT_TYPE);
  if (!attachment) throw new Error('no card');
  return attachment.content as Card;
}

function actionsOf(card: Card): Record<string, unknown>[] {
  return card.body.filter((e) => e.type === 'ActionSet').flatMap((e) => e.actions as Record<string, unknown>[]);
}

const answer: OutboundMessage = {
  blocks: [
    { type: 'text', markdown: 'Voici **deux** récits [1] et une *piste* [2].\n\n- première idée\n- seconde' },
    {
      type: 'citations',
      items: [
        { index: 1, title: 'Première visite à domicile', source: 'Ancien·ne étudiant·e · protection de l’enfance · 2020', excerpt: '« J’avais peur de juger… »' },
        { index: 2, title: 'Un titre très long '.repeat(8), excerpt: 'x'.repeat(400), url: 'https://example.org/recit' },
        { index: 3, title: 'Non cité', excerpt: 'pas dans le texte' },
      ],
    },
    { type: 'feedback', actionId: 'feedback:ans-1' },
  ],
  footer: { text: 'Réponse générée par une IA : vérifiez-la.', aiGenerated: true },
};

describe('Teams rendering of an AI answer', () => {
  it('is a markdown message with native citations, the AI label and the native feedback loop in a personal chat', () => {
    const { activities, feedback } = renderTeamsMessage(envelope(answer), { conversationKind: 'direct' });
    expect(activities).toHaveLength(1);
    const [activity] = activities as [TeamsActivity];
    expect(activity.type).toBe('message');
    expect(activity.textFormat).toBe('markdown');
    expect(activity.text).toContain('Voici **deux** récits [1] et une _piste_ [2].');
    expect(activity.text).toContain('- première idée\n- seconde');
    expect(activity.text).toMatch(/_Réponse générée par une IA : vérifiez-la\._$/);
    expect(activity.attachments).toBeUndefined();
    expect(activity.channelData).toEqual({ feedbackLoopEnabled: true });
    expect(feedback).toEqual({ actionId: 'feedback:ans-1', activityIndex: 0, native: true });

    const entity = activity.entities?.find((e) => e.type === 'https://schema.org/Message') as Record<string, unknown>;
    expect(entity).toMatchObject({ '@type': 'Message', '@context': 'https://schema.org', '@id': '', additionalType: ['AIGeneratedContent'] });
    const citations = entity.citation as { position: number; appearance: Record<string, unknown> }[];
    // Only the sources the text cites: Teams shows them against their [n] markers.
    expect(citations.map((c) => c.position)).toEqual([1, 2]);
    expect(citations[0]).toEqual({
      '@type': 'Claim',
      position: 1,
      appearance: {
        '@type': 'DigitalDocument',
        name: 'Première visite à domicile',
        abstract: '« J’avais peur de juger… »',
        keywords: ['Ancien·ne étudiant·e', 'protection de l’enfance', '2020'],
      },
    });
    const second = citations[1]!.appearance;
    expect((second.name as string).length).toBeLessThanOrEqual(80);
    expect((second.abstract as string).length).toBeLessThanOrEqual(160);
    expect(second.url).toBe('https://example.org/recit');
  });

  it('has citations but no AI label when the content was not generated (extractive answers)', () => {
    const extractive = { ...answer, footer: { text: 'Extraits choisis automatiquement.', aiGenerated: false } };
    const [activity] = renderTeamsMessage(envelope(extractive), { conversationKind: 'direct' }).activities;
    const entity = activity!.entities![0]!;
    expect(entity.additionalType).toBeUndefined();
    expect((entity.citation as unknown[]).length).toBe(2);
  });

  it('uses our own feedback buttons in channels, on the same message', () => {
    const { activities, feedback } = renderTeamsMessage(envelope(answer), { conversationKind: 'channel' });
    expect(activities).toHaveLength(1);
    const [activity] = activities as [TeamsActivity];
    expect(activity.channelData).toBeUndefined();
    expect(activity.text).toContain('[1]');
    const actions = actionsOf(cardOf(activity));
    expect(actions.map((a) => [a.type, a.title])).toEqual([
      ['Action.Execute', '👍 Utile'],
      ['Action.Execute', '👎 Pas utile'],
    ]);
    expect(actions.map((a) => readCardData(a.data))).toEqual([
      { actionId: 'feedback:ans-1', value: 'up' },
      { actionId: 'feedback:ans-1', value: 'down' },
    ]);
    expect(feedback).toEqual({ actionId: 'feedback:ans-1', activityIndex: 0, native: false });
  });

  it('labels feedback buttons in English for English messages', () => {
    const [activity] = renderTeamsMessage(envelope(answer, 'en'), { conversationKind: 'channel' }).activities;
    expect(actionsOf(cardOf(activity!)).map((a) => a.title)).toEqual(['👍 Helpful', '👎 Not helpful']);
  });
});

describe('Teams rendering of forms and controls (Adaptive Card 1.5)', () => {
  const survey: OutboundMessage = {
    blocks: [
      { type: 'text', markdown: '# Sondage\n\nMerci de répondre.' },
      { type: 'buttons', buttons: [{ actionId: 'cmd:help', label: 'Aide', style: 'primary' }, { actionId: 'survey:skip', value: 'q1', label: 'Passer', style: 'danger' }] },
      { type: 'choice', actionId: 'survey:q1', label: 'Votre année ?', options: [{ value: 'l1', label: 'L1' }, { value: 'l2', label: 'L2' }], multiple: false, required: true },
      { type: 'choice', actionId: 'survey:q2', label: 'Vos terrains ?', options: 'abcdefg'.split('').map((v) => ({ value: v, label: v.toUpperCase() })), multiple: true, required: false, submitLabel: 'Valider' },
      { type: 'scale', actionId: 'survey:q3', label: 'Charge ressentie', min: 1, max: 5, minLabel: 'faible', maxLabel: 'forte', required: true },
      { type: 'scale', actionId: 'survey:q4', label: 'Sur 10', min: 0, max: 10, required: true },
      { type: 'number', actionId: 'survey:q5', label: 'Temps de trajet', min: 0, max: 300, unit: 'minutes', required: false },
      { type: 'text-input', actionId: 'survey:q6', label: 'Un mot ?', multiline: true, placeholder: 'Écrivez ici', maxLength: 500, required: false },
      { type: 'image', source: { kind: 'url', url: 'https://example.org/chart.png' }, alt: 'Graphique des réponses', title: 'Résultats' },
      { type: 'image', source: { kind: 'bytes', mimeType: 'image/png', base64: 'iVBORw0KGgo=' }, alt: 'Petit graphique' },
      { type: 'image', source: { kind: 'bytes', mimeType: 'image/png', base64: 'A'.repeat(30_000) }, alt: 'Gros graphique' },
    ],
    footer: { text: 'Relais · assistant automatisé (IA)', aiGenerated: false },
  };

  const [activity] = renderTeamsMessage(envelope(survey), { conversationKind: 'direct' }).activities;
  const card = cardOf(activity!);
  const byId = (id: string): Record<string, unknown> => card.body.find((e) => e.id === id)!;

  it('is one Adaptive Card 1.5 with the text first and the footer last', () => {
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(card.body[0]).toMatchObject({ type: 'TextBlock', text: '**Sondage**\n\nMerci de répondre.', wrap: true });
    expect(card.body.at(-1)).toMatchObject({ type: 'TextBlock', text: 'Relais · assistant automatisé (IA)', size: 'Small', isSubtle: true });
  });

  it('renders buttons as Action.Execute with their style and value', () => {
    const [help, skip] = actionsOf(card);
    expect(help).toMatchObject({ type: 'Action.Execute', verb: 'relais', title: 'Aide', style: 'positive' });
    expect(skip).toMatchObject({ style: 'destructive' });
    expect(readCardData(skip!.data)).toEqual({ actionId: 'survey:skip', value: 'q1' });
  });

  it('renders choices as Input.ChoiceSet, expanded while short, compact and multi-select otherwise', () => {
    expect(byId(inputIdFor('survey:q1'))).toMatchObject({ type: 'Input.ChoiceSet', label: 'Votre année ?', style: 'expanded', isMultiSelect: false, isRequired: true, choices: [{ title: 'L1', value: 'l1' }, { title: 'L2', value: 'l2' }] });
    expect(byId(inputIdFor('survey:q2'))).toMatchObject({ style: 'compact', isMultiSelect: true, isRequired: false });
    const submit = actionsOf(card).find((a) => a.title === 'Valider')!;
    expect(readCardData({ ...(submit.data as object), [inputIdFor('survey:q2')]: 'a,g' })).toEqual({ actionId: 'survey:q2', value: ['a', 'g'] });
  });

  it('renders a short scale as buttons with its labels, a long one as a drop-down', () => {
    const points = actionsOf(card).filter((a) => readCardData(a.data)?.actionId === 'survey:q3');
    expect(points.map((p) => p.title)).toEqual(['1', '2', '3', '4', '5']);
    expect(readCardData(points[3]!.data)).toEqual({ actionId: 'survey:q3', value: 4 });
    expect(card.body.some((e) => e.text === '1 = faible · 5 = forte')).toBe(true);
    const long = byId(inputIdFor('survey:q4'));
    expect(long).toMatchObject({ type: 'Input.ChoiceSet', style: 'compact' });
    expect((long.choices as unknown[]).length).toBe(11);
  });

  it('renders number and text inputs with their bounds', () => {
    expect(byId(inputIdFor('survey:q5'))).toMatchObject({ type: 'Input.Number', label: 'Temps de trajet (minutes)', min: 0, max: 300 });
    expect(byId(inputIdFor('survey:q6'))).toMatchObject({ type: 'Input.Text', isMultiline: true, placeholder: 'Écrivez ici', maxLength: 500 });
  });

  it('renders images by URL, small bytes inline, and names large ones instead of breaking the size limit', () => {
    const images = card.body.filter((e) => e.type === 'Image');
    expect(images).toEqual([
      { type: 'Image', url: 'https://example.org/chart.png', altText: 'Graphique des réponses', size: 'Auto' },
      { type: 'Image', url: 'data:image/png;base64,iVBORw0KGgo=', altText: 'Petit graphique', size: 'Auto' },
    ]);
    expect(card.body.some((e) => e.text === '_Gros graphique_ (image trop volumineuse pour Teams)')).toBe(true);
    expect(byteSize(activity!)).toBeLessThan(28 * 1024);
  });
});

describe('Teams message size', () => {
  it('splits a long answer into messages under the limit, at paragraph breaks, feedback and footer on the last', () => {
    const paragraphs = Array.from({ length: 60 }, (_, i) => `Paragraphe ${i} [1] : ${'é'.repeat(900)}.`);
    const long: OutboundMessage = { ...answer, blocks: [{ type: 'text', markdown: paragraphs.join('\n\n') }, answer.blocks[1]!, answer.blocks[2]!] };
    const { activities, feedback } = renderTeamsMessage(envelope(long), { conversationKind: 'direct' });
    expect(activities.length).toBeGreaterThan(1);
    for (const activity of activities) expect(byteSize(activity)).toBeLessThanOrEqual(24_000);
    const joined = activities.map((a) => a.text).join('\n\n');
    for (const p of paragraphs) expect(joined).toContain(p);
    for (const activity of activities.slice(0, -1)) {
      expect(activity.text!.endsWith('.')).toBe(true);
      expect(activity.channelData).toBeUndefined();
      expect(activity.text).not.toContain('Réponse générée');
    }
    expect(activities.at(-1)!.channelData).toEqual({ feedbackLoopEnabled: true });
    expect(feedback?.activityIndex).toBe(activities.length - 1);
    // Every part carries the AI label.
    for (const activity of activities) expect(activity.entities?.[0]?.additionalType).toEqual(['AIGeneratedContent']);
  });

  it('splits text without a break at sentence or space boundaries and never splits a character', () => {
    const text = `${'Une phrase assez longue pour remplir. '.repeat(200)}${'🙂'.repeat(50)}`;
    const parts = splitText(text, 1000);
    for (const part of parts) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(1000);
    expect(parts.join(' ').replace(/\s+/g, ' ')).toBe(text.trim().replace(/\s+/g, ' '));
    expect(parts.join('')).not.toContain('\ufffd');
    expect(splitText('court', 1000)).toEqual(['court']);
  });

  it('moves the text of an oversized card into messages before the card with the controls', () => {
    const big: OutboundMessage = {
      blocks: [
        { type: 'text', markdown: 'Contexte. '.repeat(4000) },
        { type: 'text-input', actionId: 'survey:q1', label: 'Votre avis', multiline: true, required: false },
      ],
    };
    const { activities } = renderTeamsMessage(envelope(big), { conversationKind: 'direct' });
    expect(activities.length).toBeGreaterThan(2);
    for (const activity of activities) expect(byteSize(activity)).toBeLessThanOrEqual(24_000);
    const last = activities.at(-1)!;
    expect(cardOf(last).body.map((e) => e.type)).toEqual(['Input.Text', 'ActionSet']);
  });
});

describe('Teams markdown', () => {
  it('keeps what a Teams message shows and escapes tags', () => {
    expect(toTeamsMarkdown('## Titre\n\n> cité\n\n`code` <at>x</at>', 'message')).toBe('**Titre**\n\n> cité\n\n`code` &lt;at>x&lt;/at>');
  });

  it('keeps what an Adaptive Card TextBlock shows', () => {
    expect(toTeamsMarkdown('> cité\n\n1. un\n2. deux\n\n[lien](https://example.org)', 'card')).toBe('_cité_\n\n1. un\n2. deux\n\n[lien](https://example.org)');
  });
});
