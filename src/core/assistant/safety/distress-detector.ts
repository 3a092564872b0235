/**
 * Rule-based distress detector, run on every inbound message before anything
 * else (PRODUCT.md, "Safety"). Pure and synchronous: no I/O, no model, so it
 * works offline and cannot fail open when a provider is down.
 *
 * How it reads a message:
 * 1. normalise (lowercase, no accents, one apostrophe, SMS spellings and
 *    common typos rewritten, punctuation kept as separate tokens);
 * 2. split into sentences, remembering which parts were inside quotes;
 * 3. run French and English pattern lists on every sentence (the language of
 *    a message is not known, and students mix both);
 * 4. judge each hit: negated? reported from someone else? about a third
 *    person, a course, a joke, a past episode that is over?
 * 5. decide the level from the hits that survive.
 *
 * Missing a crisis costs more than a false alarm, so ambiguous first-person
 * statements escalate; hard negatives (hyperbole, professional questions,
 * coursework, resolved past episodes, negations) are handled explicitly.
 * The assessment carries signal codes only, never text.
 */
import type { DistressAssessment } from './distress.js';

// ---------------------------------------------------------------------------
// Pattern building blocks
// ---------------------------------------------------------------------------

/** Tokens that negate what follows them (French "ne" is dropped in speech, so it is not one). */
const NEGATION_WORDS = ['pas', 'jamais', 'plus', 'aucun', 'aucune', 'sans', 'ni', 'not', 'never', 'no', 'nor'];

/**
 * Up to three filler words ("juste", "tellement", "vraiment") between a verb and
 * its object. A negation word never counts as filler, so "je veux pas mourir"
 * simply does not match "veux … mourir".
 */
const GAP = String.raw`(?: (?!(?:${NEGATION_WORDS.join('|')})\b)[a-z0-9]+){0,3}`;

/** Compiles a whole-word global regex; " ~ " in the source stands for GAP. */
function words(source: string): RegExp {
  return new RegExp(String.raw`\b(?:${source.replaceAll(' ~ ', `${GAP} `)})\b`, 'g');
}

/** "mourir de rire", "crever de chaud": dying as a figure of speech. */
const FIGURATIVE_TAIL_FR = String.raw`(?! (?:de|d) (?:rire|honte|faim|soif|chaud|froid|ennui|envie|impatience|fatigue|peur|stress|curiosite|jalousie|amour|sommeil|trouille))`;

/** "en finir avec ce dossier" is a chore; "en finir avec la vie" is not. */
const NOT_A_CHORE_FR = String.raw`(?! avec (?!(?:la vie|ma vie|tout|moi|cette vie|l existence|ce monde|le monde|la souffrance|mes jours)\b))`;

/** Wishing or considering, in any tense (the tense is read separately). */
const WISH_FR = String.raw`(?:veux|veut|voudrais|voudrait|voulais|voulait|voulu|aimerais|aimerait|souhaite|souhaiterais|souhaitais|reve de|revais de|prie pour|espere|devrais|ferais mieux de|envie (?:de|d)|envies (?:de|d)|besoin (?:de|d)|pret a|prete a|pense a|pensais a|pense serieusement a|songe a|songeais a|reflechis a)`;

/** Wishing plus acting: only used with self-directed actions ("me tuer"), never with "mourir" ("je vais mourir" is fear or hyperbole). */
const INTENT_FR = String.raw`(?:${WISH_FR.slice(3, -1)}|vais|allais|vas|tente de|tenter de|essaye de|essayer de|essaie de|failli|compte|decide de|decidee de|peur de|capable de|risque de|vais finir par)`;

/** States that are risky only when wished for. */
const DEATH_STATE_FR = String.raw`(?:mourir${FIGURATIVE_TAIL_FR}|crever${FIGURATIVE_TAIL_FR}|disparaitre(?! (?:sous|de la circulation|quelques|pendant|un moment|une semaine|du groupe|des reseaux|dans un trou|de (?:cette|ce|la|mon|ma) (?:reunion|photo|conversation|classe|promo|groupe|stage)))|etre morte?s?|ne plus (?:exister|vivre|etre la|etre en vie)|plus (?:exister|vivre|etre la|etre en vie)|ne pas exister|(?:ne )?(?:plus|jamais|pas) me reveiller|(?:partir|m en aller|dormir|m endormir) pour (?:toujours|de bon)|en finir${NOT_A_CHORE_FR}|en terminer avec (?:la vie|tout)|mettre fin a (?:mes jours|ma vie|tout|mon existence)|que je meure|que je disparaisse)`;

/** Medicines named when an overdose is described. */
const DRUGS_FR = String.raw`(?:cachets|medicaments|medocs|comprimes|pilules|somniferes|doliprane|paracetamol|xanax|lexomil|anxiolytiques|antidepresseurs|boite|boites|plaquettes?)`;

/** Reflexive actions whose only meaning is harming oneself ("me pendre au cou" is a hug). */
const SELF_ACTION_FR = String.raw`(?:(?:me|m) suicid[a-z]*|(?:me|m) (?:pendre|pends|pend)(?! au cou)|(?:me|m) (?:foutre|fous|fout|mettre) en l air|(?:me|m) (?:jeter|jette|balancer|balance) (?:sous|du haut|du|d un|d une|de la|par la|dans le vide|dans la seine|dans le canal|dans le fleuve|depuis)(?! (?:cou|projet|bain|gueule)\b)|(?:me|m) (?:suis )?(?:tailler|taillader|ouvrir|couper|trancher|ouvert|taillade|coupe|tranche) (?:les|mes) veines|(?:me|m) (?:defenestrer|immoler|electrocuter|etrangler))`;

/** Verbs of wishing and intending, English. "going to die" is left out on purpose (fear, exams). */
const WISH_EN = String.raw`(?:want|wants|wanted|wish|wished|need|ready|longing|long|pray|praying|hope|hoping|rather|desire|deserve)`;
const INTENT_EN = String.raw`(?:${WISH_EN.slice(3, -1)}|going|plan|planning|planned|decided|trying|tried|try|attempted|tempted|urge|urges|thinking about|thought about|think about|thinking of|thought of|considering|considered|contemplating)`;
const DEATH_STATE_EN = String.raw`(?:die(?! (?:of|from|laughing|for|inside|on|in (?:class|front))\b)|be dead|just die|not (?:exist|be alive|be here anymore|wake up)|stop existing|disappear forever|sleep forever|never wake up|cease to exist|end it all|end it(?! (?:with|between|here|there|early)\b)|end (?:my life|everything|things))`;

// ---------------------------------------------------------------------------
// Pattern lists
// ---------------------------------------------------------------------------

/**
 * crisis: escalate on its own; despair: escalates when two different despair
 * signals meet (e.g. "je n'en peux plus" + "je veux que ça s'arrête");
 * concern: strong distress without risk markers.
 */
type Tier = 'crisis' | 'despair' | 'concern';

interface RiskPattern {
  /** Signal name, prefixed with the language ("fr.ideation"). */
  signal: string;
  tier: Tier;
  regex: RegExp;
  /** The wording itself says who suffers ("me frappe", "kill myself"): no subject lookup. */
  selfEvident?: boolean;
  /** Already worded with a negation ("plus envie de vivre"): a negation before it is not read again. */
  negationInside?: boolean;
  /** Names an event that happened (an attempt): judged as past unless recent. */
  past?: boolean;
  /** Often said as a joke ("je me pends mdr"): laughter lowers it to concern. */
  jokeable?: boolean;
  /**
   * A bare noun ("automutilation", "TS"): only the words right before it can
   * make it the writer's ("j'ai des idées noires", "ma TS"), not the main verb
   * of the sentence ("je cherche des références sur l'automutilation").
   */
  noun?: boolean;
}

type PatternSpec = Omit<RiskPattern, 'regex' | 'signal' | 'tier'> & { source: string };

function group(signal: string, tier: Tier, specs: (string | PatternSpec)[]): RiskPattern[] {
  return specs.map((spec) => {
    const { source, ...flags } = typeof spec === 'string' ? { source: spec } : spec;
    return { signal, tier, regex: words(source), ...flags };
  });
}

const FRENCH: RiskPattern[] = [
  // Wishing to die, to disappear, to end it — in every register.
  ...group('fr.ideation', 'crisis', [
    String.raw`${WISH_FR} ~ ${DEATH_STATE_FR}`,
    String.raw`${INTENT_FR} ~ (?:(?:me|m) tuer(?! (?:a la tache|au travail|a (?:bosser|travailler|reviser)))|en finir${NOT_A_CHORE_FR}|mettre fin a (?:mes jours|ma vie))`,
    String.raw`(?:prefere|prefererais|preferais) ~ mourir(?! (?:que|qu) (?:de |d )?(?!(?:vivre|continuer|souffrir|rester|supporter|subir)\b))`,
    String.raw`(?:pense|pensais|songe|reflechis|rumine) ~ (?:a la mort|au suicide)(?! (?:de|d|du|des|chez|dans|en)\b)`,
    { source: String.raw`(?:envies?|idees?|pensees?|tentation) (?:de|du) suicide`, noun: true },
    String.raw`(?:envisage|envisageais|prevois|planifie|planifiais|prepare|preparais|organise) (?:le|mon) suicide`,
    String.raw`(?:suis|sens|sentais|deviens|redeviens|etais) ~ suicidaires?`,
    { source: String.raw`(?:idees?|pensees?|tendances?) (?:suicidaires?|noires?|de mort|morbides?)`, noun: true },
    { source: String.raw`(?:que|qu) (?:tout|tout ca) (?:s arrete|se termine|finisse|prenne fin|cesse)`, selfEvident: true },
    { source: String.raw`${INTENT_FR} (?:faire (?:une|des) (?:grosse |grosses )?(?:connerie|conneries|betise|betises)|passer a l acte)(?! (?:au|dans|en|avec|sur|pendant|a)\b)` },
    String.raw`(?:la mort|mourir|le suicide|disparaitre|en finir)(?: [a-z0-9]+){0,3} (?:la seule|l unique|la meilleure|la derniere|une) (?:solution|issue|option|porte de sortie)`,
    { source: String.raw`(?:veut|veulent|voulait|pense|a envie) ~ (?:mourir|en finir|se suicider|disparaitre)(?: [a-z0-9]+){0,4} (?:et )?moi (?:aussi|pareil|de meme)`, selfEvident: true },
    // A denial followed by "mais j'y pense" takes the denial back.
    { source: String.raw`(?:mourir|suicid[a-z]*|me tuer|en finir|disparaitre)(?: [a-z0-9]+){0,3}(?: ,)? mais (?:j y|j en) (?:pense|repense|songe|reve)`, selfEvident: true, negationInside: true },
  ]),
  // Loss of the will to live: the negation is the message.
  ...group('fr.ideation', 'crisis', [
    { source: String.raw`(?:plus|pas|aucune|perdu l|perdu toute) (?:envie|gout|desir|force) (?:de|d) vivre`, negationInside: true },
    { source: String.raw`(?:plus|aucune?|pas de|pas d) (?:raisons?|interet) (?:de|a|d) (?:vivre|exister|rester en vie|continuer a vivre)`, negationInside: true },
    { source: String.raw`(?:vois|trouve) (?:plus|pas|aucun) (?:d |l |le )?(?:interet|sens|raison) (?:a |de |d )?(?:vivre|exister|la vie|ma vie)`, negationInside: true },
    { source: String.raw`(?:veux|veut|voudrais|aime|supporte) plus (?:vivre|la vie|ma vie|exister)`, negationInside: true },
    String.raw`(?:marre|fatiguee?|lassee?) (?:de|d) (?:vivre|la vie|exister)`,
    String.raw`(?:vivre|exister|la vie) (?:ne sert a rien|ne vaut (?:pas|plus) la peine)`,
    String.raw`a quoi (?:bon|ca sert de|sert de) (?:vivre|continuer a vivre|exister|rester en vie)`,
    String.raw`pourquoi (?:vivre|continuer a vivre|rester en vie|je suis (?:encore )?en vie|je vis encore)`,
    { source: String.raw`dormir (?:et|pour) (?:ne )?(?:plus|jamais|pas) (?:me )?reveiller|dormir pour (?:toujours|de bon|l eternite)|ne (?:plus|jamais) me reveiller`, negationInside: true },
  ]),
  // Wishing to be dead without saying "I want to die": accidents, never born, "better without me".
  ...group('fr.death_wish', 'crisis', [
    { source: String.raw`(?:n )?(?:aurais|aurai) (?:jamais )?(?:du|voulu|aime|prefere) (?:ne )?(?:jamais|pas) (?:naitre|exister|etre nee?)|(?:jamais|pas) du naitre`, negationInside: true, selfEvident: true },
    String.raw`(?:si seulement|aimerais|voudrais|espere|prie pour|vivement) ~ (?:avoir un accident|qu une voiture me|me faire (?:renverser|ecraser|percuter)|qu on me tue|mourir dans mon sommeil)`,
    // "ce serait pas mieux que je meure" is a rhetorical question, so its negation is not read.
    { source: String.raw`(?:mieux|plus simple|plus facile|preferable)(?: [a-z0-9]+){0,2} (?:que je (?:meure|disparaisse|ne sois plus la|sois morte?)|(?:de|d) (?:mourir|disparaitre|en finir))`, negationInside: true, selfEvident: true },
    { source: String.raw`(?:mieux|plus simple|plus facile|soulagement)(?: [a-z0-9]+){0,4} si je (?:mourais|disparaissais|n etais plus la|n existais plus|me tuais|crevais)`, selfEvident: true },
    { source: String.raw`si je (?:mourais|disparaissais|n etais plus la|n existais plus|crevais|me tuais)(?: [a-z0-9]+){0,4} (?:personne|mieux|plus simple|reglerait|regle|soulagerait|remarquerait|regretterait|pleurerait|manquerait|irait mieux)`, selfEvident: true },
  ]),
  // Perceived burdensomeness, one of the strongest predictors.
  ...group('fr.burden', 'crisis', [
    { source: String.raw`(?:serait|seraient|serais|irait|iraient|vivrait|vivraient) (?:tellement )?(?:mieux|plus heureux|plus heureuse|plus heureuses) sans moi`, selfEvident: true },
    { source: String.raw`personne ne (?:me )?(?:regretterait|regrettera|remarquerait|remarquera|pleurerait|pleurera|verrait la difference)|personne ne (?:s en )?(?:rendrait|rendra) compte si je`, selfEvident: true, negationInside: true },
  ]),
  // Method, means, place, timing.
  ...group('fr.plan', 'crisis', [
    { source: SELF_ACTION_FR, selfEvident: true, jokeable: true },
    String.raw`sauter (?:du|d un|d une|de la|de mon|de ma|par la|dans le vide|sous|depuis)(?: [a-z0-9]+){0,2} (?:pont|fenetre|toit|balcon|immeuble|train|metro|falaise|vide|etage|viaduc|rer|tram|parking|tour)`,
    // "Prendre tous mes médicaments" is taking one's treatment; swallowing all of them, or a whole box, is not.
    String.raw`(?:avaler|avale|avalais) (?:tous|toutes|toute|tout|la totalite de|plein de|trop de|une boite|la boite|des boites|plusieurs boites|une plaquette|des plaquettes|[0-9]{2,})(?: [a-z0-9]+){0,3} ${DRUGS_FR}`,
    String.raw`(?:prendre|pris|prends) (?:toute la boite|toutes les boites|une boite entiere|la boite entiere|plusieurs boites|des boites|une plaquette entiere|toute la plaquette|trop de|[0-9]{2,})(?: [a-z0-9]+){0,3} ${DRUGS_FR}|(?:prendre|pris|prends) (?:tous|toutes) (?:mes|les) ${DRUGS_FR} (?:d un coup|en une fois|en meme temps)`,
    String.raw`(?:stocke|stocker|accumule|accumuler|amasse|mets de cote|mis de cote|planque|fais des reserves de)(?: [a-z0-9]+){0,3} ${DRUGS_FR}`,
    String.raw`(?:achete|acheter|trouve|prepare|preparer|recupere|sorti|sortie)(?: [a-z0-9]+){0,2} (?:une corde|la corde|une arme|un fusil|un pistolet|des lames|une lame|le fusil|l arme|le pistolet)`,
    { source: String.raw`overdose|surdose`, noun: true },
    { source: String.raw`je suis (?:sur|au bord)(?: [a-z0-9]+){0,2} (?:pont|toit|rebord|balcon|falaise|voie|voies|parapet)`, selfEvident: true },
  ]),
  // An attempt is an event: recent or unresolved escalates, long past and resolved does not.
  // In social work "TS" is also "travailleur social": only the words of an event make it an attempt.
  ...group('fr.attempt', 'crisis', [
    { source: String.raw`(?<=\b(?:fait|faite|faites|refait|refaire|faire|ma|mes|une|deux|trois|plusieurs|derniere|premiere|apres|depuis|suite a|avant|tente|recidive) )ts|ts(?= (?:hier|avant hier|ce|cette|la semaine|le mois|l an|l annee|il y a|a [0-9]+ ans|en [0-9]{4}|dimanche|lundi|mardi|mercredi|jeudi|vendredi|samedi)\b)|tentatives? de suicide`, past: true, noun: true },
  ]),
  // Goodbyes that are not "see you tomorrow".
  ...group('fr.farewell', 'crisis', [
    String.raw`adieu(?=$| ,| (?:a (?:tous|toutes|vous|toi|la vie|ma vie|ce monde|tout le monde)|tout le monde|a jamais|pour toujours|mes amis|monde cruel))`,
    String.raw`(?:c est|ceci est|voici|ce sera) (?:mon|ma|le) (?:dernier|derniere) (?:message|mot|lettre|post)(?! (?:avant (?:les|le|la|mes|mon|ma)|de la|du|de l)\b)`,
    { source: String.raw`vous (?:ne )?(?:me )?(?:reverrez|verrez|lirez|entendrez) (?:plus|jamais)|(?:n )?(?:entendrez|aurez) plus (?:jamais )?(?:parler de moi|de nouvelles de moi)`, negationInside: true, selfEvident: true },
    { source: String.raw`quand (?:vous|tu) (?:lirez|liras|recevrez|verrez) (?:ce message|ceci|ca|cette lettre|ces mots|ce mot)`, selfEvident: true },
    { source: String.raw`(?:ne )?serai (?:bientot )?plus (?:la|en vie|de ce monde)(?=$| ,| (?:demain|bientot|ce soir|cette nuit|pour longtemps|tres longtemps|pour (?:vous|toi|personne)))`, negationInside: true },
    String.raw`dites? (?:a|aux?) (?:ma|mon|mes) [a-z]+(?: [a-z]+)? que je (?:l|les|la|le|vous) (?:aime|aimais)`,
    String.raw`pardon(?:nez moi)? pour (?:tout|ce que je vais faire)`,
    String.raw`(?:ecrit|prepare|laisse|redige) (?:ma|une|mes|des|la|les) lettres? (?:d adieu|pour apres)`,
    { source: String.raw`lettres? d adieu`, noun: true },
    String.raw`(?:je pars|m en vais) pour (?:toujours|de bon)(?! (?:de|du|a|au|en|dans|chez)\b)`,
    String.raw`(?:donne|distribue) (?:toutes )?mes affaires`,
    String.raw`(?:c est|ce sera) (?:la fin|fini) pour moi`,
  ]),
  // Harming oneself now (or "again").
  ...group('fr.self_harm', 'crisis', [
    { source: String.raw`scarif[a-z]*|automutil[a-z]*|(?:me|m) mutil[a-z]*`, noun: true },
    String.raw`(?:je|j) (?:me|m) (?:fais|fait|suis fait|faisais) (?:du )?mal(?! (?:a|au|pour|de) (?:comprendre|croire|reviser|admettre|accepter))`,
    String.raw`(?:me|m) (?:faire|fais|blesser|blesse|bruler|brule|couper|coupe|coupee|griffer|frapper|mordre|punir) (?:du mal|mal expres|expres|volontairement|les (?:bras|poignets|cuisses|jambes)|le (?:bras|poignet|ventre)|au (?:bras|poignet|cutter)|avec (?:une|un|des|la|le|ma|mon|mes) (?:lame|lames|cutter|rasoir|compas|ciseaux|cigarette|briquet))`,
    { source: String.raw`envie (?:de|d) me (?:faire du mal|faire mal|blesser|couper|bruler|scarifier|mutiler|punir)`, selfEvident: true },
    // Without an object ("je me suis coupée ce matin"); an object or a circumstance makes it an accident.
    String.raw`(?:me suis|m etais|me suis encore|me suis de nouveau|me suis a nouveau) (?:coupee?|brulee?|scarifiee?|fait du mal|mutilee?)(?! (?:le|la|les|l|au|aux|a la|a l|avec|en|sur|dans|par)\b)`,
    String.raw`(?:me|m) (?:tape|tapais|cogne|cognais|frappe|frappais) (?:la tete )?contre (?:le|les|un|des) murs?`,
    String.raw`(?:recommence|rechute|replonge) ~ (?:scarif[a-z]*|automutil[a-z]*|a me (?:couper|scarifier|faire du mal|blesser|bruler))`,
  ]),
  // Danger and abuse happening to the writer.
  ...group('fr.danger', 'crisis', [
    { source: String.raw`je (?:suis|me sens) en danger|(?:peur|crains) (?:pour ma vie|qu il me tue|qu elle me tue|qu ils me tuent)`, selfEvident: true },
    { source: String.raw`(?:il|elle|ils) (?:m a|m ont|m avait) (?:menacee?|menaces) de mort|(?:veut|veulent|menace de|a menace de|a essaye de|a voulu) me tuer`, selfEvident: true },
  ]),
  ...group('fr.abuse', 'crisis', [
    {
      source: String.raw`(?:mon (?:copain|mec|mari|conjoint|compagnon|ex|pere|beau pere|frere|oncle|coloc|colocataire|patron|maitre de stage|tuteur|voisin|cousin|grand pere)|ma (?:mere|copine|femme|compagne|belle mere|soeur|coloc|colocataire|tutrice|patronne|tante)) (?:me|m) (?:frappe|frappent|bat|battent|cogne|viole|violent|agresse|etrangle|enferme|brutalise|violente|touche|oblige a coucher|force a coucher)(?! (?:que|qu|a l esprit)\b)`,
      selfEvident: true,
    },
    // "elle me touche" is usually emotional: pronouns only count with violent verbs.
    { source: String.raw`(?:il|elle|ils) (?:me|m) (?:frappe|frappent|bat|battent|cogne|viole|violent|agresse|etrangle|enferme|brutalise|violente|touche la nuit)`, selfEvident: true },
    { source: String.raw`je (?:me fais|suis) (?:frappee?|battue?|violee?|agressee?|tabassee?) (?:par|tous|chaque|encore|depuis|chez|a la maison)|je subis (?:des violences|des coups|des viols|des agressions|des attouchements)`, selfEvident: true },
    { source: String.raw`(?:il|elle) (?:m a|m avait) (?:frappee?|battue?|violee?|etranglee?|agressee?|enfermee?|tabassee?)`, selfEvident: true },
  ]),
  // Despair: not risk alone, risk when two of them meet.
  ...group('fr.cant_go_on', 'despair', [
    { source: String.raw`(?:n )?en (?:peux|peut) plus(?! (?:de|d) (?!(?:vivre|la vie|ma vie|cette vie|tout|moi|exister)\b))`, negationInside: true },
    { source: String.raw`(?:peux|peut|tiens|arrive) plus (?:a )?(?:continuer|tenir|supporter|avancer)|plus la force (?:de|d) (?:continuer|tenir|avancer|me battre|lutter)|(?:vais pas|n arrive plus a) tenir|je n y arrive plus|je y arrive plus`, negationInside: true },
  ]),
  ...group('fr.hopelessness', 'despair', [
    { source: String.raw`(?:pas|aucune|plus) d issue|sans issue|(?:plus|aucun|pas d) espoir|a quoi bon|rien ne (?:changera|va changer|s arrangera)|(?:ne )?changera jamais|(?:ne )?m en sortirai (?:jamais|pas)|(?:vois|trouve) (?:pas|plus|aucune?) (?:d |de )?(?:issue|avenir|solution|sortie|lumiere|fin)|(?:vois|sais) pas comment m en sortir|n ai (?:plus|aucun) (?:d )?avenir`, negationInside: true },
    String.raw`(?:ma vie|tout) est (?:foutue?|fichue?|gachee?)|(?:ma vie|plus rien) (?:n a|a) (?:plus de|aucun|plus aucun) sens|plus rien n a de sens`,
    String.raw`(?:je suis|etre) (?:un poids|un fardeau|une charge)|(?:me sens|suis) comme un (?:poids|fardeau)|(?:je )?(?:ne )?sers a rien`,
  ]),
  ...group('fr.cessation', 'despair', [
    String.raw`que (?:ca|tout ca|la douleur|cette douleur|la souffrance|cette souffrance|ce cauchemar) (?:s arrete|cesse|se termine|finisse|prenne fin)`,
    { source: String.raw`(?:arreter|stopper|faire cesser) (?:de souffrir|la douleur|la souffrance)|ne plus (?:souffrir|rien ressentir)`, negationInside: true },
    String.raw`(?:vais|veux) tout arreter(?! (?:la|le|les|ma|mon|mes|en) )`,
  ]),
  // Hints of a plan or a goodbye: too common alone ("merci pour tout"), telling next to despair.
  ...group('fr.plan_hint', 'despair', [
    String.raw`(?:ai pris|prise|pris) ma decision|tout (?:est )?(?:prevu|prepare|organise|planifie)(?! pour (?:la|le|les|mon|ma|mes|l|demain matin)\b)`,
  ]),
  ...group('fr.farewell_hint', 'despair', [
    String.raw`merci (?:pour tout|d avoir ete la|de m avoir (?:ecoutee?|supportee?|aidee?))(?!(?: ,)? (?:votre|ta|ton|vos|pour|c est|ca)\b)`,
  ]),
  // Strong distress without risk markers.
  ...group('fr.exhaustion', 'concern', [
    { source: String.raw`(?:n )?en (?:peux|peut) plus (?:de|d)`, negationInside: true },
    String.raw`epuisee?s?|(?:me sens|suis|completement|totalement) videe?s?|(?:suis|me sens|vraiment|completement) a bout|a bout de (?:force|nerfs)|au bout du rouleau|burn ?out|surmenage|je craque|(?:vais|va) craquer|plus d energie|ereintee?`,
  ]),
  ...group('fr.distress', 'concern', [
    String.raw`pleure (?:tous les|toutes les|tout le temps|chaque|sans arret|souvent|beaucoup|en cachette|dans ma voiture)|crises? de larmes|effondree? en larmes`,
    String.raw`crises? d angoisse|crises? de panique|attaques? de panique|angoisses? (?:permanentes?|constantes?|tous les)`,
    String.raw`(?:ne )?dors plus|insomnies?`,
    String.raw`(?:me sens|suis) (?:tres |si |tellement |vraiment |completement )?(?:seule?s?|isolee?s?|abandonnee?|rejetee?)|personne (?:ne )?(?:me comprend|m ecoute|a qui parler)|n ai personne (?:a qui|pour)`,
    String.raw`deprimee?|deprime|depression|(?:je )?vais (?:tres |vraiment |super |trop )?mal|ca va (?:pas|mal) du tout|au fond du trou|mal dans ma peau|plus envie de rien|plus gout a rien|(?:me sens|suis) (?:vide|nulle?|inutile|minable)|je me deteste|je me hais|moral a zero`,
  ]),
];

const ENGLISH: RiskPattern[] = [
  ...group('en.ideation', 'crisis', [
    String.raw`${WISH_EN} ~ (?:to )?${DEATH_STATE_EN}`,
    { source: String.raw`(?:${INTENT_EN} ~ (?:to )?)?(?:kill(?:ing|ed)? myself(?! (?:to|over|for|trying|with work|at work|studying|laughing)\b)|unalive myself|off(?:ing)? myself|end(?:ing)? my (?:own )?life|tak(?:e|ing) my (?:own )?life|took my (?:own )?life)`, selfEvident: true },
    // Supportive replies say "if you commit suicide": the subject decides.
    String.raw`commit(?:ting|ed)? suicide`,
    { source: String.raw`suicidal|suicide (?:ideation|thoughts)`, noun: true },
    String.raw`(?:considering|contemplating|considered|contemplated|planning|planned) (?:my (?:own )?)?suicide`,
    String.raw`(?:think|thinking|thought|thoughts) (?:about|of) (?:suicide|killing myself|ending (?:it|my life|things|it all)|dying|death|not (?:being here|existing|waking up))`,
    { source: String.raw`wish (?:i|i d) (?:was|were|had been) (?:dead|never born|not born|gone)|wish i (?:could )?(?:die|disappear|not exist|not wake up|sleep forever)|wish i (?:had )?never (?:been born|existed|woke up)`, selfEvident: true, negationInside: true },
    { source: String.raw`want (?:it all|everything) to (?:end|stop|be over)`, selfEvident: true },
  ]),
  ...group('en.ideation', 'crisis', [
    { source: String.raw`(?:do not|does not) (?:want|wish) to (?:live|be alive|exist|be here anymore|wake up|go on living|be around anymore)(?! (?:in|with|near|there|like)\b)`, negationInside: true },
    { source: String.raw`no (?:reason|point|will|desire) (?:to|in) (?:live|living|go on|going on|being alive|life|staying alive)|nothing (?:left )?to live for|not worth living|(?:life|living) (?:is not|s not) worth (?:it|living)`, negationInside: true },
    String.raw`(?:tired|sick) of (?:living|life|being alive|existing)|done with (?:life|living)`,
    { source: String.raw`(?:hope|wish|pray|want|rather|prefer)(?: [a-z0-9]+){0,3} (?:not|never) wake up|sleep forever|never wake up again`, negationInside: true },
  ]),
  ...group('en.burden', 'crisis', [
    { source: String.raw`better off dead|better off without me|(?:would|will|d) be better (?:off )?without me`, selfEvident: true },
    { source: String.raw`(?:nobody|no one|noone) (?:would|will|d) (?:miss me|notice if i|care if i|even notice)`, selfEvident: true, negationInside: true },
  ]),
  ...group('en.plan', 'crisis', [
    { source: String.raw`hang(?:ing)? myself|hanged myself|slit(?:ting)? my (?:wrists?|throat)|shoot(?:ing)? myself|shot myself|drown(?:ing)? myself`, selfEvident: true, jokeable: true },
    String.raw`jump(?:ing)? (?:off|from|in front of) (?:a|the|my|that)(?: [a-z0-9]+){0,2} (?:bridge|building|roof|balcony|train|cliff|window|ledge|tower|car|bus|truck)`,
    String.raw`overdos(?:e|ed|ing)(?! on (?:coffee|caffeine|sugar)\b)`,
    String.raw`(?:take|taking|took|swallow|swallowing|swallowed) (?:all|all of|every|a bunch of|a lot of|the whole|an entire)(?: [a-z0-9]+){0,2} (?:pills|meds|medication|medications|tablets|bottle|pack)`,
    String.raw`(?:stockpil|hoard|sav)(?:e|ed|ing) (?:up )?(?:my |the )?(?:pills|meds)`,
    String.raw`(?:bought|buy|got|have|found|tied) (?:a |the )?(?:rope|noose|gun|rifle|pistol)`,
    { source: String.raw`(?:sitting|standing|i m|i am) on (?:the|a|my) (?:ledge|edge|roof|bridge|railing)(?: [a-z0-9]+){0,6} (?:jump|jumping)`, selfEvident: true },
    { source: String.raw`i have a plan|made a plan to|(?:set|picked|chose) (?:a|the) date|tonight is the night`, selfEvident: true },
  ]),
  ...group('en.attempt', 'crisis', [{ source: String.raw`suicide attempts?|attempted suicide`, past: true, noun: true }]),
  ...group('en.farewell', 'crisis', [
    String.raw`goodbye (?:everyone|all|world|forever|cruel world)|this is (?:my )?goodbye|final goodbye`,
    { source: String.raw`by the time (?:you|anyone) (?:read|reads|see|sees) this|this is my last (?:message|post|note|words)|tell my (?:mom|mum|dad|family|sister|brother|parents|friends) (?:i|that i) love`, selfEvident: true },
    { source: String.raw`(?:will not|won t) be (?:here|around) (?:much longer|tomorrow|anymore)|you (?:will not|won t) (?:see|hear from) me again`, selfEvident: true, negationInside: true },
    { source: String.raw`suicide note`, noun: true },
    String.raw`giving away my (?:stuff|things|belongings)`,
  ]),
  ...group('en.self_harm', 'crisis', [
    { source: String.raw`(?:cut|cutting|burn|burning|hurt|hurting|harm|harming|punish|punishing) myself|urge to (?:cut|self harm|hurt myself)`, selfEvident: true },
    { source: String.raw`self ?harm(?:ing|ed)?`, noun: true },
    String.raw`(?:started |been )cutting(?: again)?`,
  ]),
  ...group('en.danger', 'crisis', [
    { source: String.raw`i (?:m|am) (?:in danger|not safe)|i do not feel safe (?:at home|here|with (?:him|her|them))|afraid (?:for my life|he will kill me|she will kill me|he ll kill me|she ll kill me)|threatened to kill me`, selfEvident: true },
    { source: String.raw`(?:he|she|my (?:boyfriend|husband|partner|dad|father|stepdad|mom|mother|stepmom|ex|roommate)) (?:hits|beats|rapes|raped|chokes|choked|is hurting|is abusing|abuses) me|i (?:m|am) being (?:abused|beaten|raped)`, selfEvident: true },
  ]),
  ...group('en.cant_go_on', 'despair', [String.raw`cannot (?:go on|do this anymore|take (?:it|this|much more)(?: anymore)?|keep going|handle (?:it|this) anymore|cope anymore)`]),
  ...group('en.hopelessness', 'despair', [
    String.raw`hopeless|no way out|no hope|what s the point|what is the point|nothing (?:will|is going to) (?:ever )?(?:change|get better)|never (?:going to )?get better|(?:i m|i am|feel like) (?:a )?burden|worthless|given up on (?:life|everything)`,
  ]),
  ...group('en.cessation', 'despair', [String.raw`want (?:it|this|the pain) to (?:stop|end)|make it stop`]),
  ...group('en.distress', 'concern', [
    String.raw`exhausted|burn(?:ed|t)? out|burnout|drained|cannot sleep|insomnia|crying (?:every|all the|constantly)|cry (?:every|all the)|panic attacks?|anxiety attacks?|depressed|depression|so lonely|so alone|all alone|isolated|overwhelmed|breaking down|falling apart|not okay|miserable|empty inside|hate myself`,
  ]),
];

const PATTERNS: RiskPattern[] = [...FRENCH, ...ENGLISH];

// ---------------------------------------------------------------------------
// Message-level context
// ---------------------------------------------------------------------------

/** Someone else is at risk, or the writer asks how to respond as a professional. */
const THIRD_PARTY = [
  // Roles of the people social workers accompany.
  /\b(?:usagere?s?|beneficiaires?|personnes? accompagnees?|accueillie?s?|residente?s?|patiente?s?|mineure?s?|public accueilli)\b/,
  /\b(?:un|une|des|le|la|les|cette|ce|cet|l|d)(?: [a-z]+)? (?:jeune|jeunes|ado|ados|adolescente?s?|enfants?|eleves?|clientes?|dame|monsieur|homme|femme|gamine?)\b/,
  /\b(?:que j|que nous|qu on|dont je m|dont on s) (?:accompagne|accompagnons|suis|suivons|occupe|accueille|accueillons)\b/,
  // Risk told in the third person.
  /\b(?:s est|se sont|s etait) (?:suicide|pendu|scarifi|tue|jete|defenestre|ouvert les veines|mutile|fait du mal)/,
  /\b(?:se|s) (?:suicider|scarifier|scarifie|mutiler|mutile|pendre|tuer|faire du mal|fait du mal|jeter|couper)\b/,
  /\b(?:il|elle|ils|elles|qui) (?:veut|veulent|voulait|a|ont|avait|parle|parlait|pense|dit) (?:[a-z]+ ){0,3}(?:mourir|suicid|idees|ts|tentative|en finir)/,
  // Asking how to respond, what to do.
  // Not "je sais pas quoi faire", which is the writer's own distress.
  /\bcomment (?:reagir|repondre|accompagner|aider|aborder|orienter|reperer|agir|en parler|lui (?:dire|repondre|parler)|on (?:fait|reagit|l accompagne|accompagne|repond))\b|\bque (?:faire|dire|repondre) (?:si|quand|face|avec|a)\b|\bquoi (?:lui )?(?:dire|repondre)\b/,
  /\bquelle (?:posture|attitude|conduite|reponse)\b|\b(?:faut il|dois je|je dois) (?:le |en |l )?(?:signaler|informer|prevenir|parler)\b/,
  // English.
  /\b(?:my|a|the|one of my|this|our) (?:clients?|patients?|service users?|residents?|students?|youth|young person|kids?|teens?|teenagers?|mentees?)\b/,
  /\bsomeone i (?:know|support|work with)\b|\bhow (?:do|should|can|would) (?:i|we|you) (?:respond|react|help|support|handle|approach)\b/,
  /\b(?:himself|herself|themselves)\b/,
];

/** Coursework, research or training about the topic. */
const ACADEMIC = [
  /\b(?:memoire|dossier|expose|cours|td|module|partiel|these|recherche|etude|article|conference|intervention|atelier|ecrit|oral|biblio[a-z]*|references?|sources?|chiffres|statistiques|donnees|ressources|documentation|litterature|lecture|livre|roman|film|podcast|documentaire|problematique|dc ?[1-4])(?: [a-z0-9]+){0,4} (?:sur|porte sur|traite|traitant|concernant|au sujet|a propos|autour)\b/,
  /\b(?:prevention du suicide|crise suicidaire|risque suicidaire|potentiel suicidaire|conduites? suicidaires?|parole suicidaire|suicidologie|durkheim|grille (?:d evaluation|de reperage)|postvention|papageno|sensibilisation|premiers secours en sante mentale|pssm)\b/,
  /\b(?:pour|dans) (?:mon|ma|un|une|le|la) (?:memoire|dossier|expose|td|module|partiel|these|recherche|dc ?[1-4]|ecrit|oral|devoir|roman|livre|film)\b|\bc est pour (?:mon|ma|un|une|le|la|les) /,
  /\bun (?:roman|livre|film)\b|\bl heroine\b|\ble heros\b/,
  /\b(?:essay|paper|thesis|dissertation|lecture|class|course|assignment|presentation|research|seminar|article|book|documentary)(?: [a-z0-9]+){0,4} (?:on|about|regarding)\b|\bsuicide prevention\b|\bfor (?:my|a|the) (?:essay|paper|thesis|dissertation|class|course|assignment|presentation|research)\b/,
];

/** When the past episode happened: long enough ago to be a story rather than a state. */
const DISTANT_PAST = [
  /\bil y a (?:[0-9]+|quelques|plusieurs|deux|trois|quatre|cinq|six|sept|huit|dix|des) (?:ans|annees)\b/,
  /\b(?:a|vers) (?:[0-9]{1,2}|douze|treize|quatorze|quinze|seize|dix sept|dix huit) ans\b/,
  /\b(?:quand|lorsque) j (?:etais|avais)\b|\b(?:au|en) (?:lycee|college|seconde|premiere|terminale|troisieme|quatrieme|3e|4e)\b/,
  /\b(?:plus|tres|toute) jeune\b|\b(?:pendant|durant|a) (?:mon |ma |l )?(?:adolescence|enfance|jeunesse)\b|\badolescente?\b/,
  /\ben (?:19|20)[0-9]{2}\b|\bremonte a\b|\bl (?:annee|an) (?:derniere?|passee?)\b|\ba l epoque\b|\bautrefois\b|\bpar le passe\b|\blongtemps\b/,
  /\byears ago\b|\bwhen i was (?:[0-9]+|a (?:kid|teen|teenager|child)|younger|in (?:high school|college|school))\b|\bas a (?:teen|teenager|kid|child)\b|\bback then\b|\blast year\b|\bin the past\b/,
];

/** The writer says the episode is over. */
const RESOLVED = [
  /\b(?:aujourd hui|maintenant|desormais|depuis|actuellement|a present)(?: [a-z0-9]+){0,6} (?:ca va|je vais (?:bien|mieux)|va mieux|tout va bien|je suis (?:stable|heureuse?|bien|guerie?))\b/,
  /\b(?:ca va|je vais bien|tout va bien)(?: [a-z0-9]+){0,3} (?:maintenant|aujourd hui|desormais|depuis)\b/,
  /\bc est (?:derriere moi|du passe|de l histoire ancienne|loin)\b|\bje m en suis sortie?\b|\bje vais (?:beaucoup )?mieux\b|\bje suis stable\b|\bj ai ete (?:suivie?|soignee?|accompagnee?)\b/,
  /\b(?:now|today|these days|nowadays)(?: [a-z0-9]+){0,6} (?:i m|i am) (?:fine|ok|okay|better|good|happy|doing (?:well|better|fine|good)|stable|in a good place)\b|\bi m (?:doing )?(?:much )?better now\b|\brecovered\b|\bclean (?:for|since)\b|\bbehind me\b/,
];

/** It is coming back: a past episode is present again. */
const RELAPSE = [
  /\b(?:j ai|je) (?:recommence|rechute|replonge)\b|\bca (?:recommence|reprend)\b|\bpeur de (?:recommencer|rechuter|refaire)\b|\benvie de (?:recommencer|refaire)\b/,
  /\b(?:les|ces|mes) (?:idees|pensees|envies)(?: [a-z0-9]+){0,2} (?:reviennent|recommencent|sont revenues)\b|\bl envie (?:revient|est revenue)\b|\bj y (?:repense|pense encore)\b/,
  /\brelapsed\b|\b(?:urges|thoughts) (?:are|have) (?:come )?back\b|\bcoming back\b|\bdo it again\b/,
];

/** Said in the same sentence as a past event, these make it current. */
const RECENT =
  /\b(?:hier|avant hier|cette nuit|la nuit derniere|ce matin|ce soir|cet apres midi|tout a l heure|il y a (?:[0-9]+|une|un|quelques|deux|trois) (?:minutes?|heures?|jours?)|ce week end|cette semaine|la semaine derniere|encore|a nouveau|de nouveau|en ce moment|actuellement|depuis (?:[0-9]+|quelques|deux|trois|plusieurs) (?:jours|semaines|mois)|yesterday|last night|tonight|this morning|today|earlier|just now|hours ago|days ago|this week|last week|again|still|right now|lately|recently)\b/;

/** Words that tell the writer talks about the past ("je voulais", "I tried"). */
const PAST_FORM =
  /\b(?:voulais|voulait|voulu|tente|essaye|failli|ai voulu|avais|avait|ai eu|ai tente|ai essaye|ai failli|ai fait|ai pris|ai avale|me suis|m etais|etais|pensais|ai pense|songeais|revais|scarifiais|coupais|faisais|ai commis|wanted|used to|tried|attempted|was|had|thought|did)\b/;

const LAUGHTER = /\b(?:lol|mdr|ptdr|xd|haha[a-z]*|hihi|jk|j en peux plus de rire)\b/;

/** Figures of speech about dying and killing; only reported as a signal. */
const HYPERBOLE = [
  /\b(?:me|m) (?:tue|tuent|tuera|a tuer|a tue|achevee?)\b|\b(?:va|vont) me tuer\b|\bme tuer a la tache\b|\bme tue a\b/,
  /\bmorte?s? de (?:rire|fatigue|honte|peur|froid|chaud|faim)\b|\b(?:mourir|meurs|meurt|crever) (?:de|d) (?:rire|honte|faim|soif|chaud|froid|ennui|envie|fatigue|peur|stress)\b/,
  /\b(?:suis|chui) morte?\b|\btue le temps\b|\btuer le temps\b|\bc est (?:la mort|mortel)\b|\bmortel\b|\bplutot mourir\b|\bdisparaitre sous terre\b|\bme jeter a l eau\b/,
  /\b(?:tuer|buter) (?:mon|ma|mes|le|la|les|ce|cette)\b|\b(?:vais|va) (?:te|le|la|les|vous) (?:tuer|buter)\b/,
  /\bkilling (?:it|me)\b|\bdead tired\b|\b(?:die|died|dying) (?:of|from) (?:embarrassment|laughter|boredom|shame)\b|\bi m dead\b|\bdying (?:for|to)\b|\bkill for (?:a|an|some)\b|\bkill time\b/,
];

/** Any word of the risk vocabulary: context signals are only worth reporting next to one. */
const RISK_VOCABULARY =
  /\b(?:suicid[a-z]*|mourir|meure|mort|morte|crever|tuer|tue|scarif[a-z]*|automutil[a-z]*|pendre|pendu[a-z]*|ts|tentatives?|idees noires|veines|overdose|en finir|vivre|3114|die|dying|dead|death|kill[a-z]*|self harm[a-z]*|cutting|hang[a-z]*)\b/;

/** A verb reporting someone's words ("elle m'a dit", "he said"). */
const REPORTED_SPEECH =
  /(?:^| )(?:(?:m a|m avait|nous a|me|nous|lui a|m ont|nous ont) (?:dit|ecrit|confie|avoue|annonce|raconte|explique|repete|envoye|montre|demande)|dit|disait|dise|disent|repete|repetait|raconte|affirme|crie|criait|hurle|hurlait|told me|tells me|said|says|wrote|texted|keeps saying)(?= |$)/g;

/**
 * After these, speech is indirect and a "je" is the writer again: "elle m'a
 * demandé si j'avais des idées noires" is about the writer.
 */
const INDIRECT_SPEECH = new Set(['que', 'qu', 'si', 'de', 'd', 'that', 'if', 'whether', 'to']);

interface MessageContext {
  thirdParty: boolean;
  academic: boolean;
  distantPast: boolean;
  resolved: boolean;
  relapse: boolean;
  laughter: boolean;
  hyperbole: boolean;
  riskVocabulary: boolean;
}

function readContext(text: string): MessageContext {
  const any = (list: RegExp[]): boolean => list.some((regex) => regex.test(text));
  return {
    thirdParty: any(THIRD_PARTY),
    academic: any(ACADEMIC),
    distantPast: any(DISTANT_PAST),
    resolved: any(RESOLVED),
    relapse: any(RELAPSE),
    laughter: LAUGHTER.test(text),
    hyperbole: any(HYPERBOLE),
    riskVocabulary: RISK_VOCABULARY.test(text),
  };
}

// ---------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------

/** Whole-token rewrites: SMS spellings, frequent typos, English without apostrophes. */
const TOKEN_REWRITES: Record<string, string> = {
  jpp: 'j en peux plus', jpeux: 'je peux', jsp: 'je sais pas', jsais: 'je sais',
  chui: 'je suis', chuis: 'je suis', jsuis: 'je suis', jsui: 'je suis',
  jveux: 'je veux', jveu: 'je veux', jvx: 'je veux', jvais: 'je vais', jvai: 'je vais',
  jme: 'je me', jai: 'j ai', jen: 'j en', jy: 'j y', g: 'j ai', cest: 'c est', ct: 'c etait',
  veu: 'veux', vx: 'veux', pa: 'pas', envi: 'envie', tt: 'tout', tte: 'toute', ttes: 'toutes',
  tjr: 'toujours', tjrs: 'toujours', tjs: 'toujours', bcp: 'beaucoup', pr: 'pour', ds: 'dans',
  qd: 'quand', pk: 'pourquoi', pq: 'pourquoi', koi: 'quoi', ke: 'que', mtn: 'maintenant', mnt: 'maintenant',
  auj: 'aujourd hui', ajd: 'aujourd hui', aujd: 'aujourd hui', tlm: 'tout le monde', dsl: 'desole',
  mourrir: 'mourir', mourire: 'mourir', mourrire: 'mourir', mouri: 'mourir', disparaite: 'disparaitre',
  od: 'overdose',
  im: 'i m', ive: 'i ve', kms: 'kill myself', kys: 'kill yourself', wanna: 'want to', gonna: 'going to',
  gotta: 'got to', u: 'you', ur: 'your', rn: 'right now', idk: 'i do not know', cant: 'cannot',
  wont: 'will not', didnt: 'did not', doesnt: 'does not', isnt: 'is not', wasnt: 'was not',
  wouldnt: 'would not', shouldnt: 'should not', couldnt: 'could not', havent: 'have not', arent: 'are not',
  unalive: 'kill', unalived: 'killed', sewerslide: 'suicide',
};

/** "dont" is French ("dont je m'occupe") unless it follows an English subject. */
const ENGLISH_SUBJECTS = new Set(['i', 'you', 'we', 'they', 'just', 'really', 'and', 'but', 'still']);
/** "pu" is "plus" in SMS after these, and a past participle elsewhere ("j'ai pu venir"). */
const BEFORE_SMS_PLUS = new Set(['veux', 'veut', 'peux', 'peut', 'en', 'n', 'ne', 'suis', 'sais']);
const POSSESSIVE_AFTER_TS = new Set(['les', 'mes', 'tes', 'ses', 'nos', 'vos', 'leurs', 'ces']);

function rewriteToken(token: string, previous: string | undefined, next: string | undefined): string {
  if (token === 'dont') return previous !== undefined && ENGLISH_SUBJECTS.has(previous) ? 'do not' : token;
  if (token === 'pu') return previous !== undefined && BEFORE_SMS_PLUS.has(previous) ? 'plus' : token;
  // "ts les jours" is "tous"; other uses of "TS" are read by the attempt pattern.
  if (token === 'ts') return next !== undefined && POSSESSIVE_AFTER_TS.has(next) ? 'tous' : token;
  // "j" before a consonant is "je" ("j'me", "j veux"); "j ai" stays.
  if (token === 'j' && next !== undefined && /^[bcdfghklmnpqrstvwxz]/.test(next)) return 'je';
  const rewritten = TOKEN_REWRITES[token];
  if (rewritten !== undefined) return rewritten;
  // "jpense", "jcrois": SMS drops "e'" after j.
  if (/^j[bcdfghklmnpqrstvwxz][a-z]{2,}$/.test(token) && !['jpeg', 'jks'].includes(token)) return `je ${token.slice(1)}`;
  return token;
}

/**
 * Lowercase, accent-free, one token per word, punctuation as its own token;
 * apostrophes become spaces ("j'ai" → "j ai") and quotes become `"` tokens.
 */
export function normalizeForDetection(text: string): string {
  const flat = text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’‘`´ʼ]/g, "'")
    .replace(/[«»“”„"]/g, ' " ')
    .replace(/\p{Extended_Pictographic}/gu, (emoji) => (/[😂🤣😹😆💀]/u.test(emoji) ? ' lol ' : ' '))
    // Inclusive writing: "épuisé·e" reads as "épuisée".
    .replace(/([a-z])[·•.]e(s?)\b/g, '$1e$2')
    .replace(/\(e\)/g, 'e')
    .replace(/\bcan'?t\b/g, 'cannot')
    .replace(/\bwon't\b/g, 'will not')
    .replace(/\bain't\b/g, 'is not')
    .replace(/n't\b/g, ' not')
    .replace(/\s*\n\s*/g, ' . ')
    .replace(/([.!?;,:])/g, ' $1 ')
    .replace(/'/g, ' ')
    .replace(/[^a-z0-9.!?;,:" ]/g, ' ');
  const tokens = flat.split(/\s+/).filter(Boolean);
  const rewritten: string[] = [];
  tokens.forEach((token, index) => {
    const previous = rewritten.at(-1)?.split(' ').at(-1);
    rewritten.push(rewriteToken(token, previous, tokens[index + 1]));
  });
  return rewritten
    .join(' ')
    // "de plus en plus" intensifies; as one token it cannot be read as the negation "plus".
    .replace(/\bde plus en plus\b/g, 'deplusenplus')
    .replace(/\bsu[iy]?s{1,2}id/g, 'suicid')
    .replace(/\bsu[iy]?cc?i?d(?=[a-z])/g, 'suicid')
    .replace(/\bsu1c1d/g, 'suicid')
    .replace(/\bscarr?if/g, 'scarif');
}

// ---------------------------------------------------------------------------
// Sentences and hits
// ---------------------------------------------------------------------------

interface Sentence {
  text: string;
  /** Inside quotation marks: maybe someone else's words. */
  quoted: boolean;
}

function splitSentences(normalized: string): Sentence[] {
  return normalized.split('"').flatMap((part, index) =>
    part
      .split(/(?:\s*[.!?;]\s*)+/)
      .map((text) => text.trim())
      .filter(Boolean)
      .map((text) => ({ text, quoted: index % 2 === 1 })),
  );
}

/** What happened to one pattern hit. */
type Outcome = 'active' | 'negated' | 'third_party' | 'academic' | 'hyperbole' | 'joke' | 'past_episode';

interface Finding {
  signal: string;
  tier: Tier;
  outcome: Outcome;
}

/** Tokens after which a negation no longer reaches the hit ("je sais pas, je veux mourir"). */
const SCOPE_BREAKERS = new Set([
  ',', ':', 'et', 'mais', 'donc', 'car', 'puis', 'alors', 'parce', 'pourquoi', 'comment', 'quand', 'si', 'ou',
  'and', 'but', 'so', 'because', 'why', 'how', 'when', 'if', 'or', 'je', 'j', 'i', 'tu', 'il', 'elle', 'on',
]);
const PREFIX_NEGATORS = new Set(NEGATION_WORDS.filter((word) => word !== 'plus'));
/** "ce n'est pas que…", "I don't think I…": the negation covers the whole clause. */
const NEGATION_FRAME = /(?:^| )(?:(?:pas|jamais) (?:que|qu)|(?:do|does|did) not (?:think|mean|say|feel like)|not that|not saying)(?: [a-z0-9]+){0,3}$/;

function isNegated(before: string[]): boolean {
  if (NEGATION_FRAME.test(before.slice(-7).join(' '))) return true;
  for (let index = before.length - 1; index >= Math.max(0, before.length - 3); index -= 1) {
    const token = before[index] ?? '';
    if (SCOPE_BREAKERS.has(token)) return false;
    if (PREFIX_NEGATORS.has(token)) return true;
    // "plus" negates only with "ne" ("je n'ai plus envie de mourir"), never in "j'en peux plus".
    if (token === 'plus' && ['n', 'ne'].includes(before[index - 1] ?? '')) return true;
    if (token === 'plus' && ['n', 'ne'].includes(before[index - 2] ?? '') && before[index - 1] !== 'peux') return true;
  }
  return false;
}

/** True when the hit sits in someone else's direct speech ("il m'a dit : je veux mourir"). */
function isReportedByOther(before: string[]): boolean {
  const prefix = before.join(' ');
  let last: RegExpExecArray | undefined;
  for (const match of prefix.matchAll(REPORTED_SPEECH)) last = match;
  if (last === undefined) return false;
  const speaker = prefix.slice(0, last.index).trim().split(' ').slice(-3);
  const firstWordSaid = prefix.slice(last.index + last[0].length).trim().split(' ')[0] ?? '';
  if (INDIRECT_SPEECH.has(firstWordSaid)) return false;
  return !speaker.some((token) => token === 'je' || token === 'j' || token === 'i');
}

const FIRST_PERSON = new Set(['je', 'j', 'moi', 'me', 'm', 'i', 'my', 'myself']);
const OTHER_PERSON = new Set(['tu', 't', 'il', 'elle', 'on', 'ils', 'elles', 'qui', 'vous', 'nous', 'he', 'she', 'they', 'you', 'we', 'someone', 'somebody', 'people']);
const THING = new Set(['ca', 'cela', 'ceci', 'ce', 'it', 'this', 'that']);

/** "ma TS", "mes scarifications": owned by the writer when right before the noun. */
const POSSESSIVES = new Set(['ma', 'mon', 'mes', 'my']);
const OTHER_POSSESSIVES = new Set(['ta', 'ton', 'tes', 'sa', 'son', 'ses', 'votre', 'vos', 'leur', 'leurs', 'your', 'his', 'her', 'their']);
const RELATIVES = new Set(['que', 'qu', 'dont', 'ou', 'who', 'that']);

type Subject = 'self' | 'person' | 'thing' | 'unknown';

/** The nearest pronoun before the hit, within its sentence. */
function subjectBefore(before: string[], reach: number): Subject {
  if (POSSESSIVES.has(before.at(-1) ?? '')) return 'self';
  if (OTHER_POSSESSIVES.has(before.at(-1) ?? '')) return 'person';
  for (let index = before.length - 1; index >= Math.max(0, before.length - reach); index -= 1) {
    const token = before[index] ?? '';
    // "une jeune que j'accompagne a fait une TS": the "j" belongs to the relative clause.
    if (FIRST_PERSON.has(token) && RELATIVES.has(before[index - 1] ?? '') && index < before.length - 2) continue;
    if (FIRST_PERSON.has(token)) return 'self';
    if (OTHER_PERSON.has(token)) return 'person';
    if (THING.has(token)) return 'thing';
  }
  return 'unknown';
}

function isSettledPast(sentence: Sentence, context: MessageContext): boolean {
  if (RECENT.test(sentence.text) || context.relapse) return false;
  return context.distantPast || context.resolved || context.academic;
}

function judgeHit(pattern: RiskPattern, sentence: Sentence, index: number, hit: string, context: MessageContext): Outcome {
  const before = sentence.text.slice(0, index).trim().split(' ').filter(Boolean);
  const contextOutcome: Outcome = context.thirdParty ? 'third_party' : 'academic';
  if (!pattern.negationInside && isNegated(before)) return 'negated';
  if (isReportedByOther(before)) return 'third_party';
  if (sentence.quoted && (context.thirdParty || context.academic)) return contextOutcome;
  if (!pattern.selfEvident) {
    const subject = subjectBefore(before, pattern.noun ? 4 : 6);
    if (subject === 'person') return 'third_party';
    // "ça va finir par me tuer" is a figure of speech; "it's hopeless" is the writer's own despair.
    if (subject === 'thing' && pattern.tier === 'crisis') return 'hyperbole';
    // Without any subject, a bare noun ("TS", "scarifications") belongs to whoever the message is about.
    if (subject === 'unknown' && (context.thirdParty || context.academic)) return contextOutcome;
  }
  if (pattern.jokeable && context.laughter) return 'joke';
  const past = pattern.past === true || PAST_FORM.test(`${before.slice(-4).join(' ')} ${hit}`);
  if (past && isSettledPast(sentence, context)) return 'past_episode';
  return 'active';
}

function collectFindings(sentences: Sentence[], context: MessageContext): Finding[] {
  const findings: Finding[] = [];
  for (const sentence of sentences) {
    for (const pattern of PATTERNS) {
      for (const match of sentence.text.matchAll(pattern.regex)) {
        const outcome = judgeHit(pattern, sentence, match.index, match[0], context);
        findings.push({ signal: pattern.signal, tier: pattern.tier, outcome });
      }
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------
// Decision
// ---------------------------------------------------------------------------

/** A mention of death or harm right after a negation, for the `negated` signal. */
const NEGATED_MENTION =
  /\b(?:pas|jamais|aucune?|plus|sans|not|never|no)(?: [a-z0-9]+){0,4} (?:mourir|suicid[a-z]*|me tuer|en finir|scarif[a-z]*|idees? noires?|mal|me foutre en l air|die|kill myself|suicidal|self harm|hurt myself)\b/;

function decideLevel(active: Finding[], findings: Finding[]): DistressAssessment['level'] {
  if (active.some((finding) => finding.tier === 'crisis')) return 'crisis';
  const despair = new Set(active.filter((finding) => finding.tier === 'despair').map((finding) => finding.signal.split('.')[1]));
  if (despair.size >= 2) return 'crisis';
  if (active.length > 0) return 'concern';
  if (findings.some((finding) => finding.outcome === 'past_episode' || finding.outcome === 'joke')) return 'concern';
  return 'none';
}

function contextSignals(findings: Finding[], context: MessageContext, normalized: string): string[] {
  const signals = findings.filter((finding) => finding.outcome !== 'active').map((finding) => (finding.outcome === 'joke' ? 'hyperbole' : finding.outcome));
  if (NEGATED_MENTION.test(normalized)) signals.push('negated');
  if (context.riskVocabulary) {
    if (context.thirdParty) signals.push('third_party');
    if (context.academic) signals.push('academic');
    if (context.hyperbole) signals.push('hyperbole');
  }
  return signals;
}

/**
 * Assesses one inbound message. Returns `crisis` for a first-person present
 * risk (ideation, plan, self-harm, farewell, danger, abuse, or despair signals
 * that meet), `concern` for strong distress or a resolved past episode, and
 * `none` otherwise. Signals are codes, never text.
 */
export function detectDistress(text: string): DistressAssessment {
  const normalized = normalizeForDetection(text);
  const context = readContext(normalized);
  const findings = collectFindings(splitSentences(normalized), context);
  const active = findings.filter((finding) => finding.outcome === 'active');
  const level = decideLevel(active, findings);
  const signals = [...active.map((finding) => finding.signal), ...contextSignals(findings, context, normalized)];
  return { level, signals: [...new Set(signals)] };
}

/** What the moderation classifier said about self-harm (see `ports/moderator.ts`). */
export interface SelfHarmModeration {
  selfHarm: number;
  selfHarmFlagged: boolean;
}

/** Score from which the self-harm category counts as raised even when not flagged. */
const MODERATION_THRESHOLD = 0.5;

/**
 * Adds the moderation classifier's second opinion: a flagged self-harm
 * category (or a score ≥ 0.5) raises the level to `crisis`, except when the
 * detector saw a professional or academic context, where the classifier
 * cannot tell "my client self-harms" from "I self-harm" — then `concern`.
 */
export function combineWithModeration(assessment: DistressAssessment, moderation: SelfHarmModeration | undefined): DistressAssessment {
  if (moderation === undefined) return assessment;
  if (!moderation.selfHarmFlagged && !(moderation.selfHarm >= MODERATION_THRESHOLD)) return assessment;
  const signals = [...new Set([...assessment.signals, 'moderation.self_harm'])];
  if (assessment.level === 'crisis') return { level: 'crisis', signals };
  const contextual = assessment.signals.includes('third_party') || assessment.signals.includes('academic');
  return { level: contextual ? 'concern' : 'crisis', signals };
}
