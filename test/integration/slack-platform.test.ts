/**
 * Slack end to end: a real Relais with the Slack adapter (Bolt 5 and the Web
 * API client) against the Slack fake; events are signed and delivered to
 * /slack/events like Slack does.
 */
import { jest } from '@jest/globals';
import type { SlackPlatform } from '../../src/adapters/chat/slack/slack.platform.js';
import type { Relais } from '../../src/main.js';
import { deliverEvent, eventEnvelope, interactivityBody, SlackFake, slashCommandBody, type FakeMessage } from '../fakes/slack-fake-server.js';
import { waitForIngestion } from '../support/assistant-helpers.js';
import { startTestRelais } from '../support/start-test-relais.js';
import { ASSISTANT_CORPUS, createTestCorpus, type TestCorpus } from '../support/test-corpus.js';

jest.setTimeout(60_000);

const SECRET = 'slack-signing-secret-for-tests';
const VISIT_QUESTION = 'Je prépare ma première visite à domicile avec ma tutrice et j’ai peur de juger la famille.';

let fake: SlackFake;
let relais: Relais;
let corpus: TestCorpus;
let events: string;
let seq = 0;

function slack(): SlackPlatform {
  return relais.platforms.get('slack') as SlackPlatform;
}

function nextTs(): string {
  return `${Math.floor(Date.now() / 1000)}.${String(++seq).padStart(6, '0')}`;
}

function dm(user: string, text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'message', channel: `D${user.slice(1)}`, channel_type: 'im', user, text, ts: nextTs(), ...extra };
}

async function say(body: object | string): Promise<void> {
  const result = await deliverEvent(events, body, { signingSecret: SECRET });
  expect(result.status).toBe(200);
  await slack().idle();
}

function allText(message: FakeMessage): string {
  return [message.text, JSON.stringify(message.blocks), message.streamed ?? ''].join('\n');
}

beforeAll(async () => {
  fake = new SlackFake();
  await fake.start();
  corpus = await createTestCorpus(ASSISTANT_CORPUS);
  relais = await startTestRelais({
    RELAIS_CORPUS_DIR: corpus.directory,
    SLACK_BOT_TOKEN: fake.token,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.apiUrl,
  });
  events = `${relais.url}/slack/events`;
  await waitForIngestion(relais);
});

afterAll(async () => {
  await relais?.stop();
  await fake?.stop();
  await corpus?.cleanup();
});

describe('Slack adapter', () => {
  it('started over HTTP after auth.test', () => {
    expect(slack().mode).toBe('http');
    expect(fake.callsOf('auth.test').length).toBeGreaterThanOrEqual(1);
  });

  it('answers url_verification with the challenge', async () => {
    const result = await deliverEvent(events, { token: 'x', challenge: 'challenge-123', type: 'url_verification' }, { signingSecret: SECRET });
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ challenge: 'challenge-123' });
  });

  it('rejects a bad signature (401) and a stale timestamp, and handles neither', async () => {
    const before = fake.messages.length;
    const bad = await deliverEvent(events, eventEnvelope(dm('U0BAD0001', 'aide'), 'EvBad1'), { signingSecret: SECRET, signature: 'v0=deadbeef' });
    expect(bad.status).toBe(401);
    const stale = await deliverEvent(events, eventEnvelope(dm('U0BAD0001', 'aide'), 'EvBad2'), {
      signingSecret: SECRET,
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(stale.status).toBe(401);
    await slack().idle();
    expect(fake.messages.length).toBe(before);
  });

  it('first contact in a DM shows the AI disclosure, then `aide` lists the commands', async () => {
    await say(eventEnvelope(dm('U0ALICE01', 'aide'), 'EvAide1'));
    const replies = fake.messagesIn('D0ALICE01');
    expect(replies.length).toBeGreaterThanOrEqual(2);
    expect(allText(replies[0]!)).toMatch(/IA|intelligence artificielle/i);
    expect(replies.every((m) => m.threadTs === undefined)).toBe(true);
    const help = allText(replies.at(-1)!);
    expect(help).toMatch(/aide/i);
    // mrkdwn, not raw markdown
    expect(help).not.toMatch(/\*\*/);
  });

  it('a retried event (same event_id, X-Slack-Retry-Num) is answered once', async () => {
    const body = eventEnvelope(dm('U0BOB0001', 'aide'), 'EvRetry1');
    const first = await deliverEvent(events, body, { signingSecret: SECRET });
    const retry = await deliverEvent(events, body, { signingSecret: SECRET, retryNum: 1, retryReason: 'http_timeout' });
    expect([first.status, retry.status]).toEqual([200, 200]);
    await slack().idle();
    const count = fake.messagesIn('D0BOB0001').length;
    await deliverEvent(events, body, { signingSecret: SECRET, retryNum: 2 });
    await slack().idle();
    expect(fake.messagesIn('D0BOB0001').length).toBe(count);
    // disclosure + help, once
    expect(count).toBe(2);
  });

  it('a retry after a crash (claim whose lease ran out, never completed) is answered', async () => {
    await relais.platformServices.dedup.claim('slack:event:EvCrash1', 1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await deliverEvent(events, eventEnvelope(dm('U0CAROL01', 'aide'), 'EvCrash1'), { signingSecret: SECRET, retryNum: 1 });
    await slack().idle();
    expect(fake.messagesIn('D0CAROL01').length).toBe(2);
  });

  it('acknowledges before the answer is written', async () => {
    const result = await deliverEvent(events, eventEnvelope(dm('U0DAN0001', VISIT_QUESTION), 'EvAck1'), { signingSecret: SECRET });
    expect(result.status).toBe(200);
    expect(result.elapsedMs).toBeLessThan(3000);
    await slack().idle();
  });

  it('answers an assistant question with citations and feedback buttons; a feedback click is stored', async () => {
    await say(eventEnvelope(dm('U0EVE0001', VISIT_QUESTION), 'EvAsk1'));
    const answer = fake.messagesIn('D0EVE0001').find((m) => JSON.stringify(m.blocks).includes('feedback_buttons'));
    expect(answer).toBeDefined();
    const blocks = answer!.blocks;
    expect(JSON.stringify(blocks)).toContain('Sources');
    expect(blocks.some((b) => b.type === 'context' && JSON.stringify(b).includes('[1]'))).toBe(true);
    const feedback = blocks.find((b) => b.type === 'context_actions') as { elements: Array<{ action_id: string }> };
    const actionId = feedback.elements[0]!.action_id;
    const answerId = actionId.replace(/^feedback:/, '').replace(/#\d+$/, '');

    await say(
      interactivityBody({
        type: 'block_actions',
        user: { id: 'U0EVE0001', team_id: fake.teamId },
        team: { id: fake.teamId },
        channel: { id: 'D0EVE0001' },
        container: { type: 'message', channel_id: 'D0EVE0001', message_ts: answer!.ts },
        trigger_id: 'trig-fb-1',
        message: { ts: answer!.ts },
        actions: [{ type: 'feedback_buttons', action_id: actionId, value: 'up', action_ts: `${Date.now() / 1000}` }],
      }),
    );
    expect(await relais.repositories.answers.feedbackFor(answerId)).toEqual([expect.objectContaining({ answerId, rating: 'up' })]);
  });

  it('answers a mention in a channel in the thread, mention stripped', async () => {
    const ts = nextTs();
    await say(eventEnvelope({ type: 'app_mention', channel: 'C0GENERAL', user: 'U0FRED001', text: `<@${fake.botUserId}> aide`, ts }, 'EvMention1'));
    const replies = fake.messagesIn('C0GENERAL');
    expect(replies.length).toBeGreaterThanOrEqual(1);
    expect(replies.every((m) => m.threadTs === ts)).toBe(true);
    // "aide" was recognised: the mention was stripped before the core saw the text.
    expect(allText(replies.at(-1)!)).toContain('*langue*');
  });

  it('ignores the plain channel copy of a mention, edits and bot messages', async () => {
    const before = fake.messages.length;
    await say(eventEnvelope({ type: 'message', channel: 'C0GENERAL', channel_type: 'channel', user: 'U0FRED001', text: `<@${fake.botUserId}> aide`, ts: nextTs() }, 'EvCopy1'));
    await say(eventEnvelope({ type: 'message', subtype: 'message_changed', channel: 'D0ALICE01', channel_type: 'im', message: { text: 'aide', user: 'U0ALICE01' }, ts: nextTs() }, 'EvEdit1'));
    await say(eventEnvelope({ type: 'message', subtype: 'bot_message', bot_id: 'BOTHER', channel: 'D0ALICE01', channel_type: 'im', text: 'aide', ts: nextTs() }, 'EvBot1'));
    await say(eventEnvelope(dm(fake.botUserId, 'aide', { channel: 'D0ALICE01' }), 'EvSelf1'));
    expect(fake.messages.length).toBe(before);
  });

  it('answers /relais in the channel it was typed in', async () => {
    await say(slashCommandBody({ command: '/relais', text: 'aide', user_id: 'U0GINA001', channel_id: 'C0SLASH01', team_id: fake.teamId, trigger_id: 'trig-cmd-1', response_url: 'http://127.0.0.1:1/unused' }));
    expect(fake.messagesIn('C0SLASH01').length).toBeGreaterThanOrEqual(1);
  });

  it('greets a channel once when the bot joins it, with the AI disclosure', async () => {
    await say(eventEnvelope({ type: 'member_joined_channel', user: fake.botUserId, channel: 'C0JOINED1', channel_type: 'C', inviter: 'U0HUGO001' }, 'EvJoin1'));
    await say(eventEnvelope({ type: 'member_joined_channel', user: fake.botUserId, channel: 'C0JOINED1', channel_type: 'C', inviter: 'U0HUGO001' }, 'EvJoin2'));
    const greetings = fake.messagesIn('C0JOINED1');
    expect(greetings).toHaveLength(1);
    expect(allText(greetings[0]!)).toMatch(/IA|intelligence artificielle/i);
  });

  it('sends a proactive DM through conversations.open (cached) and chat.postMessage', async () => {
    const opensBefore = fake.callsOf('conversations.open').length;
    const ref = await slack().openDirect('U0IRIS001');
    const again = await slack().openDirect('U0IRIS001');
    expect(ref).toEqual({ platform: 'slack', externalId: 'D0IRIS001', kind: 'direct' });
    expect(again).toEqual(ref);
    expect(fake.callsOf('conversations.open').length).toBe(opensBefore + 1);
    const person = await relais.core.identities.resolvePerson('slack', 'U0IRIS001');
    const results = await relais.core.messenger.sendToPerson(person.id, { blocks: [{ type: 'text', markdown: '**Rappel** : le sondage ferme demain.' }] });
    expect(results).toEqual([expect.objectContaining({ platform: 'slack', delivered: true })]);
    const received = fake.messagesIn('D0IRIS001');
    expect(received.map(allText).join('\n')).toContain('*Rappel*');
  });

  it('records a failed proactive DM with a stable code when the Messages tab is off', async () => {
    const person = await relais.core.identities.resolvePerson('slack', 'U0JULES01');
    fake.failNext('chat.postMessage', { error: 'messages_tab_disabled' });
    const results = await relais.core.messenger.sendToPerson(person.id, { blocks: [{ type: 'text', markdown: 'Bonjour' }] });
    expect(results).toEqual([expect.objectContaining({ platform: 'slack', delivered: false, error: 'platform.not_installed' })]);
  });

  it('honours a 429 Retry-After and still delivers the message', async () => {
    const ref = await slack().openDirect('U0KARL001');
    fake.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });
    const limitedBefore = fake.rateLimited;
    const started = Date.now();
    await relais.core.messenger.sendToConversation(ref, { blocks: [{ type: 'text', markdown: 'Après une pause' }] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.rateLimited).toBe(limitedBefore + 1);
    expect(fake.messagesIn('D0KARL001').map((m) => m.text).join()).toContain('Après une pause');
  });
});
