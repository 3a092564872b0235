/**
 * Model-assisted grouping, with a tiny object implementing the
 * `LanguageModel` port (a port, so no module mock): it records the prompt
 * and answers what each test needs.
 */
import { describe, expect, it } from '@jest/globals';
import { UnavailableError } from '../../../../../src/core/errors.js';
import type { ChatMessage, ChatResult, LanguageModel } from '../../../../../src/core/ports/language-model.js';
import type { SubmissionData } from '../../../../../src/core/surveys/analysis/answer-data.js';
import { parseGroupingAnswer, rankIrritantsWithModel } from '../../../../../src/core/surveys/analysis/irritants-model-grouping.js';

class ScriptedModel implements LanguageModel {
  readonly model = 'scripted';
  readonly prompts: ChatMessage[][] = [];
  constructor(private readonly answer: (prompt: ChatMessage[]) => string | Error) {}
  async complete(messages: ChatMessage[]): Promise<ChatResult> {
    this.prompts.push(messages);
    const answer = this.answer(messages);
    if (answer instanceof Error) throw answer;
    return { text: answer, model: this.model, usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 }, finishReason: 'stop' };
  }
  // eslint-disable-next-line require-yield
  async *stream(): AsyncIterable<never> {
    throw new Error('not used');
  }
}

const texts = [
  'Appels téléphoniques des parents pendant les inscriptions',
  'Répondre au téléphone aux familles des étudiants',
  'Saisie des notes dans Apogée',
  'Écrire à Mme Martine Dupont (martine.dupont@univ-exemple.fr) pour chaque convention',
];

function subs(): SubmissionData[] {
  return texts.map((text, i) => ({
    submissionId: `s${i}`,
    surveyId: 'irritants',
    surveyVersion: 1,
    campaignId: 'c1',
    teamId: 't',
    phase: null,
    submittedAt: new Date(),
    complete: true,
    answers: [
      { questionId: 'tache', type: 'text', value: text },
      { questionId: 'frequence', type: 'single', value: 'quotidienne' },
      { questionId: 'duree', type: 'number', value: 10 + i },
      { questionId: 'impact', type: 'scale', value: 3 },
    ],
  }));
}

const GOOD = JSON.stringify({
  groupes: [
    { libelle: 'Appels des familles', membres: [1, 2] },
    { libelle: 'Saisie des notes', membres: [3] },
    { libelle: 'Courriels pour les conventions', membres: [4] },
  ],
});

describe('rankIrritantsWithModel', () => {
  it('uses the model groups and labels, with scores still computed from the answers', async () => {
    const model = new ScriptedModel(() => GOOD);
    const ranking = await rankIrritantsWithModel(subs(), model);
    expect(ranking.grouping).toBe('model');
    expect(ranking.fallbackReason).toBeUndefined();
    expect(ranking.irritants[0]).toMatchObject({ label: 'Appels des familles', count: 2, score: 20 * 10 * 3 + 20 * 11 * 3, submissionIds: ['s0', 's1'] });
    expect(ranking.irritants).toHaveLength(3);
  });

  it('sends numbered, scrubbed descriptions and asks for strict JSON', async () => {
    const model = new ScriptedModel(() => GOOD);
    await rankIrritantsWithModel(subs(), model);
    const [system, user] = model.prompts[0]!;
    expect(system!.content).toContain('uniquement par un objet JSON');
    expect(user!.content).toContain('N = 4');
    expect(user!.content).toContain('3. Saisie des notes dans Apogée');
    expect(user!.content).not.toContain('martine.dupont@');
    expect(user!.content).not.toContain('Dupont');
  });

  it('accepts a fenced JSON answer', async () => {
    const ranking = await rankIrritantsWithModel(subs(), new ScriptedModel(() => '```json\n' + GOOD + '\n```'));
    expect(ranking.grouping).toBe('model');
  });

  it.each([
    ['prose', 'Voici les groupes : 1 et 2 ensemble.', 'invalid_json'],
    ['a missing report', JSON.stringify({ groupes: [{ libelle: 'A', membres: [1, 2, 3] }] }), 'invalid_answer: member missing'],
    ['a report twice', JSON.stringify({ groupes: [{ libelle: 'A', membres: [1, 2] }, { libelle: 'B', membres: [2, 3, 4] }] }), 'invalid_answer: member in two groups'],
    ['an index out of range', JSON.stringify({ groupes: [{ libelle: 'A', membres: [1, 2, 3, 5] }] }), 'invalid_answer: member out of range'],
    ['an empty label', JSON.stringify({ groupes: [{ libelle: ' ', membres: [1, 2, 3, 4] }] }), 'invalid_answer: bad label'],
    ['a wrong shape', JSON.stringify({ groups: [] }), 'invalid_answer: no "groupes" array'],
    ['a model error', new UnavailableError('llm.timeout', 'timed out'), 'llm.timeout'],
  ])('falls back to the lexical grouping on %s', async (_name, answer, reason) => {
    const ranking = await rankIrritantsWithModel(subs(), new ScriptedModel(() => answer));
    expect(ranking.grouping).toBe('lexical');
    expect(ranking.fallbackReason).toBe(reason);
    expect(ranking.reports).toBe(4);
    expect(ranking.irritants.reduce((n, i) => n + i.count, 0)).toBe(4);
  });

  it('does not call the model without reports, over the size limit, or without a model', async () => {
    const model = new ScriptedModel(() => GOOD);
    expect((await rankIrritantsWithModel([], model)).irritants).toEqual([]);
    const big = await rankIrritantsWithModel(subs(), model, { maxReports: 3 });
    expect(big).toMatchObject({ grouping: 'lexical', fallbackReason: 'too_many_reports' });
    expect(model.prompts).toHaveLength(0);
    expect((await rankIrritantsWithModel(subs(), undefined)).grouping).toBe('lexical');
  });

  it('parseGroupingAnswer rejects non-integer members', () => {
    expect(() => parseGroupingAnswer('{"groupes":[{"libelle":"A","membres":[1.5]}]}', 1)).toThrow('member out of range');
  });
});
