import { foldAccents, queryTerms } from '../../../../src/core/retrieval/query-terms.js';

describe('foldAccents', () => {
  it.each([
    ['éducatrice', 'educatrice'],
    ['ÉCOLE', 'ECOLE'],
    ['interculturalité', 'interculturalite'],
    ['Noël à l’hôpital', 'Noel a l’hopital'],
    ['ça où déjà', 'ca ou deja'],
    ['maïs, naïve', 'mais, naive'],
    ['éducatrice'.normalize('NFD'), 'educatrice'],
  ])('folds %j to %j', (input, expected) => {
    expect(foldAccents(input)).toBe(expected);
  });

  it('leaves ligatures and text without accents alone', () => {
    expect(foldAccents('cœur et sœur')).toBe('cœur et sœur');
    expect(foldAccents('supervision')).toBe('supervision');
  });
});

describe('queryTerms', () => {
  it('keeps the content words of a student question, lower-cased and in order', () => {
    expect(queryTerms('Comment je fais quand mon tuteur ne me laisse jamais parler en réunion ?')).toEqual([
      'tuteur',
      'laisse',
      'jamais',
      'parler',
      'réunion',
    ]);
  });

  it('keeps accents for the analyser but compares stop words without them', () => {
    expect(queryTerms('Été déjà à la MECS, très fatiguée')).toEqual(['mecs', 'fatiguée']);
    expect(queryTerms('ETE DEJA TRES')).toEqual([]);
  });

  it('splits on apostrophes and hyphens and drops the elided articles', () => {
    expect(queryTerms('l’éducatrice d’aujourd’hui et l\'équipe')).toEqual(['éducatrice', 'aujourd', 'hui', 'équipe']);
    expect(queryTerms('Est-ce qu’il faut faire un signalement ?')).toEqual(['signalement']);
  });

  it('drops duplicates, whatever their case or accents', () => {
    expect(queryTerms('Éducatrice, educatrice, ÉDUCATRICE et éducatrices')).toEqual(['éducatrice', 'éducatrices']);
  });

  it('drops one-letter words but keeps numbers, even one digit long', () => {
    expect(queryTerms('x y 3114 et 5 nuits à l’ASE')).toEqual(['3114', '5', 'nuits', 'ase']);
  });

  it('drops English function words too', () => {
    expect(queryTerms('How do I talk to my supervisor about burnout?')).toEqual(['talk', 'supervisor', 'burnout']);
  });

  it('returns nothing for a question made only of function words or punctuation', () => {
    expect(queryTerms('Comment est-ce que je peux ?')).toEqual([]);
    expect(queryTerms('… !? — « »')).toEqual([]);
    expect(queryTerms('')).toEqual([]);
  });
});
