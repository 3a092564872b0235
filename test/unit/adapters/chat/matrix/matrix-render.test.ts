/**
 * The pure Matrix renderer: HTML with a plain-text fallback, polls only where
 * allowed, numbered options otherwise, inputs as reply instructions, images, files,
 * citations, feedback prompt, AI footer, size limits and edits.
 */
import { editContent, fileContent, fileFallbackContent, imageContent, MAX_CONTENT_BYTES, renderMatrixMessage, threadRelation, type MatrixPart } from '../../../../../src/adapters/chat/matrix/matrix-render.js';
import type { OutboundMessage } from '../../../../../src/core/messages/outbound.js';

const fr = { locale: 'fr', allowPolls: false };
const message = (part: MatrixPart) => {
  if (part.kind !== 'message') throw new Error(`expected a message, got ${part.kind}`);
  return part;
};

const choice: OutboundMessage = {
  blocks: [
    { type: 'text', markdown: 'Une question :' },
    { type: 'choice', actionId: 'survey:q1', label: 'Votre humeur ?', multiple: false, required: true, options: [{ value: 'ok', label: 'Bien' }, { value: 'ko', label: 'Pas bien' }] },
  ],
};

describe('renderMatrixMessage', () => {
  it('renders markdown as safe HTML with a plain-text body', () => {
    const [part] = renderMatrixMessage({ blocks: [{ type: 'text', markdown: '**Bonjour** <script>alert(1)</script> [lien](https://example.org)' }] }, fr);
    const { content } = message(part!);
    expect(content.msgtype).toBe('m.text');
    expect(content.format).toBe('org.matrix.custom.html');
    expect(content.formatted_body).toContain('<strong>Bonjour</strong>');
    expect(content.formatted_body).toContain('&lt;script&gt;');
    expect(content.formatted_body).not.toContain('<script>');
    expect(content.body).toBe('Bonjour <script>alert(1)</script> lien (https://example.org)');
  });

  it('without polls, writes numbered options and remembers the question for a numbered reply', () => {
    const [part, ...rest] = renderMatrixMessage(choice, fr);
    expect(rest).toHaveLength(0);
    const m = message(part!);
    expect(m.content.body).toContain('Votre humeur ?\n1. Bien\n2. Pas bien\nRépondez par le numéro de votre choix.');
    expect(m.content.formatted_body).toContain('<ol><li>Bien</li><li>Pas bien</li></ol>');
    expect(m.pending).toEqual({ kind: 'options', multiple: false, options: [{ actionId: 'survey:q1', value: 'ok' }, { actionId: 'survey:q1', value: 'ko' }] });
  });

  it('with polls allowed, a single choice becomes an MSC3381 poll with stable and unstable keys', () => {
    const parts = renderMatrixMessage(choice, { locale: 'fr', allowPolls: true });
    expect(parts.map((p) => p.kind)).toEqual(['message', 'poll']);
    const poll = parts[1]!;
    if (poll.kind !== 'poll') throw new Error('no poll');
    expect(poll.type).toBe('org.matrix.msc3381.poll.start');
    expect(poll.content['org.matrix.msc3381.poll.start']).toMatchObject({
      kind: 'org.matrix.msc3381.poll.disclosed',
      max_selections: 1,
      question: { 'org.matrix.msc1767.text': 'Votre humeur ?' },
      answers: [
        { id: 'a1', 'org.matrix.msc1767.text': 'Bien' },
        { id: 'a2', 'org.matrix.msc1767.text': 'Pas bien' },
      ],
    });
    expect(poll.content['m.poll']).toMatchObject({ kind: 'm.disclosed', answers: [{ 'm.id': 'a1', 'm.text': [{ body: 'Bien' }] }, { 'm.id': 'a2' }] });
    expect(String(poll.content['org.matrix.msc1767.text'])).toContain('1. Bien\n2. Pas bien');
    expect(poll.poll).toEqual({ actionId: 'survey:q1', numeric: false, answers: { a1: 'ok', a2: 'ko' } });
    // The numbered fallback still works for clients without polls.
    expect(message(parts[0]!).pending?.options).toHaveLength(2);
  });

  it('never uses a poll for a multiple choice', () => {
    const multiple: OutboundMessage = { blocks: [{ ...(choice.blocks[1] as Extract<OutboundMessage['blocks'][number], { type: 'choice' }>), multiple: true }] };
    const parts = renderMatrixMessage(multiple, { locale: 'fr', allowPolls: true });
    expect(parts.map((p) => p.kind)).toEqual(['message']);
    expect(message(parts[0]!).content.body).toContain('séparés par des virgules');
  });

  it('renders scales, numbers and text inputs as reply instructions', () => {
    const parts = renderMatrixMessage(
      {
        blocks: [
          { type: 'scale', actionId: 's:1', label: 'Charge de travail', min: 1, max: 5, minLabel: 'faible', maxLabel: 'forte', required: true },
          { type: 'number', actionId: 'n:1', label: 'Heures', min: 0, max: 60, unit: 'h', required: false },
          { type: 'text-input', actionId: 't:1', label: 'Un commentaire', multiline: true, required: false },
        ],
      },
      fr,
    );
    const { content, pending } = message(parts[0]!);
    expect(content.body).toContain('1 = faible · 5 = forte');
    expect(content.body).toContain('Répondez par un nombre de 1 à 5.');
    // Labels are shown as written: surveys word "(facultatif)" themselves, so it never appears twice.
    expect(content.body).toContain('Heures');
    expect(content.body).not.toContain('(facultatif)');
    expect(content.body).toContain('Répondez par un nombre (0–60 h).');
    expect(content.body).toContain('Répondez simplement par un message.');
    // The last input is the one a reply answers.
    expect(pending).toEqual({ kind: 'text', actionId: 't:1' });
  });

  it('renders a scale as a numeric poll when allowed', () => {
    const parts = renderMatrixMessage({ blocks: [{ type: 'scale', actionId: 's:1', label: 'Note', min: 1, max: 3, required: true }] }, { locale: 'en', allowPolls: true });
    expect(parts.map((p) => p.kind)).toEqual(['poll']);
    const poll = parts[0]!;
    if (poll.kind !== 'poll') throw new Error('no poll');
    expect(poll.poll).toEqual({ actionId: 's:1', numeric: true, answers: { v1: '1', v2: '2', v3: '3' } });
    expect(poll.pending).toEqual({ kind: 'scale', actionId: 's:1', min: 1, max: 3 });
  });

  it('renders citations as a numbered list, feedback as a reaction prompt and the AI footer', () => {
    const [part] = renderMatrixMessage(
      {
        blocks: [
          { type: 'text', markdown: 'Réponse [1].' },
          { type: 'citations', items: [{ index: 1, title: 'La visite', source: 'Étudiante · 2020', excerpt: '« J’avais peur »' }] },
          { type: 'feedback', actionId: 'feedback:a1' },
        ],
        footer: { text: 'Relais', aiGenerated: true },
      },
      fr,
    );
    const m = message(part!);
    expect(m.content.body).toBe('Réponse [1].\n\nSources\n[1] La visite — Étudiante · 2020\n    « J’avais peur »\n\nCette réponse vous a-t-elle aidé ? Réagissez avec 👍 ou 👎.\n\n— Généré par IA · Relais');
    expect(m.content.formatted_body).toContain('<li>[1] <strong>La visite</strong> — Étudiante · 2020<br><em>« J’avais peur »</em></li>');
    expect(m.feedbackActionId).toBe('feedback:a1');
  });

  it('renders images given as bytes as m.image parts, and by URL as links', () => {
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    const parts = renderMatrixMessage(
      {
        blocks: [
          { type: 'image', source: { kind: 'bytes', mimeType: 'image/png', base64: png.toString('base64') }, alt: 'Graphique des réponses' },
          { type: 'image', source: { kind: 'url', url: 'https://example.org/a.png' }, alt: 'Logo' },
        ],
      },
      fr,
    );
    expect(parts.map((p) => p.kind)).toEqual(['message', 'image']);
    expect(message(parts[0]!).content.body).toBe('Logo : https://example.org/a.png');
    const image = parts[1]!;
    if (image.kind !== 'image') throw new Error('no image');
    expect(image.bytes.equals(png)).toBe(true);
    expect(imageContent(image, 'mxc://s/abc')).toEqual({ msgtype: 'm.image', body: 'Graphique des réponses', url: 'mxc://s/abc', info: { mimetype: 'image/png', size: 8 } });
  });

  it('renders a file block as an m.file part after the text (body and filename are the file name, info has type and size)', () => {
    const csv = Buffer.from('submission_id,tache\r\ns-1,Saisie\r\n', 'utf8');
    const parts = renderMatrixMessage(
      {
        blocks: [
          { type: 'text', markdown: 'Export de la campagne `c-1` : **1** réponse.' },
          { type: 'file', filename: 'irritants-c-1.csv', mimeType: 'text/csv', base64: csv.toString('base64'), title: 'Réponses (CSV)' },
        ],
      },
      fr,
    );
    expect(parts.map((p) => p.kind)).toEqual(['message', 'file']);
    expect(message(parts[0]!).content.body).toBe('Export de la campagne c-1 : 1 réponse.');
    const file = parts[1]!;
    if (file.kind !== 'file') throw new Error('no file');
    expect(file.bytes.equals(csv)).toBe(true);
    expect(file.mimeType).toBe('text/csv');
    expect(fileContent(file, 'mxc://s/f1')).toEqual({
      msgtype: 'm.file',
      body: 'irritants-c-1.csv',
      filename: 'irritants-c-1.csv',
      url: 'mxc://s/f1',
      info: { mimetype: 'text/csv', size: csv.length },
    });
  });

  it('a message made only of a file says its title in a text; a refused upload is explained in the reader’s language', () => {
    const block = { type: 'file', filename: 'export.json', mimeType: 'application/json', base64: Buffer.from('[]').toString('base64'), title: 'Réponses (JSON)' } as const;
    const parts = renderMatrixMessage({ blocks: [block] }, fr);
    expect(parts.map((p) => p.kind)).toEqual(['message', 'file']);
    expect(message(parts[0]!).content.body).toBe('Réponses (JSON)');
    const untitled = renderMatrixMessage({ blocks: [{ ...block, title: undefined }] }, fr);
    expect(untitled.map((p) => p.kind)).toEqual(['file']);

    const file = parts[1]!;
    if (file.kind !== 'file') throw new Error('no file');
    expect(fileFallbackContent(file, 'fr').body).toContain('Le fichier « export.json » n’a pas pu être envoyé');
    expect(fileFallbackContent(file, 'en').body).toContain('The file "export.json" could not be sent');
    expect(fileFallbackContent(file, 'en').formatted_body).toContain('<code>relais survey export</code>');
  });

  it('splits a text too large for one event into several messages', () => {
    const paragraph = 'Une phrase assez longue pour remplir la page. '.repeat(40);
    const parts = renderMatrixMessage({ blocks: [{ type: 'text', markdown: Array(60).fill(paragraph).join('\n\n') }] }, fr);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(Buffer.byteLength(JSON.stringify(message(part).content))).toBeLessThan(MAX_CONTENT_BYTES + 2_000);
  });

  it('builds complete m.replace edits and thread relations', () => {
    const [part] = renderMatrixMessage({ blocks: [{ type: 'text', markdown: 'final' }] }, fr);
    const edit = editContent('$orig', message(part!).content);
    expect(edit['m.relates_to']).toEqual({ rel_type: 'm.replace', event_id: '$orig' });
    expect(edit['m.new_content']).toEqual(message(part!).content);
    expect(edit.body).toBe('* final');
    expect(threadRelation('$root', '$last')).toEqual({ rel_type: 'm.thread', event_id: '$root', is_falling_back: true, 'm.in_reply_to': { event_id: '$last' } });
  });

  it('speaks English for English users', () => {
    const [part] = renderMatrixMessage(choice, { locale: 'en', allowPolls: false });
    expect(message(part!).content.body).toContain('Reply with the number of your choice.');
  });
});
