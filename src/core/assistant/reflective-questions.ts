/**
 * Open questions that help a student step back, chosen by the themes of the
 * récits found (extractive mode frames excerpts with them). Written for the
 * reflective stance of social-work training: questions, not advice.
 */
import type { Locale } from '../i18n/locale.js';
import { foldAccents } from '../retrieval/query-terms.js';

type Bank = Record<string, { fr: string; en: string }[]>;

const BY_THEME: Bank = {
  'premier stage': [
    { fr: 'Qu’attendiez-vous de ce stage, et qu’est-ce qui vous surprend le plus aujourd’hui ?', en: 'What did you expect from this placement, and what surprises you most today?' },
  ],
  'charge emotionnelle': [
    { fr: 'Où déposez-vous ce que vous portez après une journée difficile, et auprès de qui ?', en: 'Where do you put down what you carry after a hard day, and with whom?' },
  ],
  supervision: [
    { fr: 'Qu’aimeriez-vous pouvoir dire de cette situation en analyse des pratiques ou à votre référent·e ?', en: 'What would you like to be able to say about this situation in supervision or to your tutor?' },
  ],
  'conflit de valeurs': [
    { fr: 'Quelle valeur vous semble ici en tension avec ce que l’on vous demande ? Comment la nommeriez-vous ?', en: 'Which of your values feels in tension with what is asked of you? How would you name it?' },
  ],
  'secret professionnel': [
    { fr: 'Qu’est-ce qui, dans cette situation, relève du partage d’information nécessaire, et qu’est-ce qui n’en relève pas ?', en: 'In this situation, what is necessary information sharing, and what is not?' },
  ],
  violence: [
    { fr: 'De quoi auriez-vous eu besoin, de la part de l’équipe ou de l’institution, à ce moment-là ?', en: 'What would you have needed from the team or the institution at that moment?' },
  ],
  epuisement: [
    { fr: 'Quels signes, chez vous, vous disent qu’il est temps de ralentir ou de demander du soutien ?', en: 'Which signs in yourself tell you it is time to slow down or ask for support?' },
  ],
  'travail en equipe': [
    { fr: 'Avec qui, dans l’équipe, pourriez-vous reprendre ce moment, et que voudriez-vous lui demander ?', en: 'With whom in the team could you go back over this moment, and what would you ask them?' },
  ],
  'posture professionnelle': [
    { fr: 'Quelle place avez-vous prise dans cette situation, et quelle place auriez-vous aimé prendre ?', en: 'What position did you take in this situation, and which one would you have liked to take?' },
  ],
  "relation d'aide": [
    { fr: 'Qu’est-ce que la personne accompagnée attendait, selon vous, et comment le savez-vous ?', en: 'What did the person you support expect, in your view, and how do you know?' },
  ],
  famille: [
    { fr: 'Comment chaque membre de la famille pourrait-il raconter ce qui s’est passé ?', en: 'How might each family member tell what happened?' },
  ],
  limites: [
    { fr: 'Où se situe pour vous la limite entre aider et faire à la place de la personne ?', en: 'Where, for you, is the line between helping and doing things for the person?' },
  ],
  erreur: [
    { fr: 'Qu’est-ce que cette erreur vous apprend sur vos conditions de travail, et pas seulement sur vous ?', en: 'What does this mistake teach you about your working conditions, not only about yourself?' },
  ],
  institution: [
    { fr: 'Qu’est-ce qui relève de votre marge de manœuvre, et qu’est-ce qui relève du cadre institutionnel ?', en: 'What is within your room for manoeuvre, and what belongs to the institutional framework?' },
  ],
  "place de l'usager": [
    { fr: 'Comment la personne concernée a-t-elle été associée aux décisions qui la touchent ?', en: 'How was the person concerned involved in the decisions affecting them?' },
  ],
  solitude: [
    { fr: 'À qui pourriez-vous parler de ce que vous vivez, même brièvement, cette semaine ?', en: 'Who could you talk to about what you are going through, even briefly, this week?' },
  ],
  deuil: [
    { fr: 'Avez-vous eu, ou pourriez-vous avoir, un temps pour reconnaître cette perte avec d’autres ?', en: 'Have you had, or could you have, a moment to acknowledge this loss with others?' },
  ],
  interculturalite: [
    { fr: 'Quelles évidences de votre propre culture cette rencontre a-t-elle bousculées ?', en: 'Which assumptions of your own culture did this encounter unsettle?' },
  ],
};

const GENERAL = [
  { fr: 'Si vous racontiez cette situation à un·e collègue, par où commenceriez-vous ?', en: 'If you told this situation to a colleague, where would you begin?' },
  { fr: 'Qu’est-ce qui vous a le plus touché·e, et pourquoi, à votre avis ?', en: 'What touched you most, and why, do you think?' },
  { fr: 'Avec qui pourriez-vous en parler : votre référent·e, un·e formateur·rice, vos pairs ?', en: 'Who could you talk to about it: your tutor, a trainer, your peers?' },
];

/** Up to `count` questions: first those of the themes found, then general ones. */
export function reflectiveQuestions(locale: Locale, themes: string[], count = 3): string[] {
  const chosen: string[] = [];
  for (const theme of themes) {
    for (const q of BY_THEME[foldAccents(theme.toLowerCase()).replace(/[’`]/g, "'")] ?? []) {
      if (!chosen.includes(q[locale])) chosen.push(q[locale]);
    }
    if (chosen.length >= count) break;
  }
  for (const q of GENERAL) if (chosen.length < count && !chosen.includes(q[locale])) chosen.push(q[locale]);
  return chosen.slice(0, count);
}
