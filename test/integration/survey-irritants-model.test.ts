/**
 * Irritant grouping in campaign results with a language model: the real
 * Mistral adapter against the Mistral fake. The model's grouping merges
 * descriptions lexical grouping keeps apart (synonyms); scores stay computed
 * from the answers; the results say an AI grouped them; a model answer that
 * is not the documented JSON falls back to the lexical grouping. Weights
 * come from RELAIS_IRRITANT_WEIGHTS.
 */
import { jest } from '@jest/globals';
import type { Relais } from '../../src/main.js';
import { formatResults } from '../../src/core/surveys/survey-results.js';
import { startMistralFake, type FakeChatMessage, type MistralFake } from '../fakes/mistral-fake-server.js';
import { startTestRelais } from '../support/start-test-relais.js';
import { waitFor } from '../support/wait-for.js';
import { isInputBlock } from '../../src/core/messages/outbound.js';
import { parseResponseAction, SKIP_VALUE, SURVEY_NAMESPACE } from '../../src/core/surveys/question-message.js';

jest.setTimeout(60_000);

const FAKE_KEY = 'mistral-fake-key-irritants';
const REPORTS = [
  { tache: 'Répondre aux appels des parents sur les bourses', frequence: 'quotidienne', duree: 10, impact: 3 },
  { tache: 'Décrocher le téléphone pour les familles qui demandent où en est le dossier', frequence: 'quotidienne', duree: 15, impact: 4 },
  { tache: 'Saisie des notes dans Apogée', frequence: 'hebdomadaire', duree: 60, impact: 4 },
];

let fake: MistralFake;
let relais: Relais;

/** Groups by the report numbers given in the prompt: the two telephone reports together. */
function groupingReply(messages: FakeChatMessage[]): string {
  const list = String(messages.at(-1)?.content ?? '');
  const numberOf = (needle: string): number => Number(/^(\d+)\. .*$/mu.exec(list.split('\n').find((l) => l.includes(needle)) ?? '')?.[1]);
  return JSON.stringify({
    groupes: [
      { libelle: 'Appels téléphoniques des familles', membres: [numberOf('appels des parents'), numberOf('téléphone pour les familles')] },
      { libelle: 'Saisie des notes', membres: [numberOf('Apogée')] },
    ],
  });
}

async function answerAll(): Promise<Awaited<ReturnType<Relais['surveys']['campaigns']['launch']>>['campaign']> {
  const { teams, campaigns, answering } = relais.surveys;
  const team = await teams.create({ name: `Scolarité ${Date.now()}` }, null);
  const ids = await teams.add(team.id, REPORTS.map((_, i) => ({ platform: 'web' as const, externalId: `agent-${Date.now()}-${i}` })), 'member', null);
  const { campaign } = await campaigns.launch({ surveyId: 'irritants', audience: { kind: 'team', teamId: team.id }, createdBy: null });
  await waitFor(async () => (await relais.repositories.campaigns.invitations(campaign.id)).filter((i) => i.invitedAt).length === REPORTS.length);
  for (const [i, report] of REPORTS.entries()) {
    const personId = ids[i]!;
    // The first question's action id is `survey:<ref>:<question>`: answers are given with that ref, as a click would.
    const input = (await answering.begin(campaign.id, personId, 'fr')).flatMap((m) => m.blocks).find(isInputBlock)!;
    const { ref } = parseResponseAction(input.actionId.slice(`${SURVEY_NAMESPACE}:`.length));
    for (const [questionId, value] of Object.entries({ ...report, acteurs: ['moi'] })) await answering.answer(personId, ref, questionId, value, 'fr');
    await answering.answer(personId, ref, 'aide', SKIP_VALUE, 'fr');
  }
  return campaign;
}

beforeAll(async () => {
  fake = await startMistralFake({ apiKey: FAKE_KEY, reply: groupingReply });
  relais = await startTestRelais({
    MISTRAL_API_KEY: FAKE_KEY,
    MISTRAL_SERVER_URL: fake.url,
    MISTRAL_MODERATION: 'false',
    RELAIS_QUIET_HOURS: 'off',
    RELAIS_CORPUS_AUTO_INGEST: 'false',
    RELAIS_IRRITANT_WEIGHTS: 'frequency=1,minutes=1,impact=2',
  });
});

afterAll(async () => {
  await relais?.stop();
  await fake?.close();
});

test('the model groups synonyms; scores come from the answers and the weights', async () => {
  const campaign = await answerAll();
  const results = await relais.surveys.results.results(campaign);
  expect(results.participation.completed).toBe(3);
  expect(results.irritants?.grouping).toBe('model');
  const phone = results.irritants!.irritants.find((i) => i.label === 'Appels téléphoniques des familles')!;
  expect(phone.count).toBe(2);
  // 20 per month × 10 min × 3² + 20 × 15 × 4² (impact squared by the weights) …
  const notes = results.irritants!.irritants.find((i) => i.label === 'Saisie des notes')!;
  expect(notes.count).toBe(1);
  expect(notes.score).toBeCloseTo(4.33 * 60 * 4 ** 2, 0);
  const text = formatResults(results, 'fr');
  expect(text).toContain('Appels téléphoniques des familles — 2 signalement(s)');
  expect(text).toContain('proposé par une IA');
  // What left for the model: the descriptions only, numbered; never a person's id.
  const prompt = JSON.stringify(fake.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)?.body);
  expect(prompt).toContain('Saisie des notes dans Apogée');
  expect(prompt).not.toMatch(/agent-/);
});

test('an answer that is not the documented JSON falls back to the lexical grouping', async () => {
  fake.setReply('Voici mes groupes : les appels, puis la saisie.');
  const campaign = await answerAll();
  const results = await relais.surveys.results.results(campaign);
  expect(results.irritants?.grouping).toBe('lexical');
  expect(results.irritants!.irritants.reduce((n, i) => n + i.count, 0)).toBe(3);
  expect(formatResults(results, 'fr')).not.toContain('proposé par une IA');
});
