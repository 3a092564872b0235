/**
 * Pure rendering of a neutral message as Teams message activities.
 *
 * - A message made of text (plus sources and feedback) is a markdown
 *   message: Teams shows citations only for `[n]` markers in the activity
 *   text. Its sources become native citation entities (a
 *   `https://schema.org/Message` entity with a `citation` array) and, for
 *   AI-generated content, that entity carries `additionalType:
 *   ["AIGeneratedContent"]` — Teams' "AI generated" label.
 * - A message with buttons, inputs or images is one Adaptive Card 1.5
 *   (TextBlocks, Action.Execute buttons, Input.ChoiceSet / Number / Text,
 *   Image), with the same entities.
 * - Feedback: Teams' native thumbs up/down (`channelData.feedbackLoopEnabled`)
 *   in personal and group chats; our own two buttons in channels.
 * - Teams refuses activities above about 28 KB: long texts are split at
 *   paragraph, line, then sentence boundaries into several messages, the
 *   feedback and footer staying on the last one.
 * - Images given as bytes: small ones inline in the card (data URI);
 *   larger ones (a digest chart is about 23 KB of base64) each in a picture
 *   message of their own after the rest, while that one message fits under
 *   28 KB; beyond, their alt text stands in.
 * - Files (exports): in a personal chat, one file consent card each after
 *   the rest (teams-file-consent.ts), the bytes waiting in `files` for the
 *   responder to store; in channels and group chats, where Teams has no
 *   file consent, the file's text in a code block, cut with a note.
 */
import type { ConversationKind } from '../../../core/messages/conversation-ref.js';
import type {
  Button,
  ChoiceBlock,
  Citation,
  FileBlock,
  ImageBlock,
  MessageBlock,
  NumberInputBlock,
  OutboundEnvelope,
  ScaleBlock,
  TextInputBlock,
} from '../../../core/messages/outbound.js';
import type { TeamsActivity, TeamsEntity } from './teams-activity.js';
import { CARD_VERB, cardData, inputIdFor, type CardValueKind } from './teams-card-data.js';
import { fileConsentActivity, fileFallbackMarkdown } from './teams-file-consent.js';
import { newFileToken } from './teams-pending-files.js';
import { teamsLabels, type TeamsLabels } from './teams-labels.js';
import { toTeamsMarkdown } from './teams-markdown.js';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export interface TeamsRenderOptions {
  /** Where the message goes: native feedback is not used in channels. */
  conversationKind: ConversationKind;
  /** Largest serialized activity, in bytes (default 24,000: margin under Teams' ~28 KB for the fields the SDK adds). */
  maxActivityBytes?: number;
  /** Largest image sent inline in a card as a data URI, in base64 characters (default 20,000). Larger ones go alone. */
  maxInlineImageChars?: number;
  /** Largest picture message (one image alone), serialized, in bytes (default 27,500: Teams' 28 KB less what the SDK adds). */
  maxImageActivityBytes?: number;
  /** Token of each offered file (default: 32 random bytes). */
  fileToken?: () => string;
}

/** A file offered by a consent card, whose bytes the responder must store under `token` before sending. */
export interface TeamsOfferedFile {
  token: string;
  block: FileBlock;
  /** Index of the activity carrying its consent card. */
  activityIndex: number;
}

export interface TeamsRendered {
  /** Activities to send in order (usually one). */
  activities: TeamsActivity[];
  /** The feedback action of the message, and which activity carries it (native or buttons). */
  feedback?: { actionId: string; activityIndex: number; native: boolean };
  /** Files offered by consent cards (personal chats). */
  files?: TeamsOfferedFile[];
}

export const DEFAULT_MAX_ACTIVITY_BYTES = 24_000;
export const DEFAULT_MAX_IMAGE_ACTIVITY_BYTES = 27_500;
export const DEFAULT_MAX_INLINE_IMAGE_CHARS = 20_000;
const CITATION_NAME_MAX = 80;
const CITATION_ABSTRACT_MAX = 160;
const KEYWORD_MAX = 28;

type AdaptiveElement = Record<string, unknown>;

export function renderTeamsMessage(envelope: OutboundEnvelope, options: TeamsRenderOptions): TeamsRendered {
  const labels = teamsLabels(envelope.locale);
  const maxInline = options.maxInlineImageChars ?? DEFAULT_MAX_INLINE_IMAGE_CHARS;
  const maxImageBytes = options.maxImageActivityBytes ?? DEFAULT_MAX_IMAGE_ACTIVITY_BYTES;
  const direct = options.conversationKind === 'direct';
  // Blocks sent as messages of their own after the rest: files offered by consent cards, pictures too large for a card.
  const offered: FileBlock[] = [];
  const pictures: TeamsActivity[] = [];
  const blocks = envelope.message.blocks.flatMap((block): MessageBlock[] => {
    if (block.type === 'file') {
      if (direct) {
        offered.push(block);
        return [];
      }
      return [{ type: 'text', markdown: fileFallbackMarkdown(block, labels) }];
    }
    if (block.type === 'image') {
      const picture = pictureActivity(block, maxInline, maxImageBytes);
      if (picture) {
        pictures.push(picture);
        return [];
      }
    }
    return [block];
  });
  const rest = { ...envelope, message: { ...envelope.message, blocks } };
  const hasContent = blocks.some((b) => b.type !== 'citations' && b.type !== 'feedback') || !!envelope.message.footer;
  const main: TeamsRendered = hasContent || (offered.length === 0 && pictures.length === 0) ? renderBlocks(rest, options, labels) : { activities: [] };
  const activities = [...main.activities, ...pictures];
  const fileToken = options.fileToken ?? newFileToken;
  const files = offered.map((block) => {
    const token = fileToken();
    activities.push(fileConsentActivity(block, token));
    return { token, block, activityIndex: activities.length - 1 };
  });
  return { ...main, activities, ...(files.length > 0 ? { files } : {}) };
}

/**
 * A picture message for an image given as bytes that is too large for a
 * card but fits in a message of its own (an image attachment with a data
 * URI: Teams shows it inline); undefined otherwise.
 */
function pictureActivity(block: ImageBlock, maxInline: number, maxBytes: number): TeamsActivity | undefined {
  const { source } = block;
  if (source.kind !== 'bytes' || source.mimeType === 'image/svg+xml' || source.base64.length <= maxInline) return undefined;
  const extension = source.mimeType === 'image/png' ? 'png' : 'jpg';
  const name = `${(block.title ?? 'image').replace(/[^\p{L}\p{N} _-]+/gu, '').trim().slice(0, 60) || 'image'}.${extension}`;
  const attachment = { contentType: source.mimeType, contentUrl: `data:${source.mimeType};base64,${source.base64}`, name };
  const caption = [block.title ? `**${block.title.replace(/[*_`<]/g, '')}**` : '', `_${block.alt.replace(/[*_`<]/g, '')}_`].filter(Boolean).join('\n\n');
  const withCaption: TeamsActivity = { type: 'message', text: caption, textFormat: 'markdown', attachments: [attachment] };
  if (byteSize(withCaption) <= maxBytes) return withCaption;
  const bare: TeamsActivity = { type: 'message', attachments: [attachment] };
  return byteSize(bare) <= maxBytes ? bare : undefined;
}

function renderBlocks(envelope: OutboundEnvelope, options: TeamsRenderOptions, labels: TeamsLabels): TeamsRendered {
  const { message } = envelope;
  const maxBytes = options.maxActivityBytes ?? DEFAULT_MAX_ACTIVITY_BYTES;
  const citations = message.blocks.flatMap((b) => (b.type === 'citations' ? b.items : []));
  const feedbackBlock = message.blocks.find((b) => b.type === 'feedback');
  const native = !!feedbackBlock && options.conversationKind !== 'channel';
  const aiGenerated = message.footer?.aiGenerated ?? false;
  const rich = message.blocks.some((b) => b.type !== 'text' && b.type !== 'citations' && b.type !== 'feedback');

  const finish = (activities: TeamsActivity[]): TeamsRendered => {
    const last = activities.length - 1;
    if (feedbackBlock) {
      const target = activities[last]!;
      if (native) target.channelData = { ...target.channelData, feedbackLoopEnabled: true };
      else attachCard(target, [feedbackButtons(feedbackBlock.actionId, labels)]);
    }
    return { activities, ...(feedbackBlock ? { feedback: { actionId: feedbackBlock.actionId, activityIndex: last, native } } : {}) };
  };

  if (!rich) {
    const texts = message.blocks.flatMap((b) => (b.type === 'text' ? [toTeamsMarkdown(b.markdown, 'message')] : []));
    const footer = message.footer ? `_${message.footer.text.replace(/_/g, ' ')}_` : undefined;
    const body = texts.join('\n\n');
    const parts = splitText(body, maxBytes - 2_000 - entityBytes(citations));
    return finish(
      parts.map((part, index) => {
        const isLast = index === parts.length - 1;
        const text = isLast && footer ? (part ? `${part}\n\n${footer}` : footer) : part;
        return withEntities(textActivity(text), text, citations, aiGenerated);
      }),
    );
  }

  const cardOptions = { labels, maxInlineImageChars: options.maxInlineImageChars ?? DEFAULT_MAX_INLINE_IMAGE_CHARS };
  const body = message.blocks.flatMap((block) => cardElements(block, cardOptions));
  if (message.footer) body.push({ type: 'TextBlock', text: message.footer.text, size: 'Small', isSubtle: true, wrap: true });
  const single = withEntities(cardActivity(body), '', citations, aiGenerated);
  if (byteSize(single) <= maxBytes) return finish([single]);

  // Too large for one card: the texts go first as plain messages, the card keeps the controls.
  const textParts = message.blocks.flatMap((b) => (b.type === 'text' ? splitText(toTeamsMarkdown(b.markdown, 'message'), maxBytes - 2_000) : []));
  const controls = message.blocks.filter((b) => b.type !== 'text').flatMap((block) => cardElements(block, cardOptions));
  if (message.footer) controls.push({ type: 'TextBlock', text: message.footer.text, size: 'Small', isSubtle: true, wrap: true });
  const activities = [
    ...textParts.map((part) => withEntities(textActivity(part), part, citations, aiGenerated)),
    withEntities(cardActivity(controls), '', citations, aiGenerated),
  ];
  return finish(activities);
}

function textActivity(text: string): TeamsActivity {
  return { type: 'message', text, textFormat: 'markdown' };
}

function cardActivity(body: AdaptiveElement[]): TeamsActivity {
  return { type: 'message', attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: adaptiveCard(body) }] };
}

function adaptiveCard(body: AdaptiveElement[]): AdaptiveElement {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    msteams: { width: 'Full' },
  };
}

/** Adds elements to the activity's card, creating the card when the activity has none. */
function attachCard(activity: TeamsActivity, elements: AdaptiveElement[]): void {
  const existing = activity.attachments?.find((a) => a.contentType === ADAPTIVE_CARD_CONTENT_TYPE);
  if (existing) {
    const card = existing.content as { body: AdaptiveElement[] };
    card.body.push(...elements);
    return;
  }
  activity.attachments = [...(activity.attachments ?? []), { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: adaptiveCard(elements) }];
}

/**
 * Citation entities (and the AI label): only citations whose `[n]` marker
 * appears in `text` are listed with a text message, since Teams shows them
 * against the markers; a card lists them all.
 */
function withEntities(activity: TeamsActivity, text: string, citations: Citation[], aiGenerated: boolean): TeamsActivity {
  const used = activity.attachments ? citations : citations.filter((c) => text.includes(`[${c.index}]`));
  if (used.length === 0 && !aiGenerated) return activity;
  const entity: TeamsEntity = {
    type: 'https://schema.org/Message',
    '@type': 'Message',
    '@context': 'https://schema.org',
    '@id': '',
    ...(aiGenerated ? { additionalType: ['AIGeneratedContent'] } : {}),
    ...(used.length > 0 ? { citation: used.map(clientCitation) } : {}),
  };
  activity.entities = [...(activity.entities ?? []), entity];
  return activity;
}

/** One Teams client citation ("Claim" with a "DigitalDocument" appearance). */
export function clientCitation(citation: Citation): Record<string, unknown> {
  const keywords = (citation.source ?? '')
    .split(' · ')
    .map((k) => truncate(k.trim(), KEYWORD_MAX))
    .filter(Boolean)
    .slice(0, 3);
  return {
    '@type': 'Claim',
    position: citation.index,
    appearance: {
      '@type': 'DigitalDocument',
      name: truncate(citation.title, CITATION_NAME_MAX),
      abstract: truncate(citation.excerpt ?? citation.source ?? citation.title, CITATION_ABSTRACT_MAX),
      ...(citation.url && /^https:\/\//i.test(citation.url) ? { url: citation.url } : {}),
      ...(keywords.length > 0 ? { keywords } : {}),
    },
  };
}

function entityBytes(citations: Citation[]): number {
  return Buffer.byteLength(JSON.stringify(citations.map(clientCitation)));
}

interface CardOptions {
  labels: TeamsLabels;
  maxInlineImageChars: number;
}

function cardElements(block: MessageBlock, options: CardOptions): AdaptiveElement[] {
  const { labels } = options;
  switch (block.type) {
    case 'text':
      return [{ type: 'TextBlock', text: toTeamsMarkdown(block.markdown, 'card'), wrap: true }];
    case 'buttons':
      return [{ type: 'ActionSet', actions: block.buttons.map((b) => buttonAction(b)) }];
    case 'choice':
      return choiceElements(block, labels);
    case 'scale':
      return scaleElements(block, labels);
    case 'number':
      return numberElements(block, labels);
    case 'text-input':
      return textInputElements(block, labels);
    case 'image':
      return imageElements(block, options);
    case 'citations':
      return [
        { type: 'TextBlock', text: `**${labels.sources}**`, wrap: true, spacing: 'Medium' },
        {
          type: 'TextBlock',
          wrap: true,
          text: block.items.map((c) => `- [${c.index}] ${c.url && /^https:\/\//i.test(c.url) ? `[${c.title}](${c.url})` : c.title}${c.source ? ` — ${c.source}` : ''}`).join('\n'),
        },
      ];
    case 'feedback':
      // Placed by renderTeamsMessage (native flag or buttons on the last activity).
      return [];
    case 'file':
      // Taken out by renderTeamsMessage (consent card or code block) before the card is built.
      return [];
  }
}

function execute(title: string, actionId: string, kind: CardValueKind, value?: string | number, style?: Button['style']): AdaptiveElement {
  return {
    type: 'Action.Execute',
    title,
    verb: CARD_VERB,
    data: cardData(actionId, kind, value),
    ...(style === 'primary' ? { style: 'positive' } : style === 'danger' ? { style: 'destructive' } : {}),
  };
}

function buttonAction(button: Button): AdaptiveElement {
  return execute(button.label, button.actionId, 'button', button.value, button.style);
}

function submitSet(label: string, actionId: string, kind: CardValueKind): AdaptiveElement {
  return { type: 'ActionSet', actions: [{ ...execute(label, actionId, kind), style: 'positive' }] };
}

function choiceElements(block: ChoiceBlock, labels: TeamsLabels): AdaptiveElement[] {
  return [
    {
      type: 'Input.ChoiceSet',
      id: inputIdFor(block.actionId),
      label: block.label,
      isMultiSelect: block.multiple,
      // Radio buttons / check boxes while they fit on a phone, a drop-down beyond.
      style: block.options.length <= 5 ? 'expanded' : 'compact',
      isRequired: block.required,
      choices: block.options.map((o) => ({ title: o.label, value: o.value })),
      wrap: true,
    },
    submitSet(block.submitLabel ?? labels.submit, block.actionId, block.multiple ? 'multi' : 'choice'),
  ];
}

function scaleElements(block: ScaleBlock, labels: TeamsLabels): AdaptiveElement[] {
  const points: number[] = [];
  for (let n = block.min; n <= block.max; n++) points.push(n);
  const hint =
    block.minLabel && block.maxLabel
      ? [{ type: 'TextBlock', text: labels.scaleHint.replace('{min}', String(block.min)).replace('{minLabel}', block.minLabel).replace('{max}', String(block.max)).replace('{maxLabel}', block.maxLabel), isSubtle: true, size: 'Small', wrap: true }]
      : [];
  if (points.length <= 6) {
    return [
      { type: 'TextBlock', text: block.label, wrap: true, weight: 'Bolder' },
      ...hint,
      { type: 'ActionSet', actions: points.map((n) => execute(String(n), block.actionId, 'scale', n)) },
    ];
  }
  return [
    {
      type: 'Input.ChoiceSet',
      id: inputIdFor(block.actionId),
      label: block.label,
      style: 'compact',
      isRequired: block.required,
      choices: points.map((n) => ({
        title: n === block.min && block.minLabel ? `${n} — ${block.minLabel}` : n === block.max && block.maxLabel ? `${n} — ${block.maxLabel}` : String(n),
        value: String(n),
      })),
    },
    submitSet(labels.submit, block.actionId, 'scale'),
  ];
}

function numberElements(block: NumberInputBlock, labels: TeamsLabels): AdaptiveElement[] {
  return [
    {
      type: 'Input.Number',
      id: inputIdFor(block.actionId),
      label: block.unit ? `${block.label} (${block.unit})` : block.label,
      isRequired: block.required,
      ...(block.min !== undefined ? { min: block.min } : {}),
      ...(block.max !== undefined ? { max: block.max } : {}),
    },
    submitSet(block.submitLabel ?? labels.submit, block.actionId, 'number'),
  ];
}

function textInputElements(block: TextInputBlock, labels: TeamsLabels): AdaptiveElement[] {
  return [
    {
      type: 'Input.Text',
      id: inputIdFor(block.actionId),
      label: block.label,
      isMultiline: block.multiline,
      isRequired: block.required,
      ...(block.placeholder ? { placeholder: block.placeholder } : {}),
      ...(block.maxLength ? { maxLength: block.maxLength } : {}),
    },
    submitSet(block.submitLabel ?? labels.submit, block.actionId, 'text'),
  ];
}

function imageElements(block: ImageBlock, options: CardOptions): AdaptiveElement[] {
  const title = block.title ? [{ type: 'TextBlock', text: block.title, wrap: true, weight: 'Bolder' }] : [];
  const { source } = block;
  if (source.kind === 'url') {
    if (!/^https:\/\//i.test(source.url)) return [...title, { type: 'TextBlock', text: `_${block.alt}_`, wrap: true }];
    return [...title, { type: 'Image', url: source.url, altText: block.alt, size: 'Auto' }];
  }
  // Teams shows data URIs in cards, but the whole activity must stay under ~28 KB.
  if (source.base64.length > options.maxInlineImageChars || source.mimeType === 'image/svg+xml') {
    return [...title, { type: 'TextBlock', text: `_${block.alt}_ (${options.labels.imageTooLarge})`, wrap: true }];
  }
  return [...title, { type: 'Image', url: `data:${source.mimeType};base64,${source.base64}`, altText: block.alt, size: 'Auto' }];
}

function feedbackButtons(actionId: string, labels: TeamsLabels): AdaptiveElement {
  return {
    type: 'ActionSet',
    actions: [execute(labels.feedbackUp, actionId, 'button', 'up'), execute(labels.feedbackDown, actionId, 'button', 'down')],
  };
}

/** Serialized size of an activity, in bytes. */
export function byteSize(activity: TeamsActivity): number {
  return Buffer.byteLength(JSON.stringify(activity));
}

/**
 * Splits text into parts of at most `maxBytes` bytes (UTF-8): at paragraph
 * breaks, else line breaks, else sentence ends, else spaces, else anywhere
 * (never inside a surrogate pair). Always at least one part.
 */
export function splitText(text: string, maxBytes: number): string[] {
  if (Buffer.byteLength(text) <= maxBytes) return [text];
  const parts: string[] = [];
  let rest = text;
  while (Buffer.byteLength(rest) > maxBytes) {
    const window = prefixWithin(rest, maxBytes);
    const cut = lastBoundary(window);
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}

/** The longest prefix of `text` within `maxBytes` bytes. */
function prefixWithin(text: string, maxBytes: number): string {
  let low = 0;
  let high = Math.min(text.length, maxBytes);
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (Buffer.byteLength(text.slice(0, mid)) <= maxBytes) low = mid;
    else high = mid - 1;
  }
  // Do not cut a surrogate pair in two.
  if (low > 0 && /[\ud800-\udbff]/.test(text[low - 1]!)) low--;
  return text.slice(0, low);
}

function lastBoundary(window: string): number {
  const min = Math.floor(window.length / 2);
  for (const pattern of [/\n\n/g, /\n/g, /[.!?…»]\s/g, /\s/g]) {
    let best = -1;
    for (const match of window.matchAll(pattern)) if (match.index >= min) best = match.index + match[0].length;
    if (best > 0) return best;
  }
  return Math.max(1, window.length);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
