/**
 * The Slack adapter on its own (Bolt + Web API client against the Slack
 * fake), with a scripted handler in place of the core: acknowledgement before
 * work, exactly-once across retries and failures, Slack retrying an
 * unacknowledged event, streaming (native in threads, throttled updates in
 * DMs), uploads, size limits and Socket Mode selection.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { InMemoryEventDeduplicator } from '../../src/adapters/memory/in-memory-event-deduplicator.js';
import { InMemoryPlatformStateStore } from '../../src/adapters/memory/in-memory-platform-state.js';
import { InMemoryRateLimiter } from '../../src/adapters/rate-limit/in-memory-rate-limiter.js';
import { createSilentLogger } from '../../src/adapters/log/pino-logger.js';
import { SlackPlatform, type SlackPlatformOptions } from '../../src/adapters/chat/slack/slack.platform.js';
import { createSlackPlatform } from '../../src/composition/slack-platform.factory.js';
import type { ChatPlatformDeps } from '../../src/composition/chat-platforms.js';
import type { RelaisConfig } from '../../src/config.js';
import { RelaisError } from '../../src/core/errors.js';
import type { InboundEvent } from '../../src/core/messages/inbound.js';
import type { OutboundEnvelope, OutboundMessage } from '../../src/core/messages/outbound.js';
import type { InboundHandler } from '../../src/core/ports/chat-platform.js';
import { deliverEvent, deliverWithRetries, eventEnvelope, SlackFake } from '../fakes/slack-fake-server.js';

const SECRET = 'delivery-signing-secret';
let fake: SlackFake;
let seq = 0;

function envelope(message: OutboundMessage): OutboundEnvelope {
  seq++;
  return { id: `env-${seq}`, cursor: String(seq), createdAt: new Date(), conversationId: 'conv', locale: 'fr', message };
}

function text(markdown: string): OutboundEnvelope {
  return envelope({ blocks: [{ type: 'text', markdown }] });
}

interface Harness {
  platform: SlackPlatform;
  url: string;
  dedup: InMemoryEventDeduplicator;
  close(): Promise<void>;
}

async function harness(overrides: Partial<SlackPlatformOptions> = {}, started = true, handler?: InboundHandler): Promise<Harness & { start(h: InboundHandler): Promise<void> }> {
  const dedup = new InMemoryEventDeduplicator();
  const platform = new SlackPlatform({
    botToken: fake.token,
    signingSecret: SECRET,
    apiUrl: fake.apiUrl,
    logger: createSilentLogger(),
    clock: { now: () => new Date() },
    dedup,
    limiter: new InMemoryRateLimiter(),
    state: new InMemoryPlatformStateStore(),
    ...overrides,
  });
  const app = express();
  app.use(platform.router());
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  if (started && handler) await platform.start(handler);
  return {
    platform,
    url,
    dedup,
    start: (h) => platform.start(h),
    close: async () => {
      await platform.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function dmEvent(user: string, body: string, eventId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return eventEnvelope({ type: 'message', channel: `D${user.slice(1)}`, channel_type: 'im', user, text: body, ts: `${Date.now() / 1000}`, ...extra }, eventId);
}

beforeAll(async () => {
  fake = new SlackFake();
  await fake.start();
});
afterAll(async () => {
  await fake.stop();
});

describe('acknowledgement and exactly-once', () => {
  it('acknowledges while the answer is still being written', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let handled = false;
    const h = await harness({}, true, async (_event, responder) => {
      await gate;
      await responder.send(text('fini'));
      handled = true;
    });
    try {
      const result = await deliverEvent(h.url, dmEvent('U0ACK0001', 'question', 'EvAckSlow'), { signingSecret: SECRET });
      expect(result.status).toBe(200);
      expect(handled).toBe(false);
      expect(h.platform.pending).toBe(1);
      release();
      await h.platform.idle();
      expect(handled).toBe(true);
      expect(fake.messagesIn('D0ACK0001')).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it('gives the event back when handling fails before any reply, so the next delivery answers it once', async () => {
    const seen: InboundEvent[] = [];
    let fail = true;
    const h = await harness({}, true, async (event, responder) => {
      seen.push(event);
      if (fail) throw new Error('store down');
      await responder.send(text('réponse'));
    });
    try {
      const body = dmEvent('U0FAIL001', 'question', 'EvFail1');
      await deliverEvent(h.url, body, { signingSecret: SECRET });
      await h.platform.idle();
      fail = false;
      await deliverEvent(h.url, body, { signingSecret: SECRET, retryNum: 1, retryReason: 'http_error' });
      await h.platform.idle();
      await deliverEvent(h.url, body, { signingSecret: SECRET, retryNum: 2, retryReason: 'http_error' });
      await h.platform.idle();
      expect(seen).toHaveLength(2);
      expect(fake.messagesIn('D0FAIL001')).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it('never handles again an event that failed after a reply was posted', async () => {
    let calls = 0;
    const h = await harness({}, true, async (_event, responder) => {
      calls++;
      await responder.send(text('début'));
      throw new Error('later failure');
    });
    try {
      const body = dmEvent('U0HALF001', 'question', 'EvHalf1');
      await deliverEvent(h.url, body, { signingSecret: SECRET });
      await h.platform.idle();
      await deliverEvent(h.url, body, { signingSecret: SECRET, retryNum: 1 });
      await h.platform.idle();
      expect(calls).toBe(1);
    } finally {
      await h.close();
    }
  });

  it('is retried by Slack while not ready (503), and answered once when started', async () => {
    const seen: string[] = [];
    const h = await harness({}, false);
    try {
      const delivery = deliverWithRetries(h.url, dmEvent('U0LATE001', 'aide', 'EvLate1'), { signingSecret: SECRET, retryDelaysMs: [400, 400, 400] });
      await new Promise((resolve) => setTimeout(resolve, 100));
      await h.start(async (event, responder) => {
        seen.push(event.id);
        await responder.send(text('bonjour'));
      });
      const results = await delivery;
      expect(results[0]!.status).toBe(503);
      expect(results.at(-1)!.status).toBe(200);
      await h.platform.idle();
      expect(seen).toEqual(['EvLate1']);
    } finally {
      await h.close();
    }
  });
});

describe('streaming', () => {
  let now = 0;
  const clock = { now: () => new Date(now) };

  it('streams natively in a thread, throttled to one call per second, then shows the final rendering', async () => {
    now = 1_000_000;
    const h = await harness({ clock }, true, async (_event, responder) => {
      const stream = await responder.startStream();
      await stream.informative('Je cherche…');
      for (let i = 0; i < 10; i++) await stream.append(`morceau ${i} `);
      now += 1100;
      await stream.append('**fin**');
      await stream.end(envelope({ blocks: [{ type: 'text', markdown: 'Réponse **complète**' }, { type: 'feedback', actionId: 'feedback:x' }] }));
    });
    try {
      const ts = '1700000000.000100';
      await deliverEvent(h.url, eventEnvelope({ type: 'app_mention', channel: 'C0STREAM1', user: 'U0STR0001', text: `<@${fake.botUserId}> question`, ts }, 'EvStream1'), { signingSecret: SECRET });
      await h.platform.idle();
      const [message] = fake.messagesIn('C0STREAM1');
      expect(message).toMatchObject({ threadTs: ts, streaming: false });
      expect(message!.streamed).toContain('morceau 0');
      expect(message!.streamed).toContain('**fin**');
      expect(fake.callsOf('chat.startStream')).toHaveLength(1);
      expect(fake.callsOf('chat.startStream')[0]!.args).toMatchObject({ recipient_user_id: 'U0STR0001', recipient_team_id: fake.teamId });
      expect(fake.callsOf('chat.appendStream').length).toBeLessThanOrEqual(1);
      expect(fake.callsOf('chat.stopStream')).toHaveLength(1);
      expect(JSON.stringify(message!.blocks)).toContain('Réponse *complète*');
      expect(JSON.stringify(message!.blocks)).toContain('feedback_buttons');
    } finally {
      await h.close();
    }
  });

  it('in a DM, shows a status line, then updates the message at most once per second', async () => {
    now = 2_000_000;
    const h = await harness({ clock }, true, async (_event, responder) => {
      const stream = await responder.startStream();
      await stream.informative('Je cherche dans les récits…');
      for (let i = 0; i < 20; i++) await stream.append(`mot${i} `);
      now += 1100;
      await stream.append('suite ');
      await stream.end(envelope({ blocks: [{ type: 'text', markdown: 'Version finale' }] }));
    });
    try {
      const updatesBefore = fake.callsOf('chat.update').length;
      await deliverEvent(h.url, dmEvent('U0UPD0001', 'question', 'EvUpd1'), { signingSecret: SECRET });
      await h.platform.idle();
      const messages = fake.messagesIn('D0UPD0001');
      expect(messages).toHaveLength(1);
      expect(messages[0]!.threadTs).toBeUndefined();
      // status posted, first chunk shown, one more after a second, then the final rendering
      expect(fake.callsOf('chat.update').length - updatesBefore).toBeLessThanOrEqual(3);
      expect(JSON.stringify(messages[0]!.blocks)).toContain('Version finale');
    } finally {
      await h.close();
    }
  });
});

describe('assistant threads (Agents & AI Apps)', () => {
  it('offers suggested prompts, greets through the core, and shows status lines while answering', async () => {
    const seen: InboundEvent[] = [];
    const h = await harness({}, true, async (event, responder) => {
      seen.push(event);
      if (event.kind !== 'message') return;
      const stream = await responder.startStream();
      await stream.informative('Je cherche dans les récits…');
      await stream.end(text('Voici'));
    });
    try {
      await deliverEvent(h.url, eventEnvelope({ type: 'assistant_thread_started', assistant_thread: { user_id: 'U0AST0001', channel_id: 'D0AST0001', thread_ts: '1700000100.000100', context: {} } }, 'EvAst1'), { signingSecret: SECRET });
      await h.platform.idle();
      const prompts = fake.callsOf('assistant.threads.setSuggestedPrompts').at(-1)!;
      expect(prompts.args).toMatchObject({ channel_id: 'D0AST0001', thread_ts: '1700000100.000100' });
      expect(JSON.parse(String(prompts.args.prompts))).toEqual(expect.arrayContaining([expect.objectContaining({ title: 'Décrire une situation de stage' })]));
      expect(seen[0]).toMatchObject({ kind: 'joined', conversation: { threadId: '1700000100.000100' } });

      await deliverEvent(h.url, dmEvent('U0AST0001', 'une question', 'EvAst2', { thread_ts: '1700000100.000100' }), { signingSecret: SECRET });
      await h.platform.idle();
      expect(fake.callsOf('assistant.threads.setStatus').at(-1)!.args).toMatchObject({ channel_id: 'D0AST0001', status: 'Je cherche dans les récits…' });
      expect(fake.messagesIn('D0AST0001').at(-1)).toMatchObject({ threadTs: '1700000100.000100' });
    } finally {
      await h.close();
    }
  });
});

describe('outbound', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  beforeAll(async () => {
    h = await harness({}, true, async () => undefined);
  });
  afterAll(async () => {
    await h.close();
  });

  it('uploads image bytes through the external upload flow, in the conversation', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').toString('base64');
    await h.platform.send({ platform: 'slack', externalId: 'C0IMG0001', kind: 'channel', threadId: '1.2' }, envelope({ blocks: [{ type: 'text', markdown: 'Le graphique :' }, { type: 'image', source: { kind: 'bytes', mimeType: 'image/png', base64: png }, alt: 'Répartition des réponses', title: 'Répartition' }] }));
    const file = fake.files.find((f) => f.channel === 'C0IMG0001');
    expect(file).toMatchObject({ filename: 'repartition.png', bytes: 16, threadTs: '1.2' });
    expect(fake.messagesIn('C0IMG0001')).toHaveLength(1);
  });

  it('splits a very long answer into messages Slack accepts', async () => {
    const paragraph = 'Une phrase de travail social, avec un peu de **gras** et [un lien](https://example.org/doc). '.repeat(30);
    await h.platform.send({ platform: 'slack', externalId: 'C0LONG001', kind: 'channel' }, envelope({ blocks: Array.from({ length: 25 }, () => ({ type: 'text' as const, markdown: paragraph })) }));
    const calls = fake.callsOf('chat.postMessage').filter((c) => c.args.channel === 'C0LONG001');
    // Every part fits Slack's limits (a 429 under heavy load is retried, never a size refusal).
    expect(calls.filter((c) => c.outcome !== '429').map((c) => c.outcome)).toEqual(calls.filter((c) => c.outcome !== '429').map(() => 'ok'));
    expect(fake.messagesIn('C0LONG001').length).toBeGreaterThan(1);
  });

  it('the fake refuses what Slack refuses: more than 50 blocks, a section over 3,000 characters', async () => {
    const blocks = Array.from({ length: 51 }, () => ({ type: 'section', text: { type: 'mrkdwn', text: 'x' } }));
    await expect(h.platform.api.postMessage('C0BIG0001', undefined, { kind: 'message', text: 'x', blocks })).rejects.toMatchObject({ code: 'platform.rejected', details: { slackError: 'invalid_blocks' } });
    const long = [{ type: 'section', text: { type: 'mrkdwn', text: 'y'.repeat(3001) } }];
    await expect(h.platform.api.postMessage('C0BIG0001', undefined, { kind: 'message', text: 'y', blocks: long })).rejects.toBeInstanceOf(RelaisError);
  });

  it('maps Slack errors to stable codes', async () => {
    fake.failNext('chat.postMessage', { error: 'not_in_channel' });
    await expect(h.platform.send({ platform: 'slack', externalId: 'C0NOTIN01', kind: 'channel' }, text('x'))).rejects.toMatchObject({ code: 'platform.not_installed' });
    fake.failNext('conversations.open', { error: 'cannot_dm_bot' });
    await expect(h.platform.openDirect('U0OTHERBOT')).rejects.toMatchObject({ code: 'platform.not_installed' });
  });
});

describe('limits shared by several instances', () => {
  it('two instances without a shared limiter hit the per-channel limit: the 429 is honoured and both messages arrive', async () => {
    const a = await harness({}, true, async () => undefined);
    const b = await harness({}, true, async () => undefined);
    try {
      const before = fake.rateLimited;
      const ref = { platform: 'slack' as const, externalId: 'C0TWOINST', kind: 'channel' as const };
      await Promise.all([a.platform.send(ref, text('de A')), b.platform.send(ref, text('de B'))]);
      expect(fake.rateLimited).toBeGreaterThan(before);
      expect(fake.messagesIn('C0TWOINST').map((m) => m.text).sort()).toEqual(['de A', 'de B']);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('workspaces without feedback_buttons', () => {
  it('falls back to plain buttons after one refusal, and uses them directly afterwards', async () => {
    const strict = new SlackFake({ refuseNativeFeedback: true });
    await strict.start();
    const h = await harness({ apiUrl: strict.apiUrl }, true, async () => undefined);
    try {
      const answer = () => envelope({ blocks: [{ type: 'text', markdown: 'Réponse' }, { type: 'feedback', actionId: 'feedback:z1' }] });
      await h.platform.send({ platform: 'slack', externalId: 'C0STRICT1', kind: 'channel' }, answer());
      await h.platform.send({ platform: 'slack', externalId: 'C0STRICT2', kind: 'channel' }, answer());
      expect(strict.callsOf('chat.postMessage').map((c) => c.outcome)).toEqual(['invalid_blocks', 'ok', 'ok']);
      expect(JSON.stringify(strict.messages[0]!.blocks)).toContain('"feedback:z1#');
    } finally {
      await h.close();
      await strict.stop();
    }
  });
});

describe('configuration', () => {
  it('uses Socket Mode when an app token is set, and then mounts no HTTP route', async () => {
    const deps = {
      config: {} as RelaisConfig,
      logger: createSilentLogger(),
      clock: { now: () => new Date() },
      dedup: new InMemoryEventDeduplicator(),
      limiter: new InMemoryRateLimiter(),
      state: new InMemoryPlatformStateStore(),
    } as unknown as ChatPlatformDeps;
    const socket = await createSlackPlatform({ botToken: 'xoxb-1', signingSecret: 's', appToken: 'xapp-1' }, deps);
    expect((socket.platform as SlackPlatform).mode).toBe('socket');
    expect(socket.rawBodyRouter).toBeUndefined();
    const http = await createSlackPlatform({ botToken: 'xoxb-1', signingSecret: 's' }, deps);
    expect((http.platform as SlackPlatform).mode).toBe('http');
    expect(http.rawBodyRouter).toBeDefined();
  });
});
