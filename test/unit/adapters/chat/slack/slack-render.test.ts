/** Neutral messages → Block Kit, and the clean splitting that keeps every message within Slack's limits. */
import { markdownToMrkdwn, splitMrkdwn } from '../../../../../src/adapters/chat/slack/slack-mrkdwn.js';
import { mapSlackPayload } from '../../../../../src/adapters/chat/slack/slack-inbound.js';
import { feedbackAsButtons, renderSlackMessage, textLength, type SlackBlock, type SlackOutboundPart, type SlackUploadPart } from '../../../../../src/adapters/chat/slack/slack-render.js';
import type { OutboundMessage } from '../../../../../src/core/messages/outbound.js';

const fr = { locale: 'fr' };

function messages(parts: SlackOutboundPart[]): Extract<SlackOutboundPart, { kind: 'message' }>[] {
  return parts.filter((p): p is Extract<SlackOutboundPart, { kind: 'message' }> => p.kind === 'message');
}

function sectionTexts(parts: SlackOutboundPart[]): string[] {
  return messages(parts).flatMap((m) => m.blocks.filter((b) => b.type === 'section').map((b) => (b.text as { text: string }).text));
}

describe('markdown → mrkdwn', () => {
  it('converts bold, italics, code, links, lists, headings and quotes', () => {
    expect(markdownToMrkdwn('**gras** et *italique* et `code`')).toBe('*gras* et _italique_ et `code`');
    expect(markdownToMrkdwn('[la charte](https://example.org/a?b=1)')).toBe('<https://example.org/a?b=1|la charte>');
    expect(markdownToMrkdwn('# Titre\n\n- un\n- deux\n\n1. a\n2. b')).toBe('*Titre*\n\n• un\n• deux\n\n1. a\n2. b');
    expect(markdownToMrkdwn('> cité')).toBe('> cité');
  });

  it('escapes what Slack would read as markup (mentions, links)', () => {
    expect(markdownToMrkdwn('a <!channel> & <@U1>')).toBe('a &lt;!channel&gt; &amp; &lt;@U1&gt;');
  });

  it('splits between paragraphs, then words, never inside a word or a link', () => {
    const link = '<https://example.org/tres/long|un lien avec des espaces>';
    const text = Array.from({ length: 200 }, (_, i) => `mot${i} ${i % 10 === 0 ? link : ''}`).join(' ');
    const pieces = splitMrkdwn(text, 300);
    expect(pieces.length).toBeGreaterThan(3);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(300);
      expect((piece.match(/</g) ?? []).length).toBe((piece.match(/>/g) ?? []).length);
    }
    expect(pieces.join(' ').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' ').trim());
  });
});

describe('renderSlackMessage', () => {
  it('renders buttons with unique action ids and JSON values', () => {
    const [part] = renderSlackMessage({ blocks: [{ type: 'buttons', buttons: [{ actionId: 'a:1', label: 'Oui', value: 'yes', style: 'primary' }, { actionId: 'a:1', label: 'Non' }] }] }, fr);
    const block = messages([part!])[0]!.blocks[0]!;
    expect(block).toMatchObject({ type: 'actions', elements: [{ type: 'button', action_id: 'a:1#0', value: '"yes"', style: 'primary' }, { action_id: 'a:1#1', value: '"a:1"' }] });
  });

  it('renders single choice as radio buttons (≤ 10) or a select, multiple choice as checkboxes with a submit', () => {
    const options = (n: number) => Array.from({ length: n }, (_, i) => ({ value: `v${i}`, label: `Option ${i}` }));
    const radio = messages(renderSlackMessage({ blocks: [{ type: 'choice', actionId: 'c', label: 'Q', options: options(3), multiple: false, required: true }] }, fr))[0]!.blocks;
    expect(radio[1]!.elements).toEqual([expect.objectContaining({ type: 'radio_buttons' })]);
    const select = messages(renderSlackMessage({ blocks: [{ type: 'choice', actionId: 'c', label: 'Q', options: options(12), multiple: false, required: true }] }, fr))[0]!.blocks;
    expect(select[1]!.elements).toEqual([expect.objectContaining({ type: 'static_select' })]);
    const multi = messages(renderSlackMessage({ blocks: [{ type: 'choice', actionId: 'c', label: 'Q', options: options(3), multiple: true, required: false, submitLabel: 'Valider' }] }, fr))[0]!.blocks;
    expect(multi[1]!.elements).toEqual([expect.objectContaining({ type: 'checkboxes' }), expect.objectContaining({ action_id: 'relais.submit#1', value: JSON.stringify({ submit: 'c' }) })]);
  });

  it('renders a scale as numbered buttons with number values', () => {
    const blocks = messages(renderSlackMessage({ blocks: [{ type: 'scale', actionId: 's', label: 'Note', min: 1, max: 5, minLabel: 'pas du tout', maxLabel: 'tout à fait', required: true }] }, fr))[0]!.blocks;
    const buttons = blocks.find((b) => b.type === 'actions')!.elements as Array<{ value: string }>;
    expect(buttons.map((b) => JSON.parse(b.value))).toEqual([1, 2, 3, 4, 5]);
  });

  it('renders number and text inputs as dispatching input blocks with a submit button', () => {
    const blocks = messages(
      renderSlackMessage(
        {
          blocks: [
            { type: 'number', actionId: 'n', label: 'Durée', unit: 'minutes', min: 0, max: 600, required: true },
            { type: 'text-input', actionId: 't', label: 'Commentaire', multiline: true, maxLength: 2000, required: false },
          ],
        },
        fr,
      ),
    )[0]!.blocks;
    expect(blocks.map((b) => b.type)).toEqual(['input', 'actions', 'input', 'actions']);
    expect(blocks[0]).toMatchObject({ dispatch_action: true, optional: false, element: { type: 'number_input', min_value: '0', max_value: '600' } });
    expect(blocks[2]).toMatchObject({ optional: true, element: { type: 'plain_text_input', multiline: true, max_length: 2000 } });
  });

  it('renders citations as numbered context blocks, feedback as feedback buttons, the footer last', () => {
    const message: OutboundMessage = {
      blocks: [
        { type: 'text', markdown: 'Réponse [1].' },
        { type: 'citations', items: [{ index: 1, title: 'La visite', source: 'Récit · 2021', excerpt: 'Un extrait', url: 'https://example.org/r/1' }] },
        { type: 'feedback', actionId: 'feedback:a1' },
      ],
      footer: { text: 'Réponse générée par une IA', aiGenerated: true },
    };
    const blocks = messages(renderSlackMessage(message, fr))[0]!.blocks;
    expect(blocks.map((b) => b.type)).toEqual(['section', 'section', 'context', 'context_actions', 'context']);
    expect(JSON.stringify(blocks[2])).toContain('*[1]* <https://example.org/r/1|La visite> — Récit · 2021');
    expect(blocks[3]).toMatchObject({ elements: [{ type: 'feedback_buttons', positive_button: { value: 'up' }, negative_button: { value: 'down' } }] });
    expect(JSON.stringify(blocks[4])).toContain('Réponse générée par une IA');
  });

  it('uses image blocks for URLs and uploads for bytes, in order', () => {
    const parts = renderSlackMessage(
      {
        blocks: [
          { type: 'text', markdown: 'Avant' },
          { type: 'image', source: { kind: 'bytes', mimeType: 'image/png', base64: 'iVBORw0KGgo=' }, alt: 'Graphique des réponses', title: 'Résultats' },
          { type: 'image', source: { kind: 'url', url: 'https://example.org/a.png' }, alt: 'Une image' },
        ],
      },
      fr,
    );
    expect(parts.map((p) => p.kind)).toEqual(['message', 'upload', 'message']);
    expect(parts[1]).toMatchObject({ filename: 'resultats.png', alt: 'Graphique des réponses' });
    expect((parts[2] as { blocks: SlackBlock[] }).blocks[0]).toMatchObject({ type: 'image', image_url: 'https://example.org/a.png', alt_text: 'Une image' });
  });

  it('renders a file block as an upload with its name, type and title, between the messages around it', () => {
    const csv = 'submission_id,tache\r\ns-1,Saisie <à la main>\r\n';
    const base64 = Buffer.from(csv, 'utf8').toString('base64');
    const parts = renderSlackMessage(
      {
        blocks: [
          { type: 'text', markdown: 'Export de `c-1` : 1 ligne.' },
          { type: 'file', filename: 'irritants-c-1.csv', mimeType: 'text/csv', base64, title: 'Export irritants' },
          { type: 'text', markdown: 'Après' },
        ],
      },
      fr,
    );
    expect(parts.map((p) => p.kind)).toEqual(['message', 'upload', 'message']);
    const upload = parts[1] as SlackUploadPart;
    expect(upload).toMatchObject({ kind: 'upload', filename: 'irritants-c-1.csv', mimeType: 'text/csv', base64, title: 'Export irritants' });
    // Documents carry no image description.
    expect(upload.alt).toBeUndefined();
    // The text fallback shows the whole content (escaped) when it fits, and says why the file is missing.
    const fallback = upload.fallback!;
    expect(fallback.blocks).toHaveLength(1);
    const text = (fallback.blocks[0]!.text as { text: string }).text;
    expect(text).toContain('Slack a refusé le fichier `irritants-c-1.csv`');
    expect(text).toContain('Voici son contenu :');
    expect(text).toContain('```submission_id,tache\ns-1,Saisie &lt;à la main&gt;```');
  });

  it('ends the last message before trailing uploads with the footer, rather than posting the footer alone', () => {
    const file = { type: 'file' as const, filename: 'export.csv', mimeType: 'text/csv' as const, base64: Buffer.from('a,b\r\n').toString('base64') };
    const footer = { text: 'Relais · assistant automatisé (IA)', aiGenerated: true };
    const trailing = renderSlackMessage({ blocks: [{ type: 'text', markdown: 'Export en pièce jointe.' }, file], footer }, fr);
    expect(trailing.map((p) => p.kind)).toEqual(['message', 'upload']);
    expect(JSON.stringify(trailing[0])).toContain('Relais · assistant automatisé (IA)');
    // Text after the upload: the footer stays last; an upload alone still gets its footer.
    expect(renderSlackMessage({ blocks: [file, { type: 'text', markdown: 'Après' }], footer }, fr).map((p) => p.kind)).toEqual(['upload', 'message']);
    const alone = renderSlackMessage({ blocks: [file], footer }, fr);
    expect(alone.map((p) => p.kind)).toEqual(['upload', 'message']);
    expect(JSON.stringify(alone[1])).toContain('Relais · assistant automatisé (IA)');
  });

  it('a file without a title is titled by its name; its fallback says when the text is cut, in the reader’s language', () => {
    const csv = ['id,texte', ...Array.from({ length: 400 }, (_, i) => `s-${i},${'une réponse assez longue '.repeat(2)}`)].join('\r\n');
    const [upload] = renderSlackMessage({ blocks: [{ type: 'file', filename: 'export.csv', mimeType: 'text/csv', base64: Buffer.from(csv).toString('base64') }] }, { locale: 'en' }) as SlackUploadPart[];
    expect(upload!.title).toBe('export.csv');
    const text = (upload!.fallback!.blocks[0]!.text as { text: string }).text;
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text).toMatch(/Here is its beginning \(\d+ of 401 lines\) — incomplete:/);
    expect(text.startsWith('Slack refused the file `export.csv`')).toBe(true);
    // Whole lines only: the block ends on a complete row.
    expect(text).toMatch(/,(une réponse assez longue ){2}```$/);
  });

  it('keeps every section under 3,000 characters and every message under 50 blocks and 40,000 characters', () => {
    const paragraph = 'Une phrase assez longue pour remplir la section, avec [un lien](https://example.org/x) au milieu. '.repeat(40);
    const message: OutboundMessage = {
      blocks: [...Array.from({ length: 30 }, () => ({ type: 'text' as const, markdown: paragraph })), { type: 'feedback', actionId: 'feedback:x' }],
      footer: { text: 'Pied', aiGenerated: true },
    };
    const parts = messages(renderSlackMessage(message, fr));
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.blocks.length).toBeLessThanOrEqual(50);
      expect(textLength(part.blocks) + part.text.length).toBeLessThanOrEqual(40_000);
    }
    for (const text of sectionTexts(parts)) {
      expect(text.length).toBeLessThanOrEqual(3000);
      expect(text).not.toMatch(/<https:\/\/example\.org\/x(?!\|un lien>)/);
    }
    const last = parts.at(-1)!.blocks;
    expect(last.slice(-2).map((b) => b.type)).toEqual(['context_actions', 'context']);
  });

  it('splits on the block count alone and never separates an input from its submit button', () => {
    const blocks = Array.from({ length: 30 }, (_, i) => ({ type: 'text-input' as const, actionId: `t${i}`, label: `Q${i}`, multiline: false, required: false }));
    const parts = messages(renderSlackMessage({ blocks }, { locale: 'en', limits: { blocksPerMessage: 5 } }));
    for (const part of parts) {
      expect(part.blocks.length).toBeLessThanOrEqual(5);
      expect(part.blocks.length % 2).toBe(0);
    }
    expect(JSON.stringify(parts[0]!.blocks)).toContain('Send');
  });

  it('falls back to plain feedback buttons that come back as the same action and values', () => {
    const blocks = messages(renderSlackMessage({ blocks: [{ type: 'text', markdown: 'R' }, { type: 'feedback', actionId: 'feedback:a9' }] }, fr))[0]!.blocks;
    const plain = feedbackAsButtons(blocks, 'fr');
    const row = plain.find((b) => b.type === 'actions') as unknown as { elements: Array<{ action_id: string; value: string }> };
    expect(plain.some((b) => b.type === 'context_actions')).toBe(false);
    expect(new Set(row.elements.map((e) => e.action_id)).size).toBe(2);
    const values = row.elements.map((e) => {
      const result = mapSlackPayload(
        { type: 'block_actions', user: { id: 'U1' }, channel: { id: 'D1' }, container: { message_ts: '1.1' }, trigger_id: 't', actions: [{ type: 'button', action_id: e.action_id, value: e.value, action_ts: '2.2' }] },
        { receivedAt: new Date() },
      );
      return result.kind === 'events' ? [result.events[0]!.event.kind === 'action' && result.events[0]!.event.actionId, result.events[0]!.event.kind === 'action' && result.events[0]!.event.value] : result;
    });
    expect(values).toEqual([
      ['feedback:a9', 'up'],
      ['feedback:a9', 'down'],
    ]);
  });
});
