/**
 * Neutral markdown → Slack mrkdwn, in code: models write CommonMark, which
 * Slack shows raw (`**bold**`, `[label](url)`). Text is escaped (`&`, `<`,
 * `>`), so nothing a person or a model writes becomes a mention or a link by
 * accident.
 */
import { parseMarkdown, type Block, type Inline } from '../../../core/messages/markdown.js';

/** Escapes the three characters Slack reserves in mrkdwn text. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function inlineToMrkdwn(nodes: Inline[]): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case 'text':
          return escapeMrkdwn(node.text);
        case 'strong':
          return wrap('*', inlineToMrkdwn(node.children));
        case 'em':
          return wrap('_', inlineToMrkdwn(node.children));
        case 'code':
          return wrap('`', node.text.replace(/`/g, "'"));
        case 'link': {
          // `|` and `>` end the label in Slack's link syntax.
          const label = inlineToPlain(node.children).replace(/[|>]/g, ' ').trim();
          const href = node.href.replace(/[|>\s]/g, encodeURIComponent);
          return label && label !== node.href ? `<${href}|${escapeMrkdwn(label)}>` : `<${href}>`;
        }
        case 'break':
          return '\n';
      }
    })
    .join('');
}

/** Emphasis markers only work around non-space text in Slack: keep spaces outside. */
function wrap(marker: string, inner: string): string {
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(inner)!;
  if (!match[2]) return inner;
  return `${match[1]}${marker}${match[2]}${marker}${match[3]}`;
}

function inlineToPlain(nodes: Inline[]): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case 'text':
        case 'code':
          return node.text;
        case 'strong':
        case 'em':
        case 'link':
          return inlineToPlain(node.children);
        case 'break':
          return ' ';
      }
    })
    .join('');
}

function blockToMrkdwn(block: Block): string {
  switch (block.type) {
    case 'paragraph':
      return inlineToMrkdwn(block.children);
    case 'heading':
      // Slack has no heading in mrkdwn: a bold line reads as one.
      return wrap('*', inlineToMrkdwn(block.children).replace(/\*/g, ''));
    case 'list':
      return block.items
        .map((item, n) => `${block.ordered ? `${block.start + n}.` : '•'} ${inlineToMrkdwn(item)}`)
        .join('\n');
    case 'quote':
      return inlineToMrkdwn(block.children)
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n');
    case 'code':
      return '```\n' + block.text.replace(/```/g, "'''") + '\n```';
  }
}

/** Paragraph-level pieces of a markdown text in mrkdwn (joined by blank lines they are the whole text). */
export function markdownToMrkdwnParagraphs(markdown: string): string[] {
  return parseMarkdown(markdown).map(blockToMrkdwn).filter((p) => p.trim() !== '');
}

export function markdownToMrkdwn(markdown: string): string {
  return markdownToMrkdwnParagraphs(markdown).join('\n\n');
}

/**
 * Splits mrkdwn into pieces of at most `max` characters: between paragraphs
 * first, then between lines, then between words — never inside a word, a
 * `<link|label>` or an escape like `&amp;`. A single word longer than `max`
 * (a huge URL) is the only thing ever cut.
 */
export function splitMrkdwn(text: string, max: number): string[] {
  return pack(text.trim(), max, ['\n\n', '\n']).filter((piece) => piece.trim() !== '');
}

function pack(text: string, max: number, separators: string[]): string[] {
  if (text.length <= max) return [text];
  const [separator, ...finer] = separators;
  if (separator === undefined) return packWords(text, max);
  const out: string[] = [];
  let current = '';
  for (const part of text.split(separator)) {
    const candidate = current ? current + separator + part : part;
    if (candidate.length <= max) {
      current = candidate;
      continue;
    }
    if (current) out.push(current);
    if (part.length <= max) {
      current = part;
      continue;
    }
    const pieces = pack(part, max, finer);
    out.push(...pieces.slice(0, -1));
    current = pieces.at(-1) ?? '';
  }
  if (current) out.push(current);
  return out;
}

function packWords(text: string, max: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const token of text.match(/\s*(?:<[^>\n]*>|&[a-z]+;|[^\s<&]+|[<&])+/g) ?? [text]) {
    if (current.length + token.length <= max) {
      current += token;
      continue;
    }
    if (current.trim()) out.push(current.trim());
    current = token.trimStart();
    // Only a single unbreakable token longer than a whole piece is ever cut.
    while (current.length > max) {
      out.push(current.slice(0, max));
      current = current.slice(max);
    }
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
