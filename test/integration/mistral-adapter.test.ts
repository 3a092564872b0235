/**
 * The Mistral adapters (chat, stream, embeddings, moderation) through the
 * real @mistralai/mistralai SDK against the local fake of the API, which
 * validates every request body against the official OpenAPI document when
 * `../shared/conformance` is present.
 */
import { Mistral } from '@mistralai/mistralai';
import { RelaisError } from '../../src/core/errors.js';
import type { ChatChunk, ChatMessage } from '../../src/core/ports/language-model.js';
import type { Logger } from '../../src/core/ports/logger.js';
import { MistralEmbedder, planBatches } from '../../src/adapters/llm/mistral/mistral-embedder.js';
import { parseRetryAfter } from '../../src/adapters/llm/mistral/mistral-errors.js';
import { MistralLanguageModel } from '../../src/adapters/llm/mistral/mistral-language-model.js';
import { MistralModerator } from '../../src/adapters/llm/mistral/mistral-moderator.js';
import type { MistralOptions } from '../../src/adapters/llm/mistral/mistral-options.js';
import { mistralSpecAvailable, pseudoEmbedding, startMistralFake, type MistralFake } from '../fakes/mistral-fake-server.js';
import { waitFor } from '../support/wait-for.js';

/** Words that must never reach a log line: they only appear in prompts and answers. */
const PROMPT_MARKER = 'PROMPT-CONFIDENTIEL';
const ANSWER_MARKER = 'REPONSE-CONFIDENTIELLE';

interface LogLine {
  level: string;
  fields: Record<string, unknown>;
  message?: string;
}

/** A `Logger` that keeps every line, to check what adapters log (and what they must not). */
function recordingLogger(lines: LogLine[], bindings: Record<string, unknown> = {}): Logger {
  const at =
    (level: string) =>
    (fieldsOrMessage: Record<string, unknown> | string, message?: string): void => {
      if (typeof fieldsOrMessage === 'string') lines.push({ level, fields: { ...bindings }, message: fieldsOrMessage });
      else lines.push({ level, fields: { ...bindings, ...fieldsOrMessage }, ...(message === undefined ? {} : { message }) });
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (more) => recordingLogger(lines, { ...bindings, ...more }) };
}

async function failureOf(promise: Promise<unknown>): Promise<RelaisError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RelaisError) return error;
    throw new Error(`expected a RelaisError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a failure, got a result');
}

async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

const question: ChatMessage[] = [
  { role: 'system', content: 'Tu es un assistant réflexif.' },
  { role: 'user', content: `Comment préparer un entretien ? ${PROMPT_MARKER}` },
];

const specTitle = mistralSpecAvailable() ? 'against ../shared/conformance/mistral/openapi.yaml' : 'skipped: ../shared/conformance not present';
const itWithSpec = mistralSpecAvailable() ? it : it.skip;

describe('Mistral adapters against the local Mistral API fake', () => {
  let fake: MistralFake;
  let logs: LogLine[];
  /** Requests a test sends on purpose with an invalid body (not made by the adapters). */
  let deliberateInvalid = 0;

  const options = (overrides: Partial<MistralOptions> = {}): MistralOptions => ({
    apiKey: fake.apiKey,
    serverUrl: fake.url,
    logger: recordingLogger(logs),
    // Small backoff steps keep the suite fast; Retry-After is honoured whatever these are.
    retryBaseDelayMs: 20,
    retryMaxDelayMs: 100,
    ...overrides,
  });

  beforeAll(async () => {
    fake = await startMistralFake();
  });
  afterAll(async () => {
    await fake?.close();
  });
  beforeEach(() => {
    fake.reset();
    logs = [];
    deliberateInvalid = 0;
  });
  afterEach(() => {
    // Every request the adapters made was valid for the spec (when present) and for our own rules.
    const rejected = fake.requests.filter((r) => r.status === 422);
    expect(rejected.length).toBe(deliberateInvalid);
    if (fake.specValidation && deliberateInvalid === 0) {
      for (const request of fake.requests.filter((r) => r.method === 'POST' && r.status !== 401)) expect(request.specChecked).toBe(true);
    }
    // Logs carry model, status, attempt, duration and token counts; never content nor the key.
    const logged = JSON.stringify(logs);
    expect(logged).not.toContain(PROMPT_MARKER);
    expect(logged).not.toContain(ANSWER_MARKER);
    expect(logged).not.toContain(fake.apiKey);
  });

  itWithSpec(`validates request bodies ${specTitle}`, () => {
    expect(fake.specValidation).toBe(true);
    expect(fake.specOperations).toEqual(['POST /v1/chat/completions', 'POST /v1/embeddings', 'POST /v1/moderations']);
  });

  describe('chat', () => {
    it('completes with text, usage, model and finish reason', async () => {
      fake.setReply(`Commencez par relire l'annonce. ${ANSWER_MARKER}`);
      const model = new MistralLanguageModel(options());
      const result = await model.complete(question);
      expect(result.text).toBe(`Commencez par relire l'annonce. ${ANSWER_MARKER}`);
      expect(result.model).toBe('mistral-small-latest');
      expect(result.finishReason).toBe('stop');
      const promptTokens = Math.ceil(question[0]!.content.length / 4) + Math.ceil(question[1]!.content.length / 4);
      const completionTokens = Math.ceil(result.text.length / 4);
      expect(result.usage).toEqual({ promptTokens, completionTokens, totalTokens: promptTokens + completionTokens });
      const [request] = fake.requestsTo('/v1/chat/completions');
      expect(request!.body).toMatchObject({ model: 'mistral-small-latest', temperature: 0.3, stream: false, messages: question });
      expect(request!.authorization).toBe(`Bearer ${fake.apiKey}`);
      const success = logs.find((l) => l.message === 'mistral call succeeded');
      expect(success?.fields).toMatchObject({ scope: 'mistral', operation: 'chat', model: 'mistral-small-latest', status: 200, attempt: 1, promptTokens, completionTokens });
      expect(typeof success?.fields.durationMs).toBe('number');
    });

    it('passes temperature and maxTokens, and reports a "length" finish', async () => {
      fake.setReply('un deux trois quatre cinq six sept huit neuf dix onze douze');
      const result = await new MistralLanguageModel(options({ chatModel: 'mistral-large-latest' })).complete(question, { temperature: 0.7, maxTokens: 3 });
      expect(result.finishReason).toBe('length');
      // The fake cuts the answer at maxTokens × 4 characters, as a length-limited model would.
      expect(result.text).toBe('un deux troi');
      expect(fake.requests[0]!.body).toMatchObject({ model: 'mistral-large-latest', temperature: 0.7, max_tokens: 3 });
    });

    it('streams deltas in order, then one done chunk with usage', async () => {
      const answer = `Trois pistes : relire l'annonce, préparer deux exemples, poser une question. ${ANSWER_MARKER}`;
      fake.setReply(answer);
      const chunks = await collect(new MistralLanguageModel(options()).stream(question));
      const deltas = chunks.filter((c): c is Extract<ChatChunk, { type: 'delta' }> => c.type === 'delta');
      expect(deltas.length).toBeGreaterThan(5);
      expect(deltas.map((d) => d.text).join('')).toBe(answer);
      expect(chunks.slice(0, -1).every((c) => c.type === 'delta')).toBe(true);
      const done = chunks.at(-1)!;
      const completionTokens = Math.ceil(answer.length / 4);
      expect(done).toMatchObject({ type: 'done', model: 'mistral-small-latest', finishReason: 'stop', usage: { completionTokens } });
      expect(done.type === 'done' && done.usage.totalTokens).toBe(done.type === 'done' && done.usage.promptTokens + completionTokens);
      expect(fake.requests[0]!.body).toMatchObject({ stream: true });
    });

    it('reports zero tokens (and logs it at debug) when the stream carries no usage', async () => {
      fake.setStreamUsage(false);
      const chunks = await collect(new MistralLanguageModel(options()).stream(question));
      expect(chunks.at(-1)).toMatchObject({ type: 'done', usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 } });
      expect(logs.some((l) => l.level === 'debug' && l.message === 'stream ended without usage, reporting zero tokens')).toBe(true);
    });

    it('retries a stream that fails before its first delta', async () => {
      fake.setReply('Une réponse complète.');
      fake.failNext(1, { status: 503 });
      const chunks = await collect(new MistralLanguageModel(options()).stream(question));
      expect(chunks.filter((c) => c.type === 'delta').map((c) => (c.type === 'delta' ? c.text : '')).join('')).toBe('Une réponse complète.');
      expect(fake.requests.map((r) => r.status)).toEqual([503, 200]);
    });

    it('lets the consumer stop a stream early, releasing the connection', async () => {
      fake.setReply('un deux trois quatre cinq six sept huit');
      fake.setStreamChunkDelay(50);
      const received: string[] = [];
      for await (const chunk of new MistralLanguageModel(options()).stream(question)) {
        if (chunk.type === 'delta') received.push(chunk.text);
        if (received.length === 2) break;
      }
      expect(received).toEqual(['un ', 'deux ']);
      // The adapter closed the connection: the fake sees it and stops writing before [DONE].
      await waitFor(() => fake.requests[0]!.clientClosedEarly === true);
      expect(fake.requests).toHaveLength(1);
      expect(logs.some((l) => l.level === 'warn')).toBe(false);
    });

    it('does not retry a stream cut after deltas were handed out', async () => {
      fake.setReply('un deux trois quatre cinq six');
      fake.cutNextStreamAfter(2);
      const received: string[] = [];
      const error = await failureOf(
        (async () => {
          for await (const chunk of new MistralLanguageModel(options()).stream(question)) if (chunk.type === 'delta') received.push(chunk.text);
        })(),
      );
      expect(received).toEqual(['un ', 'deux ']);
      expect(error.code).toBe('llm.unavailable');
      expect(error.transient).toBe(true);
      expect(fake.requests).toHaveLength(1);
      expect(logs.some((l) => l.message === 'mistral stream broke after text was handed out, not retried')).toBe(true);
    });
  });

  describe('embeddings', () => {
    it('keeps order across batches of at most 64 texts, with 1024 dimensions', async () => {
      const texts = Array.from({ length: 150 }, (_, i) => `récit ${i} : une journée au service ${i % 7}`);
      const embedder = new MistralEmbedder(options());
      expect(embedder.dimensions).toBe(1024);
      const result = await embedder.embed(texts);
      expect(result.vectors).toHaveLength(150);
      expect(result.vectors.every((v) => v.length === 1024)).toBe(true);
      // The fake's vectors are a function of the text: equality proves each vector sits at its text's position.
      result.vectors.forEach((vector, i) => expect(vector).toEqual(pseudoEmbedding(texts[i]!)));
      const batches = fake.requestsTo('/v1/embeddings').map((r) => (r.body as { input: string[] }).input);
      expect(batches.map((b) => b.length)).toEqual([64, 64, 22]);
      expect(batches.flat()).toEqual(texts);
      expect(result.promptTokens).toBe(texts.reduce((sum, t) => sum + Math.ceil(t.length / 4), 0));
      expect(fake.requests[0]!.body).toMatchObject({ model: 'mistral-embed' });
    });

    it('splits batches by estimated tokens too', async () => {
      const texts = Array.from({ length: 7 }, (_, i) => `${i}`.padEnd(20_000, 'x'));
      const result = await new MistralEmbedder(options()).embed(texts);
      expect(result.vectors).toHaveLength(7);
      // 5,000 estimated tokens each: three fit under 16,000.
      expect(fake.requests.map((r) => (r.body as { input: string[] }).input.length)).toEqual([3, 3, 1]);
    });

    it('orders vectors by their index when the API returns them shuffled', async () => {
      fake.setEmbeddingOrder('reversed');
      const texts = ['premier', 'deuxième', 'troisième'];
      const result = await new MistralEmbedder(options()).embed(texts);
      expect(result.vectors).toEqual(texts.map((t) => pseudoEmbedding(t)));
    });

    it('rejects vectors of another size with llm.bad_response, without retrying', async () => {
      fake.setEmbeddingDimensions(768);
      const error = await failureOf(new MistralEmbedder(options()).embed(['un texte']));
      expect(error.code).toBe('llm.bad_response');
      expect(error.transient).toBe(false);
      expect(error.details).toMatchObject({ dimensions: 768, expectedDimensions: 1024 });
      expect(fake.requests).toHaveLength(1);
    });

    it('sends nothing for no texts', async () => {
      expect(await new MistralEmbedder(options()).embed([])).toEqual({ vectors: [], promptTokens: 0 });
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('moderation', () => {
    it('maps the API category "selfharm" to selfHarm', async () => {
      const moderator = new MistralModerator(options());
      const risky = await moderator.moderate(`Je voudrais en finir. ${PROMPT_MARKER}`);
      expect(risky).toEqual({ selfHarm: 0.97, selfHarmFlagged: true, flagged: ['selfharm'] });
      const calm = await moderator.moderate('Ma réunion de lundi était longue.');
      expect(calm.selfHarmFlagged).toBe(false);
      expect(calm.selfHarm).toBeLessThan(0.01);
      expect(calm.flagged).toEqual([]);
      expect(fake.requests[0]!.body).toEqual({ model: 'mistral-moderation-latest', input: [`Je voudrais en finir. ${PROMPT_MARKER}`] });
    });

    it('uses the configured trigger words of the fake', async () => {
      fake.setSelfHarmTriggers(['mot-déclencheur']);
      expect((await new MistralModerator(options()).moderate('un MOT-DÉCLENCHEUR ici')).selfHarmFlagged).toBe(true);
    });
  });

  describe('retries and errors', () => {
    it('waits for Retry-After (seconds) after a 429, then succeeds', async () => {
      fake.failNext(1, { status: 429, retryAfter: '1' });
      const result = await new MistralLanguageModel(options()).complete(question);
      expect(result.finishReason).toBe('stop');
      const [first, second] = fake.requests;
      expect(fake.requests.map((r) => r.status)).toEqual([429, 200]);
      expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(900);
      expect(logs.find((l) => l.message === 'mistral call failed, retrying')?.fields).toMatchObject({ code: 'llm.rate_limited', status: 429, attempt: 1, retryInMs: 1000 });
    });

    it('retries a 503 and succeeds', async () => {
      fake.failNext(1, { status: 503 });
      const result = await new MistralEmbedder(options()).embed(['a', 'b']);
      expect(result.vectors).toHaveLength(2);
      expect(fake.requests.map((r) => r.status)).toEqual([503, 200]);
    });

    it('retries a reset connection and succeeds', async () => {
      fake.failNext(1, { network: 'reset' });
      const result = await new MistralModerator(options()).moderate('bonjour');
      expect(result.selfHarmFlagged).toBe(false);
      expect(fake.requests.map((r) => r.status)).toEqual([undefined, 200]);
    });

    it('gives up with llm.unavailable after maxRetries + 1 attempts of 503', async () => {
      fake.failNext(10, { status: 503 });
      const error = await failureOf(new MistralLanguageModel(options({ maxRetries: 2 })).complete(question));
      expect(error.code).toBe('llm.unavailable');
      expect(error.transient).toBe(true);
      expect(error.details).toMatchObject({ status: 503, operation: 'chat' });
      expect(fake.requests).toHaveLength(3);
      expect(logs.filter((l) => l.message === 'mistral call failed, retrying').map((l) => l.fields.attempt)).toEqual([1, 2]);
      expect(logs.find((l) => l.message === 'mistral call failed')?.fields).toMatchObject({ attempt: 3, code: 'llm.unavailable' });
    });

    it('does not wait for a Retry-After longer than maxRetryAfterMs', async () => {
      fake.failNext(1, { status: 429, retryAfter: '120' });
      const error = await failureOf(new MistralLanguageModel(options()).complete(question));
      expect(error.code).toBe('llm.rate_limited');
      expect(error.details.retryAfterMs).toBe(120_000);
      expect(fake.requests).toHaveLength(1);
    });

    it('maps 401 to llm.rejected, without retry and without the key in the error', async () => {
      const badKey = 'sk-wrong-0123456789-secret';
      const error = await failureOf(new MistralLanguageModel(options({ apiKey: badKey })).complete(question));
      expect(error.code).toBe('llm.rejected');
      expect(error.transient).toBe(false);
      expect(error.details.status).toBe(401);
      expect(fake.requests).toHaveLength(1);
      expect(fake.requests[0]!.status).toBe(401);
      expect(error.message).not.toContain(badKey);
      expect(JSON.stringify({ ...error, message: error.message, stack: error.stack })).not.toContain(badKey);
      expect(JSON.stringify(logs)).not.toContain(badKey);
    });

    it('maps a timeout to llm.timeout, after retrying it', async () => {
      fake.delayNext(3_000, 2);
      const startedAt = Date.now();
      const error = await failureOf(new MistralLanguageModel(options({ timeoutMs: 250, maxRetries: 1 })).complete(question));
      expect(error.code).toBe('llm.timeout');
      expect(error.transient).toBe(true);
      expect(fake.requests).toHaveLength(2);
      expect(Date.now() - startedAt).toBeLessThan(2_500);
    });

    it('times out a stream that falls silent', async () => {
      fake.setStreamChunkDelay(2_000);
      const error = await failureOf(collect(new MistralLanguageModel(options({ timeoutMs: 300, maxRetries: 0 })).stream(question)));
      expect(error.code).toBe('llm.timeout');
      expect(fake.requests).toHaveLength(1);
    });

    it('stops at once, without retry, when the caller aborts during a request', async () => {
      fake.delayNext(10_000);
      const controller = new AbortController();
      const pending = failureOf(new MistralLanguageModel(options()).complete(question, { signal: controller.signal }));
      await waitFor(() => fake.requests.length === 1);
      const abortedAt = Date.now();
      controller.abort();
      const error = await pending;
      expect(error.code).toBe('llm.aborted');
      expect(error.transient).toBe(false);
      expect(Date.now() - abortedAt).toBeLessThan(1_000);
      expect(fake.requests).toHaveLength(1);
      await waitFor(() => fake.requests[0]!.clientClosedEarly === true);
    });

    it('stops at once when the caller aborts during a backoff', async () => {
      fake.failNext(1, { status: 429, retryAfter: '30' });
      const controller = new AbortController();
      const pending = failureOf(new MistralEmbedder(options()).embed(['x'], controller.signal));
      await waitFor(() => logs.some((l) => l.message === 'mistral call failed, retrying'));
      controller.abort(new Error('user left'));
      const error = await pending;
      expect(error.code).toBe('llm.aborted');
      expect(fake.requests).toHaveLength(1);
    });

    it('stops a stream when the caller aborts after the first delta', async () => {
      fake.setReply('un deux trois quatre cinq');
      fake.setStreamChunkDelay(150);
      const controller = new AbortController();
      const received: string[] = [];
      const error = await failureOf(
        (async () => {
          for await (const chunk of new MistralLanguageModel(options()).stream(question, { signal: controller.signal })) {
            if (chunk.type === 'delta') {
              received.push(chunk.text);
              controller.abort();
            }
          }
        })(),
      );
      expect(error.code).toBe('llm.aborted');
      expect(received).toEqual(['un ']);
      expect(fake.requests).toHaveLength(1);
    });

    it('sends nothing when the signal has already fired', async () => {
      const error = await failureOf(new MistralModerator(options()).moderate('x', AbortSignal.abort()));
      expect(error.code).toBe('llm.aborted');
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('the fake itself', () => {
    itWithSpec(`answers 422 to a body the OpenAPI document forbids (${specTitle})`, async () => {
      deliberateInvalid = 1;
      const res = await fetch(`${fake.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json' },
        // Valid for our minimal rules, invalid for the spec: temperature above 1.5, unknown property.
        body: JSON.stringify({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'bonjour' }], temperature: 3, colour: 'blue' }),
      });
      expect(res.status).toBe(422);
      const body = (await res.json()) as { detail: Array<{ loc: unknown[]; type: string; source: string }> };
      expect(body.detail.every((d) => d.source === 'openapi')).toBe(true);
      expect(body.detail.map((d) => d.type)).toEqual(expect.arrayContaining(['additionalProperties']));
      expect(body.detail.some((d) => JSON.stringify(d.loc) === JSON.stringify(['body', 'temperature']))).toBe(true);
    });

    it('answers 422 to a body our minimal rules forbid, spec or not', async () => {
      deliberateInvalid = 2;
      const post = (body: unknown): Promise<Response> =>
        fetch(`${fake.url}/v1/embeddings`, { method: 'POST', headers: { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const noInput = await post({ model: 'mistral-embed', input: [] });
      expect(noInput.status).toBe(422);
      expect(((await noInput.json()) as { detail: Array<{ source: string }> }).detail.some((d) => d.source === 'relais')).toBe(true);
      expect((await post({ input: 'x' })).status).toBe(422);
    });

    it('without the spec, still serves the adapters and applies its minimal rules', async () => {
      const bare = await startMistralFake({ specPath: null });
      try {
        expect(bare.specValidation).toBe(false);
        const result = await new MistralLanguageModel(options({ serverUrl: bare.url, apiKey: bare.apiKey })).complete(question);
        expect(result.finishReason).toBe('stop');
        const res = await fetch(`${bare.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${bare.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'mistral-small-latest', messages: [] }),
        });
        expect(res.status).toBe(422);
        expect(bare.requests.map((r) => [r.status, r.specChecked])).toEqual([
          [200, false],
          [422, false],
        ]);
      } finally {
        await bare.close();
      }
    });

    it('answers 401 without the bearer key, and speaks GET /v1/models to the SDK', async () => {
      expect((await fetch(`${fake.url}/v1/models`)).status).toBe(401);
      const client = new Mistral({ apiKey: fake.apiKey, serverURL: fake.url, retryConfig: { strategy: 'none' } });
      const models = await client.models.list();
      expect(models.data?.map((m) => ('id' in m ? m.id : undefined))).toEqual(['mistral-small-latest', 'mistral-embed', 'mistral-moderation-latest']);
    });
  });
});

describe('Mistral adapter helpers', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(parseRetryAfter('1', now)).toBe(1000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('plans batches by count and by estimated tokens, keeping order', () => {
    expect(planBatches(Array.from({ length: 130 }, () => 'x'))).toEqual([
      [0, 64],
      [64, 128],
      [128, 130],
    ]);
    expect(planBatches(['a'.repeat(40_000), 'b', 'c'.repeat(70_000)], 64, 16_000)).toEqual([
      [0, 2],
      [2, 3],
    ]);
    expect(planBatches([])).toEqual([]);
  });
});
