import { describe, expect, it } from '@jest/globals';
import { selectNotableComments } from '../../../../src/core/digests/notable-comments.js';

describe('selectNotableComments', () => {
  it('scrubs personal data, drops short and duplicate comments, prefers the richest, in a stable order', () => {
    const picked = selectNotableComments(
      [
        'ok',
        'Merci à Mme Sandrine Lefèvre pour l’atelier, écrivez-lui à sandrine.lefevre@univ-exemple.fr ou au 06 12 34 56 78',
        'Le  modèle de réponse   aux courriels m’a fait gagner du temps.',
        'le modèle de réponse aux courriels m’a fait gagner du temps.',
        'Bien.',
        'Les relances de conventions sont plus rapides, mais il faut relire chaque courrier généré par l’outil.',
      ],
      { max: 5 },
    );
    expect(picked).toHaveLength(3);
    const all = picked.join('\n');
    expect(all).not.toMatch(/Lefèvre|sandrine|06 12/);
    expect(all).toContain('[courriel]');
    expect(all).toContain('[téléphone]');
    expect(picked[0]).toMatch(/^Les relances de conventions/);
    expect(picked).toContain('Le modèle de réponse aux courriels m’a fait gagner du temps.');
    expect(selectNotableComments([...picked].reverse(), { max: 5 })).toEqual(selectNotableComments(picked, { max: 5 }));
  });

  it('keeps at most `max` comments and cuts long ones at a word', () => {
    const long = 'Les outils de rédaction aident beaucoup pour les courriers standard '.repeat(10);
    const picked = selectNotableComments([long, 'Deuxième commentaire assez long pour compter', 'Troisième commentaire assez long aussi'], { max: 2, maxLength: 80 });
    expect(picked).toHaveLength(2);
    expect(picked[0]!.length).toBeLessThanOrEqual(80);
    expect(picked[0]).toMatch(/standard…$|[a-z]…$/);
  });
});
