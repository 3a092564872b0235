/**
 * The Teams adapter on its own (real SDK, fake connector, a scripted handler
 * instead of the core): a stream that outlives Teams' 2-minute limit is
 * closed and continued by updates of the same message; long messages are
 * split under the size limit; a conversation the app was removed from gives
 * `platform.not_installed`.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { TeamsPlatform } from '../../src/adapters/chat/teams/teams.platform.js';
import { createSilentLogger } from '../../src/adapters/log/pino-logger.js';
import { InMemoryEventDeduplicator } from '../../src/adapters/memory/in-memory-event-deduplicator.js';
import { InMemoryPlatformStateStore } from '../../src/adapters/memory/in-memory-platform-state.js';
import { InMemoryRateLimiter } from '../../src/adapters/rate-limit/in-memory-rate-limiter.js';
import type { ConversationRef } from '../../src/core/messages/conversation-ref.js';
import type { OutboundEnvelope, OutboundMessage } from '../../src/core/messages/outbound.js';
import type { InboundEvent } from '../../src/core/messages/inbound.js';
import type { Responder } from '../../src/core/ports/chat-platform.js';
import { systemClock } from '../../src/core/ports/clock.js';
import { postActivity, startTeamsConnectorFake, type TeamsConnectorFake } from '../fakes/teams-connector-fake-server.js';
import { makeUser, personalMessage, BOT_ID, TENANT_ID } from '../fakes/teams/teams-activities.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function envelope(message: OutboundMessage): OutboundEnvelope {
  return { id: 'e1', cursor: '1', createdAt: new Date(), conversationId: 'c', locale: 'fr', message };
}

let fake: TeamsConnectorFake;
let server: Server;
let url: string;
let platform: TeamsPlatform;
let script: (event: InboundEvent, responder: Responder) => Promise<void> = async () => undefined;

beforeAll(async () => {
  fake = await startTeamsConnectorFake();
  platform = new TeamsPlatform({
    allowAnonymous: true,
    dedup: new InMemoryEventDeduplicator(systemClock),
    limiter: new InMemoryRateLimiter(),
    state: new InMemoryPlatformStateStore(),
    logger: createSilentLogger(),
    clock: systemClock,
    streamDelayMs: 20,
    streamMaxMs: 600,
    updateIntervalMs: 200,
  });
  await platform.start((event, responder) => script(event, responder));
  const app = express();
  app.use(express.json());
  app.use(platform.router());
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await platform?.stop();
  server?.close();
  await fake?.close();
});

it('closes a stream before Teams’ limit and continues by updating the same message', async () => {
  const user = makeUser(1);
  const chunks = ['Une ', 'réponse ', 'longue ', 'à ', 'écrire, ', 'morceau ', 'par ', 'morceau.'];
  script = async (_event, responder) => {
    const stream = await responder.startStream();
    await stream.informative('Je cherche…');
    for (const chunk of chunks) {
      await stream.append(chunk);
      await sleep(150);
    }
    await stream.end(envelope({ blocks: [{ type: 'text', markdown: chunks.join('') }, { type: 'feedback', actionId: 'feedback:a1' }], footer: { text: 'IA', aiGenerated: true } }));
  };
  await postActivity(url, personalMessage(user, 'question', { serviceUrl: fake.serviceUrl }));
  await platform.idle();
  const sent = fake.activitiesIn(user.personalConversationId);
  const streamId = sent[0]!.id;
  expect(sent.every((s) => s.id === streamId)).toBe(true);
  const closing = sent.find((s) => (s.activity.entities as { streamType?: string }[] | undefined)?.some((e) => e.streamType === 'final'))!;
  expect(closing.method).toBe('POST');
  expect(String(closing.activity.text).length).toBeLessThan(chunks.join('').length);
  const updates = sent.filter((s) => s.method === 'PUT');
  expect(updates.length).toBeGreaterThanOrEqual(1);
  const last = updates.at(-1)!.activity;
  expect(String(last.text)).toContain(chunks.join(''));
  expect(last.channelData).toEqual({ feedbackLoopEnabled: true });
  expect((last.entities as { additionalType?: string[] }[])[0]!.additionalType).toEqual(['AIGeneratedContent']);
});

const ref: ConversationRef = {
  platform: 'teams',
  externalId: 'a:1removed',
  kind: 'direct',
  routing: { serviceUrl: '', channelId: 'msteams', tenantId: TENANT_ID, botId: BOT_ID },
};

it('splits a very long proactive message under Teams’ size limit', async () => {
  const long = Array.from({ length: 80 }, (_, i) => `Paragraphe ${i} : ${'texte '.repeat(120)}`).join('\n\n');
  await platform.send({ ...ref, externalId: 'a:1long', routing: { ...ref.routing, serviceUrl: fake.serviceUrl } }, envelope({ blocks: [{ type: 'text', markdown: long }] }));
  const sent = fake.activitiesIn('a:1long');
  expect(sent.length).toBeGreaterThan(1);
  expect(fake.tooLarge).toBe(0);
  expect(sent.map((s) => s.activity.text).join('\n\n')).toContain('Paragraphe 79');
});

it('reports platform.not_installed when Teams refuses a proactive message (403)', async () => {
  fake.failNext(403);
  await expect(platform.send({ ...ref, routing: { ...ref.routing, serviceUrl: fake.serviceUrl } }, envelope({ blocks: [{ type: 'text', markdown: 'Bonjour' }] }))).rejects.toMatchObject({
    code: 'platform.not_installed',
  });
});

it('is checked against a connector that refuses activities over 28 KB (413), as Teams does', async () => {
  const oversized = { type: 'message', text: 'x'.repeat(29 * 1024), conversation: { id: 'a:1big', tenantId: TENANT_ID } };
  const response = await fetch(`${fake.url}/v3/conversations/a%3A1big/activities`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(oversized),
  });
  expect(response.status).toBe(413);
  expect(fake.tooLarge).toBe(1);
});
