import { assessAiAct, formatAiActResult } from '../../../../src/core/surveys/ai-act-assessment.js';

describe('AI Act self-assessment', () => {
  test('not an AI system: out of scope', () => {
    const result = assessAiAct({ is_ai_system: 'non' }, 'fr');
    expect(result.level).toBe('out_of_scope');
    expect(result.obligations.join(' ')).toContain('Aucune obligation');
  });

  test('a prohibited practice wins over everything else', () => {
    const result = assessAiAct({ is_ai_system: 'oui', role: 'deployeur', prohibited: ['emotions_travail_education'], annex_iii: ['education'], transparency: ['dialogue'] }, 'fr');
    expect(result.level).toBe('prohibited');
    expect(result.obligations.join(' ')).toContain('article 5');
  });

  test('Annex III education or employment: high risk with the duties of the role', () => {
    const deployer = assessAiAct({ is_ai_system: 'oui', role: 'deployeur', prohibited: ['aucune'], annex_iii: ['education'], transparency: ['aucune'] }, 'fr');
    expect(deployer.level).toBe('high');
    expect(deployer.role).toBe('deployer');
    expect(deployer.obligations.join(' ')).toContain('art. 26');
    expect(deployer.obligations.join(' ')).not.toContain('art. 9');
    const provider = assessAiAct({ is_ai_system: 'oui', role: 'fournisseur', prohibited: ['aucune'], annex_iii: ['emploi'], transparency: ['aucune'] }, 'en');
    expect(provider.level).toBe('high');
    expect(provider.obligations.join(' ')).toContain('Art. 9');
  });

  test('Article 6(3) derogation with a chatbot: limited risk (transparency)', () => {
    const result = assessAiAct({ is_ai_system: 'oui', role: 'deployeur', prohibited: ['aucune'], annex_iii: ['education'], annex_iii_exception: 'oui', transparency: ['dialogue'] }, 'fr');
    expect(result.level).toBe('limited');
    expect(result.obligations.join(' ')).toContain('article 50');
  });

  test('nothing ticked: minimal risk; unsure whether AI: to qualify', () => {
    const base = { role: 'deployeur', prohibited: ['aucune'], annex_iii: ['aucun'], transparency: ['aucune'] };
    expect(assessAiAct({ is_ai_system: 'oui', ...base }, 'fr').level).toBe('minimal');
    const unsure = assessAiAct({ is_ai_system: 'incertain', ...base }, 'fr');
    expect(unsure.level).toBe('to_qualify');
    expect(unsure.nextSteps[0]).toContain('article 3(1)');
  });

  test('the formatted result states it is not legal advice', () => {
    const text = formatAiActResult(assessAiAct({ is_ai_system: 'oui', role: 'deployeur', prohibited: ['aucune'], annex_iii: ['aucun'], transparency: ['dialogue'] }, 'fr'), 'fr');
    expect(text).toContain('risque limité');
    expect(text).toContain('pas un avis juridique');
  });
});
