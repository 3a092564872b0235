import { markdownToHtml, markdownToPlainText, parseMarkdown } from '../../../../src/core/messages/markdown.js';

describe('markdown subset', () => {
  it('renders emphasis, code and safe links', () => {
    expect(markdownToHtml('**gras** et *italique* et _aussi_ avec `code`')).toBe(
      '<p><strong>gras</strong> et <em>italique</em> et <em>aussi</em> avec <code>code</code></p>',
    );
    expect(markdownToHtml('[le site](https://europa.eu/page?a=1&b=2)')).toBe(
      '<p><a href="https://europa.eu/page?a=1&amp;b=2" rel="noopener noreferrer" target="_blank">le site</a></p>',
    );
  });

  it('escapes HTML and refuses dangerous link schemes', () => {
    const html = markdownToHtml('<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=y>');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('href="javascript');
    expect(html).toContain('&lt;script&gt;');
  });

  it('keeps single newlines as line breaks and blank lines as paragraphs', () => {
    expect(markdownToHtml('ligne 1\nligne 2\n\nparagraphe 2')).toBe('<p>ligne 1<br>ligne 2</p><p>paragraphe 2</p>');
  });

  it('renders lists, quotes, headings and fenced code', () => {
    expect(markdownToHtml('- un\n- deux\n\n3. trois\n4. quatre')).toBe('<ul><li>un</li><li>deux</li></ul><ol start="3"><li>trois</li><li>quatre</li></ol>');
    expect(markdownToHtml('> citée\n> suite')).toBe('<blockquote>citée<br>suite</blockquote>');
    expect(markdownToHtml('# Titre')).toBe('<h3>Titre</h3>');
    expect(markdownToHtml('```\n<b>brut</b>\n```')).toBe('<pre><code>&lt;b&gt;brut&lt;/b&gt;</code></pre>');
  });

  it('does not treat snake_case or lone stars as emphasis', () => {
    expect(markdownToHtml('mon_fichier_final et 3 * 4 = 12')).toBe('<p>mon_fichier_final et 3 * 4 = 12</p>');
  });

  it('links bare URLs without swallowing the final punctuation', () => {
    expect(markdownToHtml('Voir https://service-public.fr/x.')).toBe(
      '<p>Voir <a href="https://service-public.fr/x" rel="noopener noreferrer" target="_blank">https://service-public.fr/x</a>.</p>',
    );
  });

  it('gives a readable plain-text fallback', () => {
    expect(markdownToPlainText('**Titre**\n\n- a\n- [lien](https://x.fr)\n\n> cité')).toBe('Titre\n\n• a\n• lien (https://x.fr)\n\n> cité');
  });

  it('never throws on arbitrary input', () => {
    for (const input of ['', '*', '**', '[', '[a](', '`', '```', '> ', '1.', '\\', '_a', 'a_', '*a **b* c**']) {
      expect(() => parseMarkdown(input)).not.toThrow();
      expect(typeof markdownToHtml(input)).toBe('string');
    }
  });
});
