/**
 * Pure rendering of neutral outbound messages into Matrix events:
 *
 * - one `m.room.message` (`m.text`) carrying the text, citations, inputs as
 *   reply instructions, the feedback prompt and the footer, as safe HTML
 *   (`format: org.matrix.custom.html`) with a plain-text `body` fallback;
 * - MSC3381 polls (stable `m.poll.start` keys and unstable
 *   `org.matrix.msc3381.poll.start` keys in one event, plus a text fallback,
 *   as Element sends them) for single-choice questions and scales, only when
 *   `allowPolls` is set — polls show who voted, so never for anonymous
 *   questions;
 * - one `m.image` per image given as bytes (the platform uploads the bytes to
 *   the media repository first; `imageContent` builds the event afterwards);
 * - one `m.file` per file block (e.g. a survey export as CSV), uploaded the
 *   same way; `fileContent` builds the event. Any bot may upload media, so a
 *   file is always sent as a file; only a refused upload falls back to text
 *   (`fileFallbackContent`).
 *
 * Numbered options are written in the text whenever a poll is not used, and
 * the question becomes the room's pending question so a reply such as "2"
 * answers it.
 */
import { escapeHtml, markdownToHtml, markdownToPlainText } from '../../../core/messages/markdown.js';
import type {
  ButtonsBlock,
  ChoiceBlock,
  Citation,
  MessageBlock,
  NumberInputBlock,
  OutboundMessage,
  ScaleBlock,
  TextInputBlock,
} from '../../../core/messages/outbound.js';
import type { PendingQuestion, PollRecord } from './matrix-inbound.js';

export interface MatrixRenderOptions {
  locale: string;
  /** Use polls for single-choice questions and scales (false for anonymous questions and when unsure). */
  allowPolls: boolean;
}

export interface MatrixTextContent {
  msgtype: 'm.text';
  body: string;
  format: 'org.matrix.custom.html';
  formatted_body: string;
  [key: string]: unknown;
}

export type MatrixPart =
  | { kind: 'message'; content: MatrixTextContent; feedbackActionId?: string; pending?: PendingQuestion }
  | { kind: 'poll'; type: 'org.matrix.msc3381.poll.start'; content: Record<string, unknown>; poll: PollRecord; pending?: PendingQuestion }
  | { kind: 'image'; mimeType: string; bytes: Buffer; alt: string; title?: string }
  | { kind: 'file'; mimeType: string; bytes: Buffer; filename: string; title?: string };

interface Texts {
  reply: string;
  replyMany: string;
  scale: string;
  number: string;
  text: string;
  sources: string;
  feedback: string;
  ai: string;
  image: string;
  pollFallback: string;
  fileRefused: string;
}

const TEXTS: Record<'fr' | 'en', Texts> = {
  fr: {
    reply: 'Répondez par le numéro de votre choix.',
    replyMany: 'Répondez par les numéros de vos choix, séparés par des virgules (par exemple « 1, 3 »).',
    scale: 'Répondez par un nombre de {min} à {max}.',
    number: 'Répondez par un nombre{bounds}.',
    text: 'Répondez simplement par un message.',
    sources: 'Sources',
    feedback: 'Cette réponse vous a-t-elle aidé ? Réagissez avec 👍 ou 👎.',
    ai: 'Généré par IA',
    image: 'Image',
    pollFallback: 'Sondage : votre application n’affiche pas les sondages, répondez par le numéro.',
    fileRefused: 'Le fichier « {filename} » n’a pas pu être envoyé ici (refusé par le serveur Matrix). Demandez-le à l’équipe qui administre Relais (commande `relais survey export`).',
  },
  en: {
    reply: 'Reply with the number of your choice.',
    replyMany: 'Reply with the numbers of your choices, separated by commas (for example "1, 3").',
    scale: 'Reply with a number from {min} to {max}.',
    number: 'Reply with a number{bounds}.',
    text: 'Just reply with a message.',
    sources: 'Sources',
    feedback: 'Was this answer helpful? React with 👍 or 👎.',
    ai: 'AI-generated',
    image: 'Image',
    pollFallback: 'Poll: your app does not show polls, reply with the number.',
    fileRefused: 'The file "{filename}" could not be sent here (refused by the Matrix server). Ask the team that runs Relais for it (command `relais survey export`).',
  },
};

/**
 * Budget for the HTML and plain text of one event. Under the homeserver's
 * 65,536-byte limit once JSON-escaped, Megolm-encrypted and base64-encoded
 * (×~1.4), with the event envelope.
 */
export const MAX_CONTENT_BYTES = 36_000;

function textsFor(locale: string): Texts {
  return locale.toLowerCase().startsWith('en') ? TEXTS.en : TEXTS.fr;
}

function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** One piece of the main message, in HTML and plain text. */
interface Piece {
  html: string;
  text: string;
}

const fromMarkdown = (markdown: string): Piece => ({ html: markdownToHtml(markdown), text: markdownToPlainText(markdown) });

export function renderMatrixMessage(message: OutboundMessage, options: MatrixRenderOptions): MatrixPart[] {
  const texts = textsFor(options.locale);
  const pieces: Piece[] = [];
  const images: MatrixPart[] = [];
  const files: MatrixPart[] = [];
  const polls: MatrixPart[] = [];
  let feedbackActionId: string | undefined;
  let pending: PendingQuestion | undefined;

  for (const block of message.blocks) {
    const rendered = renderBlock(block, options, texts);
    if (rendered.piece) pieces.push(rendered.piece);
    if (rendered.image) images.push(rendered.image);
    if (rendered.file) files.push(rendered.file);
    if (rendered.poll) polls.push(rendered.poll);
    if (rendered.pending) pending = rendered.pending;
    if (block.type === 'feedback') feedbackActionId = block.actionId;
  }
  // The event's body is the file name: a message made of files alone says what they are in a text.
  if (pieces.length === 0) {
    for (const file of files) if (file.kind === 'file' && file.title) pieces.push({ html: `<p>${escapeHtml(file.title)}</p>`, text: file.title });
  }
  // A question shown only as a poll needs no text message for a plain footer (the AI label stays).
  const pollOnly = pieces.length === 0 && polls.length > 0 && !message.footer?.aiGenerated;
  if (message.footer && !pollOnly) {
    const label = message.footer.aiGenerated ? `${texts.ai} · ` : '';
    const footer = `${label}${message.footer.text}`;
    pieces.push({ html: `<p><sub>${escapeHtml(footer)}</sub></p>`, text: `— ${footer}` });
  } else if (message.blocks.some((b) => b.type === 'feedback')) {
    pieces.push({ html: `<p><sub>${escapeHtml(texts.ai)}</sub></p>`, text: `— ${texts.ai}` });
  }

  const parts: MatrixPart[] = [];
  if (pieces.length === 0) {
    // Only a poll, images or files: no empty text message; the numbered fallback rides on the poll.
    const lastPoll = polls.at(-1);
    if (lastPoll?.kind === 'poll' && pending) lastPoll.pending = pending;
    return [...images, ...files, ...polls];
  }
  const messages = splitPieces(pieces);
  messages.forEach((group, i) => {
    const last = i === messages.length - 1;
    parts.push({
      kind: 'message',
      content: textContent(group),
      ...(last && feedbackActionId ? { feedbackActionId } : {}),
      ...(last && pending ? { pending } : {}),
    });
  });
  return [...parts, ...images, ...files, ...polls];
}

/** `m.text` content from HTML and plain text pieces. */
export function textContent(pieces: Piece[]): MatrixTextContent {
  return {
    msgtype: 'm.text',
    body: pieces.map((p) => p.text).join('\n\n'),
    format: 'org.matrix.custom.html',
    formatted_body: pieces.map((p) => p.html).join(''),
  };
}

/** Streaming text (markdown so far) as message content. */
export function streamingContent(markdown: string): MatrixTextContent {
  return textContent([fromMarkdown(markdown || '…')]);
}

/** An `m.replace` edit of `eventId` whose new content is `content` (the final edit must be complete). */
export function editContent(eventId: string, content: MatrixTextContent): Record<string, unknown> {
  return {
    msgtype: content.msgtype,
    body: `* ${content.body}`,
    format: content.format,
    formatted_body: `* ${content.formatted_body}`,
    'm.new_content': { ...content },
    'm.relates_to': { rel_type: 'm.replace', event_id: eventId },
  };
}

/** Content of an `m.image` once its bytes are in the media repository. */
export function imageContent(part: Extract<MatrixPart, { kind: 'image' }>, mxcUrl: string): Record<string, unknown> {
  return {
    msgtype: 'm.image',
    body: part.alt,
    url: mxcUrl,
    info: { mimetype: part.mimeType, size: part.bytes.length },
    ...(part.title ? { 'org.matrix.msc2530.caption': part.title } : {}),
  };
}

/**
 * Content of an `m.file` once its bytes are in the media repository: the
 * file name as `body` and `filename` (spec v1.10: a `body` equal to the
 * file name is no caption), its type and size in `info`. The platform swaps
 * `url` for `file` (keys) in encrypted rooms.
 */
export function fileContent(part: Extract<MatrixPart, { kind: 'file' }>, mxcUrl: string): Record<string, unknown> {
  return {
    msgtype: 'm.file',
    body: part.filename,
    filename: part.filename,
    url: mxcUrl,
    info: { mimetype: part.mimeType, size: part.bytes.length },
  };
}

/** What is said instead of a file the homeserver refused (too large for its upload limit, media forbidden). */
export function fileFallbackContent(part: Extract<MatrixPart, { kind: 'file' }>, locale: string): MatrixTextContent {
  return textContent([fromMarkdown(fill(textsFor(locale).fileRefused, { filename: part.filename }))]);
}

/** Thread relation for a reply in a thread (with the reply fallback clients expect). */
export function threadRelation(threadId: string, inReplyTo?: string): Record<string, unknown> {
  return {
    rel_type: 'm.thread',
    event_id: threadId,
    is_falling_back: true,
    'm.in_reply_to': { event_id: inReplyTo ?? threadId },
  };
}

interface Rendered {
  piece?: Piece;
  image?: MatrixPart;
  file?: MatrixPart;
  poll?: MatrixPart;
  pending?: PendingQuestion;
}

function renderBlock(block: MessageBlock, options: MatrixRenderOptions, texts: Texts): Rendered {
  switch (block.type) {
    case 'text':
      return { piece: fromMarkdown(block.markdown) };
    case 'buttons':
      return renderButtons(block, texts);
    case 'choice':
      return renderChoice(block, options, texts);
    case 'scale':
      return renderScale(block, options, texts);
    case 'number':
      return renderNumber(block, texts);
    case 'text-input':
      return renderTextInput(block, texts);
    case 'image': {
      if (block.source.kind === 'url') {
        const label = block.title ?? block.alt;
        return {
          piece: {
            html: `<p><a href="${escapeHtml(block.source.url)}">${escapeHtml(label)}</a></p>`,
            text: `${label} : ${block.source.url}`,
          },
        };
      }
      return {
        image: {
          kind: 'image',
          mimeType: block.source.mimeType,
          bytes: Buffer.from(block.source.base64, 'base64'),
          alt: block.alt,
          ...(block.title ? { title: block.title } : {}),
        },
      };
    }
    case 'file':
      return {
        file: {
          kind: 'file',
          mimeType: block.mimeType,
          bytes: Buffer.from(block.base64, 'base64'),
          filename: block.filename,
          ...(block.title ? { title: block.title } : {}),
        },
      };
    case 'citations':
      return { piece: renderCitations(block.items, texts) };
    case 'feedback':
      return { piece: { html: `<p><em>${escapeHtml(texts.feedback)}</em></p>`, text: texts.feedback } };
  }
}

function numbered(labels: string[]): Piece {
  return {
    html: `<ol>${labels.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ol>`,
    text: labels.map((l, i) => `${i + 1}. ${l}`).join('\n'),
  };
}

/** The label as the message's author wrote it (surveys already say "(facultatif)", as on the web and Teams). */
function question(label: string): Piece {
  return { html: `<p><strong>${escapeHtml(label)}</strong></p>`, text: label };
}

function join(...pieces: Piece[]): Piece {
  return { html: pieces.map((p) => p.html).join(''), text: pieces.map((p) => p.text).join('\n') };
}

const hint = (text: string): Piece => ({ html: `<p><em>${escapeHtml(text)}</em></p>`, text });

function renderButtons(block: ButtonsBlock, texts: Texts): Rendered {
  return {
    piece: join(numbered(block.buttons.map((b) => b.label)), hint(texts.reply)),
    pending: { kind: 'options', options: block.buttons.map((b) => ({ actionId: b.actionId, value: b.value ?? b.actionId })) },
  };
}

function renderChoice(block: ChoiceBlock, options: MatrixRenderOptions, texts: Texts): Rendered {
  const pending: PendingQuestion = {
    kind: 'options',
    multiple: block.multiple,
    options: block.options.map((o) => ({ actionId: block.actionId, value: o.value })),
  };
  if (options.allowPolls && !block.multiple) {
    return { poll: pollPart(block.actionId, block.label, block.options.map((o, i) => ({ id: `a${i + 1}`, label: o.label, value: o.value })), false, texts), pending };
  }
  return {
    piece: join(question(block.label), numbered(block.options.map((o) => o.label)), hint(block.multiple ? texts.replyMany : texts.reply)),
    pending,
  };
}

function renderScale(block: ScaleBlock, options: MatrixRenderOptions, texts: Texts): Rendered {
  const values: number[] = [];
  for (let v = block.min; v <= block.max; v++) values.push(v);
  const labelOf = (v: number): string =>
    v === block.min && block.minLabel ? `${v} — ${block.minLabel}` : v === block.max && block.maxLabel ? `${v} — ${block.maxLabel}` : String(v);
  const pending: PendingQuestion = { kind: 'scale', actionId: block.actionId, min: block.min, max: block.max };
  if (options.allowPolls && values.length <= 20) {
    return { poll: pollPart(block.actionId, block.label, values.map((v) => ({ id: `v${v}`, label: labelOf(v), value: String(v) })), true, texts), pending };
  }
  const ends = [block.minLabel ? `${block.min} = ${block.minLabel}` : '', block.maxLabel ? `${block.max} = ${block.maxLabel}` : ''].filter(Boolean).join(' · ');
  return {
    piece: join(question(block.label), ...(ends ? [hint(ends)] : []), hint(fill(texts.scale, { min: block.min, max: block.max }))),
    pending,
  };
}

function renderNumber(block: NumberInputBlock, texts: Texts): Rendered {
  const bounds =
    block.min !== undefined && block.max !== undefined
      ? ` (${block.min}–${block.max}${block.unit ? ` ${block.unit}` : ''})`
      : block.unit
        ? ` (${block.unit})`
        : '';
  return {
    piece: join(question(block.label), hint(fill(texts.number, { bounds }))),
    pending: { kind: 'number', actionId: block.actionId, ...(block.min !== undefined ? { min: block.min } : {}), ...(block.max !== undefined ? { max: block.max } : {}) },
  };
}

function renderTextInput(block: TextInputBlock, texts: Texts): Rendered {
  return {
    piece: join(question(block.label), hint(block.placeholder ? `${texts.text} ${block.placeholder}` : texts.text)),
    pending: { kind: 'text', actionId: block.actionId },
  };
}

function renderCitations(items: Citation[], texts: Texts): Piece {
  const line = (c: Citation): { html: string; text: string } => {
    const title = c.url ? `<a href="${escapeHtml(c.url)}">${escapeHtml(c.title)}</a>` : `<strong>${escapeHtml(c.title)}</strong>`;
    const source = c.source ? ` — ${escapeHtml(c.source)}` : '';
    const excerpt = c.excerpt ? `<br><em>${escapeHtml(c.excerpt)}</em>` : '';
    return {
      html: `<li>[${c.index}] ${title}${source}${excerpt}</li>`,
      text: `[${c.index}] ${c.title}${c.source ? ` — ${c.source}` : ''}${c.url ? ` (${c.url})` : ''}${c.excerpt ? `\n    ${c.excerpt}` : ''}`,
    };
  };
  const lines = items.map(line);
  return {
    html: `<p><strong>${escapeHtml(texts.sources)}</strong></p><ul>${lines.map((l) => l.html).join('')}</ul>`,
    text: `${texts.sources}\n${lines.map((l) => l.text).join('\n')}`,
  };
}

/** An MSC3381 poll with both the stable and the unstable keys, and a numbered text fallback. */
function pollPart(actionId: string, label: string, answers: { id: string; label: string; value: string }[], numeric: boolean, texts: Texts): MatrixPart {
  const fallback = `${label}\n${answers.map((a, i) => `${i + 1}. ${a.label}`).join('\n')}\n${texts.pollFallback}`;
  const content: Record<string, unknown> = {
    'org.matrix.msc3381.poll.start': {
      kind: 'org.matrix.msc3381.poll.disclosed',
      max_selections: 1,
      question: { 'org.matrix.msc1767.text': label, body: label, msgtype: 'm.text' },
      answers: answers.map((a) => ({ id: a.id, 'org.matrix.msc1767.text': a.label })),
    },
    'org.matrix.msc1767.text': fallback,
    'm.poll': {
      kind: 'm.disclosed',
      max_selections: 1,
      question: { 'm.text': [{ body: label }] },
      answers: answers.map((a) => ({ 'm.id': a.id, 'm.text': [{ body: a.label }] })),
    },
    'm.text': [{ mimetype: 'text/plain', body: fallback }],
    body: fallback,
  };
  return {
    kind: 'poll',
    type: 'org.matrix.msc3381.poll.start',
    content,
    poll: { actionId, numeric, answers: Object.fromEntries(answers.map((a) => [a.id, a.value])) },
  };
}

/** Splits the pieces into messages under the size budget (long answers become several messages). */
function splitPieces(pieces: Piece[]): Piece[][] {
  const groups: Piece[][] = [];
  let current: Piece[] = [];
  let size = 0;
  const sizeOf = (p: Piece): number => Buffer.byteLength(p.html) + Buffer.byteLength(p.text);
  for (const piece of pieces.flatMap(splitLargePiece)) {
    const s = sizeOf(piece);
    if (current.length > 0 && size + s > MAX_CONTENT_BYTES) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(piece);
    size += s;
  }
  if (current.length > 0 || groups.length === 0) groups.push(current);
  return groups;
}

/** A single piece too large for one event is cut at paragraph, then line, then character boundaries. */
function splitLargePiece(piece: Piece): Piece[] {
  if (Buffer.byteLength(piece.html) + Buffer.byteLength(piece.text) <= MAX_CONTENT_BYTES) return [piece];
  const chunks: string[] = [];
  let rest = piece.text;
  const budget = Math.floor(MAX_CONTENT_BYTES / 6); // HTML escaping may grow text up to ~5x (&quot;)
  while (rest.length > 0) {
    let cut = rest.length <= budget ? rest.length : rest.lastIndexOf('\n\n', budget);
    if (cut <= 0) cut = rest.lastIndexOf('\n', budget);
    if (cut <= 0) cut = budget;
    chunks.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n+/, '');
  }
  return chunks.map((text) => ({ text, html: `<p>${escapeHtml(text).replace(/\n/g, '<br>')}</p>` }));
}
