/**
 * Rendering of neutral messages for the web channel: the JSON the web API
 * returns (documented in docs/web-api.md, a stable contract) and the page
 * displays. It mirrors the neutral model, adding ready-to-insert safe HTML
 * for text and a usable URL for images.
 */
import { markdownToHtml } from '../../../core/messages/markdown.js';
import type { Citation, ImageSource, MessageBlock, OutboundEnvelope } from '../../../core/messages/outbound.js';

export type WebBlock =
  | { type: 'text'; markdown: string; html: string }
  | Exclude<MessageBlock, { type: 'text' } | { type: 'image' } | { type: 'file' } | { type: 'citations' }>
  | { type: 'image'; url: string; alt: string; title?: string }
  /** `url` is a data: URL the page offers as a download; `bytes` is the decoded size. */
  | { type: 'file'; filename: string; mimeType: string; url: string; bytes: number; title?: string }
  | { type: 'citations'; items: Citation[] };

export interface WebMessage {
  id: string;
  /** Pass as `after` to list what came later. Opaque. */
  cursor: string;
  conversationId: string;
  createdAt: string;
  locale: string;
  purpose: 'reply' | 'disclosure' | 'error' | 'proactive';
  blocks: WebBlock[];
  footer?: { text: string; aiGenerated: boolean };
}

const HTML_CACHE_SIZE = 500;
const htmlCache = new Map<string, string>();

/** Help, disclosure and survey texts repeat: render each once (bounded cache, oldest evicted). */
function cachedHtml(markdown: string): string {
  let html = htmlCache.get(markdown);
  if (html === undefined) {
    html = markdownToHtml(markdown);
    if (htmlCache.size >= HTML_CACHE_SIZE) htmlCache.delete(htmlCache.keys().next().value!);
    htmlCache.set(markdown, html);
  }
  return html;
}

function imageUrl(source: ImageSource): string {
  if (source.kind === 'bytes') return `data:${source.mimeType};base64,${source.base64}`;
  // Only web links or same-origin paths: never javascript: or other schemes.
  return /^(https?:\/\/|\/(?!\/))/i.test(source.url) ? source.url : '';
}

function safeCitation(citation: Citation): Citation {
  const { url, ...rest } = citation;
  return url && /^https?:\/\//i.test(url) ? { ...rest, url } : rest;
}

export function renderWebBlock(block: MessageBlock): WebBlock {
  switch (block.type) {
    case 'text':
      return { type: 'text', markdown: block.markdown, html: cachedHtml(block.markdown) };
    case 'image':
      return { type: 'image', url: imageUrl(block.source), alt: block.alt, ...(block.title ? { title: block.title } : {}) };
    case 'file':
      return {
        type: 'file',
        filename: block.filename,
        mimeType: block.mimeType,
        url: `data:${block.mimeType};charset=utf-8;base64,${block.base64}`,
        bytes: Buffer.byteLength(block.base64, 'base64'),
        ...(block.title ? { title: block.title } : {}),
      };
    case 'citations':
      return { type: 'citations', items: block.items.map(safeCitation) };
    default:
      return block;
  }
}

/** `webConversationId` is the id the client knows (not the internal pseudonymous one). */
export function renderWebMessage(envelope: OutboundEnvelope, webConversationId: string): WebMessage {
  const { message } = envelope;
  return {
    id: envelope.id,
    cursor: envelope.cursor,
    conversationId: webConversationId,
    createdAt: envelope.createdAt.toISOString(),
    locale: envelope.locale,
    purpose: message.purpose ?? 'reply',
    blocks: message.blocks.map(renderWebBlock),
    ...(message.footer ? { footer: message.footer } : {}),
  };
}
