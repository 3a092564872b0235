import { checkCitations } from '../../../../src/core/assistant/citation-check.js';

describe('checkCitations', () => {
  it('keeps an answer whose citations all point at given sources, and lists them in order', () => {
    const answer = 'Plusieurs récits parlent de cette fatigue [2]. Une éducatrice raconte qu’elle en a parlé en supervision [1].';
    expect(checkCitations(answer, [1, 2, 3])).toEqual({ text: answer, cited: [1, 2], removed: [] });
  });

  it('removes a citation of a source that was not given, with the space before it', () => {
    expect(checkCitations('Une formatrice le dit très bien [4].', [1, 2])).toEqual({
      text: 'Une formatrice le dit très bien.',
      cited: [],
      removed: [4],
    });
  });

  it('keeps the valid numbers of a grouped citation and drops the invalid ones', () => {
    expect(checkCitations('Ce doute revient souvent [1, 7; 3].', [1, 2, 3])).toEqual({
      text: 'Ce doute revient souvent [1] [3].',
      cited: [1, 3],
      removed: [7],
    });
    expect(checkCitations('Voir les récits[2,3].', [2, 3]).text).toBe('Voir les récits[2][3].');
  });

  it('counts a source cited several times once', () => {
    const result = checkCitations('Au début [2], puis à la fin [2] et encore [2].', [2]);
    expect(result.cited).toEqual([2]);
    expect(result.text).toBe('Au début [2], puis à la fin [2] et encore [2].');
  });

  it('removes every citation when no source was given', () => {
    expect(checkCitations('Comme le raconte un ancien étudiant [1] [2].', [])).toEqual({
      text: 'Comme le raconte un ancien étudiant.',
      cited: [],
      removed: [1, 2],
    });
  });

  it('sorts cited and removed numbers and removes [0]', () => {
    const result = checkCitations('A [12] B [3] C [0] D [10] E [5].', [3, 10, 12]);
    expect(result.cited).toEqual([3, 10, 12]);
    expect(result.removed).toEqual([0, 5]);
    expect(result.text).toBe('A [12] B [3] C D [10] E.');
  });

  it('leaves alone brackets that are not citations: years, words, ranges, Markdown links', () => {
    const answer = 'En [2019], une [note] du service, les pages [3-4] et [le guide](https://exemple.fr) [1].';
    expect(checkCitations(answer, [1])).toEqual({ text: answer, cited: [1], removed: [] });
  });

  it('keeps the space before a valid citation and nothing else when it had none', () => {
    expect(checkCitations('récit[1] et récit [2]', [1, 2]).text).toBe('récit[1] et récit [2]');
  });

  // BUG (src/core/assistant/citation-check.ts, last line): the clean-up
  // `.replace(/ +([.,;:!?])/g, '$1')` runs over the whole answer, not just
  // where a marker was removed, so French typography (a space before ? ! : ;)
  // is stripped from every answer, even one with nothing to remove. The
  // removed marker already takes its leading space with it (`\s?` in MARKER).
  it('leaves French spacing before ? ! : ; untouched', () => {
    const answer = 'Qu’en pensez-vous ? Deux pistes : en parler à votre référente ; noter ce qui vous a touché·e [1] !';
    expect(checkCitations(answer, [1]).text).toBe(answer);
  });

  // BUG (same file, MARKER): `\s?` also matches a line break, and the
  // replacement only puts back a plain space, so a valid citation that opens
  // a line or a paragraph is glued to the previous one and the Markdown
  // paragraph structure changes. Valid markers should come out untouched.
  it('keeps the line break before a valid citation that starts a paragraph', () => {
    const answer = 'Premier paragraphe.\n\n[1] Une tutrice raconte sa première visite.';
    expect(checkCitations(answer, [1]).text).toBe(answer);
  });
});
