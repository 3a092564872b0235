/**
 * The web chat JSON + SSE API, as documented in docs/web-api.md, through a
 * real HTTP server and the real core.
 */
import type { WebMessage } from '../../src/adapters/chat/web/web-message.js';
import type { Command } from '../../src/core/conversation/command-registry.js';
import type { Relais } from '../../src/main.js';
import { SseReader } from '../support/sse-client.js';
import { startTestRelais } from '../support/start-test-relais.js';
import { waitFor } from '../support/wait-for.js';
import { textOf, WebTestClient } from '../support/web-test-client.js';

/** A command that streams its answer, standing in for the assistant (which streams model output). */
const streamingCommand: Command = {
  id: 'test-stream',
  names: { fr: ['flux'], en: ['stream'] },
  describe: () => 'streams a long answer',
  hidden: true,
  run: async (context) => {
    const stream = await context.reply.stream();
    await stream.informative('Je cherche…');
    for (const part of ['Première partie, ', 'deuxième partie, ', 'fin.']) await stream.append(part);
    await stream.end({ blocks: [{ type: 'text', markdown: 'Première partie, deuxième partie, fin.' }], footer: { text: 'IA', aiGenerated: true } });
  },
};

async function post(relais: Relais, path: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: { error?: { code: string; message: string } } & Record<string, unknown> }> {
  const res = await fetch(`${relais.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, json: (await res.json()) as never };
}

describe('web chat API', () => {
  let relais: Relais;

  beforeAll(async () => {
    relais = await startTestRelais();
    relais.core.commands.register(streamingCommand);
  });
  afterAll(async () => {
    await relais?.stop();
  });

  it('answers "aide" in French with the AI disclosure first', async () => {
    const res = await post(relais, '/api/web/messages', JSON.stringify({ userId: 'u1', text: 'aide' }));
    expect(res.status).toBe(200);
    const body = res.json as unknown as { conversationId: string; replies: WebMessage[]; cursor: string };
    expect(body.conversationId).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(body.replies.map((r) => r.purpose)).toEqual(['disclosure', 'reply']);
    expect(body.replies.every((r) => r.locale === 'fr')).toBe(true);
    expect(textOf(body.replies)).toContain('intelligence artificielle');
    expect(textOf(body.replies)).toContain('Voici ce que je sais faire');
    const text = body.replies[1]!.blocks[0]!;
    expect(text.type === 'text' && text.html).toContain('<strong>aide</strong>');
    expect(body.cursor).toBe(body.replies[1]!.cursor);
  });

  it('continues a conversation and runs actions', async () => {
    const client = new WebTestClient(relais.url);
    await client.say('aide');
    const conversationId = client.conversationId;
    const demo = await client.say('démo');
    expect(client.conversationId).toBe(conversationId);
    expect(demo[0]!.conversationId).toBe(conversationId);
    const image = demo[0]!.blocks.find((b) => b.type === 'image');
    expect(image && image.type === 'image' && image.url).toMatch(/^data:image\/png;base64,/);
    expect(textOf(await client.act('demo:single', '3'))).toBe('Bien reçu : Vendredi matin');
    expect(textOf(await client.act('demo:number', 45))).toBe('Bien reçu : 45');
  });

  it.each([
    ['truncated JSON', 400, 'http.invalid_json', '{"userId": "u1", "text": '],
    ['a JSON array', 400, 'web.invalid_request', '[]'],
    ['no userId', 400, 'web.invalid_request', '{"text": "aide"}'],
    ['a userId with a space', 400, 'web.invalid_request', '{"userId": "u 1", "text": "aide"}'],
    ['no text', 400, 'web.invalid_request', '{"userId": "u1"}'],
    ['a path in conversationId', 400, 'web.invalid_request', '{"userId": "u1", "text": "aide", "conversationId": "../x"}'],
    ['4,001 characters of text', 413, 'web.message_too_long', JSON.stringify({ userId: 'u1', text: 'x'.repeat(4001) })],
    ['a 300 kB body', 413, 'http.payload_too_large', JSON.stringify({ userId: 'u1', text: 'x'.repeat(300_000) })],
  ] as [string, number, string, string][])('rejects %s → %i %s', async (_label, status, code, body) => {
    const res = await post(relais, '/api/web/messages', body);
    expect(res.status).toBe(status);
    expect(res.json.error?.code).toBe(code);
    expect(res.json.error?.message.length).toBeGreaterThan(5);
  });

  it('names the missing field', async () => {
    const res = await post(relais, '/api/web/messages', '{"text": "aide"}');
    expect(res.json.error?.message).toContain('userId');
  });

  it('rejects malformed actions', async () => {
    expect((await post(relais, '/api/web/actions', JSON.stringify({ userId: 'u1', actionId: 'demo:scale' }))).json.error?.code).toBe('web.invalid_request');
    expect((await post(relais, '/api/web/actions', JSON.stringify({ userId: 'u1', conversationId: 'c', actionId: 'x', value: { a: 1 } }))).status).toBe(400);
  });

  it('answers unknown routes with JSON', async () => {
    const res = await fetch(`${relais.url}/api/web/nothing`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('http.not_found');
  });

  it('lists the messages sent to a user, from a cursor', async () => {
    const client = new WebTestClient(relais.url);
    const first = await client.say('aide');
    const second = await client.say('à propos');
    const all = (await (await fetch(`${relais.url}/api/web/users/${client.userId}/messages`)).json()) as { messages: WebMessage[]; cursor: string };
    expect(all.messages.map((m) => m.id)).toEqual([...first, ...second].map((m) => m.id));
    expect(all.cursor).toBe(second.at(-1)!.cursor);
    const after = (await (await fetch(`${relais.url}/api/web/users/${client.userId}/messages?after=${first.at(-1)!.cursor}`)).json()) as { messages: WebMessage[] };
    expect(after.messages.map((m) => m.id)).toEqual(second.map((m) => m.id));
    const nobody = (await (await fetch(`${relais.url}/api/web/users/nobody-${Date.now()}/messages`)).json()) as { messages: WebMessage[] };
    expect(nobody.messages).toEqual([]);
    expect((await fetch(`${relais.url}/api/web/users/${client.userId}/messages?after=abc`)).status).toBe(400);
    expect((await fetch(`${relais.url}/api/web/users/${client.userId}/messages?limit=0`)).status).toBe(400);
  });

  it('streams replies as server-sent events when asked', async () => {
    const stream = await SseReader.open(`${relais.url}/api/web/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: `sse-${Date.now()}`, text: 'flux' }),
    });
    await stream.finished();
    expect(stream.response.headers.get('content-type')).toContain('text/event-stream');
    expect(stream.events.map((e) => e.event)).toEqual(['message', 'stream-start', 'stream-info', 'stream-delta', 'stream-delta', 'stream-delta', 'stream-end', 'done']);
    expect(stream.named('stream-delta').map((e) => (e.data as { text: string }).text).join('')).toBe('Première partie, deuxième partie, fin.');
    const end = stream.named('stream-end')[0]!.data as { message: WebMessage };
    expect(end.message.footer).toEqual({ text: 'IA', aiGenerated: true });
    expect(stream.named('done')[0]!.data).toMatchObject({ cursor: end.message.cursor });
  });

  it('returns only the final message of a stream in plain JSON', async () => {
    const client = new WebTestClient(relais.url);
    await client.say('aide');
    const replies = await client.say('flux');
    expect(replies).toHaveLength(1);
    expect(textOf(replies)).toBe('Première partie, deuxième partie, fin.');
  });

  it('delivers proactive messages live and resumes from the last event id', async () => {
    const client = new WebTestClient(relais.url);
    await client.say('aide');
    const person = await relais.core.identities.findPerson('web', client.userId);
    const live = await SseReader.open(`${relais.url}/api/web/users/${client.userId}/stream`);
    await waitFor(() => live.named('ready').length === 1);
    const [result] = await relais.core.messenger.sendToPerson(person!.id, { blocks: [{ type: 'text', markdown: 'Le sondage **irritants** est ouvert.' }] });
    expect(result).toMatchObject({ platform: 'web', delivered: true });
    await waitFor(() => live.named('message').length === 1);
    const pushed = live.named('message')[0]!;
    expect(pushed.data).toMatchObject({ purpose: 'proactive', conversationId: 'inbox' });
    expect(textOf([pushed.data as WebMessage])).toBe('Le sondage **irritants** est ouvert.');
    live.close();

    await relais.core.messenger.sendToPerson(person!.id, { blocks: [{ type: 'text', markdown: 'Rappel : il reste 2 jours.' }] });
    const resumed = await SseReader.open(`${relais.url}/api/web/users/${client.userId}/stream`, { headers: { 'last-event-id': pushed.id! } });
    await waitFor(() => resumed.named('message').length === 1);
    expect(textOf([resumed.named('message')[0]!.data as WebMessage])).toBe('Rappel : il reste 2 jours.');
    resumed.close();
  });

  it('serves the page, health and readiness', async () => {
    const page = await fetch(`${relais.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await (await fetch(`${relais.url}/healthz`)).json()).toMatchObject({ status: 'ok' });
    const ready = await fetch(`${relais.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
  });
});

describe('web chat API with an access token', () => {
  let relais: Relais;
  beforeAll(async () => {
    relais = await startTestRelais({ RELAIS_WEB_API_TOKEN: 'a-long-enough-test-token' });
  });
  afterAll(async () => {
    await relais?.stop();
  });

  it('requires the bearer token', async () => {
    const body = JSON.stringify({ userId: 'u1', text: 'aide' });
    expect((await post(relais, '/api/web/messages', body)).status).toBe(401);
    expect((await post(relais, '/api/web/messages', body, { authorization: 'Bearer wrong-token-wrong-token' })).status).toBe(401);
    expect((await post(relais, '/api/web/messages', body, { authorization: 'Bearer a-long-enough-test-token' })).status).toBe(200);
    expect((await fetch(`${relais.url}/healthz`)).status).toBe(200);
  });
});
