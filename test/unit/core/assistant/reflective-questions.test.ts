import { reflectiveQuestions } from '../../../../src/core/assistant/reflective-questions.js';

const GENERAL_FR = [
  'Si vous racontiez cette situation à un·e collègue, par où commenceriez-vous ?',
  'Qu’est-ce qui vous a le plus touché·e, et pourquoi, à votre avis ?',
  'Avec qui pourriez-vous en parler : votre référent·e, un·e formateur·rice, vos pairs ?',
];

const SUPERVISION_FR = 'Qu’aimeriez-vous pouvoir dire de cette situation en analyse des pratiques ou à votre référent·e ?';
const DEUIL_FR = 'Avez-vous eu, ou pourriez-vous avoir, un temps pour reconnaître cette perte avec d’autres ?';
const EPUISEMENT_FR = 'Quels signes, chez vous, vous disent qu’il est temps de ralentir ou de demander du soutien ?';

describe('reflectiveQuestions', () => {
  it('asks the three general questions when no theme is known', () => {
    expect(reflectiveQuestions('fr', [])).toEqual(GENERAL_FR);
    expect(reflectiveQuestions('fr', ['astrophysique', 'cuisine'])).toEqual(GENERAL_FR);
  });

  it('asks the questions of the themes first, in the order of the themes, then general ones', () => {
    expect(reflectiveQuestions('fr', ['deuil', 'supervision'])).toEqual([DEUIL_FR, SUPERVISION_FR, GENERAL_FR[0]]);
    expect(reflectiveQuestions('fr', ['supervision', 'deuil'])).toEqual([SUPERVISION_FR, DEUIL_FR, GENERAL_FR[0]]);
  });

  it('matches themes whatever their case and accents', () => {
    expect(reflectiveQuestions('fr', ['Épuisement'], 1)).toEqual([EPUISEMENT_FR]);
    expect(reflectiveQuestions('fr', ['CHARGE ÉMOTIONNELLE'], 1)).toEqual([
      'Où déposez-vous ce que vous portez après une journée difficile, et auprès de qui ?',
    ]);
    expect(reflectiveQuestions('fr', ['interculturalité'], 1)).toEqual(['Quelles évidences de votre propre culture cette rencontre a-t-elle bousculées ?']);
    expect(reflectiveQuestions('fr', ["place de l'usager"], 1)).toEqual([
      'Comment la personne concernée a-t-elle été associée aux décisions qui la touchent ?',
    ]);
  });

  it('asks a question once when a theme comes back', () => {
    expect(reflectiveQuestions('fr', ['deuil', 'Deuil', 'DEUIL'])).toEqual([DEUIL_FR, GENERAL_FR[0], GENERAL_FR[1]]);
  });

  it('stops at count, ignoring later themes', () => {
    const questions = reflectiveQuestions('fr', ['deuil', 'supervision', 'épuisement', 'violence', 'famille'], 2);
    expect(questions).toEqual([DEUIL_FR, SUPERVISION_FR]);
  });

  it('returns more questions when asked, up to the themes and the general ones', () => {
    expect(reflectiveQuestions('fr', ['deuil', 'supervision'], 10)).toEqual([DEUIL_FR, SUPERVISION_FR, ...GENERAL_FR]);
    expect(reflectiveQuestions('fr', ['deuil'], 0)).toEqual([]);
  });

  it('writes the same questions in English', () => {
    expect(reflectiveQuestions('en', ['supervision', 'famille'])).toEqual([
      'What would you like to be able to say about this situation in supervision or to your tutor?',
      'How might each family member tell what happened?',
      'If you told this situation to a colleague, where would you begin?',
    ]);
  });

  it('only asks questions, never gives an order', () => {
    const themes = ['premier stage', 'conflit de valeurs', 'secret professionnel', 'violence', 'travail en équipe', 'posture professionnelle', "relation d'aide", 'limites', 'erreur', 'institution', 'solitude'];
    for (const locale of ['fr', 'en'] as const) {
      const questions = reflectiveQuestions(locale, themes, 20);
      expect(questions.length).toBeGreaterThanOrEqual(themes.length);
      expect(new Set(questions).size).toBe(questions.length);
      for (const question of questions) expect(question.trim()).toMatch(/\?$/);
    }
  });
});
