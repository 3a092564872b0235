/**
 * Lexical normalisation of short French descriptions (irritants, comments)
 * for grouping: lower case, accents folded, function words dropped (the
 * retrieval stop-word list, plus words every irritant uses: "chaque",
 * "semaine", "temps"…), a few spelling variants unified ("mail" →
 * "courriel"), and a light stemmer so "saisie", "saisir" and "saisies"
 * meet on "sais". Deliberately light: over-stemming merges different
 * tasks, which is worse for prioritisation than missing a near-duplicate.
 */
import { foldAccents, queryTerms } from '../../retrieval/query-terms.js';

/** Words that carry no task meaning in an irritant description (folded). */
const FILLERS = new Set(
  `chaque jour jours semaine semaines mois annee annees an ans fois temps tache taches perte perdre perd perds beaucoup trop souvent
  toujours jamais encore tout tous toutes faut falloir dois devons doit doivent devoir faire fait font refaire etc lors cas chose choses
  vraiment plusieurs quelques nombreux nombreuses long longue longues longs manuellement manuel manuelle manuelles manuels main mains
  heures heure minutes minute quotidien quotidienne hebdomadaire mensuel mensuelle via aupres afin partir ainsi autres autre niveau
  chez part parts sans cela cette`.split(/\s+/).filter(Boolean),
);

/** Spelling variants and near-synonyms of university administration, unified before stemming (folded forms). */
const VARIANTS: Readonly<Record<string, string>> = {
  mail: 'courriel', mails: 'courriel', email: 'courriel', emails: 'courriel', 'e-mail': 'courriel', courriels: 'courriel', mel: 'courriel',
  ressaisie: 'saisie', ressaisir: 'saisie', resaisie: 'saisie', resaisir: 'saisie', retaper: 'saisie', taper: 'saisie', recopier: 'saisie', recopie: 'saisie', copier: 'saisie',
  excel: 'tableur', tableurs: 'tableur', calc: 'tableur',
  etudiants: 'etudiant', etudiante: 'etudiant', etudiantes: 'etudiant', eleves: 'etudiant',
  tel: 'telephone', telephoniques: 'telephone', telephonique: 'telephone', appels: 'telephone', appel: 'telephone',
  pj: 'piece', pieces: 'piece', justificatifs: 'justificatif',
  relancer: 'relance', relances: 'relance', rappeler: 'relance', rappels: 'relance', rappel: 'relance',
  edt: 'planning', emploi: 'planning', plannings: 'planning',
  apoge: 'apogee', pv: 'verbal', verbaux: 'verbal', proces: 'verbal',
};

const SUFFIXES = [
  'issement', 'ication', 'ement', 'ation', 'atrice', 'ateur',
  'euse', 'eur', 'ive', 'if', 'ion', 'ee', 'ie', 'ir', 'er', 'ez', 'e',
];
/** Suffixes replaced rather than removed, so noun and verb meet: "vérification" / "vérifier" → "verifi". */
const REPLACE: Readonly<Record<string, string>> = { ication: 'i' };

/** Light French stem of an already folded, lower-case word. */
export function lightStem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  // Plural first, so "dossiers" and "dossier" take the same path.
  if (/[sx]$/.test(word) && word.length > 4) word = word.slice(0, -1);
  for (const suffix of SUFFIXES) {
    if (!word.endsWith(suffix)) continue;
    const stem = word.slice(0, -suffix.length) + (REPLACE[suffix] ?? '');
    if (stem.length >= 3) return stem;
  }
  return word;
}

/** Folded form of a word: lower case, no accents, œ → oe. */
export function foldWord(word: string): string {
  return foldAccents(word.toLowerCase()).replace(/œ/g, 'oe').replace(/æ/g, 'ae');
}

/** The set of normalised content terms of a short French text, sorted. */
export function irritantTerms(text: string): string[] {
  const out = new Set<string>();
  for (const raw of queryTerms(text.replace(/[’']/g, ' '))) {
    const folded = foldWord(raw);
    if (FILLERS.has(folded) || /^\d+$/.test(folded)) continue;
    const unified = VARIANTS[folded] ?? folded;
    out.add(lightStem(unified));
  }
  return [...out].sort();
}

/** Jaccard similarity of two sorted term lists (1 = same terms, 0 = none shared). */
export function jaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0) return 0;
  const set = new Set(a);
  let shared = 0;
  for (const term of b) if (set.has(term)) shared++;
  return shared / (a.length + b.length - shared);
}
