/**
 * PII scrubbing of récits before they are indexed (RGPD art. 5(1)(c), data
 * minimisation, and art. 25, data protection by design).
 *
 * Récits are anonymised by their authors, but a phone number, an address or
 * a full name slips through now and then. `scrubPii` replaces what it finds
 * with readable French tokens and returns masked findings for the curator's
 * report (`relais corpus ingest --report`). Everything else in the text is
 * left byte-identical, so Markdown, spacing and line breaks survive.
 *
 * Bias: conservative. A false positive damages the récit for good (the
 * index only ever sees the scrubbed text); a false negative is caught by the
 * human curator who reads the report and the récit. So structured data is
 * validated (IBAN mod-97, NIR key), and names are only detected around a
 * strong anchor: a configured name, a civility title, or a first name from
 * the built-in list followed by a surname-like word.
 */

export type PiiKind = 'email' | 'phone' | 'address' | 'iban' | 'nir' | 'url' | 'name';

export interface PiiFinding {
  kind: PiiKind;
  /** Masked form for reports, e.g. "m***@e***.fr", "06 ** ** ** 78", "K*** B***"; never the raw value. */
  masked: string;
  /** How many times this kind + masked form was replaced in the text. */
  count: number;
}

export interface ScrubOptions {
  /** Names always removed (from config), matched whole-word, any case/accents, full or by part. */
  names?: string[];
  /** Words never treated as names by the heuristics (added to the built-in list); multi-word entries protect the phrase. */
  keepWords?: string[];
}

export interface ScrubResult {
  /** The text with every detected PII replaced by its token (see `PII_REPLACEMENTS`). */
  text: string;
  /** Aggregated by kind + masked form, in order of first appearance. */
  findings: PiiFinding[];
}

/** Replacement tokens: readable inside a French sentence and stable across runs (chunk hashes depend on them). */
export const PII_REPLACEMENTS: Readonly<Record<PiiKind, string>> = {
  email: '[courriel]',
  phone: '[téléphone]',
  address: '[adresse]',
  iban: '[IBAN]',
  nir: '[n° de sécurité sociale]',
  url: '[lien]',
  name: '[personne]',
};

// ---------------------------------------------------------------------------
// Built-in lists
// ---------------------------------------------------------------------------

/**
 * Common first names in France, of various origins. A first name is only an
 * anchor: it is never removed alone (first names are the usual pseudonyms
 * of anonymised récits); it must be followed by a surname-like word.
 * Words that are also common nouns or adjectives (Rose, Aurore, Constant,
 * Blanche, Noël, France…) are left out on purpose.
 */
const FIRST_NAMES_TEXT = `
adam adel adrien ahmed ahmet alain alban albert alexandre alexis alfred ali amadou amine andre andrei anis anthony antoine antonio armand arnaud arthur aurelien axel ayoub
bastien baptiste benjamin benoit bernard bilal boubacar brahim bruno cedric charles cheikh christian christophe claude clement corentin cyril cyrille
damien daniel david denis didier dimitri djamel dominique dorian dylan emmanuel emre enzo eric erwan etienne ethan evan
fabien fabrice farid felix florent florian francis franck francois frederic gabriel gael gaetan gaspard gauthier georges gerard gilles gregoire gregory guillaume guy
hakim hamza hassan henri herve hicham hugo hugues ibrahim ibrahima idriss ilyes ilias ismael issa ivan
jacques jean jeremie jeremy jerome jimmy joao joel johan john jonathan jordan jose joseph jules julien justin
kader karim kevin khalid killian kylian lamine laurent leo leon lilian lionel loic louis luc luca lucas lucien ludovic
mael mahamadou malik mamadou manuel marc marcel marco marius martin mathias mathieu mathis matteo matthieu maurice maxence maxime medhi mehdi mehmet michael michel mickael milo mohamed mohammed morgan mourad moussa murat mustapha
nabil nassim nathan nicolas noah noe nolan nordine olivier omar oscar ousmane pascal patrice patrick paul pedro philippe pierre quentin
rachid raphael raymond redouane regis remi remy renaud rene riad richard robert roger romain ronan ryan
sacha said salim sami samir samuel sebastien sekou serge seydou simon slimane sofiane souleymane stephane steve steven sylvain
tanguy tarik teddy theo thibault thibaut thierry thomas timeo timothee tom tony tristan valentin victor vincent walid wassim william
xavier yacine yann yannick yanis yassine yoann younes youssef yves zinedine
agathe agnes aicha alexandra alice aline alix amandine amelie amina aminata anais anastasia andree angelique anna anne annie apolline assia audrey aurelie awa aya
beatrice berenice bernadette binta blandine brigitte camille capucine carmen carole caroline catherine cecile celine chantal charlene charlotte chloe christelle christine cindy clara claire claudine clemence clotilde colette coralie corinne
danielle delphine denise diane djeneba dounia elena elif elise elisabeth elodie eloise elsa emilie emine emma estelle eugenie eva eve evelyne
fanny farida fatima fatma fatou fatoumata florence francoise gabrielle gaelle genevieve geraldine ghislaine ginette giulia gwenaelle
hafsa hanane hawa helene heloise houria huguette imane ines ingrid irene irina isabelle jacqueline jeanne jennifer jessica jocelyne joelle josiane julia julie juliette justine
karima karine katia kelly kenza khadija laetitia latifa laura laure laurence laurie lea leila lena liliane lilou lina linda lisa lola lou louise louna lucie lucienne lydia
madeleine maelle maeva magali malika manon marcelle margaux margot maria mariam marie marina marion marlene martine maryam mathilde maud megane melanie melissa mia mireille monique morgane muriel murielle myriam
nadege nadia nadine naima natacha nathalie nicole nina noemie nolwenn nora nour oceane odette odile olga oumou pascale patricia paulette pauline priscilla
rachel rania rebecca regine renee romane sabine sabrina safia salome samia sandra sandrine sara sarah severine siham simone sofia solene sonia sophie soraya souad stephanie suzanne svetlana sylviane sylvie
tatiana valentine valerie vanessa veronique victoria virginie viviane wafa yasmina yasmine yvette yvonne zeynep zineb zohra zoe
`;

/**
 * Capitalised words that must never be read as a surname. Function words
 * (sentence starts) are also refused as street or city names; the other list
 * holds the calendar, places, institutions and acronyms of social work, and
 * roles. Only consulted by the heuristics: configured names always win.
 */
const FUNCTION_WORDS_TEXT = `
le la les l un une des du de d au aux ce cet cette ces ca cela ceci c il elle ils elles on nous vous je j tu me te se moi toi lui eux leur leurs
mon ma mes ton ta tes son sa ses notre nos votre vos et ou mais donc or ni car puis alors ensuite enfin pendant quand lorsque lorsqu avant apres
depuis des durant jusqu jusque comme si sinon parce puisque bien oui non merci bonjour bonsoir salut voila voici la ici ainsi pourtant cependant
neanmoins toutefois certes finalement surtout souvent parfois toujours jamais rien personne quelque quelques plusieurs certains certaines autre
autres meme memes aucun aucune chaque tout toute tous toutes chez entre vers contre selon malgre grace face lors dans sur sous avec sans pour par
en y qui que quoi ou pourquoi comment combien quel quelle quels quelles aujourd hier demain maintenant desormais heureusement malheureusement
evidemment bref aussi encore deja tant trop tres peu beaucoup moins plus assez voire ailleurs soudain parmi hors outre via est sont etait etaient
a ont avait avaient ah oh eh he bah voyons ecoutez cher chere chers cheres nb ps
`;

const OTHER_KEEP_WORDS_TEXT = `
lundi mardi mercredi jeudi vendredi samedi dimanche janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre
noel paques toussaint pentecote ascension ramadan aid hanouka printemps ete automne hiver
france europe afrique asie amerique belgique suisse luxembourg allemagne espagne italie portugal royaume-uni angleterre irlande pologne roumanie
bulgarie ukraine russie turquie grece algerie maroc tunisie libye egypte senegal mali niger guinee cameroun congo cote comores madagascar
syrie irak iran afghanistan pakistan soudan erythree ethiopie somalie tchad haiti chine vietnam
bretagne normandie occitanie provence alsace lorraine auvergne bourgogne aquitaine nouvelle-aquitaine picardie champagne ardennes corse savoie
hauts-de-france ile-de-france grand-est vendee gironde nord sud est ouest pas-de-calais somme oise aisne seine rhone loire garonne dordogne
bretons normands flandre flandres artois hainaut guadeloupe martinique guyane reunion mayotte polynesie caledonie
paris lyon marseille toulouse nice nantes strasbourg montpellier bordeaux lille rennes reims toulon grenoble dijon angers nimes villeurbanne
clermont-ferrand mans aix-en-provence brest tours amiens limoges annecy perpignan metz besancon orleans rouen mulhouse caen nancy roubaix
tourcoing dunkerque calais boulogne boulogne-sur-mer arras lens douai valenciennes cambrai maubeuge avignon poitiers pau rochelle argenteuil
montreuil creteil nanterre versailles colmar troyes chambery lorient vannes quimper beziers bayonne niort cherbourg ajaccio bastia cayenne
fort-de-france pointe-a-pitre mamoudzou bruxelles geneve lausanne montreal quebec alger oran tunis rabat casablanca dakar bamako abidjan kinshasa
ase aemo aed mecs ime itep sessad esat chrs cada huda cph ehpad pjj csapa caarud caf cpam msa mdph ccas cias pmi cmp cmpp cattp chu chs ars
ddets dreets dihal siao samu smur sdf mna mie rsa aah apl als alf pch apa cmu css ame puma dalo savs samsah fam mas iem ulis segpa erea rased
cio cfa irts ifts its erasme etsup epss irfase iut ufr bts but deass dees deme deeje deets deaes caferuis cafdes deis esf cesf tisf aesh avs
amp aes jaf jde tgi spip epm cef stemo mjie oned onpe odpe unicef oms onu udaf unaf uriopss unapei apf adapei anas onisep crous dgcs igas
cnil has anesm
conseil departement departemental departementale region regional regionale mairie prefecture tribunal cour parquet maison solidarites
solidarite centre foyer service services association fondation institut ecole ecoles college lycee universite faculte hopital clinique
ministere etat republique nation nationale national securite sociale social sociales sociaux education protection judiciaire jeunesse enfance
famille aide accueil hebergement insertion emploi travail pole croix-rouge rouge croix emmaus restos resto coeur secours populaire catholique
armee salut samusocial planning familial medecins monde apprentis auteuil sauvegarde quart atd mission locale defenseur droits droit
stage conference conferences master licence diplome promotion module unite referentiel dossier memoire rapport projet comite commission
direction directeur directrice chef cheffe president presidente maire prefet prefete ministre procureur procureure juge magistrat greffier
avocat avocate educateur educatrice assistant assistante psychologue psychiatre infirmier infirmiere medecin formateur formatrice referent
referente tuteur tutrice stagiaire cadre coordinateur coordinatrice
dieu allah jesus bible coran internet facebook instagram whatsapp snapchat tiktok google zoom teams covid sida vih
too corbeau
`;

/** Multi-word institutions and places, protected from every name detection (even configured names: "Fondation Abbé Pierre"). */
const PROTECTED_PHRASES = [
  'France Travail', 'Pôle emploi', 'Croix-Rouge française', 'Restos du Cœur', 'Restaurants du Cœur', 'Conseil départemental',
  'Conseil général', 'Conseil régional', 'Maison des Solidarités', 'Secours populaire', 'Secours catholique', 'Armée du Salut',
  'Samu social', 'Planning familial', 'Mission locale', 'Fondation Abbé Pierre', 'Abbé Pierre', 'Médecins du Monde',
  'Médecins sans frontières', "Apprentis d'Auteuil", 'ATD Quart Monde', 'Petits Frères des Pauvres', "Aide sociale à l'enfance",
  'Protection judiciaire de la jeunesse', 'Éducation nationale', 'Marine nationale', "Sauvegarde de l'enfance", 'Notre-Dame',
  'Maison départementale des personnes handicapées', "Centre communal d'action sociale", 'Fondation de France', 'Jeanne d\'Arc',
];

/** Public figures and authors cited in social-work training: quoting them is not a privacy leak. */
const FAMOUS_NAMES = [
  'Victor Hugo', 'Jean Jaurès', 'Jean Moulin', 'Jules Ferry', 'Louis Pasteur', 'Marie Curie', 'Pierre Curie', 'Simone Veil',
  'Louise Michel', 'Charles de Gaulle', 'François Mitterrand', 'Jacques Chirac', 'Emmanuel Macron', 'Nicolas Sarkozy', 'François Hollande',
  'Jean-Paul Sartre', 'Simone de Beauvoir', 'Albert Camus', 'Émile Zola', 'Michel Foucault', 'Pierre Bourdieu', 'Françoise Dolto',
  'Boris Cyrulnik', 'Paul Ricœur', 'Robert Castel', 'Fernand Deligny', 'Jean Oury', 'François Tosquelles', 'Maria Montessori',
  'Jean Piaget', 'Henri Wallon', 'Donald Winnicott', 'John Bowlby', 'Carl Rogers', 'Paulo Freire', 'Sigmund Freud', 'Jacques Lacan',
  'Emmanuel Levinas', 'Paul Éluard', 'Jean de La Fontaine', 'Martin Luther King', 'Nelson Mandela', 'Anne Frank', 'Jean Monnet',
  'Robert Badinter', 'Joseph Wresinski', 'Edgar Morin', 'Axel Honneth', 'Paul Fustier', 'Joseph Rouzel', 'Philippe Meirieu',
  'François Dubet', 'Vincent de Gaulejac', 'Serge Paugam', 'Alain Touraine', 'Didier Fassin', 'Gilles Deleuze', 'Félix Guattari',
  'Jean-Jacques Rousseau', 'Antoine de Saint-Exupéry', 'Victor Schœlcher', 'Louis Braille', 'Valentin Haüy', 'Georges Pompidou',
  'Jean Zay', 'René Cassin', 'Léon Blum', 'Pierre Mendès France', 'Marcel Pagnol', 'Jean Giono', 'Albert Jacquard', 'Daniel Pennac',
  'Jules Verne', 'Martin Luther', 'Florence Nightingale', 'Simone Weil', 'Lucie Aubrac', 'Germaine Tillion', 'Olympe de Gouges',
  'Louis Aragon', 'Jean Macé', 'Paul Langevin', 'Pierre Brossolette', 'Marcel Proust', 'Georges Brassens', 'Jacques Brel',
  'Jacques Prévert', 'Arthur Rimbaud', 'Albert Einstein', 'Marine Le Pen', 'Lionel Jospin', 'Michel Serres', 'Stéphane Hessel',
];

/** Words after which a "Prénom Nom" is the name of a place or an institution ("rue Victor Hugo", "collège Jean Moulin"). */
const PLACE_WORDS_TEXT = `
rue ruelle avenue av bd boulevard allee chemin impasse place quai route cours square passage residence cite lotissement hameau chaussee sentier
faubourg promenade esplanade parvis villa voie college lycee ecole universite faculte hopital clinique centre maison foyer salle stade gymnase
mediatheque bibliotheque institut fondation association espace parc jardin pont gare station metro quartier campus pavillon batiment amphi
amphitheatre promotion promo prix theatre musee creche groupe etablissement cinema complexe port aeroport residence internat
ehpad mecs ime itep esat chrs cmp cmpp chu chr chs cada sessad mas fam ssiad irts ifsi iut csapa caarud mjc
`;

/** Single-part configured names that are also everyday words: matched only when capitalised ("Pierre" but not "une pierre"). */
const COMMON_WORD_NAMES_TEXT = `
pierre rose blanc blanche petit grand roux brun noir boucher boulanger charpentier berger meunier marchand mercier chevalier fontaine renard
loup lion bois roche rocher pont moulin olive violette ambre jade perle prune cerise aurore constance prudence victoire grace joie fleur lune
soleil colombe marine sauvage vallee riviere mer montagne gros long court doux beau bel joli sage fort jeune vieux page carre rond roi roy
prince lac marin bon bonnet constant aime desire modeste france claire
`;

const TITLES_FULL = new Set(['madame', 'monsieur', 'mademoiselle', 'docteur', 'docteure', 'maitre', 'professeur', 'professeure', 'famille']);
/** Abbreviated titles, case-sensitive (so "me" in a sentence is not "Me", maître). "M" requires its dot. */
const TITLES_ABBREV = new Set(['M', 'MM', 'Mme', 'Mmes', 'Mlle', 'Mlles', 'Mr', 'Dr', 'Pr', 'Me']);
/** Titles that may be followed by a lowercase particle ("Madame de Villiers"), unlike "Maître de conférences". */
const TITLES_WITH_PARTICLE = new Set(['madame', 'monsieur', 'mademoiselle', 'famille', 'M', 'MM', 'Mme', 'Mmes', 'Mlle', 'Mlles', 'Mr']);

const NAME_PARTICLES = new Set(['de', 'du', 'la', 'le', 'van', 'von', 'der', 'den', 'ben', 'bin', 'ibn', 'el', 'al', 'da', 'di', 'do', 'dos', 'das', 'ould', 'ait', 'abou', 'mac', 'mc']);

const SOCIAL_HOSTS = ['facebook.com', 'fb.com', 'linkedin.com', 'instagram.com', 'twitter.com', 'x.com', 'tiktok.com', 'snapchat.com', 'threads.net', 'youtube.com'];
/** Query keys that carry a person's identifier (compared lowercase, without "-" and "_"). */
const PERSONAL_QUERY_KEYS = new Set([
  'id', 'uid', 'user', 'userid', 'username', 'login', 'email', 'mail', 'courriel', 'nom', 'name', 'prenom', 'firstname', 'lastname', 'fullname',
  'tel', 'phone', 'telephone', 'mobile', 'profile', 'profil', 'profileid', 'token', 'accesstoken', 'session', 'sessionid', 'sid', 'nir', 'iban',
  'dossier', 'matricule', 'allocataire', 'numallocataire', 'beneficiaire', 'memberid', 'customerid', 'personid',
]);
/** Path segments after which the next segment names a person ("/users/jdupont"). */
const PERSONAL_PATH_PREFIXES = new Set([
  'user', 'users', 'u', 'profil', 'profile', 'profiles', 'member', 'members', 'membre', 'membres', 'people', 'personne', 'personnes', 'account',
  'accounts', 'compte', 'comptes', 'dossier', 'dossiers', 'usager', 'usagers', 'beneficiaire', 'beneficiaires', 'patient', 'patients',
]);
/** Generic pages of social sites that identify nobody. */
const SOCIAL_GENERIC_SEGMENTS = new Set(['', 'help', 'policies', 'privacy', 'legal', 'about', 'login', 'signup', 'explore', 'hashtag', 'search', 'share', 'sharer', 'intent', 'home', 'watch', 'company', 'school', 'jobs', 'groups', 'events']);

/** Expected IBAN lengths of common countries; others only need 15–34 characters. */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  FR: 27, MC: 27, DE: 22, BE: 16, ES: 24, IT: 27, PT: 25, CH: 21, LU: 20, GB: 22, NL: 18, IE: 22, AT: 20, TN: 24, PL: 28, RO: 24,
};

const OBFUSCATED_TLDS = new Set(['fr', 'com', 'org', 'net', 'eu', 'be', 'ch', 'info', 'io', 'lu', 'ca', 'ma', 'tn', 'dz', 're']);

const VOIE_TYPES = [
  'rue', 'ruelle', 'avenue', 'av.', 'bd', 'boulevard', 'bld', 'allée', 'allee', 'chemin', 'impasse', 'place', 'pl.', 'quai', 'route', 'cours',
  'square', 'passage', 'résidence', 'residence', 'lotissement', 'hameau', 'chaussée', 'sentier', 'faubourg', 'fbg', 'promenade', 'esplanade',
  'rond-point', 'parvis', 'cité', 'villa', 'voie', 'traverse', 'montée',
];

/** Lowercase words inside place and street names ("Boulogne-sur-Mer", "rue de l'Église"); not identifying. */
const PLACE_LINKS = new Set(['d', 'l', 'sur', 'sous', 'en', 'les', 'lez', 'aux', 'au', 'des', 'et']);

const MONTHS = new Set(['janvier', 'fevrier', 'mars', 'avril', 'mai', 'juin', 'juillet', 'aout', 'septembre', 'octobre', 'novembre', 'decembre']);

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/** Case- and accent-insensitive key: "Éloïse" and "eloise" compare equal, "Cœur" and "coeur" too. */
function fold(value: string): string {
  return value.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/’/g, "'").replace(/œ/g, 'oe').replace(/æ/g, 'ae');
}

const wordSet = (text: string): Set<string> => new Set(text.split(/\s+/).filter(Boolean).map(fold));

const FIRST_NAMES = wordSet(FIRST_NAMES_TEXT);
const FUNCTION_WORDS = wordSet(FUNCTION_WORDS_TEXT);
const KEEP_WORDS = new Set([...FUNCTION_WORDS, ...wordSet(OTHER_KEEP_WORDS_TEXT)]);
const PLACE_WORDS = wordSet(PLACE_WORDS_TEXT);
const COMMON_WORD_NAMES = wordSet(COMMON_WORD_NAMES_TEXT);
const FAMOUS = new Set(FAMOUS_NAMES.map((name) => tokenize(name).map((t) => t.folded).join(' ')));

const HSPACE = '[ \\t\\u00a0\\u202f]';
const IS_HSPACE = /^[ \t\u00a0\u202f]+$/u;
const IS_APOSTROPHE = /^['’]$/u;
const PHONE_SEP = '[ .\\-\\u00a0\\u202f]';

interface Range {
  start: number;
  end: number;
}

interface Candidate extends Range {
  kind: PiiKind;
  masked: string;
}

const PRIORITY: readonly PiiKind[] = ['url', 'email', 'iban', 'nir', 'phone', 'address', 'name'];

/** Which characters of the text are already claimed by a finding or a kept URL; linear in the claimed length. */
class Occupancy {
  private readonly cells: Uint8Array;

  constructor(length: number) {
    this.cells = new Uint8Array(length);
  }

  isTaken(range: Range): boolean {
    for (let i = range.start; i < range.end; i++) if (this.cells[i] === 1) return true;
    return false;
  }

  take(range: Range): void {
    this.cells.fill(1, range.start, range.end);
  }
}

/** Letter-by-letter case-insensitive pattern without the `i` flag, which would make \p{Lu} match lowercase too. */
function caseless(word: string): string {
  return [...word]
    .map((ch) => {
      const lower = ch.toLowerCase();
      const upper = ch.toUpperCase();
      // "-" needs no escape outside a class, and unicode mode rejects the escape.
      if (lower === upper) return ch.replace(/[.\\^$*+?()[\]{}|]/g, '\\$&');
      return `[${lower}${upper}]`;
    })
    .join('');
}

/** First letter of each word followed by "***"; lowercase particles kept ("É*** de V***"). */
function maskWords(value: string): string {
  return value
    .split(/[ \t\u00a0\u202f]+/)
    .filter(Boolean)
    .map((word) =>
      word
        .split(/([-'’])/)
        .map((part) => {
          if (part === '-' || part === "'" || part === '’' || part === '') return part;
          // First letter with its combining accents, so text in NFD masks like text in NFC.
          const first = /^.\p{M}*/u.exec(part)![0];
          // Only particles, elisions and place-name links stay readable: a short lowercase name ("ali") must not leak into the report.
          if (/^\p{Ll}/u.test(first) && (NAME_PARTICLES.has(fold(part)) || PLACE_LINKS.has(fold(part)))) return part;
          return `${first.toUpperCase()}***`;
        })
        .join(''),
    )
    .join(' ');
}

// ---------------------------------------------------------------------------
// URLs
// ---------------------------------------------------------------------------

const URL_RE = new RegExp(
  `(?:\\b[hH][tT][tT][pP][sS]?:\\/\\/|(?<![\\p{L}\\p{N}@.\\/-])www\\.|(?<![\\p{L}\\p{N}@.\\/-])(?:(?:m|mobile|fr)\\.)?(?:${SOCIAL_HOSTS.map((h) => h.replace(/\./g, '\\.')).join('|')})\\/)[^\\s<>"'«»\\[\\]{}|\\\\^\`]+`,
  'gu',
);

function trimUrl(raw: string): string {
  let url = raw;
  for (;;) {
    const last = url.at(-1);
    if (last === undefined) return url;
    if ('.,;:!?*_~…'.includes(last)) {
      url = url.slice(0, -1);
      continue;
    }
    // A closing parenthesis belongs to the URL only when balanced (Markdown links wrap URLs in parentheses).
    if (last === ')' && url.split('(').length < url.split(')').length) {
      url = url.slice(0, -1);
      continue;
    }
    return url;
  }
}

function hostMatches(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

function looksLikeIdSegment(segment: string): boolean {
  if (segment.includes('@') || segment.startsWith('~')) return true;
  if (/^\d{8,}$/.test(segment)) return true;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(segment)) return true;
  if (/^[0-9a-f]{24,}$/i.test(segment) && /\d/.test(segment)) return true;
  // Opaque tokens mix cases and digits; slugs ("protection-de-l-enfance") and codes ("LEGIARTI000006796465", "F1234") do not.
  return /^[A-Za-z0-9_-]{16,}$/.test(segment) && /[a-z]/.test(segment) && /[A-Z]/.test(segment) && /\d/.test(segment);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function isPersonalUrl(url: URL, configured: NameMatcher): boolean {
  const host = url.hostname.toLowerCase().replace(/^(?:www|m|mobile|fr)\./, '');
  const segments = url.pathname.split('/').filter(Boolean).map(safeDecode);
  const first = (segments[0] ?? '').toLowerCase();
  if (url.username !== '' || url.password !== '') return true;
  if (hostMatches(host, 'linkedin.com')) {
    if ((first === 'in' || first === 'pub') && segments.length > 1) return true;
  } else if (hostMatches(host, 'youtube.com')) {
    if (first.startsWith('@') || ((first === 'user' || first === 'c' || first === 'channel') && segments.length > 1)) return true;
  } else if (SOCIAL_HOSTS.some((domain) => hostMatches(host, domain))) {
    if (!SOCIAL_GENERIC_SEGMENTS.has(first) && first !== 'profile.php') return true;
  }
  for (const [key, value] of url.searchParams) {
    if (value === '') continue;
    if (PERSONAL_QUERY_KEYS.has(key.toLowerCase().replace(/[-_]/g, '')) || value.includes('@')) return true;
  }
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (looksLikeIdSegment(segment)) return true;
    if (i + 1 < segments.length && PERSONAL_PATH_PREFIXES.has(segment.toLowerCase())) return true;
  }
  // A page named after a configured person ("/equipe/amelie-durand") identifies them even on an institutional site.
  const words = tokenize(safeDecode(`${url.pathname} ${url.search}`).replace(/[-_.+/=&?]/g, ' '));
  return configured.matchAll(words).length > 0;
}

function maskUrl(url: URL): string {
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  if (SOCIAL_HOSTS.some((domain) => hostMatches(host, domain))) return `${host}/***`;
  const labels = host.split('.');
  return `${labels[0]!.charAt(0)}***.${labels.at(-1)}/***`;
}

function findUrls(text: string, configured: NameMatcher): { scrub: Candidate[]; kept: Range[] } {
  const scrub: Candidate[] = [];
  const kept: Range[] = [];
  for (const match of text.matchAll(URL_RE)) {
    const raw = trimUrl(match[0]);
    const range = { start: match.index, end: match.index + raw.length };
    let url: URL | undefined;
    try {
      url = new URL(/^https?:\/\//i.test(raw) ? raw : `https://${raw}`);
    } catch {
      url = undefined;
    }
    if (url !== undefined && isPersonalUrl(url, configured)) scrub.push({ ...range, kind: 'url', masked: maskUrl(url) });
    // Kept URLs are reserved so no other detector rewrites a piece of them ("https://3114.fr", "/vosdroits/F1234").
    else kept.push(range);
  }
  return { scrub, kept };
}

// ---------------------------------------------------------------------------
// E-mails
// ---------------------------------------------------------------------------

// The local part starts with a letter or digit so Markdown emphasis ("_a@b.fr_") stays outside the match.
const EMAIL_RE = /(?<![\p{L}\p{N}.%+-])(?:mailto:)?[\p{L}\p{N}][\p{L}\p{N}._%+-]*@(?:[\p{L}\p{N}-]+\.)+\p{L}{2,}(?![\p{L}\p{N}-])/gu;
const AT_WORD = String.raw`(?:${HSPACE}*(?:\[at\]|\(at\)|\{at\}|\[arobase\]|\(arobase\)|\[@\]|\(@\))${HSPACE}*|${HSPACE}+(?:at|arobase)${HSPACE}+)`;
const DOT_WORD = String.raw`(?:${HSPACE}*(?:\[dot\]|\(dot\)|\[point\]|\(point\))${HSPACE}*|${HSPACE}+(?:dot|point)${HSPACE}+|\.)`;
/** "prenom.nom at exemple point fr": the local part must look like an address (., _, - or a digit) to spare ordinary words. */
const OBFUSCATED_EMAIL_RE = new RegExp(
  String.raw`(?<![\p{L}\p{N}._-])([\p{L}\p{N}]+[._-][\p{L}\p{N}._-]*[\p{L}\p{N}]|[\p{L}]+\d+)${AT_WORD}([\p{L}\p{N}-]+(?:${DOT_WORD}[\p{L}\p{N}-]+)+)(?![\p{L}\p{N}])`,
  'gu',
);

function maskEmail(local: string, domain: string): string {
  const labels = domain.split('.').filter(Boolean);
  return `${local.charAt(0)}***@${(labels[0] ?? '').charAt(0)}***.${labels.at(-1) ?? ''}`;
}

function findEmails(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const match of text.matchAll(EMAIL_RE)) {
    const address = match[0].replace(/^mailto:/, '');
    const at = address.lastIndexOf('@');
    found.push({ start: match.index, end: match.index + match[0].length, kind: 'email', masked: maskEmail(address.slice(0, at), address.slice(at + 1)) });
  }
  for (const match of text.matchAll(OBFUSCATED_EMAIL_RE)) {
    const domain = match[2]!.replace(new RegExp(DOT_WORD, 'gu'), '.');
    const labels = domain.split('.');
    if (labels.length < 2 || !OBFUSCATED_TLDS.has((labels.at(-1) ?? '').toLowerCase())) continue;
    found.push({ start: match.index, end: match.index + match[0].length, kind: 'email', masked: maskEmail(match[1]!, domain) });
  }
  return found;
}

// ---------------------------------------------------------------------------
// IBAN and NIR
// ---------------------------------------------------------------------------

const IBAN_RE = /(?<![\p{L}\p{N}])[A-Z]{2}\d{2}(?:[ \u00a0]?[A-Z0-9]){11,30}(?![\p{L}\p{N}])/gu;

/** Remainder modulo 97 of a long decimal string, digit by digit (no precision loss). */
function mod97(digits: string): number {
  let remainder = 0;
  for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  return remainder;
}

function isValidIban(compact: string): boolean {
  const expected = IBAN_LENGTHS[compact.slice(0, 2)];
  if (expected !== undefined ? compact.length !== expected : compact.length < 15 || compact.length > 34) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  const digits = rearranged.replace(/[A-Z]/g, (letter) => String(letter.charCodeAt(0) - 55));
  return mod97(digits) === 1;
}

function findIbans(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const match of text.matchAll(IBAN_RE)) {
    // The greedy match may run into a following uppercase word ("… 189 BIC"): try the longest valid prefix that ends on a group.
    const ends = [match[0].length];
    for (let i = match[0].length - 1; i > 4; i--) if (match[0][i] === ' ' || match[0][i] === '\u00a0') ends.push(i);
    for (const end of ends) {
      const compact = match[0].slice(0, end).replace(/[ \u00a0]/g, '');
      if (isValidIban(compact)) {
        found.push({ start: match.index, end: match.index + end, kind: 'iban', masked: `${compact.slice(0, 4)} **** **${compact.slice(-2)}` });
        break;
      }
    }
  }
  return found;
}

const NIR_RE = /(?<![\p{L}\p{N}])[1-478](?:[ .\u00a0]?[0-9AB]){12,14}(?![\p{L}\p{N}])/gu;
const NIR_SHAPE = /^[1-478]\d{2}(?:0[1-9]|1[0-2]|[2-9]\d)(?:\d{2}|2[AB])\d{6}(\d{2})?$/;
const NIR_CANONICAL_NO_KEY = /^[1-478] \d{2} \d{2} (?:\d{2}|2[AB]) \d{3} \d{3}$/;

function findNirs(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const match of text.matchAll(NIR_RE)) {
    const compact = match[0].replace(/[ .\u00a0]/g, '');
    const shape = NIR_SHAPE.exec(compact);
    if (!shape) continue;
    const range = { start: match.index, end: match.index + match[0].length };
    if (shape[1] === undefined) {
      // Without its key, only the canonical spacing is distinctive enough to be a NIR rather than any 13-digit number.
      if (NIR_CANONICAL_NO_KEY.test(match[0])) found.push({ ...range, kind: 'nir', masked: '* ** ** ** *** ***' });
      continue;
    }
    // Corsica (2A, 2B) counts as 19 and 18 for the key (INSEE).
    const department = compact.slice(5, 7);
    const body = compact.slice(0, 5) + (department === '2A' ? '19' : department === '2B' ? '18' : department) + compact.slice(7, 13);
    if (97 - mod97(body) === Number(shape[1])) found.push({ ...range, kind: 'nir', masked: `* ** ** ** *** *** ${shape[1]}` });
  }
  return found;
}

// ---------------------------------------------------------------------------
// Phone numbers
// ---------------------------------------------------------------------------

const PHONE_FR_RE = new RegExp(
  String.raw`(?<![\p{L}\p{N}+])(?<!\d${PHONE_SEP})(?:(?:\+|00)33${PHONE_SEP}?(?:\(0\)${PHONE_SEP}?)?[1-9]|0[1-9])(?:${PHONE_SEP}?\d{2}){4}(?!${PHONE_SEP}?\d)(?![\p{L}])`,
  'gu',
);
const PHONE_INTL_RE = new RegExp(
  String.raw`(?<![\p{L}\p{N}+])\+(?!33)([1-9]\d{0,2})(?:${PHONE_SEP}?\(0\))?(?:${PHONE_SEP}?\d){7,12}(?!${PHONE_SEP}?\d)(?![\p{L}])`,
  'gu',
);

function findPhones(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const match of text.matchAll(PHONE_FR_RE)) {
    let digits = match[0].replace(/\(0\)/, '').replace(/\D/g, '');
    if (digits.startsWith('0033')) digits = `0${digits.slice(4)}`;
    else if (digits.startsWith('33')) digits = `0${digits.slice(2)}`;
    // 080x numbers are free public lines (Fil Santé Jeunes, Écoute Dopage…), never a person's phone.
    if (digits.startsWith('080')) continue;
    found.push({ start: match.index, end: match.index + match[0].length, kind: 'phone', masked: `${digits.slice(0, 2)} ** ** ** ${digits.slice(8)}` });
  }
  for (const match of text.matchAll(PHONE_INTL_RE)) {
    const digits = match[0].replace(/\D/g, '');
    found.push({ start: match.index, end: match.index + match[0].length, kind: 'phone', masked: `+${match[1]} ** ** ${digits.slice(-2)}` });
  }
  return found;
}

// ---------------------------------------------------------------------------
// Postal addresses
// ---------------------------------------------------------------------------

const ADDRESS_HEAD_RE = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?<!\d[ .,])(?:[nN]°${HSPACE}?)?(?!19\d\d|20\d\d)\d{1,4}(?:${HSPACE}?(?:bis|ter|quater|[A-D])(?![\p{L}\p{N}]))?,?${HSPACE}+(${VOIE_TYPES.map(caseless).join('|')})(?![\p{L}\p{N}-])${HSPACE}+`,
  'gu',
);
const POSTCODE_RE = new RegExp(String.raw`(?<![\p{L}\p{N}])(?<!\d[ .,])((?:0[1-9]|[1-8]\d|9[0-5]|97|98)\d{3})${HSPACE}+`, 'gu');

const sticky = (source: string): RegExp => new RegExp(source, 'uy');
const ST_ELISION = sticky(String.raw`[lLdD]['’](?=\p{L})`);
const ST_PARTICLE = sticky(String.raw`(?:de|du|des|la|le|les|aux|au|sur|sous|lès|lez)(?=${HSPACE})`);
const ST_CAPWORD = sticky(String.raw`\p{Lu}[\p{L}\p{M}]*(?:[-'’][\p{L}\p{M}]+)*`);
const ST_NUMBER = sticky(String.raw`\d{1,4}(?:er|e|ème)?(?![\p{L}\p{N}])`);
const ST_SPACE = sticky(`${HSPACE}+`);
const ST_POSTCODE = sticky(String.raw`,?${HSPACE}+((?:0[1-9]|[1-8]\d|9[0-5]|97|98)\d{3})${HSPACE}+`);
const ST_CITY_ARTICLE = sticky(String.raw`(?:(?:Le|La|Les|LE|LA|LES)${HSPACE}+|[Ll]['’])`);
const ST_CITY_LINK = sticky(String.raw`${HSPACE}+(?:(?:sur|sous|en|lès|lez|de|du|des|aux)${HSPACE}+(?:(?:la|le|les)${HSPACE}+|l['’])?|d['’])(?=\p{Lu})`);
const ST_CEDEX = sticky(String.raw`${HSPACE}+(?:cedex|Cedex|CEDEX)(?:${HSPACE}+\d{1,2})?(?![\p{L}\p{N}])`);

/** Capitalised words that cannot be a city or a street name: sentence starts, roles, amounts. */
function isNonPlaceWord(word: string): boolean {
  const folded = fold(word);
  return FUNCTION_WORDS.has(folded) || ['euros', 'francs', 'habitants', 'personnes', 'km'].includes(folded);
}

function stickyAt(re: RegExp, text: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(text);
}

/** City after a postcode: "Lille", "Le Mans", "Boulogne-sur-Mer", "Fontenay sous Bois", "Saint Étienne", optional "Cedex 9". */
function parseCity(text: string, pos: number): { end: number; masked: string } | undefined {
  let cursor = pos;
  const article = stickyAt(ST_CITY_ARTICLE, text, cursor);
  if (article) cursor += article[0].length;
  const word = stickyAt(ST_CAPWORD, text, cursor);
  if (!word || isNonPlaceWord(word[0])) return undefined;
  cursor += word[0].length;
  for (let links = 0; links < 2; links++) {
    const link = stickyAt(ST_CITY_LINK, text, cursor) ?? (/^(?:Saint|Sainte|St|Ste)$/.test(word[0]) ? stickyAt(ST_SPACE, text, cursor) : null);
    if (!link) break;
    const next = stickyAt(ST_CAPWORD, text, cursor + link[0].length);
    if (!next || isNonPlaceWord(next[0])) break;
    cursor += link[0].length + next[0].length;
  }
  const masked = maskWords(text.slice(pos, cursor));
  const cedex = stickyAt(ST_CEDEX, text, cursor);
  return { end: cedex ? cursor + cedex[0].length : cursor, masked };
}

/** Street name after the voie type: capitalised words, particles, and "du 8 Mai 1945"-style numbers. */
function parseStreetName(text: string, pos: number): { end: number; masked: string } | undefined {
  let cursor = pos;
  let end = -1;
  let previous: 'particle' | 'word' | 'month' | 'number' | 'none' = 'none';
  const parts: string[] = [];
  let maskedUpToEnd: string[] = [];
  for (let guard = 0; guard < 12; guard++) {
    const elision = stickyAt(ST_ELISION, text, cursor);
    if (elision) {
      parts.push(elision[0]);
      cursor += elision[0].length;
      previous = 'particle';
      continue;
    }
    const word = stickyAt(ST_CAPWORD, text, cursor);
    const number = word ? null : stickyAt(ST_NUMBER, text, cursor);
    const particle = word || number ? null : stickyAt(ST_PARTICLE, text, cursor);
    if (word && !isNonPlaceWord(word[0])) {
      parts.push(maskWords(word[0]));
      cursor += word[0].length;
      end = cursor;
      maskedUpToEnd = [...parts];
      previous = MONTHS.has(fold(word[0])) ? 'month' : 'word';
    } else if (number && (previous === 'particle' || previous === 'month')) {
      parts.push('*');
      cursor += number[0].length;
      end = cursor;
      maskedUpToEnd = [...parts];
      previous = 'number';
    } else if (particle) {
      parts.push(` ${particle[0]} `);
      cursor += particle[0].length;
      previous = 'particle';
    } else break;
    const space = stickyAt(ST_SPACE, text, cursor);
    if (!space) break;
    cursor += space[0].length;
    if (previous !== 'particle') parts.push(' ');
  }
  if (end < 0 || !maskedUpToEnd.some((part) => part.endsWith('***'))) return undefined;
  return { end, masked: maskedUpToEnd.join('').replace(/\s+/g, ' ').trim() };
}

function findAddresses(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const match of text.matchAll(ADDRESS_HEAD_RE)) {
    const street = parseStreetName(text, match.index + match[0].length);
    if (!street) continue;
    let end = street.end;
    let masked = `** ${match[1]!.toLowerCase()} ${street.masked}`;
    const postcode = stickyAt(ST_POSTCODE, text, end);
    const city = postcode ? parseCity(text, end + postcode[0].length) : undefined;
    if (postcode && city) {
      end = city.end;
      masked += `, ${postcode[1]!.slice(0, 2)}*** ${city.masked}`;
      // Otherwise the postcode + city stands alone and is found by the loop below.
    }
    found.push({ start: match.index, end, kind: 'address', masked });
  }
  for (const match of text.matchAll(POSTCODE_RE)) {
    const city = parseCity(text, match.index + match[0].length);
    if (!city) continue;
    found.push({ start: match.index, end: city.end, kind: 'address', masked: `${match[1]!.slice(0, 2)}*** ${city.masked}` });
  }
  return found;
}

// ---------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------

interface Token extends Range {
  text: string;
  folded: string;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(/[\p{L}\p{M}]+(?:[-\u2010\u2011][\p{L}\p{M}]+)*/gu)) {
    tokens.push({ start: match.index, end: match.index + match[0].length, text: match[0], folded: fold(match[0]) });
  }
  return tokens;
}

interface NamePattern {
  words: string[];
  /** Everyday word ("Pierre", "Blanc"): only matched when capitalised in the text. */
  capitalisedOnly: boolean;
}

/** Finds sequences of folded words in a token stream, whole tokens only, longest pattern first. */
class NameMatcher {
  private readonly byFirstWord = new Map<string, NamePattern[]>();

  constructor(patterns: NamePattern[]) {
    for (const pattern of patterns) {
      const list = this.byFirstWord.get(pattern.words[0]!) ?? [];
      list.push(pattern);
      this.byFirstWord.set(pattern.words[0]!, list);
    }
    for (const list of this.byFirstWord.values()) list.sort((a, b) => b.words.length - a.words.length);
  }

  /** Ranges of token indexes [first, last] matched, skipping tokens for which `skip` is true. */
  matchAll(tokens: readonly Token[], source?: string, skip: (index: number) => boolean = () => false): Array<[number, number]> {
    const matches: Array<[number, number]> = [];
    for (let i = 0; i < tokens.length; i++) {
      if (skip(i)) continue;
      const pattern = this.byFirstWord.get(tokens[i]!.folded)?.find((p) => this.matchesAt(tokens, source, i, p, skip));
      if (!pattern) continue;
      matches.push([i, i + pattern.words.length - 1]);
      i += pattern.words.length - 1;
    }
    return matches;
  }

  private matchesAt(tokens: readonly Token[], source: string | undefined, at: number, pattern: NamePattern, skip: (index: number) => boolean): boolean {
    for (let k = 0; k < pattern.words.length; k++) {
      const token = tokens[at + k];
      if (!token || token.folded !== pattern.words[k] || skip(at + k)) return false;
      if (pattern.capitalisedOnly && !/^\p{Lu}/u.test(token.text)) return false;
      if (k > 0 && source !== undefined) {
        const gap = source.slice(tokens[at + k - 1]!.end, token.start);
        if (!/^\s+$/u.test(gap) && !IS_APOSTROPHE.test(gap)) return false;
      }
    }
    return true;
  }
}

function phraseMatcher(phrases: readonly string[]): NameMatcher {
  return new NameMatcher(
    phrases.map((phrase) => ({ words: tokenize(phrase).map((t) => t.folded), capitalisedOnly: false })).filter((p) => p.words.length > 0),
  );
}

/** Full configured names plus each of their parts ("Amélie Durand" → "amélie durand", "amélie", "durand"). */
function configuredMatcher(names: readonly string[]): NameMatcher {
  const patterns = new Map<string, NamePattern>();
  for (const name of names) {
    const full = tokenize(name).map((t) => t.folded);
    if (full.length === 0) continue;
    const add = (words: string[]): void => {
      // A lone particle or letter ("de", "Le" of "Le Goff") would erase half the corpus.
      if (words.length === 1 && (words[0]!.length < 2 || NAME_PARTICLES.has(words[0]!))) return;
      const capitalisedOnly = words.length === 1 && COMMON_WORD_NAMES.has(words[0]!);
      patterns.set(words.join(' '), { words, capitalisedOnly });
    };
    add(full);
    for (const part of name.trim().split(/\s+/)) add(tokenize(part).map((t) => t.folded));
  }
  return new NameMatcher([...patterns.values()]);
}

interface NameContext {
  text: string;
  tokens: Token[];
  /** Token overlaps another finding, a kept URL or a protected phrase. */
  blocked: boolean[];
  /** Token protected from the heuristics only (multi-word keepWords). */
  heuristicBlocked: boolean[];
  keep: Set<string>;
}

const gapBefore = (ctx: NameContext, i: number): string => ctx.text.slice(ctx.tokens[i - 1]!.end, ctx.tokens[i]!.start);

function isCapitalisedWord(text: string): boolean {
  return /^\p{Lu}/u.test(text) && /\p{Ll}/u.test(text);
}

function isKept(ctx: NameContext, token: Token): boolean {
  return ctx.keep.has(token.folded) || /^(?:saint|sainte|st|ste)-/.test(token.folded);
}

/** Surname-like: capitalised (or all caps, 4+ letters, which leaves most acronyms alone), not a kept word nor a Roman numeral. */
function isNameWord(ctx: NameContext, token: Token): boolean {
  const capitalised = isCapitalisedWord(token.text) || (/^\p{Lu}{4,}$/u.test(token.text) && !/^[IVXLCDM]+$/.test(token.text));
  return capitalised && token.text !== 'Ier' && !isKept(ctx, token);
}

function isFirstName(ctx: NameContext, token: Token): boolean {
  if (!isCapitalisedWord(token.text) || isKept(ctx, token)) return false;
  return FIRST_NAMES.has(token.folded) || (token.folded.includes('-') && token.folded.split('-').every((part) => FIRST_NAMES.has(part)));
}

function isParticle(ctx: NameContext, i: number): boolean {
  const token = ctx.tokens[i]!;
  const next = ctx.tokens[i + 1];
  const elided = next !== undefined && IS_APOSTROPHE.test(ctx.text.slice(token.end, next.start));
  if (token.folded === 'd') return elided;
  if (!NAME_PARTICLES.has(token.folded)) return false;
  return /^\p{Ll}/u.test(token.text) || /^\p{Lu}\p{Ll}*$/u.test(token.text);
}

/** "O'Brien", "N'Diaye", "M'Bala", "D'Almeida": a single capital glued by an apostrophe is a surname prefix, not an initial. */
function isSurnamePrefix(ctx: NameContext, i: number): boolean {
  const token = ctx.tokens[i]!;
  const next = ctx.tokens[i + 1];
  return /^[ONMD]$/.test(token.text) && next !== undefined && IS_APOSTROPHE.test(ctx.text.slice(token.end, next.start)) && isNameWord(ctx, next);
}

interface Tail {
  /** Index of the last surname-like token, or -1. */
  last: number;
  words: number;
  /** The sequence reaches an initial ("Madame B.", "Karim B."): already anonymised, leave it alone. */
  initial: boolean;
}

function parseTail(ctx: NameContext, from: number, maxWords: number, allowLeadingParticle: boolean): Tail {
  let words = 0;
  let last = -1;
  let particles = 0;
  for (let i = from; i < ctx.tokens.length && words < maxWords; i++) {
    if (i > from) {
      const gap = gapBefore(ctx, i);
      const glued = IS_APOSTROPHE.test(gap) && (ctx.tokens[i - 1]!.folded === 'd' || /^[ONMD]$/.test(ctx.tokens[i - 1]!.text));
      if (!IS_HSPACE.test(gap) && !glued) break;
    }
    if (ctx.blocked[i] || ctx.heuristicBlocked[i]) break;
    const token = ctx.tokens[i]!;
    if (/^\p{Lu}$/u.test(token.text)) {
      if (isSurnamePrefix(ctx, i)) continue;
      return { last, words, initial: true };
    }
    if (isParticle(ctx, i) && (words > 0 || allowLeadingParticle) && particles < 3) {
      particles++;
      continue;
    }
    if (!isNameWord(ctx, token)) break;
    words++;
    particles = 0;
    last = i;
  }
  return { last, words, initial: false };
}

/** "rue Victor Hugo", "collège Jean Moulin", "place du Docteur Roux", "Saint Jean": a place, not a person. */
function followsPlaceWord(ctx: NameContext, i: number): boolean {
  let j = i - 1;
  for (let particles = 0; j >= 0 && particles < 2 && IS_HSPACE.test(gapBefore(ctx, j + 1)) && ['du', 'de', 'des', 'la', 'l', 'd'].includes(ctx.tokens[j]!.folded); particles++) j--;
  if (j < 0) return false;
  const gap = ctx.text.slice(ctx.tokens[j]!.end, ctx.tokens[j + 1]!.start);
  if (!IS_HSPACE.test(gap) && !IS_APOSTROPHE.test(gap)) return false;
  const word = ctx.tokens[j]!.folded;
  return PLACE_WORDS.has(word) || (j === i - 1 && ['saint', 'sainte', 'st', 'ste'].includes(word));
}

function titleAt(ctx: NameContext, i: number): { particles: boolean } | undefined {
  const token = ctx.tokens[i]!;
  const next = ctx.tokens[i + 1];
  if (next === undefined) return undefined;
  const gap = ctx.text.slice(token.end, next.start);
  if (TITLES_FULL.has(token.folded) && IS_HSPACE.test(gap)) return { particles: TITLES_WITH_PARTICLE.has(token.folded) };
  if (!TITLES_ABBREV.has(token.text)) return undefined;
  const dotted = /^\.[ \t\u00a0\u202f]+$/u.test(gap);
  if (token.text === 'M' || token.text === 'MM' ? !dotted : !dotted && !IS_HSPACE.test(gap)) return undefined;
  return { particles: TITLES_WITH_PARTICLE.has(token.text) };
}

function findNames(text: string, taken: Occupancy, configured: NameMatcher, keep: Set<string>, keepPhrases: NameMatcher): Range[] {
  const tokens = tokenize(text);
  const blocked = tokens.map((token) => taken.isTaken(token));
  for (const [first, last] of PROTECTED.matchAll(tokens, text)) for (let k = first; k <= last; k++) blocked[k] = true;
  const heuristicBlocked = tokens.map(() => false);
  for (const [first, last] of keepPhrases.matchAll(tokens, text)) for (let k = first; k <= last; k++) heuristicBlocked[k] = true;
  const ctx: NameContext = { text, tokens, blocked, heuristicBlocked, keep };
  const found: Range[] = [];
  const span = (first: number, last: number): Range => ({ start: tokens[first]!.start, end: tokens[last]!.end });

  // (a) Configured names, always removed; a configured first name takes the surname that follows it along.
  for (const [first, last] of configured.matchAll(tokens, text, (i) => blocked[i]!)) {
    const tail = parseTail(ctx, last + 1, 2, true);
    found.push(span(first, tail.words > 0 && !tail.initial && last + 1 < tokens.length && IS_HSPACE.test(gapBefore(ctx, last + 1)) ? tail.last : last));
  }

  const consumed = tokens.map(() => false);
  // (b1) Title + surname: "Madame Durand", "M. Martin", "Dr Lefèvre", "Maître Dupont"; the title itself stays.
  for (let i = 0; i < tokens.length - 1; i++) {
    if (blocked[i] || heuristicBlocked[i]) continue;
    const title = titleAt(ctx, i);
    if (!title || followsPlaceWord(ctx, i)) continue;
    const tail = parseTail(ctx, i + 1, 3, title.particles);
    for (let k = i + 1; k <= Math.max(i + 1, tail.last); k++) consumed[k] = true;
    if (tail.initial || tail.words === 0) continue;
    found.push(span(i + 1, tail.last));
    i = tail.last;
  }

  // (b2) First name from the built-in list + one or two surname-like words: "Karim Benali", "Nathalie Le Goff".
  for (let i = 0; i < tokens.length - 1; i++) {
    if (consumed[i] || blocked[i] || heuristicBlocked[i] || !isFirstName(ctx, tokens[i]!)) continue;
    if (!IS_HSPACE.test(gapBefore(ctx, i + 1))) continue;
    const tail = parseTail(ctx, i + 1, 2, true);
    if (tail.initial || tail.words === 0) continue;
    const candidate = tokens.slice(i, tail.last + 1).map((t) => t.folded).join(' ');
    const after = tokens[tail.last + 1];
    // "Jean Paul II", "Louis Philippe Ier": a regnal number means a pope or a king, not a person of the récit.
    const regnal = after !== undefined && IS_HSPACE.test(gapBefore(ctx, tail.last + 1)) && /^(?:[IVX]+|Ier)$/.test(after.text);
    if (!regnal && !followsPlaceWord(ctx, i) && !FAMOUS.has(candidate)) found.push(span(i, tail.last));
    for (let k = i; k <= tail.last; k++) consumed[k] = true;
    i = tail.last;
  }

  // (b3) Administrative order, surname in capitals first: "BENALI Karim". Acronyms are kept words or shorter than 4 letters.
  for (let i = 1; i < tokens.length; i++) {
    const surname = tokens[i - 1]!;
    if (consumed[i] || consumed[i - 1] || blocked[i - 1] || blocked[i] || heuristicBlocked[i - 1] || heuristicBlocked[i]) continue;
    if (!/^\p{Lu}{4,}$/u.test(surname.text) || !isNameWord(ctx, surname) || !isFirstName(ctx, tokens[i]!)) continue;
    if (!IS_HSPACE.test(gapBefore(ctx, i))) continue;
    const next = tokens[i + 1];
    // "DURAND Nathalie B.": an initial closing the sequence marks an anonymised form, as with titles.
    if (next !== undefined && /^\p{Lu}$/u.test(next.text) && IS_HSPACE.test(gapBefore(ctx, i + 1))) continue;
    found.push(span(i - 1, i));
  }
  return mergeNameRanges(text, found);
}

/** Union of overlapping name ranges, and of ranges separated by spaces only ("[personne] [personne]" reads as two people). */
function mergeNameRanges(text: string, ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Range[] = [];
  for (const range of sorted) {
    const previous = merged.at(-1);
    if (previous && (range.start <= previous.end || IS_HSPACE.test(text.slice(previous.end, range.start)))) previous.end = Math.max(previous.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

const PROTECTED = phraseMatcher(PROTECTED_PHRASES);

// ---------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------

/**
 * Replaces e-mails, phone numbers, postal addresses, IBANs, NIRs, personal
 * URLs and person names by the tokens of `PII_REPLACEMENTS`. Pure and
 * synchronous; never throws on arbitrary text.
 */
export function scrubPii(text: string, options: ScrubOptions = {}): ScrubResult {
  const configured = configuredMatcher(options.names ?? []);
  const keep = new Set(KEEP_WORDS);
  const keepPhrases: string[] = [];
  for (const word of options.keepWords ?? []) {
    const words = tokenize(word);
    if (words.length === 1) keep.add(words[0]!.folded);
    else if (words.length > 1) keepPhrases.push(word);
  }

  const urls = findUrls(text, configured);
  const candidates = [...urls.scrub, ...findEmails(text), ...findIbans(text), ...findNirs(text), ...findPhones(text), ...findAddresses(text)];
  // Most specific detector first, then leftmost, then longest: an IBAN is never re-read as a phone number.
  candidates.sort((a, b) => PRIORITY.indexOf(a.kind) - PRIORITY.indexOf(b.kind) || a.start - b.start || b.end - a.end);
  const taken = new Occupancy(text.length);
  for (const range of urls.kept) taken.take(range);
  const accepted: Candidate[] = [];
  for (const candidate of candidates) {
    if (taken.isTaken(candidate)) continue;
    taken.take(candidate);
    accepted.push(candidate);
  }
  for (const range of findNames(text, taken, configured, keep, phraseMatcher(keepPhrases))) {
    accepted.push({ ...range, kind: 'name', masked: maskWords(text.slice(range.start, range.end)) });
  }
  accepted.sort((a, b) => a.start - b.start);

  let output = '';
  let cursor = 0;
  const findings = new Map<string, PiiFinding>();
  for (const candidate of accepted) {
    output += text.slice(cursor, candidate.start) + PII_REPLACEMENTS[candidate.kind];
    cursor = candidate.end;
    const key = `${candidate.kind}\u0000${candidate.masked}`;
    const finding = findings.get(key);
    if (finding) finding.count++;
    else findings.set(key, { kind: candidate.kind, masked: candidate.masked, count: 1 });
  }
  output += text.slice(cursor);
  return { text: output, findings: [...findings.values()] };
}
