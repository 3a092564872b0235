/**
 * The words of a question worth searching for. Students write whole
 * sentences ("comment je fais quand…"); function words would match every
 * passage, so they are dropped before the text goes to the French analyser
 * (which does the stemming and accent folding). French and English lists,
 * compared without accents.
 */

const FRENCH = `a ai aie aient aies ait alors as au aucun aussi autre aux avaient avais avait avant avec avez aviez avions avoir avons ayant bien c ca car ce ceci cela celle celles celui cependant certain ces cet cette ceux chaque chez ci comme comment d dans de des deja depuis devrait dois doit donc dont du elle elles en encore entre es est et etaient etais etait etant ete etes etre eu eux faire fais fait faites faut fois font hors ici il ils j je jusqu l la le les leur leurs lui m ma mais me meme memes mes moi mon moins n ne ni nos notre nous on ont ou par parce pas peu peut peux plus pour pourquoi qu quand que quel quelle quelles quels qui quoi s sa sans se sera ses si sien soi soit son sont sous suis sur t ta te tes toi ton tous tout toute toutes tres tu un une unes uns vers voici voila vos votre vous y`;

const ENGLISH = `a about after all also am an and any are as at be because been before being both but by can could did do does doing for from had has have having he her here hers him his how i if in into is it its just me more most my no nor not of on once only or other our out over own same she should so some such than that the their them then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your yours`;

const STOPWORDS = new Set([...FRENCH.split(/\s+/), ...ENGLISH.split(/\s+/)]);

export function foldAccents(word: string): string {
  return word.normalize('NFD').replace(/\p{Diacritic}/gu, '');
}

/** Content words of `text`, lower-cased, in order, without duplicates (accents kept for the analyser). */
export function queryTerms(text: string): string[] {
  const seen = new Set<string>();
  const terms: string[] = [];
  for (const raw of text.normalize('NFC').toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (raw.length < 2 && !/\d/.test(raw)) continue;
    const folded = foldAccents(raw);
    if (STOPWORDS.has(folded) || seen.has(folded)) continue;
    seen.add(folded);
    terms.push(raw);
  }
  return terms;
}
