/**
 * French texts (default). Formal "vous": Relais speaks for institutions.
 * Every key here must exist in `en.ts` (the type checker enforces it).
 */

export interface DisclosureParams {
  humanContact: string;
  retentionDays: number;
  privacyContact?: string;
}

export interface AboutParams extends DisclosureParams {
  version: string;
  fundingNotice?: string;
}

export const fr = {
  'disclosure.title': '**Bonjour, je suis Relais, un assistant automatisé qui utilise l’intelligence artificielle (IA).**',
  'disclosure.body': (p: DisclosureParams): string =>
    [
      'Je ne suis pas une personne : mes réponses sont produites automatiquement et peuvent contenir des erreurs.',
      `- **Vos données** : vous êtes identifié·e par un pseudonyme ; vos messages servent uniquement à vous répondre et sont effacés au bout de ${p.retentionDays} jours. Ils ne servent pas à entraîner de modèle d’IA.`,
      `- **Parler à un humain** : ${p.humanContact}.`,
      p.privacyContact ? `- **Protection des données** : ${p.privacyContact}.` : '',
      'Tapez **aide** pour voir ce que je sais faire, ou **à propos** pour en savoir plus.',
    ]
      .filter(Boolean)
      .join('\n'),
  'disclosure.channel': 'Bonjour à toutes et à tous ! Merci de m’avoir invité dans cette conversation.',

  'help.title': '**Voici ce que je sais faire**',
  'help.commandsIntro': 'Écrivez l’une de ces commandes :',
  'help.assistant':
    '**Décrivez une situation vécue** (un stage difficile, un conflit de valeurs, la fatigue…) : je vous propose des questions pour prendre du recul, appuyées sur des récits d’anciens étudiants, de travailleurs sociaux et de formateurs, avec leurs sources.',
  'help.soon': 'Bientôt ici : répondre aux sondages de votre équipe et tenir votre journal de bord.',
  'help.cmd.help': 'afficher cette aide',
  'help.cmd.about': 'qui je suis, ce que je fais de vos données, comment joindre un humain',
  'help.cmd.language': 'changer de langue (français, anglais)',
  'help.cmd.demo': 'voir un exemple de chaque élément d’interface (boutons, choix, échelle…)',

  'about.title': (p: AboutParams): string => `**À propos de Relais** (version ${p.version})`,
  'about.body': (p: AboutParams): string =>
    [
      'Relais est un assistant conversationnel **fondé sur l’intelligence artificielle**, logiciel libre, hébergé par votre établissement ou pour lui dans l’Union européenne.',
      `- **Données** : identifiants pseudonymisés, messages conservés ${p.retentionDays} jours puis effacés, aucune réutilisation pour entraîner un modèle. Un journal d’audit garde la trace des traitements, sans le contenu des messages.`,
      `- **Humain** : ${p.humanContact}.`,
      p.privacyContact ? `- **Délégué·e à la protection des données** : ${p.privacyContact}.` : '',
      '- **Vos droits** (RGPD) : accès, rectification, effacement, opposition, auprès de votre établissement.',
      p.fundingNotice ? `\n_${p.fundingNotice}_` : '',
    ]
      .filter(Boolean)
      .join('\n'),

  'language.changed': 'C’est noté : je vous parle désormais en français.',
  'language.usage': 'Précisez la langue : **langue fr** (français) ou **langue en** (anglais).',

  'unknown.intro': 'Je n’ai pas reconnu cette demande.',
  'unknown.emptyMessage': 'Votre message est vide.',

  'footer.bot': 'Relais · assistant automatisé (IA) · « à propos » pour vos données',
  'footer.ai': 'Réponse générée par une IA : vérifiez-la et gardez votre jugement professionnel.',

  'button.help': 'Aide',
  'button.about': 'À propos',
  'button.demo': 'Démo',
  'button.otherLanguage': 'English',

  'demo.intro':
    '**Aperçu des éléments d’interface.** Voici comment je présente :\n- du texte *mis en forme*, avec un [lien](https://europa.eu) et du `code` ;\n- des boutons, des choix, une échelle, des champs de réponse ;\n- une image, des sources citées [1] [2] et un pied de message.',
  'demo.button.primary': 'Principal',
  'demo.button.secondary': 'Secondaire',
  'demo.single.label': 'Choix unique : quel moment de la semaine vous convient le mieux ?',
  'demo.single.options': ['Lundi matin', 'Mercredi après-midi', 'Vendredi matin'],
  'demo.multi.label': 'Choix multiples : quels outils utilisez-vous ?',
  'demo.multi.options': ['Messagerie', 'Tableur', 'Traitement de texte', 'Logiciel métier'],
  'demo.scale.label': 'Échelle : comment vous sentez-vous cette semaine ?',
  'demo.scale.min': 'Très mal',
  'demo.scale.max': 'Très bien',
  'demo.number.label': 'Nombre : combien de minutes avez-vous gagnées cette semaine ?',
  'demo.number.unit': 'minutes',
  'demo.text.label': 'Texte libre : un commentaire ?',
  'demo.text.placeholder': 'Écrivez ici…',
  'demo.submit': 'Envoyer',
  'demo.image.alt': 'Histogramme de démonstration : trois barres de hauteurs croissantes',
  'demo.image.title': 'Exemple de graphique',
  'demo.citation1.title': 'Récit fictif de démonstration : un premier stage en protection de l’enfance',
  'demo.citation1.source': 'Ancienne étudiante · 2021 · récit fictif',
  'demo.citation1.excerpt': '« Les premières semaines, je notais tout le soir pour ne rien oublier… »',
  'demo.citation2.title': 'Récit fictif de démonstration : accueillir sans juger',
  'demo.citation2.source': 'Travailleur social · 2018 · récit fictif',
  'demo.citation2.excerpt': '« J’ai appris à laisser le silence s’installer. »',
  'demo.received': (answer: string): string => `Bien reçu : ${answer}`,
  'demo.feedback.up': 'Merci pour votre retour positif.',
  'demo.feedback.down': 'Merci, votre retour nous aide à nous améliorer.',
  'demo.noAnswer': '(aucune réponse)',

  'assistant.searching': 'Je cherche dans les récits…',
  'assistant.writing': 'Je rédige une réponse…',
  'assistant.extractive.intro': '**Voici des extraits de récits proches de votre situation.** Ce sont des passages cités tels quels, pas une réponse rédigée : à vous de voir ce qui résonne.',
  'assistant.extractive.notQuotable': '(l’auteur·e n’a pas autorisé la citation : récit consulté, non cité)',
  'assistant.questions': '**Pour prendre du recul :**',
  'assistant.noSources':
    'Je n’ai pas trouvé de récit assez proche de ce que vous décrivez. Vous pouvez reformuler avec quelques mots de plus sur la situation (le lieu de stage, ce qui s’est passé, ce que vous avez ressenti).',
  'assistant.modelUnavailable': '_Le modèle de langue ne répond pas pour l’instant : voici directement des extraits de récits._',
  'assistant.footer.extractive': 'Extraits choisis automatiquement par une IA (recherche) : gardez votre jugement professionnel.',
  'assistant.concern': '_Ce que vous vivez a l’air lourd. Si cela devient trop, parlez-en à votre référent·e ; le 3114 répond 24 h/24, gratuitement._',
  'feedback.thanks.up': 'Merci pour votre retour.',
  'feedback.thanks.down': 'Merci pour votre retour. Voulez-vous préciser ce qui n’allait pas ? (facultatif)',
  'feedback.comment.label': 'Votre commentaire (facultatif)',
  'feedback.comment.placeholder': 'Par exemple : les récits ne correspondaient pas à ma situation…',
  'feedback.comment.submit': 'Envoyer',
  'feedback.comment.thanks': 'Merci, votre commentaire est enregistré avec la réponse.',
  'feedback.unknown': 'Je ne retrouve pas cette réponse (elle a peut-être été effacée après la durée de conservation).',

  'error.generic': 'Désolé, une erreur s’est produite de mon côté. Réessayez dans un instant ; si cela persiste, signalez-le avec ce code : {ref}.',
  'error.invalidInput': 'Cette réponse n’est pas valide. Vérifiez-la et réessayez.',
  'error.tooLong': 'Votre message est trop long. Pouvez-vous le raccourcir ?',
  'error.unavailable': 'Je suis momentanément indisponible. Réessayez dans quelques minutes (code : {ref}).',
  'error.notFound': 'Je ne trouve pas ce que vous demandez.',
  'error.unknownAction': 'Ce bouton n’est plus actif. Tapez **aide** pour repartir.',
};

export type Catalog = typeof fr;
