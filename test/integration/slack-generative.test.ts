/**
 * A generated answer on Slack (Mistral fake + Slack fake, real SDKs): streamed
 * natively in the thread of a mention, by message updates in a DM, then
 * replaced by the final Block Kit message with sources, feedback and the AI
 * footer.
 */
import { jest } from '@jest/globals';
import type { SlackPlatform } from '../../src/adapters/chat/slack/slack.platform.js';
import type { Relais } from '../../src/main.js';
import { startMistralFake, type MistralFake } from '../fakes/mistral-fake-server.js';
import { deliverEvent, eventEnvelope, SlackFake } from '../fakes/slack-fake-server.js';
import { waitForIngestion } from '../support/assistant-helpers.js';
import { startTestRelais } from '../support/start-test-relais.js';
import { ASSISTANT_CORPUS, createTestCorpus, VISITE, type TestCorpus } from '../support/test-corpus.js';

jest.setTimeout(60_000);

const SECRET = 'slack-generative-secret';
const FAKE_KEY = 'test-key';
const QUESTION = 'Je prépare ma première visite à domicile avec ma tutrice et j’ai peur de juger la famille.';
const REPLY = 'Prendre le temps d’**observer**, comme la tutrice du récit [1], aide à ne pas juger trop vite.\n\n- En parler après la visite\n- Noter ce qui vous a surpris';

let slack: SlackFake;
let mistral: MistralFake;
let corpus: TestCorpus;
let relais: Relais;

async function deliver(body: object): Promise<void> {
  expect((await deliverEvent(`${relais.url}/slack/events`, body, { signingSecret: SECRET })).status).toBe(200);
  await (relais.platforms.get('slack') as SlackPlatform).idle();
}

beforeAll(async () => {
  slack = new SlackFake();
  await slack.start();
  mistral = await startMistralFake({ apiKey: FAKE_KEY });
  corpus = await createTestCorpus(ASSISTANT_CORPUS);
  relais = await startTestRelais({
    RELAIS_CORPUS_DIR: corpus.directory,
    MISTRAL_API_KEY: FAKE_KEY,
    MISTRAL_SERVER_URL: mistral.url,
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
  });
  await waitForIngestion(relais);
});
beforeEach(() => mistral.reset());
afterAll(async () => {
  await relais?.stop();
  await mistral?.close();
  await slack?.stop();
  await corpus?.cleanup();
});

it('streams a generated answer in the thread of a mention, then shows it with sources, feedback and the AI footer', async () => {
  mistral.setReply(REPLY);
  const ts = '1765000000.000100';
  await deliver(eventEnvelope({ type: 'app_mention', channel: 'C0GEN0001', user: 'U0GEN0001', text: `<@${slack.botUserId}> ${QUESTION}`, ts }, 'EvGen1'));
  const answer = slack.messagesIn('C0GEN0001').find((m) => m.streamed !== undefined);
  expect(answer).toMatchObject({ threadTs: ts, streaming: false });
  expect(answer!.streamed).toBe(REPLY);
  expect(slack.callsOf('chat.startStream').at(-1)!.args).toMatchObject({ channel: 'C0GEN0001', thread_ts: ts, recipient_user_id: 'U0GEN0001' });
  const blocks = JSON.stringify(answer!.blocks);
  expect(blocks).toContain('Prendre le temps d’*observer*');
  expect(blocks).toContain('• En parler après la visite');
  expect(blocks).toContain(VISITE.title);
  expect(blocks).toContain('feedback_buttons');
  expect(blocks).toContain('Réponse générée par une IA');
  // Every reply of the exchange stays in the thread.
  expect(slack.messagesIn('C0GEN0001').every((m) => m.threadTs === ts)).toBe(true);
});

it('in a DM, shows the status line, then updates the same message into the final answer', async () => {
  mistral.setReply(REPLY);
  await deliver(eventEnvelope({ type: 'message', channel: 'D0GEN0002', channel_type: 'im', user: 'U0GEN0002', text: QUESTION, ts: '1765000001.000100' }, 'EvGen2'));
  const messages = slack.messagesIn('D0GEN0002');
  // disclosure, then the answer (posted as a status line, then updated)
  expect(messages).toHaveLength(2);
  const answer = messages[1]!;
  expect(answer.threadTs).toBeUndefined();
  expect(answer.updates).toBeGreaterThanOrEqual(1);
  expect(JSON.stringify(answer.blocks)).toContain('Prendre le temps d’*observer*');
  expect(JSON.stringify(answer.blocks)).toContain('feedback_buttons');
  const firstPost = slack.callsOf('chat.postMessage').find((c) => c.args.channel === 'D0GEN0002' && String(c.args.text).startsWith('_'));
  expect(String(firstPost?.args.text)).toMatch(/^_Je cherche/);
});
