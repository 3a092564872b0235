import { PII_REPLACEMENTS, scrubPii, type ScrubOptions } from '../../../../src/core/corpus/pii-scrubber.js';

const scrub = (text: string, options?: ScrubOptions): string => scrubPii(text, options).text;

describe('scrubPii', () => {
  describe('e-mails', () => {
    it.each([
      ['Écris-moi à marie.durand@exemple.fr.', 'Écris-moi à [courriel].'],
      ['Contact : k.benali+stage@mail.example.com', 'Contact : [courriel]'],
      ['[lui écrire](mailto:karim.benali@exemple.fr)', '[lui écrire]([courriel])'],
      ['ÉLOÏSE.GÉRARD@Exemple.FR a répondu', '[courriel] a répondu'],
      ['prenom.nom at exemple point fr', '[courriel]'],
      ['jean_d [at] free [dot] fr ou karim93 (arobase) gmail (point) com', '[courriel] ou [courriel]'],
    ])('scrubs %j', (input, expected) => {
      expect(scrub(input)).toBe(expected);
    });

    it.each([
      'Le rendez-vous at home point final.',
      'On s’est retrouvés @ la MECS.',
      'Je suis arrivée at 9 point 30.',
    ])('leaves %j alone', (input) => {
      expect(scrub(input)).toBe(input);
    });

    it('reports a masked address', () => {
      expect(scrubPii('marie.durand@exemple.fr').findings).toEqual([{ kind: 'email', masked: 'm***@e***.fr', count: 1 }]);
    });
  });

  describe('phone numbers', () => {
    it.each([
      ['06 12 34 56 78', '06 ** ** ** 78'],
      ['06.12.34.56.78', '06 ** ** ** 78'],
      ['06-12-34-56-78', '06 ** ** ** 78'],
      ['0612345678', '06 ** ** ** 78'],
      ['06\u00a012\u00a034\u00a056\u00a078', '06 ** ** ** 78'],
      ['+33 6 12 34 56 78', '06 ** ** ** 78'],
      ['+33 (0)6 12 34 56 78', '06 ** ** ** 78'],
      ['+33612345678', '06 ** ** ** 78'],
      ['0033 6 12 34 56 78', '06 ** ** ** 78'],
      ['01 23 45 67 89', '01 ** ** ** 89'],
      ['03.20.45.67.89', '03 ** ** ** 89'],
      ['09 87 65 43 21', '09 ** ** ** 21'],
      ['+32 470 12 34 56', '+32 ** ** 56'],
      ['+212 6 12 34 56 78', '+212 ** ** 78'],
    ])('scrubs %j', (input, masked) => {
      expect(scrubPii(`Tél. : ${input}, merci.`)).toEqual({ text: 'Tél. : [téléphone], merci.', findings: [{ kind: 'phone', masked, count: 1 }] });
    });

    it.each([
      'Appelle le 3114, le 15, le 112, le 119, le 115, le 17, le 18 ou le 3919.',
      'Fil Santé Jeunes : 0 800 235 236 ; Drogues info service : 0800 23 13 13.',
      'En 2019, elle touchait 1 200 € ; en 2021, 1 350,50 €.',
      'Le 12/03/2021, puis le 06.12.2021 à 14 h 30.',
      'Article L. 226-2-1 du CASF, décret n° 2016-1557.',
      'Dossier 06 12 34 56 78 90 12 (numéro interne trop long).',
      'Code postal 75011, année 1998, matricule 123456.',
    ])('leaves %j alone', (input) => {
      expect(scrub(input)).toBe(input);
    });
  });

  describe('postal addresses', () => {
    it.each([
      ['Il habite 12 rue Victor Hugo, 59000 Lille.', 'Il habite [adresse].', '** rue V*** H***, 59*** L***'],
      ['au 3 bis avenue de la République 75011 Paris', 'au [adresse]', '** avenue de la R***, 75*** P***'],
      ['au 5, bd du 8 Mai 1945 à Lens', 'au [adresse] à Lens', '** bd du * M*** *'],
      ['10 place Bellecour', '[adresse]', '** place B***'],
      ['7 impasse des Lilas', '[adresse]', '** impasse des L***'],
      ["22 allée de l'Église 59800 Lille", '[adresse]', "** allée de l'É***, 59*** L***"],
      ['n°4 chemin du Moulin', '[adresse]', '** chemin du M***'],
      ['12, Rue Nationale', '[adresse]', '** rue N***'],
      ['1250 route de Lyon', '[adresse]', '** route de L***'],
      ['5 avenue Jean-Jaurès 72000 Le Mans Cedex 9', '[adresse]', '** avenue J***-J***, 72*** L*** M***'],
      ['Direction 59000 Lille.', 'Direction [adresse].', '59*** L***'],
      ['62200 Boulogne-sur-Mer', '[adresse]', '62*** B***-sur-M***'],
      ['94120 Fontenay sous Bois', '[adresse]', '94*** F*** sous B***'],
    ])('scrubs %j', (input, expected, masked) => {
      expect(scrubPii(input)).toEqual({ text: expected, findings: [{ kind: 'address', masked, count: 1 }] });
    });

    it.each([
      '3 cours de français, 2 places disponibles, 2 routes possibles, 5 chemins.',
      'Le 14 juillet 2020 place de la République, la foule.',
      '12 000 Français, 50000 Euros, les 35000 habitants.',
      'Il habitait rue Victor Hugo, à Lille, dans le Nord.',
      'Le 75011 est un arrondissement.',
    ])('leaves %j alone', (input) => {
      expect(scrub(input)).toBe(input);
    });
  });

  describe('IBAN', () => {
    it.each([
      ['FR76 3000 6000 0112 3456 7890 189', 'FR76 **** **89'],
      ['FR7630006000011234567890189', 'FR76 **** **89'],
      ['FR14 2004 1010 0505 0001 3M02 606', 'FR14 **** **06'],
      ['BE68 5390 0754 7034', 'BE68 **** **34'],
      ['DE89 3704 0044 0532 0130 00', 'DE89 **** **00'],
    ])('scrubs %j (mod-97 valid)', (input, masked) => {
      expect(scrubPii(`IBAN : ${input}.`)).toEqual({ text: 'IBAN : [IBAN].', findings: [{ kind: 'iban', masked, count: 1 }] });
    });

    it('stops before a following uppercase word', () => {
      expect(scrub('FR76 3000 6000 0112 3456 7890 189 BIC AGRIFRPP')).toBe('[IBAN] BIC AGRIFRPP');
    });

    it.each(['FR76 3000 6000 0112 3456 7890 188', 'FR76 3000 6000 0112 3456 7890 18', 'LEGIARTI000006796465', 'AB12 CDEF GHIJ KLMN'])(
      'leaves %j alone (bad checksum or length)',
      (input) => {
        expect(scrub(input)).toBe(input);
      },
    );
  });

  describe('NIR (social security number)', () => {
    it.each([
      ['1 85 05 78 006 084 91', '* ** ** ** *** *** 91'],
      ['185057800608491', '* ** ** ** *** *** 91'],
      ['1.85.05.78.006.084.91', '* ** ** ** *** *** 91'],
      ['2 90 12 2A 123 456 44', '* ** ** ** *** *** 44'],
      ['2 90 12 2B 123 456 71', '* ** ** ** *** *** 71'],
      ['1 85 05 78 006 084', '* ** ** ** *** ***'],
    ])('scrubs %j', (input, masked) => {
      expect(scrubPii(`n° ${input}.`)).toEqual({ text: 'n° [n° de sécurité sociale].', findings: [{ kind: 'nir', masked, count: 1 }] });
    });

    it.each(['1 85 05 78 006 084 36', '185057800608436', '2 90 12 2A 123 456 71', '1 85 13 78 006 084 91', '1850578006084'])(
      'leaves %j alone (wrong key, bad month or bare 13 digits)',
      (input) => {
        expect(scrub(input)).toBe(input);
      },
    );
  });

  describe('URLs', () => {
    it.each([
      ['https://www.facebook.com/karim.benali', 'facebook.com/***'],
      ['https://www.facebook.com/profile.php?id=100004567890123', 'facebook.com/***'],
      ['https://linkedin.com/in/nathalie-durand/', 'linkedin.com/***'],
      ['instagram.com/yasmine_93', 'instagram.com/***'],
      ['https://x.com/kbenali', 'x.com/***'],
      ['https://twitter.com/kbenali', 'twitter.com/***'],
      ['https://www.youtube.com/@karimvlog', 'youtube.com/***'],
      ['https://exemple.fr/page?id=4242&lang=fr', 'e***.fr/***'],
      ['https://exemple.fr/inscription?email=k%40exemple.fr', 'e***.fr/***'],
      ['https://exemple.fr/users/jdupont', 'e***.fr/***'],
      ['https://exemple.fr/~kbenali/', 'e***.fr/***'],
      ['https://drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUvWxYz/view', 'd***.com/***'],
      ['https://asso.example.org/dossiers/3fa85f64-5717-4562-b3fc-2c963f66afa6', 'a***.org/***'],
    ])('scrubs %j', (input, masked) => {
      expect(scrubPii(`Voir ${input}.`)).toEqual({ text: 'Voir [lien].', findings: [{ kind: 'url', masked, count: 1 }] });
    });

    it.each([
      'https://www.service-public.fr/particuliers/vosdroits/F1234',
      'https://3114.fr',
      'https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000006796465',
      'https://www.caf.fr/allocataires/mes-services-en-ligne',
      'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      'https://www.linkedin.com/company/croix-rouge-francaise',
      'www.facebook.com/groups/parents59',
      'https://www.ameli.fr/assure/remboursements?lang=fr',
    ])('leaves %j alone', (input) => {
      expect(scrub(`Voir ${input}.`)).toBe(`Voir ${input}.`);
    });

    it('keeps Markdown link syntax and surrounding punctuation', () => {
      expect(scrub('[son profil](https://www.facebook.com/karim.benali), (https://x.com/kb).')).toBe('[son profil]([lien]), ([lien]).');
    });

    it('scrubs an institutional page named after a configured person', () => {
      expect(scrub('https://asso.example.org/equipe/amelie-durand et https://asso.example.org/equipe', { names: ['Amélie Durand'] })).toBe(
        '[lien] et https://asso.example.org/equipe',
      );
    });
  });

  describe('configured names', () => {
    const names = ['Amélie Durand', 'Marie', 'Pierre', 'Le Goff'];

    it.each([
      ['Amélie Durand est venue.', '[personne] est venue.'],
      ['AMÉLIE DURAND, amelie durand', '[personne], [personne]'],
      ["Le stage d'Amélie, l’avis de Durand.", "Le stage d'[personne], l’avis de [personne]."],
      ['Marie est venue seule.', '[personne] est venue seule.'],
      ['MARIE était là.', '[personne] était là.'],
      ['Madame Le Goff et Nathalie Le Goff', 'Madame [personne] et [personne]'],
      ['Pierre est venu avec une pierre.', '[personne] est venu avec une pierre.'],
      ['Marie Lambert-Roy', '[personne]'],
    ])('scrubs %j', (input, expected) => {
      expect(scrub(input, { names })).toBe(expected);
    });

    it.each(['Marie-Claire est venue.', 'Sainte-Marie, Saint-Pierre-des-Corps.', 'La Fondation Abbé Pierre aide.', 'Une marieuse, un pierrier.'])(
      'leaves %j alone',
      (input) => {
        expect(scrub(input, { names })).toBe(input);
      },
    );

    it('takes the surname along with a configured first name that the built-in list does not know', () => {
      expect(scrub('Zéphyrin Bouchard, Zéphyrin B. et Zéphyrin', { names: ['Zéphyrin'] })).toBe('[personne], [personne] B. et [personne]');
    });

    it('ignores empty entries and lone particles', () => {
      expect(scrub('Le dossier de la famille', { names: ['', '  ', 'de', 'Le'] })).toBe('Le dossier de la famille');
    });
  });

  describe('name heuristics', () => {
    it.each([
      ['Pendant que Karim Benali parlait', 'Pendant que [personne] parlait', 'K*** B***'],
      ['Quand Nathalie Le Goff est arrivée', 'Quand [personne] est arrivée', 'N*** L*** G***'],
      ['Jean-Baptiste Poquelin riait', '[personne] riait', 'J***-B*** P***'],
      ['Éloïse Gérard était là', '[personne] était là', 'É*** G***'],
      ['Kévin Dubois', '[personne]', 'K*** D***'],
      ['Mohamed Ben Salah', '[personne]', 'M*** B*** S***'],
      ['Yasmine El Amrani', '[personne]', 'Y*** E*** A***'],
      ["Fatou N'Diaye", '[personne]', "F*** N***'D***"],
      ['Éloïse de Villiers', '[personne]', 'É*** de V***'],
      ['Fatima Zahra Benali', '[personne]', 'F*** Z*** B***'],
      ['Karim BENALI', '[personne]', 'K*** B***'],
      ['BENALI Karim', '[personne]', 'B*** K***'],
      ['Madame Durand', 'Madame [personne]', 'D***'],
      ['madame Durand', 'madame [personne]', 'D***'],
      ['M. Martin', 'M. [personne]', 'M***'],
      ['Mme. Benali', 'Mme. [personne]', 'B***'],
      ['Mlle Roux', 'Mlle [personne]', 'R***'],
      ['Dr Lefèvre', 'Dr [personne]', 'L***'],
      ['Maître Dupont', 'Maître [personne]', 'D***'],
      ['Me Durand', 'Me [personne]', 'D***'],
      ['Monsieur Karim Benali', 'Monsieur [personne]', 'K*** B***'],
      ['Madame de Villiers', 'Madame [personne]', 'de V***'],
      ['M. Durand-Lefèvre', 'M. [personne]', 'D***-L***'],
      ['la famille Benali', 'la famille [personne]', 'B***'],
    ])('scrubs %j', (input, expected, masked) => {
      expect(scrubPii(input)).toEqual({ text: expected, findings: [{ kind: 'name', masked, count: 1 }] });
    });

    it.each([
      // Initials are already anonymised.
      'Madame B. et M. K. sont venus ; Maître X ; Karim B., 15 ans ; Madame Fatima B.',
      // First names alone are the usual pseudonyms of récits.
      'Karim, Fatima et Yasmine sont arrivés. Nathalie aussi.',
      // Sentence starts and common capitalised words.
      'Pendant ce temps, Quand il pleut, Le lundi, Après Noël, En Avril.',
      // Institutions, places and acronyms.
      "Karim ASE ; la CAF Fatima ; le CHRS Karim ; l'AEMO, la MECS, l'IME, l'ESAT, la PJJ, le CSAPA, la CPAM, l'EHPAD, le CADA.",
      'France Travail, Pôle emploi, la Croix-Rouge, les Restos du Cœur, Emmaüs, la Maison des Solidarités, le Conseil départemental.',
      "Saint-Omer, Saint-Étienne, Sainte Marie, St Jean, l'IRTS de Lille, Marie-Galante.",
      // Streets, schools and authors named after people.
      'Le lycée Victor Hugo, la rue Jean Jaurès, le collège Jean Moulin, la promotion Simone Veil, le CHU Jean Minjoz.',
      'Comme le disent Boris Cyrulnik, Françoise Dolto et Charles de Gaulle.',
      // Roles after a title, regnal numbers.
      'Monsieur Le Maire, Madame la Directrice, Maître de Conférences, Louis XIV, Jean Paul II, Louis Philippe Ier.',
      // Lowercase words after a first name.
      'Karim le savait, Fatima de son côté, Yasmine la première.',
      // Quotations and movements that look like a title + name.
      'Maître Corbeau, sur un arbre perché ; le mouvement Me Too ; Martin Luther King.',
    ])('leaves %j alone', (input) => {
      expect(scrub(input)).toBe(input);
    });

    it('honours keepWords, single words and phrases', () => {
      expect(scrub('Madame Bovary, Julie Lescaut et Karim Benali', { keepWords: ['Bovary', 'Julie Lescaut'] })).toBe(
        'Madame Bovary, Julie Lescaut et [personne]',
      );
    });

    it('lets configured names win over keepWords', () => {
      expect(scrub('Madame Bovary', { names: ['Bovary'], keepWords: ['Bovary'] })).toBe('Madame [personne]');
    });

    it('merges adjacent name parts into one person', () => {
      expect(scrubPii('Amélie Durand', { names: ['Amélie', 'Durand'] })).toEqual({
        text: '[personne]',
        findings: [{ kind: 'name', masked: 'A*** D***', count: 1 }],
      });
    });
  });

  describe('text outside findings', () => {
    it('is returned untouched when nothing is found', () => {
      const text = '# Titre\n\n- *un* point\r\n- **deux**\u00a0points\n\n> citation « entre guillemets »\n\n```\ncode\n```\n';
      expect(scrubPii(text)).toEqual({ text, findings: [] });
    });

    it('keeps line endings, non-breaking spaces and Markdown around replacements', () => {
      expect(scrub('Ligne\u00a01 : **Karim\u00a0Benali**\r\n\r\n- 06 12 34 56 78\r\n- _marie.durand@exemple.fr_\n')).toBe(
        'Ligne\u00a01 : **[personne]**\r\n\r\n- [téléphone]\r\n- _[courriel]_\n',
      );
    });

    it('handles text in decomposed Unicode (NFD)', () => {
      const text = 'Éloïse Gérard et Amélie'.normalize('NFD');
      expect(scrub(text, { names: ['Amélie'] })).toBe('[personne] et [personne]');
    });

    it('is idempotent: scrubbing scrubbed text finds nothing more', () => {
      const once = scrub('Madame Durand, Karim Benali, 06 12 34 56 78, a.b@c.fr, 12 rue Victor Hugo 59000 Lille, https://x.com/kb', { names: ['Amélie'] });
      expect(scrubPii(once, { names: ['Amélie'] })).toEqual({ text: once, findings: [] });
    });

    it('never throws on arbitrary input', () => {
      for (const input of ['', ' ', '@', 'http://', 'https://[', 'www.', '+33', 'FR76', '1 ', 'M.', 'Madame', 'rue', '59000', '\u0301', 'a'.repeat(5000)]) {
        expect(() => scrubPii(input, { names: ['', 'x'], keepWords: [''] })).not.toThrow();
      }
    });
  });

  describe('findings', () => {
    it('aggregate by kind and masked form, in order of first appearance', () => {
      const { findings } = scrubPii('06 12 34 56 78, Karim Benali, 06.12.34.56.78, a.b@c.fr, Karim Benali, 07 12 34 56 78');
      expect(findings).toEqual([
        { kind: 'phone', masked: '06 ** ** ** 78', count: 2 },
        { kind: 'name', masked: 'K*** B***', count: 2 },
        { kind: 'email', masked: 'a***@c***.fr', count: 1 },
        { kind: 'phone', masked: '07 ** ** ** 78', count: 1 },
      ]);
    });

    it('never contain a raw value, even for lowercase configured names', () => {
      const raw = ['karim', 'benali', 'ali', 'durand', '34 56', 'exemple', 'victor', 'hugo', '3000 6000', '006 084', 'karimvlog'];
      const { findings } = scrubPii(
        'ali et Karim Benali, Mme Durand, 06 12 34 56 78, k@exemple.fr, 12 rue Victor Hugo, FR76 3000 6000 0112 3456 7890 189, 1 85 05 78 006 084 91, https://www.youtube.com/@karimvlog',
        { names: ['Ali'] },
      );
      expect(findings).toHaveLength(9);
      for (const finding of findings) for (const value of raw) expect(finding.masked.toLowerCase()).not.toContain(value);
    });

    it('use the documented replacement tokens', () => {
      expect(PII_REPLACEMENTS).toEqual({
        email: '[courriel]',
        phone: '[téléphone]',
        address: '[adresse]',
        iban: '[IBAN]',
        nir: '[n° de sécurité sociale]',
        url: '[lien]',
        name: '[personne]',
      });
    });
  });

  it('scrubs a realistic récit and leaves the rest byte-identical', () => {
    const recit = `## Mon premier stage en MECS

Pendant mon stage à la MECS « Les Tilleuls », en 2019, j'ai accompagné Karim Benali, 15 ans, placé par l'ASE après une mesure d'AEMO. Sa mère, Madame Durand, m'appelait souvent au 06 12 34 56 78 ou m'écrivait à nathalie.durand@exemple.fr. Ils vivaient au 12 rue Victor Hugo, 59000 Lille, puis à 62100 Calais.

Mon référent, M. K., m'a conseillé de relire l'article L. 226-2-1 du CASF et la fiche https://www.service-public.fr/particuliers/vosdroits/F1234. Quand Karim allait mal, on lui rappelait le 3114 ou le 119. Un jour, Amélie m'a montré le profil https://www.facebook.com/karim.benali.59 : tout y était, même son IBAN (FR76 3000 6000 0112 3456 7890 189) et le n° de sécu de sa mère, 2 84 04 62 123 045 42.

- Le lundi, **Dr Lefèvre** passait au foyer ; Madame B. aussi.
- Comme le dit Boris Cyrulnik, la résilience se tisse.

Je garde de Saint-Omer et de Jean-Baptiste Poquelin un souvenir ému : 1 200 € de budget, le 12/03/2021, et beaucoup d'humilité. Éloïse Gérard, du Conseil départemental, m'a rappelé au +33 (0)3 21 45 67 89.
`;
    const result = scrubPii(recit, { names: ['Amélie'] });
    expect(result.text).toBe(`## Mon premier stage en MECS

Pendant mon stage à la MECS « Les Tilleuls », en 2019, j'ai accompagné [personne], 15 ans, placé par l'ASE après une mesure d'AEMO. Sa mère, Madame [personne], m'appelait souvent au [téléphone] ou m'écrivait à [courriel]. Ils vivaient au [adresse], puis à [adresse].

Mon référent, M. K., m'a conseillé de relire l'article L. 226-2-1 du CASF et la fiche https://www.service-public.fr/particuliers/vosdroits/F1234. Quand Karim allait mal, on lui rappelait le 3114 ou le 119. Un jour, [personne] m'a montré le profil [lien] : tout y était, même son IBAN ([IBAN]) et le n° de sécu de sa mère, [n° de sécurité sociale].

- Le lundi, **Dr [personne]** passait au foyer ; Madame B. aussi.
- Comme le dit Boris Cyrulnik, la résilience se tisse.

Je garde de Saint-Omer et de [personne] un souvenir ému : 1 200 € de budget, le 12/03/2021, et beaucoup d'humilité. [personne], du Conseil départemental, m'a rappelé au [téléphone].
`);
    expect(result.findings).toEqual([
      { kind: 'name', masked: 'K*** B***', count: 1 },
      { kind: 'name', masked: 'D***', count: 1 },
      { kind: 'phone', masked: '06 ** ** ** 78', count: 1 },
      { kind: 'email', masked: 'n***@e***.fr', count: 1 },
      { kind: 'address', masked: '** rue V*** H***, 59*** L***', count: 1 },
      { kind: 'address', masked: '62*** C***', count: 1 },
      { kind: 'name', masked: 'A***', count: 1 },
      { kind: 'url', masked: 'facebook.com/***', count: 1 },
      { kind: 'iban', masked: 'FR76 **** **89', count: 1 },
      { kind: 'nir', masked: '* ** ** ** *** *** 42', count: 1 },
      { kind: 'name', masked: 'L***', count: 1 },
      { kind: 'name', masked: 'J***-B*** P***', count: 1 },
      { kind: 'name', masked: 'É*** G***', count: 1 },
      { kind: 'phone', masked: '03 ** ** ** 89', count: 1 },
    ]);
  });
});

/**
 * Held-out sentences, written after the patterns were settled and never used
 * to tune them: a check that the detectors generalise beyond the cases above.
 */
describe('scrubPii on held-out sentences', () => {
  it.each([
    ["Son éducatrice, Mme Sylvie Moreau, l'a reçue mardi.", "Son éducatrice, Mme [personne], l'a reçue mardi."],
    ['Pour joindre le SAVS : 03.20.45.67.89 (standard).', 'Pour joindre le SAVS : [téléphone] (standard).'],
    ['Thomas Girard habitait 8 impasse du Moulin, 80000 Amiens.', '[personne] habitait [adresse].'],
    ['En 2021, le 119 a reçu 1 500 appels de la région.', 'En 2021, le 119 a reçu 1 500 appels de la région.'],
    ['Écrivez plutôt à accueil.mecs@association-exemple.org.', 'Écrivez plutôt à [courriel].'],
    ['Le virement venait du compte FR14 2004 1010 0505 0001 3M02 606.', 'Le virement venait du compte [IBAN].'],
    ['Sa carte Vitale portait le numéro 1 69 03 75 056 789 77.', 'Sa carte Vitale portait le numéro [n° de sécurité sociale].'],
    ["J'ai retrouvé son compte sur https://www.instagram.com/lea.martin.officiel/ le soir même.", "J'ai retrouvé son compte sur [lien] le soir même."],
    [
      'La circulaire est sur https://www.legifrance.gouv.fr/circulaire/id/45123 et la fiche F2345.',
      'La circulaire est sur https://www.legifrance.gouv.fr/circulaire/id/45123 et la fiche F2345.',
    ],
    ['Quand Mathilde Rousseau est partie, le foyer a changé.', 'Quand [personne] est partie, le foyer a changé.'],
    ["Au CHRS de Roubaix, M. Haddad et Mme L. m'ont aidée.", "Au CHRS de Roubaix, M. [personne] et Mme L. m'ont aidée."],
    ['Nous avons lu Françoise Dolto et Paulo Freire en cours.', 'Nous avons lu Françoise Dolto et Paulo Freire en cours.'],
    ["Le collège Jean Jaurès et l'école Jules Ferry sont voisins.", "Le collège Jean Jaurès et l'école Jules Ferry sont voisins."],
    ["Après la Toussaint, Yanis Boukhari a intégré l'ESAT.", "Après la Toussaint, [personne] a intégré l'ESAT."],
    ['Son portable : +33 7 81 22 43 90, son fixe : 04 78 12 34 56.', 'Son portable : [téléphone], son fixe : [téléphone].'],
    ['Appelez le 3919 ou le 17 en cas de danger.', 'Appelez le 3919 ou le 17 en cas de danger.'],
    ['La réunion du 05/11/2022 à 14 h 30 a réuni 12 personnes.', 'La réunion du 05/11/2022 à 14 h 30 a réuni 12 personnes.'],
    ['Le dossier de Lucas P. a été transmis au juge des enfants.', 'Le dossier de Lucas P. a été transmis au juge des enfants.'],
    ['Sa tante, Maître Rodriguez, plaidait à Lyon.', 'Sa tante, Maître [personne], plaidait à Lyon.'],
    ['Direction Saint-Étienne, puis Sainte-Foy-lès-Lyon.', 'Direction Saint-Étienne, puis Sainte-Foy-lès-Lyon.'],
    ['Le lien de son profil : linkedin.com/in/julien-mercier-7b2a41', 'Le lien de son profil : [lien]'],
    ['Rendez-vous 27 boulevard Gambetta à Tourcoing.', 'Rendez-vous [adresse] à Tourcoing.'],
    ["Les articles L. 112-3 et R. 221-1 du CASF encadrent la protection de l'enfance.", "Les articles L. 112-3 et R. 221-1 du CASF encadrent la protection de l'enfance."],
    ['Le voisin, monsieur Petitjean, criait sur la famille N’Guessan.', 'Le voisin, monsieur [personne], criait sur la famille [personne].'],
  ])('%j', (input, expected) => {
    expect(scrub(input)).toBe(expected);
  });

  it('with a configured name', () => {
    expect(scrub('Ma collègue Camille m’a dit : « Sophie Lambert ne reviendra pas. »', { names: ['Camille'] })).toBe(
      'Ma collègue [personne] m’a dit : « [personne] ne reviendra pas. »',
    );
  });
});
