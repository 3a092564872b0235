/**
 * Our markdown subset (core/messages/markdown.ts) rewritten for the two
 * places Teams shows text:
 *
 * - `message`: the `text` of a message activity (`textFormat: markdown`):
 *   bold, italic, inline code, links, lists, quotes and code fences work;
 *   headings do not, so they become bold lines. `<` is escaped so that no
 *   text can open an HTML tag or a `<at>` mention.
 * - `card`: an Adaptive Card TextBlock, whose markdown is smaller still
 *   (bold, italic, lists, links): code loses its backticks, quotes become
 *   italic lines.
 */
import { parseMarkdown, type Inline } from '../../../core/messages/markdown.js';

export type TeamsTextTarget = 'message' | 'card';

export function toTeamsMarkdown(source: string, target: TeamsTextTarget): string {
  return parseMarkdown(source)
    .map((block) => {
      switch (block.type) {
        case 'paragraph':
          return inline(block.children, target);
        case 'heading':
          return `**${inline(block.children, target)}**`;
        case 'list':
          return block.items
            .map((item, n) => `${block.ordered ? `${block.start + n}.` : '-'} ${inline(item, target).replace(/\n/g, ' ')}`)
            .join('\n');
        case 'quote': {
          const lines = inline(block.children, target).split('\n');
          return target === 'message' ? lines.map((l) => `> ${l}`).join('\n') : lines.map((l) => (l.trim() ? `_${l.trim()}_` : l)).join('\n\n');
        }
        case 'code':
          return target === 'message' ? `\`\`\`\n${block.text}\n\`\`\`` : block.text;
      }
    })
    .join('\n\n');
}

function inline(nodes: Inline[], target: TeamsTextTarget): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case 'text':
          return target === 'message' ? node.text.replace(/</g, '&lt;') : node.text;
        case 'strong':
          return `**${inline(node.children, target)}**`;
        case 'em':
          return `_${inline(node.children, target)}_`;
        case 'code':
          return target === 'message' ? `\`${node.text}\`` : node.text;
        case 'link':
          return `[${inline(node.children, target)}](${node.href})`;
        case 'break':
          // Adaptive Cards need a blank line for a visible break inside a paragraph.
          return target === 'message' ? '\n' : '\n\n';
      }
    })
    .join('');
}
