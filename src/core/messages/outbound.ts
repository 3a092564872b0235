/**
 * The neutral outbound message model.
 *
 * The core answers with these plain objects; each chat adapter renders them
 * natively (web JSON + HTML, Block Kit, Adaptive Cards, Matrix HTML + polls).
 * Every block must keep a meaning when a platform cannot show it richly:
 * adapters fall back to text (numbered options, plain links).
 */

/** Markdown subset understood by every renderer (see `markdown.ts`). */
export interface TextBlock {
  type: 'text';
  markdown: string;
}

export type ButtonStyle = 'default' | 'primary' | 'danger';

export interface Button {
  /** Routed back to the core as `InboundAction.actionId`. */
  actionId: string;
  /** Sent back as `InboundAction.value` (defaults to the actionId's own meaning). */
  value?: string;
  label: string;
  style?: ButtonStyle;
}

export interface ButtonsBlock {
  type: 'buttons';
  buttons: Button[];
}

export interface ChoiceOption {
  value: string;
  label: string;
}

/** Single or multiple choice among options; answered with value(s). */
export interface ChoiceBlock {
  type: 'choice';
  actionId: string;
  label: string;
  options: ChoiceOption[];
  multiple: boolean;
  required: boolean;
  /** Label of the submit control where one is needed (multiple choice). */
  submitLabel?: string;
}

/** Likert-type scale from `min` to `max` inclusive; answered with a number. */
export interface ScaleBlock {
  type: 'scale';
  actionId: string;
  label: string;
  min: number;
  max: number;
  minLabel?: string;
  maxLabel?: string;
  required: boolean;
}

/** Numeric answer with optional bounds and unit (e.g. "minutes"). */
export interface NumberInputBlock {
  type: 'number';
  actionId: string;
  label: string;
  min?: number;
  max?: number;
  step?: number;
  unit?: string;
  required: boolean;
  submitLabel?: string;
}

/** Free-text answer. */
export interface TextInputBlock {
  type: 'text-input';
  actionId: string;
  label: string;
  multiline: boolean;
  placeholder?: string;
  maxLength?: number;
  required: boolean;
  submitLabel?: string;
}

/** An image given either by URL or by bytes (charts are generated as PNG bytes). */
export type ImageSource =
  | { kind: 'url'; url: string }
  | { kind: 'bytes'; mimeType: 'image/png' | 'image/jpeg' | 'image/svg+xml'; base64: string };

export interface ImageBlock {
  type: 'image';
  source: ImageSource;
  /** Text alternative, mandatory for accessibility. */
  alt: string;
  title?: string;
}

/**
 * A document given to the reader, e.g. a survey export. Adapters send it as
 * a real file where the platform lets a bot do so (upload, attachment, file
 * consent) and otherwise fall back to a download link or the text itself.
 */
export interface FileBlock {
  type: 'file';
  /** Name shown and proposed when saving, with its extension (e.g. "irritants-2026-12-07.csv"). */
  filename: string;
  mimeType: 'text/csv' | 'application/json' | 'text/plain';
  base64: string;
  /** Short description shown with the file. */
  title?: string;
}

/** Largest file block the core sends in chat; bigger exports point to the CLI. */
export const MAX_FILE_BLOCK_BYTES = 5 * 1024 * 1024;

export interface Citation {
  /** Number used in the text as `[n]`, starting at 1. */
  index: number;
  title: string;
  /** Short description of the source, e.g. "Travailleuse sociale · 2019". */
  source?: string;
  excerpt?: string;
  url?: string;
}

export interface CitationsBlock {
  type: 'citations';
  items: Citation[];
}

/** Thumbs up / down on an AI answer; answered with value "up" or "down". */
export interface FeedbackBlock {
  type: 'feedback';
  actionId: string;
}

export type MessageBlock =
  | TextBlock
  | ButtonsBlock
  | ChoiceBlock
  | ScaleBlock
  | NumberInputBlock
  | TextInputBlock
  | ImageBlock
  | FileBlock
  | CitationsBlock
  | FeedbackBlock;

export type MessageBlockType = MessageBlock['type'];

export interface Footer {
  text: string;
  /** True when the message content was produced by an AI model (AI Act art. 50 label). */
  aiGenerated: boolean;
}

export interface OutboundMessage {
  blocks: MessageBlock[];
  footer?: Footer;
  /** What the message is for; adapters may style or label it (e.g. disclosure). */
  purpose?: 'reply' | 'disclosure' | 'error' | 'proactive';
}

/**
 * An outbound message once the core has recorded it: adapters receive this,
 * so every platform can refer to the same id (edits, feedback, web cursor).
 */
export interface OutboundEnvelope {
  id: string;
  /** Opaque, monotonically increasing position in the store (web delivery cursor). */
  cursor: string;
  createdAt: Date;
  conversationId: string;
  locale: string;
  message: OutboundMessage;
}

/** Blocks that ask the user for an answer (they carry an actionId). */
export type InputBlock = ChoiceBlock | ScaleBlock | NumberInputBlock | TextInputBlock;

export function isInputBlock(block: MessageBlock): block is InputBlock {
  return block.type === 'choice' || block.type === 'scale' || block.type === 'number' || block.type === 'text-input';
}

/** Shorthand for the common case of a text-only message. */
export function textMessage(markdown: string, extra: Omit<OutboundMessage, 'blocks'> = {}): OutboundMessage {
  return { blocks: [{ type: 'text', markdown }], ...extra };
}
