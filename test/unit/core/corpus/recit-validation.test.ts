import { RelaisError } from '../../../../src/core/errors.js';
import { RecitValidationError, validateRecit, type FieldProblem } from '../../../../src/core/corpus/recit-validation.js';

const FILE = 'corpus/recit-042-nuit-au-foyer.md';

const BODY = `La première nuit de veille au foyer, je n’ai pas dormi une minute. Un jeune est rentré à trois heures du matin,
et je ne savais pas si je devais appeler le cadre d’astreinte ou simplement lui ouvrir et l’écouter.`;

function frontMatter(): Record<string, unknown> {
  return {
    id: 'recit-042-nuit-au-foyer',
    title: '  Ma première nuit de veille  ',
    author_role: 'travailleur-social',
    sector: ' protection de l’enfance ',
    year: 2021,
    themes: [' premier stage ', 'solitude'],
    language: 'fr',
    consent: { status: 'granted', date: '2024-05-17', scope: ['rag', 'citation'], reference: 'CONSENT-2024-042' },
    anonymized: true,
    fictional: false,
  };
}

/** The problems `validateRecit` reports, or fails the test if it accepts. */
function problemsOf(front: unknown, body = BODY): FieldProblem[] {
  try {
    validateRecit(FILE, front, body);
  } catch (error) {
    expect(error).toBeInstanceOf(RecitValidationError);
    return (error as RecitValidationError).problems;
  }
  throw new Error('expected the récit to be rejected');
}

function without(field: string): Record<string, unknown> {
  const front = frontMatter();
  delete front[field];
  return front;
}

function withConsent(consent: Record<string, unknown>): Record<string, unknown> {
  return { ...frontMatter(), consent: { ...(frontMatter().consent as object), ...consent } };
}

describe('validateRecit', () => {
  it('turns a valid front matter into a récit, trimming texts and themes', () => {
    expect(validateRecit(FILE, frontMatter(), BODY)).toEqual({
      id: 'recit-042-nuit-au-foyer',
      title: 'Ma première nuit de veille',
      authorRole: 'travailleur-social',
      sector: 'protection de l’enfance',
      year: 2021,
      themes: ['premier stage', 'solitude'],
      language: 'fr',
      consent: { status: 'granted', date: '2024-05-17', scope: ['rag', 'citation'], reference: 'CONSENT-2024-042' },
      anonymized: true,
      fictional: false,
      body: BODY,
    });
  });

  it('keeps the primary language of a regional code and removes repeated scopes', () => {
    const recit = validateRecit(FILE, { ...withConsent({ scope: ['rag', 'rag'] }), language: 'fr-BE' }, BODY);
    expect(recit.language).toBe('fr');
    expect(recit.consent.scope).toEqual(['rag']);
  });

  it('accepts a withdrawn consent and a fictional, non-anonymised récit (the rules of use come later)', () => {
    const recit = validateRecit(FILE, { ...withConsent({ status: 'withdrawn' }), anonymized: false, fictional: true }, BODY);
    expect(recit.consent.status).toBe('withdrawn');
    expect(recit).toMatchObject({ anonymized: false, fictional: true });
  });

  describe('consent date', () => {
    it('accepts the Date object a YAML 1.1 parser makes of 2024-05-17 and keeps the ISO day', () => {
      const recit = validateRecit(FILE, withConsent({ date: new Date(Date.UTC(2024, 4, 17)) }), BODY);
      expect(recit.consent.date).toBe('2024-05-17');
    });

    it('accepts the same date written as a quoted string', () => {
      expect(validateRecit(FILE, withConsent({ date: '2023-12-01' }), BODY).consent.date).toBe('2023-12-01');
    });

    it.each([
      ['a French-style date', '17/05/2024'],
      ['a month that does not exist', '2024-13-01'],
      ['a date with a time', '2024-05-17T10:00:00Z'],
      ['a number', 20240517],
      ['an invalid Date object', new Date('pas une date')],
    ])('rejects %s', (_label, date) => {
      expect(problemsOf(withConsent({ date }))).toEqual([{ field: 'consent.date', message: 'must be a date YYYY-MM-DD' }]);
    });

    it('says the date is required when it is missing', () => {
      const front = frontMatter();
      delete (front.consent as Record<string, unknown>).date;
      expect(problemsOf(front)).toEqual([{ field: 'consent.date', message: 'required (YYYY-MM-DD)' }]);
    });

    // BUG (src/core/corpus/recit-validation.ts, isoDay): Date.parse rolls
    // impossible days over (V8 reads "2024-02-30" as 1 March), so a consent
    // dated on a day that never existed is accepted and stored as is. A signed
    // consent must carry a real date; compare the parsed day with the input.
    it('rejects a day that does not exist in its month', () => {
      expect(problemsOf(withConsent({ date: '2024-02-30' }))).toEqual([{ field: 'consent.date', message: 'must be a date YYYY-MM-DD' }]);
    });
  });

  describe('required fields', () => {
    it.each([
      ['id', 'required'],
      ['title', 'required'],
      ['author_role', 'required'],
      ['sector', 'required'],
      ['year', 'required'],
      ['themes', 'required (a list such as [premier stage, supervision])'],
      ['language', 'required'],
      ['consent', 'required (status, date, scope, reference)'],
      ['anonymized', 'required (true or false)'],
      ['fictional', 'required (true or false)'],
    ])('reports a missing %s with the file and the field', (field, message) => {
      let error: unknown;
      try {
        validateRecit(FILE, without(field), BODY);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(RecitValidationError);
      expect(error).toBeInstanceOf(RelaisError);
      const invalid = error as RecitValidationError;
      expect(invalid.code).toBe('corpus.invalid_recit');
      expect(invalid.file).toBe(FILE);
      expect(invalid.problems).toEqual([{ field, message }]);
      expect(invalid.message).toBe(`${FILE}: ${field}: ${message}`);
      expect(invalid.details).toEqual({ file: FILE, problems: [{ field, message }] });
    });

    it.each(['status', 'scope', 'reference'])('reports a missing consent.%s', (field) => {
      const front = frontMatter();
      delete (front.consent as Record<string, unknown>)[field];
      expect(problemsOf(front).map((p) => p.field)).toEqual([`consent.${field}`]);
    });

    it('treats a null text like a missing one and a blank text as invalid', () => {
      expect(problemsOf({ ...frontMatter(), title: null })).toEqual([{ field: 'title', message: 'required' }]);
      expect(problemsOf({ ...frontMatter(), sector: '   ' })).toEqual([{ field: 'sector', message: 'must be a non-empty text' }]);
      expect(problemsOf({ ...frontMatter(), title: 42 })).toEqual([{ field: 'title', message: 'must be a non-empty text' }]);
    });
  });

  it('rejects a file without a front matter block in one problem', () => {
    for (const front of [undefined, null, 'id: recit', ['id', 'title']]) {
      expect(problemsOf(front)).toEqual([
        { field: '(front matter)', message: 'missing: the file must start with a YAML block between two "---" lines' },
      ]);
    }
  });

  it('names unknown fields, at the top and inside consent', () => {
    const front = { ...withConsent({ signed_by: 'Mme D.' }), auteur: 'Claire', tags: ['nuit'] };
    expect(problemsOf(front)).toEqual([
      { field: 'auteur', message: 'unknown field' },
      { field: 'tags', message: 'unknown field' },
      { field: 'consent.signed_by', message: 'unknown field' },
    ]);
  });

  it.each(['educateur', 'Travailleur-Social', 'étudiant', 'ancien étudiant'])('rejects the author role %j and lists the allowed ones', (role) => {
    expect(problemsOf({ ...frontMatter(), author_role: role })).toEqual([
      { field: 'author_role', message: 'must be one of ancien-etudiant, travailleur-social, formateur, autre' },
    ]);
  });

  it.each(['ancien-etudiant', 'travailleur-social', 'formateur', 'autre'])('accepts the author role %s', (role) => {
    expect(validateRecit(FILE, { ...frontMatter(), author_role: role }, BODY).authorRole).toBe(role);
  });

  it.each([['2019'], [1899], [2101], [2019.5], [null]])('rejects the year %j', (year) => {
    expect(problemsOf({ ...frontMatter(), year })).toEqual([{ field: 'year', message: 'must be a year such as 2019' }]);
  });

  it('accepts the bounds 1900 and 2100 as years', () => {
    expect(validateRecit(FILE, { ...frontMatter(), year: 1900 }, BODY).year).toBe(1900);
    expect(validateRecit(FILE, { ...frontMatter(), year: 2100 }, BODY).year).toBe(2100);
  });

  it.each([['premier stage, solitude'], [[]], [['supervision', '']], [['supervision', 3]], [{ theme: 'deuil' }]])(
    'rejects themes %j: they must be a non-empty list of texts',
    (themes) => {
      expect(problemsOf({ ...frontMatter(), themes })).toEqual([{ field: 'themes', message: 'must be a non-empty list of texts' }]);
    },
  );

  it.each(['français', 'FR', 'f', 'fr_FR'])('rejects the language %j', (language) => {
    expect(problemsOf({ ...frontMatter(), language })).toEqual([{ field: 'language', message: 'must be a language code such as fr or en' }]);
  });

  it.each(['Recit-042', 'recit_042', '-recit', 'r', `r${'a'.repeat(120)}`, 'récit-042'])('rejects the id %j', (id) => {
    expect(problemsOf({ ...frontMatter(), id })).toEqual([
      { field: 'id', message: 'lowercase letters, digits and hyphens only (2 to 120 characters)' },
    ]);
  });

  it.each([['oui'], ['true'], [1]])('rejects anonymized: %j (must be a real boolean)', (anonymized) => {
    expect(problemsOf({ ...frontMatter(), anonymized })).toEqual([{ field: 'anonymized', message: 'must be true or false' }]);
  });

  describe('consent', () => {
    it.each([['accordé'], ['Granted'], [true]])('rejects the status %j', (status) => {
      expect(problemsOf(withConsent({ status }))).toEqual([{ field: 'consent.status', message: 'must be granted or withdrawn' }]);
    });

    it.each([['rag'], [['rag', 'publication']], [['RAG']]])('rejects the scope %j', (scope) => {
      expect(problemsOf(withConsent({ scope }))).toEqual([{ field: 'consent.scope', message: 'must be a list of rag, citation' }]);
    });

    it('rejects a blank reference with the consent.reference path', () => {
      expect(problemsOf(withConsent({ reference: '' }))).toEqual([{ field: 'consent.reference', message: 'must be a non-empty text' }]);
    });

    it.each([['oui'], [['granted']]])('rejects a consent that is not a block: %j', (consent) => {
      expect(problemsOf({ ...frontMatter(), consent })).toEqual([
        { field: 'consent', message: 'must be a block with status, date, scope, reference' },
      ]);
    });
  });

  it.each(['', '   \n\n  ', 'Trop court pour être un récit.'])('rejects a body that is missing or shorter than 50 characters: %j', (body) => {
    expect(problemsOf(frontMatter(), body)).toEqual([
      { field: '(body)', message: 'the récit text after the front matter is missing or too short' },
    ]);
  });

  it('accepts a body of exactly 50 characters once trimmed', () => {
    expect(() => validateRecit(FILE, frontMatter(), `  ${'é'.repeat(50)}  `)).not.toThrow();
  });

  it('reports every problem of a file at once, in field order', () => {
    const front = {
      id: 'Recit 7',
      title: 'Le jour où j’ai dit non',
      author_role: 'stagiaire',
      year: '2018',
      themes: 'conflit de valeurs',
      language: 'fr',
      consent: { status: 'ok', date: '12/03/2024', scope: ['rag', 'diffusion'], reference: '', witness: 'Mme B.' },
      anonymized: 'oui',
      résumé: 'une histoire de refus',
    };
    let error: unknown;
    try {
      validateRecit('corpus/recit-007.md', front, 'Court.');
    } catch (caught) {
      error = caught;
    }
    const invalid = error as RecitValidationError;
    expect(invalid).toBeInstanceOf(RecitValidationError);
    expect(invalid.file).toBe('corpus/recit-007.md');
    expect(invalid.problems.map((p) => p.field)).toEqual([
      'résumé',
      'id',
      'author_role',
      'sector',
      'year',
      'themes',
      'consent.witness',
      'consent.status',
      'consent.date',
      'consent.scope',
      'consent.reference',
      'anonymized',
      'fictional',
      '(body)',
    ]);
    expect(invalid.message.startsWith('corpus/recit-007.md: résumé: unknown field; id: ')).toBe(true);
    expect(invalid.message).toContain('; sector: required; ');
  });
});
