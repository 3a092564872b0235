/**
 * The markdown subset every renderer understands, parsed once into a small
 * tree so each platform can render it natively (HTML for the web and Matrix,
 * mrkdwn for Slack, plain text everywhere as a fallback).
 *
 * Supported: paragraphs (single newlines are kept as line breaks, as in chat),
 * `#` headings, `-`/`*`/`1.` lists, `>` quotes, fenced code, `**strong**`,
 * `*em*`/`_em_`, `` `code` ``, `[text](https://…)` and bare http(s) links.
 * Anything else is text. Raw HTML is never interpreted: it is escaped.
 */

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'strong'; children: Inline[] }
  | { type: 'em'; children: Inline[] }
  | { type: 'code'; text: string }
  | { type: 'link'; href: string; children: Inline[] }
  | { type: 'break' };

export type Block =
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'heading'; level: number; children: Inline[] }
  | { type: 'list'; ordered: boolean; start: number; items: Inline[][] }
  | { type: 'quote'; children: Inline[] }
  | { type: 'code'; text: string };

const HEADING = /^(#{1,6})\s+(.*)$/;
const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const ORDERED = /^\s{0,3}(\d{1,9})[.)]\s+(.*)$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;
const FENCE = /^\s{0,3}```/;
const SAFE_HREF = /^(https?:\/\/|mailto:)[^\s]+$/i;
const BARE_URL = /^https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]'"]/i;

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let paragraph: string[] = [];

  const flushParagraph = (): void => {
    if (paragraph.length > 0) {
      blocks.push({ type: 'paragraph', children: parseInlineLines(paragraph) });
      paragraph = [];
    }
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (FENCE.test(line)) {
      flushParagraph();
      const code: string[] = [];
      i++;
      while (i < lines.length && !FENCE.test(lines[i] ?? '')) code.push(lines[i++] ?? '');
      blocks.push({ type: 'code', text: code.join('\n') });
      continue;
    }
    if (line.trim() === '') {
      flushParagraph();
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flushParagraph();
      blocks.push({ type: 'heading', level: heading[1]!.length, children: parseInline(heading[2]!.trim()) });
      continue;
    }
    const listMatch = BULLET.exec(line) ?? ORDERED.exec(line);
    if (listMatch) {
      flushParagraph();
      i = readList(lines, i, blocks) - 1;
      continue;
    }
    if (QUOTE.test(line)) {
      flushParagraph();
      const quoted: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i] ?? '')) quoted.push(QUOTE.exec(lines[i++] ?? '')![1]!);
      i--;
      blocks.push({ type: 'quote', children: parseInlineLines(quoted) });
      continue;
    }
    paragraph.push(line);
  }
  flushParagraph();
  return blocks;
}

/** Reads consecutive list items of one kind starting at `start`; returns the next line index. */
function readList(lines: string[], start: number, blocks: Block[]): number {
  const first = lines[start] ?? '';
  const ordered = !BULLET.test(first);
  const pattern = ordered ? ORDERED : BULLET;
  const items: string[][] = [];
  let startNumber = 1;
  let i = start;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const match = pattern.exec(line);
    if (match) {
      if (items.length === 0 && ordered) startNumber = Number(match[1]);
      items.push([ordered ? match[2]! : match[1]!]);
    } else if (/^\s{2,}\S/.test(line) && items.length > 0) {
      items[items.length - 1]!.push(line.trim());
    } else {
      break;
    }
  }
  blocks.push({ type: 'list', ordered, start: startNumber, items: items.map(parseInlineLines) });
  return i;
}

function parseInlineLines(lines: string[]): Inline[] {
  const out: Inline[] = [];
  lines.forEach((line, index) => {
    if (index > 0) out.push({ type: 'break' });
    out.push(...parseInline(line));
  });
  return out;
}

/** Parses inline markup of one line. */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let buffer = '';
  const flush = (): void => {
    if (buffer) {
      out.push({ type: 'text', text: buffer });
      buffer = '';
    }
  };

  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const rest = text.slice(i);

    if (ch === '\\' && i + 1 < text.length && /[\\`*_[\]()#>-]/.test(text[i + 1]!)) {
      buffer += text[i + 1];
      i += 2;
      continue;
    }
    if (ch === '`') {
      const end = text.indexOf('`', i + 1);
      if (end > i + 1) {
        flush();
        out.push({ type: 'code', text: text.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    }
    if (rest.startsWith('**') || rest.startsWith('__')) {
      const marker = rest.slice(0, 2);
      const end = text.indexOf(marker, i + 2);
      if (end > i + 2 && !/\s/.test(text[i + 2]!)) {
        flush();
        out.push({ type: 'strong', children: parseInline(text.slice(i + 2, end)) });
        i = end + 2;
        continue;
      }
    }
    if ((ch === '*' || ch === '_') && isEmphasisOpener(text, i)) {
      const end = findEmphasisCloser(text, i + 1, ch);
      if (end > 0) {
        flush();
        out.push({ type: 'em', children: parseInline(text.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    }
    if (ch === '[') {
      const link = /^\[([^\]]+)\]\(([^)\s]+)\)/.exec(rest);
      if (link && SAFE_HREF.test(link[2]!)) {
        flush();
        out.push({ type: 'link', href: link[2]!, children: parseInline(link[1]!) });
        i += link[0].length;
        continue;
      }
    }
    if ((ch === 'h' || ch === 'H') && (i === 0 || /[\s(]/.test(text[i - 1]!))) {
      const url = BARE_URL.exec(rest);
      if (url) {
        flush();
        out.push({ type: 'link', href: url[0], children: [{ type: 'text', text: url[0] }] });
        i += url[0].length;
        continue;
      }
    }
    buffer += ch;
    i++;
  }
  flush();
  return out;
}

function isEmphasisOpener(text: string, i: number): boolean {
  const next = text[i + 1];
  if (next === undefined || /\s/.test(next)) return false;
  // `_` inside a word (snake_case, file_name) is not emphasis.
  return text[i] === '*' || i === 0 || /[\s(]/.test(text[i - 1]!);
}

function findEmphasisCloser(text: string, from: number, marker: string): number {
  for (let j = from + 1; j < text.length; j++) {
    if (text[j] !== marker || /\s/.test(text[j - 1]!)) continue;
    if (marker === '_' && j + 1 < text.length && /\w/.test(text[j + 1]!)) continue;
    return j;
  }
  return -1;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

function inlineToHtml(nodes: Inline[]): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case 'text':
          return escapeHtml(node.text);
        case 'strong':
          return `<strong>${inlineToHtml(node.children)}</strong>`;
        case 'em':
          return `<em>${inlineToHtml(node.children)}</em>`;
        case 'code':
          return `<code>${escapeHtml(node.text)}</code>`;
        case 'link':
          return `<a href="${escapeHtml(node.href)}" rel="noopener noreferrer" target="_blank">${inlineToHtml(node.children)}</a>`;
        case 'break':
          return '<br>';
      }
    })
    .join('');
}

/** Safe HTML: every text is escaped, only the tags produced here appear. */
export function markdownToHtml(source: string): string {
  return parseMarkdown(source)
    .map((block) => {
      switch (block.type) {
        case 'paragraph':
          return `<p>${inlineToHtml(block.children)}</p>`;
        case 'heading': {
          // Chat messages sit inside a page that already has h1/h2: start at h3.
          const level = Math.min(6, block.level + 2);
          return `<h${level}>${inlineToHtml(block.children)}</h${level}>`;
        }
        case 'list': {
          const tag = block.ordered ? 'ol' : 'ul';
          const start = block.ordered && block.start !== 1 ? ` start="${block.start}"` : '';
          return `<${tag}${start}>${block.items.map((item) => `<li>${inlineToHtml(item)}</li>`).join('')}</${tag}>`;
        }
        case 'quote':
          return `<blockquote>${inlineToHtml(block.children)}</blockquote>`;
        case 'code':
          return `<pre><code>${escapeHtml(block.text)}</code></pre>`;
      }
    })
    .join('');
}

function inlineToText(nodes: Inline[]): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case 'text':
        case 'code':
          return node.text;
        case 'strong':
        case 'em':
          return inlineToText(node.children);
        case 'link': {
          const label = inlineToText(node.children);
          return label === node.href ? node.href : `${label} (${node.href})`;
        }
        case 'break':
          return '\n';
      }
    })
    .join('');
}

/** Plain text with structure kept (bullets, numbering, quotes), for notifications and fallbacks. */
export function markdownToPlainText(source: string): string {
  return parseMarkdown(source)
    .map((block) => {
      switch (block.type) {
        case 'paragraph':
        case 'heading':
          return inlineToText(block.children);
        case 'list':
          return block.items
            .map((item, n) => `${block.ordered ? `${block.start + n}.` : '•'} ${inlineToText(item)}`)
            .join('\n');
        case 'quote':
          return inlineToText(block.children)
            .split('\n')
            .map((line) => `> ${line}`)
            .join('\n');
        case 'code':
          return block.text;
      }
    })
    .join('\n\n');
}
