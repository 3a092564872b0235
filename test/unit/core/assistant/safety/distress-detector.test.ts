import { combineWithModeration, detectDistress, normalizeForDetection } from '../../../../../src/core/assistant/safety/distress-detector.js';

const level = (text: string): string => detectDistress(text).level;

describe('distress detector: first-person risk escalates', () => {
  it.each([
    // French: ideation, direct and indirect
    ['je veux mourir'],
    ["J'ai envie de mourir depuis des semaines"],
    ['jveux mourrir'],
    ["g envie d'en finir"],
    ["je pense au suicide tous les soirs"],
    ["j'ai des idées noires"],
    ['Je suis suicidaire'],
    ["j'ai plus envie de vivre"],
    ['jveu pu vivre'],
    ['je veux juste dormir et ne plus me réveiller'],
    ["j'ai envie de disparaître pour toujours"],
    ['tout le monde serait mieux sans moi'],
    ["j'aurais préféré ne jamais naître"],
    // French: plan, means, self-harm, farewell, danger
    ['je vais me foutre en l’air ce soir'],
    ['je pense à me tailler les veines'],
    ['je vais sauter du pont'],
    ["j'ai acheté une corde"],
    ["j'ai avalé toute la boîte de somnifères"],
    ['je me scarifie tous les soirs'],
    ["j'ai recommencé à me faire du mal"],
    ["C'est mon dernier message. Adieu."],
    ['quand vous lirez ce message je serai plus là'],
    ['mon copain me frappe et j’ai peur de rentrer'],
    ['je suis en danger chez moi'],
    // French: combined despair signals
    ["je n'en peux plus, je veux que tout s'arrête"],
    ["je n'en peux plus, je ne vois aucune issue"],
    ["je veux que ça s'arrête, je ne vois pas comment m'en sortir"],
    // English
    ['I want to die'],
    ['i wanna kms'],
    ["I'm going to kill myself tonight"],
    ["I don't want to live anymore"],
    ['everyone would be better off without me'],
    ['I have been cutting myself again'],
    ['I took all my pills an hour ago'],
    ["I can't go on, it's hopeless"],
    ['goodbye everyone, this is my last message'],
  ])('%s → crisis', (text) => {
    expect(level(text)).toBe('crisis');
  });
});

describe('distress detector: negations', () => {
  it.each([
    ['je ne veux pas mourir'],
    ['je veux pas mourir hein, juste des vacances'],
    ["je n'ai jamais pensé au suicide"],
    ['je ne suis pas suicidaire'],
    ["aucune idée suicidaire, juste de la fatigue"],
    ["Je ne vais pas me foutre en l'air pour un partiel"],
    ["I don't want to die"],
    ["I'm not suicidal, just tired"],
    ['I would never kill myself'],
  ])('%s → not crisis, flagged as negated', (text) => {
    const assessment = detectDistress(text);
    expect(assessment.level).not.toBe('crisis');
    expect(assessment.signals).toContain('negated');
  });

  it('keeps the negations that are the message itself', () => {
    expect(level("je n'ai plus aucune raison de vivre")).toBe('crisis');
    expect(level('personne ne me regretterait')).toBe('crisis');
    expect(level("je veux de plus en plus mourir")).toBe('crisis');
  });

  it('does not let a negation reach across a new clause', () => {
    expect(level('je sais pas pourquoi, je veux mourir')).toBe('crisis');
    expect(level("jpp je veux mourir")).toBe('crisis');
  });

  it('lets "mais j’y pense" take a denial back', () => {
    expect(level("je ne pense pas que je vais me tuer, mais j'y pense")).toBe('crisis');
  });
});

describe('distress detector: hyperbole and idioms', () => {
  it.each([
    ['ce stage me tue'],
    ['ce stage va me tuer'],
    ['je suis mort de rire'],
    ["j'suis mort 😂"],
    ['je vais mourir de honte'],
    ['je meurs de faim'],
    ['on a tué le temps au foyer'],
    ['je vais tuer mon coloc (lol)'],
    ['ma mère va me tuer quand elle verra mes notes'],
    ['je me tue à la tâche'],
    ['je veux en finir avec ce mémoire'],
    ['je vais me jeter à l’eau et demander un entretien'],
    ['je vais me pendre au cou de ma tutrice'],
    ["I'm killing it at my placement"],
    ['dead tired lol'],
  ])('%s → none', (text) => {
    expect(level(text)).toBe('none');
  });

  it('lowers a joked-about method to concern, not none', () => {
    const assessment = detectDistress("si j'ai pas mon DC2 je me pends mdr");
    expect(assessment).toEqual({ level: 'concern', signals: ['hyperbole'] });
  });
});

describe('distress detector: professional, academic and past contexts', () => {
  it.each([
    ["une jeune que j'accompagne a fait une tentative de suicide"],
    ['comment réagir si un usager parle de suicide ?'],
    ["Une résidente m'a dit qu'elle voulait mourir, que faire ?"],
    ['Un usager m’a dit « je vais me foutre en l’air », je n’ai pas su répondre'],
    ['un jeune de la MECS s’est scarifié hier'],
    ['my client self-harms, how should I respond?'],
  ])('%s → none (third party)', (text) => {
    const assessment = detectDistress(text);
    expect(assessment.level).toBe('none');
    expect(assessment.signals).toContain('third_party');
  });

  it.each([
    ['mon mémoire porte sur la prévention du suicide'],
    ['on a eu un cours sur le 3114'],
    ["je cherche des références sur l'automutilation pour mon dossier"],
    ['exposé sur les idées suicidaires des étudiants, vous avez des chiffres ?'],
  ])('%s → none (academic)', (text) => {
    const assessment = detectDistress(text);
    expect(assessment.level).toBe('none');
    expect(assessment.signals).toContain('academic');
  });

  it.each([
    ["il y a 5 ans j'ai fait une TS, aujourd'hui ça va et je veux en parler dans mon mémoire"],
    ["j'ai fait une TS à 17 ans, maintenant ça va"],
    ['au lycée je me scarifiais, c’est derrière moi'],
    ["quand j'étais ado je voulais mourir, aujourd'hui je vais bien"],
  ])('%s → concern (past episode)', (text) => {
    const assessment = detectDistress(text);
    expect(assessment.level).toBe('concern');
    expect(assessment.signals).toContain('past_episode');
  });

  it('escalates a past episode that is recent or coming back', () => {
    expect(level("j'ai fait une TS la semaine dernière")).toBe('crisis');
    expect(level("il y a 5 ans j'ai fait une TS et les idées noires reviennent")).toBe('crisis');
    expect(level('je me suis coupée ce matin')).toBe('crisis');
  });

  it('gives direct speech to the speaker, and indirect speech about "je" back to the writer', () => {
    expect(level('un jeune m’a dit : je veux mourir')).toBe('none');
    expect(level("Ma psy m'a demandé si j'avais des idées suicidaires et j'ai dit oui")).toBe('crisis');
  });

  it('escalates the writer’s own risk even inside a professional message', () => {
    expect(level("une usagère s'est suicidée et depuis j'ai envie de mourir moi aussi")).toBe('crisis');
  });
});

describe('distress detector: everyday social-work wording', () => {
  it.each([
    ['je suis TS en formation, comment préparer mon DC4 ?'],
    ['les TS du service sont débordés'],
    ['je dois prendre tous mes médicaments le matin'],
    ['je garde mes médicaments dans mon sac'],
    ['je me suis coupée avec le cutter pendant l’atelier'],
    ['c’est mon dernier stage avant le diplôme'],
  ])('%s → not crisis', (text) => {
    expect(level(text)).not.toBe('crisis');
  });

  it('still reads "TS" as an attempt when the words say so', () => {
    expect(level("j'ai fait une TS hier")).toBe('crisis');
    expect(level('TS la semaine dernière, je recommence à y penser')).toBe('crisis');
  });
});

describe('distress detector: concern without risk markers', () => {
  it.each([
    ["je n'en peux plus"],
    ["je n'en peux plus de ce stage"],
    ['je pleure tous les jours'],
    ["je fais des crises d'angoisse"],
    ['je crois que je fais un burn-out'],
    ['je me sens tellement seule'],
    ['I feel so alone and exhausted'],
  ])('%s → concern', (text) => {
    expect(level(text)).toBe('concern');
  });

  it.each([['Bonjour, comment préparer mon entretien de stage ?'], ['merci pour tout, votre réponse m’a aidée'], ['adieu le stage en EHPAD !'], ['']])(
    '%s → none',
    (text) => {
      expect(detectDistress(text)).toEqual({ level: 'none', signals: [] });
    },
  );
});

describe('distress detector: output and normalisation', () => {
  it('returns signal codes, never words of the message', () => {
    const assessment = detectDistress("je n'en peux plus, je veux mourir, j'ai des idées noires");
    expect(assessment.level).toBe('crisis');
    for (const signal of assessment.signals) expect(signal).toMatch(/^(?:(?:fr|en|moderation)\.[a-z_]+|negated|third_party|academic|past_episode|hyperbole)$/);
  });

  it('reads SMS spellings, missing accents and inclusive writing', () => {
    expect(normalizeForDetection("J’me sens épuisé·e, jpp")).toBe('je me sens epuisee , j en peux plus');
    expect(normalizeForDetection('jsp, chui fatiguée de tt')).toBe('je sais pas , je suis fatiguee de tout');
    expect(normalizeForDetection("I can't, I dont want to")).toBe('i cannot , i do not want to');
    expect(normalizeForDetection('je pleure ts les jours, je pense à une TS')).toBe('je pleure tous les jours , je pense a une ts');
  });

  it('stays fast on a long message', () => {
    const long = 'Je vous écris au sujet de mon stage, qui se passe plutôt bien malgré la fatigue. '.repeat(400);
    const started = Date.now();
    expect(level(long)).toBe('none');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('combineWithModeration', () => {
  const none = { level: 'none' as const, signals: [] };

  it('changes nothing without a moderation result or below the threshold', () => {
    expect(combineWithModeration(none, undefined)).toBe(none);
    expect(combineWithModeration(none, { selfHarm: 0.49, selfHarmFlagged: false })).toBe(none);
  });

  it('raises none and concern to crisis when flagged or scored ≥ 0.5', () => {
    expect(combineWithModeration(none, { selfHarm: 0.1, selfHarmFlagged: true })).toEqual({ level: 'crisis', signals: ['moderation.self_harm'] });
    expect(combineWithModeration({ level: 'concern', signals: ['fr.exhaustion'] }, { selfHarm: 0.5, selfHarmFlagged: false })).toEqual({
      level: 'crisis',
      signals: ['fr.exhaustion', 'moderation.self_harm'],
    });
  });

  it('raises only to concern in a third-party or academic context', () => {
    const professional = detectDistress('comment réagir si un usager parle de suicide ?');
    expect(combineWithModeration(professional, { selfHarm: 0.9, selfHarmFlagged: true })).toEqual({
      level: 'concern',
      signals: ['third_party', 'moderation.self_harm'],
    });
    const academic = detectDistress('mon mémoire porte sur la prévention du suicide');
    expect(combineWithModeration(academic, { selfHarm: 0.9, selfHarmFlagged: true }).level).toBe('concern');
  });

  it('keeps a crisis a crisis and adds the signal once', () => {
    const crisis = { level: 'crisis' as const, signals: ['fr.ideation', 'moderation.self_harm'] };
    expect(combineWithModeration(crisis, { selfHarm: 0.99, selfHarmFlagged: true })).toEqual(crisis);
  });
});
