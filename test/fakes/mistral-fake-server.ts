/**
 * A local stand-in for the part of the Mistral API that Relais uses, for
 * driving the real @mistralai/mistralai SDK in tests (ARCHITECTURE.md rule 4):
 *
 * - `POST /v1/chat/completions` — JSON, or SSE `data: {chunk}` frames then
 *   `data: [DONE]` when `stream: true` (usage in the last chunk);
 * - `POST /v1/embeddings` — deterministic pseudo-embeddings (1024 floats from
 *   a hash of each text: reproducible, not semantic);
 * - `POST /v1/moderations` — `selfharm` flagged when the text contains a
 *   trigger word;
 * - `GET /v1/models`.
 *
 * Every request needs `Authorization: Bearer <key>` (401 otherwise). Every
 * request body is checked twice: against the operation's `requestBody`
 * schema in the official OpenAPI document (`../shared/conformance/mistral/
 * openapi.yaml`) when that file exists, and always against our own minimal
 * rules. Either failing answers 422 in the API's `{ detail: [...] }` shape.
 *
 * Knobs (a FIFO script consumed by valid requests): `failNext`, `delayNext`,
 * plus reply, trigger words, vector size, stream pacing and cuts. Every
 * request is recorded in `requests`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';

/** Where the official spec lives: `../shared/conformance/` next to the repository. */
export const MISTRAL_SPEC_PATH = fileURLToPath(new URL('../../../shared/conformance/mistral/openapi.yaml', import.meta.url));

/** Whether the official OpenAPI document is present on this machine. */
export function mistralSpecAvailable(specPath: string = MISTRAL_SPEC_PATH): boolean {
  return existsSync(specPath);
}

export const DEFAULT_FAKE_API_KEY = 'test-mistral-key-0123456789';
export const DEFAULT_SELF_HARM_TRIGGERS = ['suicide', 'me tuer', 'en finir', 'me faire du mal', 'kill myself', 'self-harm'];

/** The moderation categories of the API, as spelled in the spec's examples. */
export const MODERATION_CATEGORIES = [
  'sexual',
  'hate_and_discrimination',
  'violence_and_threats',
  'dangerous_and_criminal_content',
  'selfharm',
  'health',
  'financial',
  'law',
  'pii',
] as const;

export interface FakeChatMessage {
  role: string;
  content: unknown;
}

/** Computes the answer from the request's messages. */
export type ReplyFunction = (messages: FakeChatMessage[]) => string;

export type ScriptedFailure =
  /** Answer this HTTP status (with `Retry-After` if given). */
  | { status: number; retryAfter?: string; body?: unknown; delayMs?: number }
  /** Close the connection without answering. */
  | { network: 'reset'; delayMs?: number };

export interface ValidationIssue {
  loc: Array<string | number>;
  msg: string;
  type: string;
  /** Which check found it: the official spec or our own minimal rules. */
  source: 'openapi' | 'relais';
}

export interface RecordedRequest {
  method: string;
  /** Path without query (the SDK's `#stream` suffix never reaches the server). */
  path: string;
  /** Parsed JSON body, or the raw text when it is not JSON, or undefined. */
  body: unknown;
  authorization: string | undefined;
  /** `Date.now()` when the request arrived. */
  receivedAt: number;
  /** Status answered; undefined when the client went away first or the connection was reset. */
  status?: number;
  /** True when the client closed the connection before the answer was complete (abort, timeout, early stop). */
  clientClosedEarly?: boolean;
  /** Whether the body went through the spec's schema (false when the spec is absent or the operation has no body). */
  specChecked: boolean;
  /** Problems found in the body (then `status` is 422). */
  issues: ValidationIssue[];
}

export interface MistralFakeOptions {
  /** Key expected in `Authorization: Bearer …`. Default `DEFAULT_FAKE_API_KEY`. */
  apiKey?: string;
  /** OpenAPI document to validate against; `null` turns spec validation off. Default `MISTRAL_SPEC_PATH` when it exists. */
  specPath?: string | null;
  /** Initial answer (text, or a function of the messages). */
  reply?: string | ReplyFunction;
  /** Lower-case substrings that make moderation flag `selfharm`. Default `DEFAULT_SELF_HARM_TRIGGERS`. */
  selfHarmTriggers?: string[];
  /** Size of the returned vectors. Default 1024 (mistral-embed). */
  embeddingDimensions?: number;
}

export interface MistralFake {
  /** Base URL to give the SDK as `serverURL`. */
  url: string;
  apiKey: string;
  /** Whether request bodies are validated against the OpenAPI document. */
  readonly specValidation: boolean;
  /** `METHOD path` of the operations whose body the spec validates. */
  readonly specOperations: string[];
  readonly requests: RecordedRequest[];
  /** The next `n` valid requests fail as described. */
  failNext(n: number, failure: ScriptedFailure): void;
  /** The next `n` valid requests are answered after `ms` (before any header). */
  delayNext(ms: number, n?: number): void;
  setReply(reply: string | ReplyFunction): void;
  setSelfHarmTriggers(words: string[]): void;
  setEmbeddingDimensions(dimensions: number): void;
  /** `reversed` returns embedding items last-first (with correct `index`), as the API may. */
  setEmbeddingOrder(order: 'input' | 'reversed'): void;
  /** Whether the last stream chunk carries usage (Mistral's does). */
  setStreamUsage(enabled: boolean): void;
  /** Pause between stream frames, in ms. */
  setStreamChunkDelay(ms: number): void;
  /** The next stream is cut (connection destroyed) after `chunks` text chunks. */
  cutNextStreamAfter(chunks: number): void;
  /** Requests to one path. */
  requestsTo(path: string): RecordedRequest[];
  /** Forgets recorded requests and the script; knobs return to the start options. */
  reset(): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------
// Spec validation

interface SpecValidators {
  byOperation: Map<string, ValidateFunction>;
}

const SPEC_ID = 'https://relais.test/mistral-openapi.json';
const SERVED_OPERATIONS: Array<[method: string, path: string]> = [
  ['post', '/v1/chat/completions'],
  ['post', '/v1/embeddings'],
  ['post', '/v1/moderations'],
  ['get', '/v1/models'],
];
const validatorCache = new Map<string, SpecValidators>();

/** Points local refs (`#/components/...`) of an operation schema at the registered components document. */
function rebaseRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rebaseRefs);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, key === '$ref' && typeof value === 'string' && value.startsWith('#') ? `${SPEC_ID}${value}` : rebaseRefs(value)]),
  );
}

/**
 * Compiles, once per file, the JSON request-body schema of each operation the
 * fake serves. OpenAPI 3.1 schemas are JSON Schema 2020-12, hence Ajv2020.
 * `strict: false` because the document uses OpenAPI keywords Ajv does not
 * know (`discriminator` with `mapping`, `example`); the `oneOf` branches are
 * told apart by their `role` const anyway.
 */
function loadSpecValidators(specPath: string): SpecValidators {
  const cached = validatorCache.get(specPath);
  if (cached) return cached;
  const spec = parseYaml(readFileSync(specPath, 'utf8')) as {
    paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: unknown }> } }>>;
    components: Record<string, unknown>;
  };
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
  // ajv-formats is CommonJS: its callable is `default` under NodeNext typings and at run time alike.
  addFormatsModule.default(ajv);
  ajv.addSchema({ $id: SPEC_ID, components: spec.components });
  const byOperation = new Map<string, ValidateFunction>();
  for (const [method, path] of SERVED_OPERATIONS) {
    const schema = spec.paths[path]?.[method]?.requestBody?.content?.['application/json']?.schema;
    if (schema) byOperation.set(`${method.toUpperCase()} ${path}`, ajv.compile(rebaseRefs(schema) as object));
  }
  const validators = { byOperation };
  validatorCache.set(specPath, validators);
  return validators;
}

function ajvIssues(errors: ErrorObject[] | null | undefined): ValidationIssue[] {
  return (errors ?? []).map((e) => ({
    loc: ['body', ...e.instancePath.split('/').filter(Boolean).map((part) => (/^\d+$/.test(part) ? Number(part) : part.replace(/~1/g, '/').replace(/~0/g, '~')))],
    msg: `${e.message ?? 'invalid'}${e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : ''}`,
    type: e.keyword,
    source: 'openapi' as const,
  }));
}

// ---------------------------------------------------------------------------
// Our own minimal rules, applied whether or not the spec is present

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function minimalIssues(operation: string, body: unknown): ValidationIssue[] {
  const issue = (loc: Array<string | number>, msg: string, type: string): ValidationIssue => ({ loc: ['body', ...loc], msg, type, source: 'relais' });
  if (!isObject(body)) return [issue([], 'the body must be a JSON object', 'object_type')];
  const issues: ValidationIssue[] = [];
  if (typeof body.model !== 'string' || body.model.trim() === '') issues.push(issue(['model'], 'model is required', 'missing'));
  if (operation === 'POST /v1/chat/completions') {
    const messages = body.messages;
    if (!Array.isArray(messages) || messages.length === 0) {
      issues.push(issue(['messages'], 'messages must be a non-empty array', 'too_short'));
    } else {
      messages.forEach((message: unknown, index) => {
        if (!isObject(message)) return issues.push(issue(['messages', index], 'each message must be an object', 'object_type'));
        if (!['system', 'user', 'assistant', 'tool'].includes(String(message.role))) issues.push(issue(['messages', index, 'role'], 'unknown role', 'literal_error'));
        if (typeof message.content !== 'string' && !Array.isArray(message.content)) issues.push(issue(['messages', index, 'content'], 'content must be a string or a list of chunks', 'missing'));
      });
    }
  } else {
    const input = body.input;
    const valid = (typeof input === 'string' && input !== '') || (Array.isArray(input) && input.length > 0 && input.every((item) => typeof item === 'string'));
    if (!valid) issues.push(issue(['input'], 'input must be a non-empty string or a non-empty array of strings', 'missing'));
  }
  return issues;
}

// ---------------------------------------------------------------------------
// Deterministic content

/** Rough token count, the same rule as the adapter's estimate (4 characters per token). */
function tokensOf(text: string): number {
  return Math.ceil(text.length / 4);
}

function textOfContent(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((chunk) => (isObject(chunk) && typeof chunk.text === 'string' ? chunk.text : '')).join('');
  return '';
}

/**
 * A unit vector of `dimensions` numbers seeded by SHA-256 of the text
 * (xorshift128 generator): the same text always gives the same vector, any
 * two texts give unrelated ones.
 */
export function pseudoEmbedding(text: string, dimensions = 1024): number[] {
  const seed = createHash('sha256').update(text, 'utf8').digest();
  let [a, b, c, d] = [seed.readUInt32LE(0), seed.readUInt32LE(4), seed.readUInt32LE(8), seed.readUInt32LE(12)] as [number, number, number, number];
  if ((a | b | c | d) === 0) a = 1;
  const next = (): number => {
    const t = (a ^ (a << 11)) >>> 0;
    a = b;
    b = c;
    c = d;
    d = (d ^ (d >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
    return d / 0x1_0000_0000;
  };
  const raw = Array.from({ length: dimensions }, () => next() * 2 - 1);
  const norm = Math.sqrt(raw.reduce((sum, x) => sum + x * x, 0)) || 1;
  // Six decimals keep responses small; the values stay deterministic.
  return raw.map((x) => Math.round((x / norm) * 1e6) / 1e6);
}

const newId = (): string => randomBytes(16).toString('hex');
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

// ---------------------------------------------------------------------------
// The server

interface ScriptEntry {
  delayMs: number;
  failure?: ScriptedFailure;
}

const MAX_BODY_BYTES = 20 * 1024 * 1024;

export async function startMistralFake(options: MistralFakeOptions = {}): Promise<MistralFake> {
  const apiKey = options.apiKey ?? DEFAULT_FAKE_API_KEY;
  const specPath = options.specPath === undefined ? MISTRAL_SPEC_PATH : options.specPath;
  const validators = specPath !== null && mistralSpecAvailable(specPath) ? loadSpecValidators(specPath) : undefined;

  const defaults = {
    reply: options.reply ?? ((messages: FakeChatMessage[]) => `Réponse simulée à ${messages.length} message(s).`),
    triggers: options.selfHarmTriggers ?? DEFAULT_SELF_HARM_TRIGGERS,
    dimensions: options.embeddingDimensions ?? 1024,
  };
  const state = {
    reply: defaults.reply as string | ReplyFunction,
    triggers: [...defaults.triggers],
    dimensions: defaults.dimensions,
    embeddingOrder: 'input' as 'input' | 'reversed',
    streamUsage: true,
    streamChunkDelayMs: 0,
    cutNextStreamAfter: undefined as number | undefined,
    script: [] as ScriptEntry[],
  };
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  /** Waits `ms`, unless the client goes away first (then resolves false). */
  const wait = (ms: number, res: ServerResponse): Promise<boolean> =>
    new Promise((resolve) => {
      if (ms <= 0) return resolve(!res.destroyed);
      const onClose = (): void => {
        clearTimeout(timer);
        timers.delete(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        timers.delete(timer);
        res.off('close', onClose);
        resolve(!res.destroyed);
      }, ms);
      timers.add(timer);
      res.once('close', onClose);
    });

  const send = (res: ServerResponse, record: RecordedRequest, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    if (res.destroyed) return;
    record.status = status;
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };

  const errorBody = (status: number): Record<string, unknown> => {
    if (status === 429) return { object: 'error', message: 'Requests rate limit exceeded', type: 'rate_limited', param: null, code: '1300' };
    if (status >= 500) return { object: 'error', message: 'Service unavailable', type: 'service_unavailable', param: null, code: String(status) };
    return { object: 'error', message: `HTTP ${status}`, type: 'invalid_request_error', param: null, code: String(status) };
  };

  const replyText = (messages: FakeChatMessage[]): string => (typeof state.reply === 'string' ? state.reply : state.reply(messages));

  async function handleChat(body: Record<string, unknown>, res: ServerResponse, record: RecordedRequest): Promise<void> {
    const messages = body.messages as FakeChatMessage[];
    const model = String(body.model);
    const promptTokens = messages.reduce((sum, m) => sum + tokensOf(textOfContent(m.content)), 0);
    let text = replyText(messages);
    let finishReason = 'stop';
    const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : undefined;
    if (maxTokens !== undefined && tokensOf(text) > maxTokens) {
      text = text.slice(0, maxTokens * 4);
      finishReason = 'length';
    }
    const completionTokens = tokensOf(text);
    const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
    const id = newId();
    const created = nowSeconds();

    if (body.stream !== true) {
      send(res, record, 200, {
        id,
        object: 'chat.completion',
        model,
        created,
        usage,
        choices: [{ index: 0, message: { role: 'assistant', content: text, tool_calls: null, prefix: false }, finish_reason: finishReason }],
      });
      return;
    }

    // Mistral's stream: a first chunk with the role, text chunks, the last one with finish_reason and usage, then [DONE].
    const pieces = text.match(/\S+\s*|\s+/g) ?? [''];
    const chunk = (delta: Record<string, unknown>, finish: string | null, withUsage: boolean): string =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }], ...(withUsage ? { usage } : {}) })}\n\n`;
    record.status = 200;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write(chunk({ role: 'assistant', content: '' }, null, false));
    const cutAfter = state.cutNextStreamAfter;
    state.cutNextStreamAfter = undefined;
    for (let i = 0; i < pieces.length; i++) {
      if (!(await wait(state.streamChunkDelayMs, res))) return;
      if (cutAfter !== undefined && i >= cutAfter) {
        // Let the chunks already written reach the client first: destroying at once would discard them,
        // and the client would see a failure before any text (which it may retry).
        await new Promise<void>((resolve) => res.write(': cut\n\n', () => resolve()));
        res.socket?.destroy();
        return;
      }
      const last = i === pieces.length - 1;
      res.write(chunk({ content: pieces[i] }, last ? finishReason : null, last && state.streamUsage));
    }
    res.end('data: [DONE]\n\n');
  }

  function handleEmbeddings(body: Record<string, unknown>, res: ServerResponse, record: RecordedRequest): void {
    const inputs = typeof body.input === 'string' ? [body.input] : (body.input as string[]);
    const data = inputs.map((text, index) => ({ object: 'embedding', index, embedding: pseudoEmbedding(text, state.dimensions) }));
    if (state.embeddingOrder === 'reversed') data.reverse();
    const promptTokens = inputs.reduce((sum, text) => sum + tokensOf(text), 0);
    send(res, record, 200, {
      id: newId(),
      object: 'list',
      model: String(body.model),
      usage: { prompt_tokens: promptTokens, completion_tokens: 0, total_tokens: promptTokens },
      data,
    });
  }

  function handleModerations(body: Record<string, unknown>, res: ServerResponse, record: RecordedRequest): void {
    const inputs = typeof body.input === 'string' ? [body.input] : (body.input as string[]);
    const results = inputs.map((text) => {
      const lower = text.toLowerCase();
      const selfHarm = state.triggers.some((word) => lower.includes(word.toLowerCase()));
      const categories = Object.fromEntries(MODERATION_CATEGORIES.map((c) => [c, c === 'selfharm' && selfHarm]));
      const category_scores = Object.fromEntries(MODERATION_CATEGORIES.map((c) => [c, c === 'selfharm' && selfHarm ? 0.97 : 0.0002]));
      return { categories, category_scores };
    });
    send(res, record, 200, { id: newId(), model: String(body.model), results });
  }

  function handleModels(res: ServerResponse, record: RecordedRequest): void {
    const card = (id: string, capabilities: Record<string, boolean>) => ({
      id,
      object: 'model',
      created: 1_700_000_000,
      owned_by: 'mistralai',
      capabilities,
      name: id,
      description: null,
      max_context_length: 32768,
      aliases: [],
      deprecation: null,
      default_model_temperature: 0.3,
      type: 'base',
    });
    send(res, record, 200, {
      object: 'list',
      data: [
        card('mistral-small-latest', { completion_chat: true, function_calling: true }),
        card('mistral-embed', { completion_chat: false }),
        card('mistral-moderation-latest', { moderation: true }),
      ],
    });
  }

  async function readBody(req: IncomingMessage): Promise<string | undefined> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return undefined;
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const raw = await readBody(req);
    const record: RecordedRequest = { method, path, body: undefined, authorization: req.headers.authorization, receivedAt: Date.now(), specChecked: false, issues: [] };
    requests.push(record);
    res.once('close', () => {
      if (!res.writableFinished) record.clientClosedEarly = true;
    });
    if (raw === undefined) return send(res, record, 413, { object: 'error', message: 'Request body too large' });
    if (raw !== '') {
      try {
        record.body = JSON.parse(raw) as unknown;
      } catch {
        record.body = raw;
      }
    }

    const operation = `${method} ${path}`;
    const served = SERVED_OPERATIONS.some(([m, p]) => `${m.toUpperCase()} ${p}` === operation);
    if (!served) {
      const knownPath = SERVED_OPERATIONS.some(([, p]) => p === path);
      return send(res, record, knownPath ? 405 : 404, { detail: knownPath ? 'Method Not Allowed' : 'Not Found' });
    }
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      return send(res, record, 401, { message: 'Unauthorized', request_id: newId() });
    }

    if (method === 'POST') {
      if (raw === '' || typeof record.body === 'string') {
        record.issues = [{ loc: ['body'], msg: 'the body is not valid JSON', type: 'json_invalid', source: 'relais' }];
      } else {
        const validate = validators?.byOperation.get(operation);
        if (validate) {
          record.specChecked = true;
          if (!validate(record.body)) record.issues.push(...ajvIssues(validate.errors));
        }
        record.issues.push(...minimalIssues(operation, record.body));
      }
      if (record.issues.length > 0) {
        return send(res, record, 422, { object: 'error', message: 'Request validation failed', type: 'invalid_request_error', detail: record.issues });
      }
    }

    const entry = state.script.shift();
    if (entry && !(await wait(entry.delayMs, res))) return;
    const failure = entry?.failure;
    if (failure && 'network' in failure) {
      req.socket.destroy();
      return;
    }
    if (failure) {
      return send(res, record, failure.status, failure.body ?? errorBody(failure.status), failure.retryAfter === undefined ? {} : { 'retry-after': failure.retryAfter });
    }

    const body = record.body as Record<string, unknown>;
    if (path === '/v1/chat/completions') return handleChat(body, res, record);
    if (path === '/v1/embeddings') return handleEmbeddings(body, res, record);
    if (path === '/v1/moderations') return handleModerations(body, res, record);
    return handleModels(res, record);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'error', message: `fake server bug: ${error instanceof Error ? error.message : String(error)}` }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    specValidation: validators !== undefined,
    specOperations: validators ? [...validators.byOperation.keys()] : [],
    requests,
    failNext(n, failure) {
      for (let i = 0; i < n; i++) state.script.push({ delayMs: failure.delayMs ?? 0, failure });
    },
    delayNext(ms, n = 1) {
      for (let i = 0; i < n; i++) state.script.push({ delayMs: ms });
    },
    setReply(reply) {
      state.reply = reply;
    },
    setSelfHarmTriggers(words) {
      state.triggers = [...words];
    },
    setEmbeddingDimensions(dimensions) {
      state.dimensions = dimensions;
    },
    setEmbeddingOrder(order) {
      state.embeddingOrder = order;
    },
    setStreamUsage(enabled) {
      state.streamUsage = enabled;
    },
    setStreamChunkDelay(ms) {
      state.streamChunkDelayMs = ms;
    },
    cutNextStreamAfter(chunks) {
      state.cutNextStreamAfter = chunks;
    },
    requestsTo(path) {
      return requests.filter((r) => r.path === path);
    },
    reset() {
      requests.length = 0;
      Object.assign(state, {
        reply: defaults.reply,
        triggers: [...defaults.triggers],
        dimensions: defaults.dimensions,
        embeddingOrder: 'input',
        streamUsage: true,
        streamChunkDelayMs: 0,
        cutNextStreamAfter: undefined,
        script: [],
      });
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
