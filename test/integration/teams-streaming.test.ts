/**
 * A generative answer (Mistral fake, real SDK) streamed in a Teams personal
 * chat with the Agents SDK's streaming response: informative updates, text
 * chunks, then the final message with the "AI generated" label, native
 * citations and the feedback loop.
 */
import { jest } from '@jest/globals';
import type { TeamsPlatform } from '../../src/adapters/chat/teams/teams.platform.js';
import { t } from '../../src/core/i18n/translate.js';
import type { Relais } from '../../src/main.js';
import { startMistralFake, type MistralFake } from '../fakes/mistral-fake-server.js';
import { postActivity, startTeamsConnectorFake, type TeamsConnectorFake } from '../fakes/teams-connector-fake-server.js';
import { makeUser, personalMessage } from '../fakes/teams/teams-activities.js';
import { waitForIngestion } from '../support/assistant-helpers.js';
import { startTestRelais } from '../support/start-test-relais.js';
import { ASSISTANT_CORPUS, createTestCorpus, VISITE, type TestCorpus } from '../support/test-corpus.js';

jest.setTimeout(60_000);

const FAKE_KEY = 'test-key';
const QUESTION = 'Je prépare ma première visite à domicile avec ma tutrice et j’ai peur de juger la famille.';
const REPLY = 'Prendre le temps d’observer, comme la tutrice du récit [1], aide à ne pas juger trop vite. En parler ensuite avec elle peut aussi vous aider.';

let corpus: TestCorpus;
let mistral: MistralFake;
let connector: TeamsConnectorFake;
let relais: Relais;

beforeAll(async () => {
  corpus = await createTestCorpus(ASSISTANT_CORPUS);
  mistral = await startMistralFake({ apiKey: FAKE_KEY });
  connector = await startTeamsConnectorFake();
  relais = await startTestRelais({
    TEAMS_ALLOW_ANONYMOUS: 'true',
    RELAIS_CORPUS_DIR: corpus.directory,
    MISTRAL_API_KEY: FAKE_KEY,
    MISTRAL_SERVER_URL: mistral.url,
  });
  await waitForIngestion(relais);
});
afterAll(async () => {
  await relais?.stop();
  await connector?.close();
  await mistral?.close();
  await corpus?.cleanup();
});

it('streams a generative answer in a personal chat and ends it with the AI label, citations and feedback', async () => {
  const teams = relais.platforms.get('teams') as TeamsPlatform;
  const user = makeUser(1);
  await postActivity(relais.url, personalMessage(user, 'aide', { serviceUrl: connector.serviceUrl }));
  await teams.idle();
  mistral.setReply(REPLY);
  mistral.setStreamChunkDelay(150);
  const before = connector.activities.length;
  const answer = await postActivity(relais.url, personalMessage(user, QUESTION, { serviceUrl: connector.serviceUrl }));
  expect(answer.status).toBe(200);
  await teams.idle();
  const sent = connector.activities.slice(before);

  const info = (type: string) => sent.filter((s) => (s.activity.entities as { type: string; streamType?: string }[] | undefined)?.some((e) => e.type === 'streaminfo' && e.streamType === type));
  const informative = info('informative');
  const streaming = info('streaming');
  const final = info('final');
  expect(informative.length).toBeGreaterThanOrEqual(1);
  expect(informative.map((s) => s.activity.type)).toEqual(informative.map(() => 'typing'));
  expect(informative.map((s) => s.activity.text)).toContain(t('fr', 'assistant.searching'));
  expect(streaming.length).toBeGreaterThanOrEqual(1);
  expect(final).toHaveLength(1);
  // One message throughout: every piece carries the id of the first.
  const streamId = informative[0]!.id;
  for (const piece of [...streaming, ...final]) expect(piece.id).toBe(streamId);
  // Chunks grow towards the answer.
  for (const piece of streaming) expect(REPLY.startsWith(String(piece.activity.text).trim())).toBe(true);

  const message = final[0]!.activity;
  expect(message.type).toBe('message');
  expect(String(message.text)).toContain(REPLY);
  expect(String(message.text)).toContain('Réponse générée par une IA');
  expect(message.channelData).toEqual({ feedbackLoopEnabled: true });
  const entities = message.entities as Record<string, unknown>[];
  const ai = entities.find((e) => e.type === 'https://schema.org/Message')!;
  expect(ai.additionalType).toEqual(['AIGeneratedContent']);
  expect(ai.citation).toEqual([expect.objectContaining({ position: 1, appearance: expect.objectContaining({ name: VISITE.title }) })]);
});
