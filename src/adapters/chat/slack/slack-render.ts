/**
 * Neutral outbound message → Block Kit, pure.
 *
 * Slack's limits are enforced here, by splitting cleanly into several
 * messages rather than letting Slack reject one: 50 blocks per message,
 * 3,000 characters per section text, 40,000 characters per message. Text is
 * cut between paragraphs, lines or words, never inside a word or a link; an
 * input and its submit button always stay in the same message; the footer and
 * the feedback buttons end the last message.
 *
 * Action ids carry a `#<n>` suffix because Slack wants every action_id of a
 * message to be unique (the two feedback buttons share the core's actionId);
 * `slack-inbound.ts` strips it. Button values are JSON so numbers (scales)
 * come back as numbers.
 *
 * Images given as bytes and documents (`file` blocks, e.g. exports) become
 * uploads, posted in order between the messages around them.
 */
import type {
  Button,
  ChoiceBlock,
  CitationsBlock,
  FileBlock,
  Footer,
  ImageBlock,
  MessageBlock,
  NumberInputBlock,
  OutboundMessage,
  ScaleBlock,
  TextInputBlock,
} from '../../../core/messages/outbound.js';
import { markdownToPlainText } from '../../../core/messages/markdown.js';
import { escapeMrkdwn, markdownToMrkdwn, splitMrkdwn } from './slack-mrkdwn.js';

/** A Block Kit block as sent to the Web API (kept loose: the SDK's unions lag behind new block types). */
export type SlackBlock = { type: string } & Record<string, unknown>;

/** Documented Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks). */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  messageChars: 40_000,
  actionsElements: 25,
  buttonText: 75,
  optionText: 75,
  radioOptions: 10,
  selectOptions: 100,
  contextElements: 10,
  actionValue: 2000,
  inputLabel: 2000,
  altText: 2000,
} as const;

/** Action id of the submit button that sends a pending input (checkboxes, text, number). */
export const SUBMIT_ACTION = 'relais.submit';

/** A Block Kit message, as posted with chat.postMessage. */
export interface SlackMessagePart {
  kind: 'message';
  text: string;
  blocks: SlackBlock[];
  locale?: string;
}

/** An image or a document uploaded as a Slack file (external upload flow). */
export interface SlackUploadPart {
  kind: 'upload';
  filename: string;
  mimeType: string;
  base64: string;
  /** Screen-reader description (images only). */
  alt?: string;
  /** Title shown above the file in the conversation. */
  title?: string;
  /** Posted instead when the workspace refuses the file (uploads disabled, no `files:write`). */
  fallback?: SlackMessagePart;
}

/** One thing to send, in order: a Block Kit message, or an image or document uploaded as a file. */
export type SlackOutboundPart = SlackMessagePart | SlackUploadPart;

export interface SlackRenderOptions {
  locale: string;
  /** Overrides of the limits (tests use small ones to exercise splitting). */
  limits?: { blocksPerMessage?: number; sectionText?: number; messageChars?: number };
}

const LABELS = {
  fr: {
    useful: 'Utile', notUseful: 'Pas utile', usefulA11y: 'Cette réponse m’a été utile', notUsefulA11y: 'Cette réponse ne m’a pas été utile', sources: 'Sources', submit: 'Envoyer', choose: 'Choisir…',
    fileRefused: (name: string) => `Slack a refusé le fichier \`${name}\` (envoi de fichiers désactivé dans l’espace de travail, ou droit \`files:write\` manquant à l’app).`,
    fileStart: (shown: number, total: number) => (shown < total ? `Voici son début (${shown} lignes sur ${total}) — incomplet :` : 'Voici son contenu :'),
  },
  en: {
    useful: 'Useful', notUseful: 'Not useful', usefulA11y: 'This answer was useful', notUsefulA11y: 'This answer was not useful', sources: 'Sources', submit: 'Send', choose: 'Choose…',
    fileRefused: (name: string) => `Slack refused the file \`${name}\` (file uploads are disabled in the workspace, or the app lacks the \`files:write\` scope).`,
    fileStart: (shown: number, total: number) => (shown < total ? `Here is its beginning (${shown} of ${total} lines) — incomplete:` : 'Here is its content:'),
  },
} as const;

function labels(locale: string): (typeof LABELS)[keyof typeof LABELS] {
  return locale.toLowerCase().startsWith('en') ? LABELS.en : LABELS.fr;
}

/** Blocks that must travel together (an input and its submit button), or an upload. */
type Unit = { kind: 'blocks'; blocks: SlackBlock[] } | { kind: 'upload'; part: SlackUploadPart };

export function renderSlackMessage(message: OutboundMessage, options: SlackRenderOptions): SlackOutboundPart[] {
  const limits = { blocksPerMessage: SLACK_LIMITS.blocksPerMessage as number, sectionText: SLACK_LIMITS.sectionText as number, messageChars: SLACK_LIMITS.messageChars as number, ...options.limits };
  const l = labels(options.locale);
  let seq = 0;
  const ids = (actionId: string): string => `${actionId}#${seq++}`;
  const units: Unit[] = [];
  for (const block of message.blocks) units.push(...renderBlock(block, { ids, l, sectionText: limits.sectionText, locale: options.locale }));
  if (message.footer) units.splice(footerIndex(units), 0, { kind: 'blocks', blocks: [footerBlock(message.footer)] });
  return pack(units, limits.blocksPerMessage, limits.messageChars, fallbackOf(message)).map((part) => (part.kind === 'message' ? { ...part, locale: options.locale } : part));
}

/**
 * Where the footer goes: at the end, except after trailing uploads (an
 * export, charts closing a message), where it would be a message of its
 * own: it then ends the last Block Kit message before them.
 */
function footerIndex(units: Unit[]): number {
  let index = units.length;
  while (index > 0 && units[index - 1]!.kind === 'upload') index--;
  return index > 0 ? index : units.length;
}

interface BlockContext {
  ids: (actionId: string) => string;
  l: (typeof LABELS)[keyof typeof LABELS];
  sectionText: number;
  locale: string;
}

function renderBlock(block: MessageBlock, c: BlockContext): Unit[] {
  switch (block.type) {
    case 'text':
      return splitMrkdwn(markdownToMrkdwn(block.markdown), c.sectionText).map((text) => one(section(text)));
    case 'buttons':
      return chunk(block.buttons, SLACK_LIMITS.actionsElements).map((buttons) => one(actions(buttons.map((b) => button(b, c)))));
    case 'choice':
      return [choice(block, c)];
    case 'scale':
      return [scale(block, c)];
    case 'number':
    case 'text-input':
      return [typedInput(block, c)];
    case 'image':
      return [image(block)];
    case 'file':
      return [file(block, c)];
    case 'citations':
      return citations(block, c);
    case 'feedback':
      return [
        one({
          type: 'context_actions',
          elements: [
            {
              type: 'feedback_buttons',
              action_id: c.ids(block.actionId),
              positive_button: { text: plain(c.l.useful), value: 'up', accessibility_label: c.l.usefulA11y },
              negative_button: { text: plain(c.l.notUseful), value: 'down', accessibility_label: c.l.notUsefulA11y },
            },
          ],
        }),
      ];
  }
}

/**
 * The same blocks with native feedback buttons (`context_actions` +
 * `feedback_buttons`, a recent Block Kit addition) replaced by two plain
 * buttons sending the same action and values — for workspaces that refuse
 * the native element.
 */
export function feedbackAsButtons(blocks: SlackBlock[], locale: string): SlackBlock[] {
  const l = labels(locale);
  return blocks.map((block) => {
    if (block.type !== 'context_actions' || !Array.isArray(block.elements)) return block;
    const elements = (block.elements as SlackBlock[]).flatMap((element): SlackBlock[] => {
      if (element.type !== 'feedback_buttons') return [element];
      // Keep action ids unique and inbound-compatible (`<actionId>#<n>`): the second one gets a far-away n.
      const id = String(element.action_id);
      const at = id.lastIndexOf('#');
      const [actionId, n] = at > 0 ? [id.slice(0, at), Number(id.slice(at + 1)) || 0] : [id, 0];
      return [
        { type: 'button', action_id: `${actionId}#${n}`, text: plain(`👍 ${l.useful}`), value: encodeValue('up'), accessibility_label: l.usefulA11y },
        { type: 'button', action_id: `${actionId}#${n + 100_000}`, text: plain(`👎 ${l.notUseful}`), value: encodeValue('down'), accessibility_label: l.notUsefulA11y },
      ];
    });
    return actions(elements);
  });
}

/** Whether some blocks use native feedback buttons. */
export function hasNativeFeedback(blocks: SlackBlock[]): boolean {
  return blocks.some((b) => b.type === 'context_actions');
}

function one(block: SlackBlock): Unit {
  return { kind: 'blocks', blocks: [block] };
}

function section(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function actions(elements: SlackBlock[]): SlackBlock {
  return { type: 'actions', elements };
}

function plain(text: string, max: number = SLACK_LIMITS.buttonText): { type: 'plain_text'; text: string; emoji: boolean } {
  return { type: 'plain_text', text: clip(text, max), emoji: true };
}

function button(b: Button, c: BlockContext): SlackBlock {
  return {
    type: 'button',
    action_id: c.ids(b.actionId),
    text: plain(b.label),
    value: encodeValue(b.value ?? b.actionId),
    ...(b.style && b.style !== 'default' ? { style: b.style } : {}),
  };
}

/** Button values travel as JSON so a scale's number comes back as a number. */
export function encodeValue(value: string | number): string {
  return clip(JSON.stringify(value), SLACK_LIMITS.actionValue);
}

function questionSection(label: string, required: boolean, sectionText: number): SlackBlock {
  const text = escapeMrkdwn(label) + (required ? ' *' : '');
  return section(clip(text, sectionText));
}

function choice(block: ChoiceBlock, c: BlockContext): Unit {
  const options = block.options.slice(0, SLACK_LIMITS.selectOptions).map((o) => ({ text: plain(o.label, SLACK_LIMITS.optionText), value: o.value }));
  const question = questionSection(block.label, block.required, c.sectionText);
  if (!block.multiple) {
    const element =
      options.length <= SLACK_LIMITS.radioOptions
        ? { type: 'radio_buttons', action_id: c.ids(block.actionId), options }
        : { type: 'static_select', action_id: c.ids(block.actionId), placeholder: plain(c.l.choose), options };
    return { kind: 'blocks', blocks: [question, actions([element])] };
  }
  const element =
    options.length <= SLACK_LIMITS.radioOptions
      ? { type: 'checkboxes', action_id: c.ids(block.actionId), options }
      : { type: 'multi_static_select', action_id: c.ids(block.actionId), placeholder: plain(c.l.choose), options };
  return { kind: 'blocks', blocks: [question, actions([element, submitButton(block.actionId, block.submitLabel ?? c.l.submit, c)])] };
}

function submitButton(target: string, label: string, c: BlockContext): SlackBlock {
  return { type: 'button', action_id: c.ids(SUBMIT_ACTION), text: plain(label), style: 'primary', value: clip(JSON.stringify({ submit: target }), SLACK_LIMITS.actionValue) };
}

function scale(block: ScaleBlock, c: BlockContext): Unit {
  const ends = [block.minLabel ? `${block.min} = ${block.minLabel}` : '', block.maxLabel ? `${block.max} = ${block.maxLabel}` : ''].filter(Boolean);
  const blocks: SlackBlock[] = [questionSection(block.label, block.required, c.sectionText)];
  if (ends.length) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(escapeMrkdwn(ends.join(' · ')), c.sectionText) }] });
  const values: number[] = [];
  for (let v = block.min; v <= block.max && values.length < 100; v++) values.push(v);
  for (const group of chunk(values, SLACK_LIMITS.actionsElements)) {
    blocks.push(actions(group.map((v) => ({ type: 'button', action_id: c.ids(block.actionId), text: plain(String(v)), value: encodeValue(v) }))));
  }
  return { kind: 'blocks', blocks };
}

/**
 * Text and number answers are input blocks inside the message (Block Kit
 * allows them in messages): Enter sends the value (`dispatch_action`), and a
 * submit button next to it sends it too, for people who do not think of Enter.
 */
function typedInput(block: NumberInputBlock | TextInputBlock, c: BlockContext): Unit {
  const element: SlackBlock =
    block.type === 'number'
      ? {
          type: 'number_input',
          action_id: c.ids(block.actionId),
          is_decimal_allowed: block.step !== undefined ? !Number.isInteger(block.step) : false,
          ...(block.min !== undefined ? { min_value: String(block.min) } : {}),
          ...(block.max !== undefined ? { max_value: String(block.max) } : {}),
          dispatch_action_config: { trigger_actions_on: ['on_enter_pressed'] },
        }
      : {
          type: 'plain_text_input',
          action_id: c.ids(block.actionId),
          multiline: block.multiline,
          ...(block.placeholder ? { placeholder: plain(block.placeholder, 150) } : {}),
          ...(block.maxLength ? { max_length: Math.min(block.maxLength, 3000) } : {}),
          dispatch_action_config: { trigger_actions_on: ['on_enter_pressed'] },
        };
  const label = block.type === 'number' && block.unit ? `${block.label} (${block.unit})` : block.label;
  return {
    kind: 'blocks',
    blocks: [
      { type: 'input', dispatch_action: true, optional: !block.required, label: plain(label, SLACK_LIMITS.inputLabel), element },
      actions([submitButton(block.actionId, block.submitLabel ?? c.l.submit, c)]),
    ],
  };
}

function image(block: ImageBlock): Unit {
  const alt = clip(block.alt, SLACK_LIMITS.altText);
  if (block.source.kind === 'url') {
    return one({ type: 'image', image_url: block.source.url, alt_text: alt, ...(block.title ? { title: plain(block.title, 2000) } : {}) });
  }
  const extension = block.source.mimeType === 'image/png' ? 'png' : block.source.mimeType === 'image/jpeg' ? 'jpg' : 'svg';
  return {
    kind: 'upload',
    part: {
      kind: 'upload',
      filename: `${slug(block.title ?? block.alt) || 'image'}.${extension}`,
      mimeType: block.source.mimeType,
      base64: block.source.base64,
      alt,
      ...(block.title ? { title: block.title } : {}),
    },
  };
}

/**
 * A document (e.g. a CSV export) becomes a real Slack file in the
 * conversation, titled, under its own name. Should the workspace refuse
 * files, the text itself is posted instead, as much as one section holds,
 * saying plainly when it is cut: a silently truncated CSV would be wrong.
 */
function file(block: FileBlock, c: BlockContext): Unit {
  const title = block.title ?? block.filename;
  return {
    kind: 'upload',
    part: { kind: 'upload', filename: block.filename, mimeType: block.mimeType, base64: block.base64, title, fallback: fileFallback(block, c) },
  };
}

function fileFallback(block: FileBlock, c: BlockContext): SlackMessagePart {
  const lines = Buffer.from(block.base64, 'base64').toString('utf8').replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  const refused = escapeMrkdwn(c.l.fileRefused(block.filename));
  // Room left in the section for the lines, once the sentences and the code fence are written.
  const room = c.sectionText - refused.length - c.l.fileStart(lines.length - 1, lines.length).length - 20;
  let shown = 0;
  let used = 0;
  for (const line of lines) {
    const size = escapeMrkdwn(line.replace(/```/g, "'''")).length + 1;
    if (used + size > room) break;
    used += size;
    shown++;
  }
  const code = lines.slice(0, shown).map((line) => escapeMrkdwn(line.replace(/```/g, "'''"))).join('\n') || '…';
  const text = `${refused}\n${escapeMrkdwn(c.l.fileStart(shown, lines.length))}\n\`\`\`${code}\`\`\``;
  return { kind: 'message', text: clip(refused, 300), blocks: [section(text)], locale: c.locale };
}

/** Numbered sources, one context block each (title, source, excerpt, link), under a "Sources" heading. */
function citations(block: CitationsBlock, c: BlockContext): Unit[] {
  if (block.items.length === 0) return [];
  const units: Unit[] = [one(section(`*${c.l.sources}*`))];
  for (const item of block.items) {
    const title = item.url ? `<${item.url.replace(/[|>\s]/g, encodeURIComponent)}|${escapeMrkdwn(item.title).replace(/\|/g, ' ')}>` : `*${escapeMrkdwn(item.title)}*`;
    const lines = [`*[${item.index}]* ${title}${item.source ? ` — ${escapeMrkdwn(item.source)}` : ''}`];
    if (item.excerpt) lines.push(`> ${clip(escapeMrkdwn(item.excerpt.replace(/\s+/g, ' ')), 600)}`);
    units.push(one({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(lines.join('\n'), c.sectionText) }] }));
  }
  return units;
}

function footerBlock(footer: Footer): SlackBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: clip(escapeMrkdwn(footer.text), SLACK_LIMITS.sectionText) }] };
}

/** Notification / screen-reader text of a message: its first words, cut between words. */
function fallbackOf(message: OutboundMessage): string {
  const first = message.blocks.find((b) => b.type === 'text');
  const text = first ? markdownToPlainText(first.markdown).replace(/\s+/g, ' ').trim() : '';
  const label = message.blocks.find((b) => 'label' in b) as { label?: string } | undefined;
  return escapeMrkdwn(clip(text || label?.label || '…', 300));
}

function pack(units: Unit[], maxBlocks: number, maxChars: number, fallback: string): SlackOutboundPart[] {
  const parts: SlackOutboundPart[] = [];
  let blocks: SlackBlock[] = [];
  let chars = fallback.length;
  const flush = (): void => {
    if (blocks.length > 0) parts.push({ kind: 'message', text: fallback, blocks });
    blocks = [];
    chars = fallback.length;
  };
  for (const unit of units) {
    if (unit.kind === 'upload') {
      flush();
      parts.push(unit.part);
      continue;
    }
    const size = unit.blocks.reduce((sum, b) => sum + textLength(b), 0);
    if (blocks.length + unit.blocks.length > maxBlocks || chars + size > maxChars) flush();
    blocks.push(...unit.blocks);
    chars += size;
  }
  flush();
  return parts;
}

/** Characters of visible text in a block (what the 40,000-character message limit counts). */
export function textLength(block: unknown): number {
  if (typeof block === 'string') return 0;
  if (Array.isArray(block)) return block.reduce((sum: number, b) => sum + textLength(b), 0);
  if (block && typeof block === 'object') {
    let sum = 0;
    for (const [key, value] of Object.entries(block)) {
      if (key === 'text' && typeof value === 'string') sum += value.length;
      else sum += textLength(value);
    }
    return sum;
  }
  return 0;
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Shortens to `max` characters at a word boundary, with an ellipsis. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return (space > max / 2 ? cut.slice(0, space) : cut).trimEnd() + '…';
}

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}
