/**
 * A local stand-in for a Chroma server (the bundled one needs glibc ≥ 2.38,
 * which these machines lack), so `ChromaVectorIndex` is tested through the
 * real `chromadb` client over real HTTP.
 *
 * It implements the v2 HTTP endpoints the installed client (chromadb 3.x)
 * calls for the operations Relais uses, found by reading the client's source
 * (`src/chroma-client.ts`, `src/collection.ts`, `src/api/sdk.gen.ts`), and
 * answers like Chroma 1.0.x from 1.0.13 on (the Rust frontend,
 * `rust/frontend/src/server.rs`):
 *
 *   GET  /api/v2/heartbeat                          { "nanosecond heartbeat": n }   (health probe)
 *   GET  /api/v2/pre-flight-checks                  { max_batch_size, supports_base64_encoding }
 *                                                   (before the first write: batch limit, base64)
 *   POST /api/v2/tenants/{t}/databases/{d}/collections            create / get_or_create → Collection
 *   GET  /api/v2/tenants/{t}/databases/{d}/collections/{name}     → Collection (tests read it back)
 *   POST …/collections/{id}/upsert   { ids, embeddings (numbers or base64 float32), metadatas?, documents?, uris? } → {}
 *   POST …/collections/{id}/get      { ids?, where?, limit?, offset?, include? } → GetResponse
 *   POST …/collections/{id}/query    { query_embeddings, n_results?, where?, ids?, include? } → QueryResponse
 *   POST …/collections/{id}/delete   { ids?, where? } → {} (Chroma does not report how many)
 *   GET  …/collections/{id}/count    → n
 *
 * The client asks `/api/v2/auth/identity` only when no tenant or database is
 * set, which the adapter never leaves empty, so it is not implemented.
 *
 * Storage is in memory; distances are exact (cosine: 1 − cos, l2: squared
 * euclidean, ip: 1 − dot, as Chroma's hnswlib). Errors have Chroma's shape
 * `{ error, message }`: 400 InvalidArgumentError for bad values, 422 for a
 * body of the wrong shape and 400 for malformed JSON (axum's Json extractor),
 * 404 NotFoundError, 409 for an existing collection.
 *
 * Knobs for failure tests: `failWith(status)` (e.g. 503), `delay(ms)` (a slow
 * or hung server), `dropConnections(n)` (connections closed without an
 * answer), `down()`/`up()` (nothing listening: connection refused).
 * `requests` records every request, for assertions on what the client sent.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChromaFakeOptions {
  /** What `pre-flight-checks` announces; the client refuses larger batches (default 1000). */
  maxBatchSize?: number;
  /** Chroma ≥ 1.0.13 accepts base64 float32 embeddings on writes (default true). */
  supportsBase64?: boolean;
  /** When set, every request must carry `x-chroma-token: <token>` or `Authorization: Bearer <token>`, else 401. */
  token?: string;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/api/v2/heartbeat`. */
  path: string;
  /** Path with ids and names replaced by placeholders, e.g. `POST /api/v2/tenants/{tenant}/…/{collection_id}/query`. */
  route: string;
  body: unknown;
}

type Space = 'l2' | 'cosine' | 'ip';
type MetadataValue = string | number | boolean | string[] | number[] | boolean[];
type Metadata = Record<string, MetadataValue>;

interface StoredRecord {
  embedding: Float32Array;
  metadata: Metadata | null;
  document: string | null;
  uri: string | null;
}

export interface FakeCollection {
  id: string;
  name: string;
  tenant: string;
  database: string;
  space: Space;
  /** The `configuration` object as received, and the metadata. */
  configuration: Record<string, unknown>;
  metadata: Metadata | null;
  /** Fixed by the first write, as in Chroma. */
  dimension: number | null;
  /** Insertion order is kept: `get` answers in it, like Chroma. */
  records: Map<string, StoredRecord>;
}

/** An error answer: HTTP status and Chroma's `{ error, message }` body. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

const invalidArgument = (message: string) => new HttpError(400, 'InvalidArgumentError', message);
/** axum answers 422 when JSON parses but does not fit the payload type. */
const unprocessable = (message: string) => new HttpError(422, 'ChromaError', `Failed to deserialize the JSON body into the target type: ${message}`);
const notFound = (message: string) => new HttpError(404, 'NotFoundError', message);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HNSW_FIELDS = new Set(['space', 'ef_construction', 'ef_search', 'max_neighbors', 'num_threads', 'resize_factor', 'sync_threshold', 'batch_size']);
const SPACES = new Set<Space>(['l2', 'cosine', 'ip']);
const INCLUDE = new Set(['distances', 'documents', 'embeddings', 'metadatas', 'uris']);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function optionalArray(body: Record<string, unknown>, field: string): unknown[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw unprocessable(`${field}: invalid type, expected a sequence`);
  return value;
}

function stringArray(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw unprocessable(`${field}: invalid type, expected a sequence of strings`);
  return value;
}

function nonNegativeInteger(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw unprocessable(`${field}: invalid value, expected u32`);
  return value;
}

/** Collection names as Chroma validates them. */
function checkCollectionName(name: string): void {
  const ok =
    name.length >= 3 &&
    name.length <= 512 &&
    /^[a-zA-Z0-9][a-zA-Z0-9._-]*[a-zA-Z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^\d{1,3}(\.\d{1,3}){3}$/.test(name);
  if (!ok) {
    throw invalidArgument(
      `Expected a name containing 3-512 characters from [a-zA-Z0-9._-], starting and ending with a character in [a-zA-Z0-9]. Got: ${name}`,
    );
  }
}

function checkMetadata(value: unknown, field: string): Metadata | null {
  if (value === null || value === undefined) return null;
  if (!isObject(value)) throw unprocessable(`${field}: invalid type, expected a map`);
  for (const [key, v] of Object.entries(value)) {
    if (key.startsWith('#') || key.startsWith('$')) throw invalidArgument(`Metadata key ${key} is reserved`);
    const scalar = (x: unknown) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean';
    if (v === null) continue; // null deletes the key on update and upsert
    if (!scalar(v) && !(Array.isArray(v) && v.length > 0 && v.every(scalar))) {
      throw unprocessable(`${field}.${key}: expected a string, number, boolean or a list of them`);
    }
  }
  return value as Metadata;
}

/** Decodes base64 little-endian float32, as Chroma does for writes when it announces `supports_base64_encoding`. */
function decodeBase64Embedding(text: string, field: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % 4 !== 0 || bytes.toString('base64').replace(/=+$/, '') !== text.replace(/=+$/, '')) {
    throw invalidArgument(`Base64 decoding error: ${field} is not base64 of float32 values`);
  }
  const values = new Float32Array(bytes.length / 4);
  for (let i = 0; i < values.length; i++) values[i] = bytes.readFloatLE(i * 4);
  return values;
}

function numberEmbedding(value: unknown, field: string): Float32Array {
  if (!Array.isArray(value) || !value.every((x) => typeof x === 'number')) throw unprocessable(`${field}: invalid type, expected a sequence of f32`);
  return Float32Array.from(value as number[]);
}

/** Distance as Chroma's hnswlib computes it (cosine on normalised vectors). */
function distance(space: Space, a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  let l2 = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
    l2 += (x - y) * (x - y);
  }
  if (space === 'l2') return l2;
  if (space === 'ip') return 1 - dot;
  // hnswlib adds a tiny epsilon to the norm, so the zero vector gives distance 1 instead of NaN.
  return 1 - dot / ((Math.sqrt(na) + 1e-30) * (Math.sqrt(nb) + 1e-30));
}

type Predicate = (metadata: Metadata | null) => boolean;

const COMPARISONS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$contains', '$not_contains']);

/** Chroma's `where` language: `{ key: value }`, `{ key: { $op: operand } }`, `$and`, `$or`. */
function parseWhere(where: unknown): Predicate {
  if (!isObject(where)) throw invalidArgument('Expected where to be a non-empty dictionary');
  const entries = Object.entries(where);
  if (entries.length === 0) throw invalidArgument('Expected where to have exactly one operator, got {}');
  const parts = entries.map(([key, value]): Predicate => {
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value) || value.length === 0) throw invalidArgument(`Expected where value for ${key} to be a non-empty list of where expressions`);
      const children = value.map(parseWhere);
      return key === '$and' ? (m) => children.every((c) => c(m)) : (m) => children.some((c) => c(m));
    }
    if (key.startsWith('$')) throw invalidArgument(`Unknown where operator ${key}`);
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      return (m) => m?.[key] === value;
    }
    if (!isObject(value) || Object.keys(value).length !== 1) {
      throw invalidArgument(`Expected operator expression for ${key} to have exactly one operator`);
    }
    const [op, operand] = Object.entries(value)[0]!;
    if (!COMPARISONS.has(op)) throw invalidArgument(`Unknown where operator ${op}`);
    if (op === '$in' || op === '$nin') {
      if (!Array.isArray(operand) || operand.length === 0 || !operand.every((x) => typeof x === typeof operand[0])) {
        throw invalidArgument(`Expected where operand for ${op} to be a non-empty list of values of one type`);
      }
      const set = new Set(operand);
      return op === '$in' ? (m) => m !== null && key in m && set.has(m[key]) : (m) => !(m !== null && key in m && set.has(m[key]));
    }
    if (typeof operand !== 'string' && typeof operand !== 'number' && typeof operand !== 'boolean') {
      throw invalidArgument(`Expected where operand for ${op} to be a string, number or boolean`);
    }
    if ((op === '$gt' || op === '$gte' || op === '$lt' || op === '$lte') && typeof operand !== 'number') {
      throw invalidArgument(`Expected where operand for ${op} to be a number`);
    }
    return (m) => {
      const v = m?.[key];
      switch (op) {
        case '$eq':
          return v === operand;
        case '$ne':
          return v !== operand;
        case '$gt':
          return typeof v === 'number' && v > (operand as number);
        case '$gte':
          return typeof v === 'number' && v >= (operand as number);
        case '$lt':
          return typeof v === 'number' && v < (operand as number);
        case '$lte':
          return typeof v === 'number' && v <= (operand as number);
        case '$contains':
          return Array.isArray(v) && (v as unknown[]).includes(operand);
        default:
          return !(Array.isArray(v) && (v as unknown[]).includes(operand));
      }
    };
  });
  return (m) => parts.every((p) => p(m));
}

function includeList(value: unknown, fallback: string[], allowDistances: boolean): string[] {
  if (value === undefined || value === null) return fallback;
  const list = stringArray(value, 'include');
  for (const item of list) {
    if (!INCLUDE.has(item) || (!allowDistances && item === 'distances')) throw unprocessable(`include: unknown variant \`${item}\``);
  }
  return list;
}

/** Path templates, to name a request without its ids. */
function routeOf(method: string, path: string): string {
  const route = path
    .replace(/^\/api\/v2\/tenants\/[^/]+\/databases\/[^/]+\/collections\/[^/]+/, '/api/v2/tenants/{tenant}/databases/{database}/collections/{collection_id}')
    .replace(/^\/api\/v2\/tenants\/[^/]+\/databases\/[^/]+\/collections$/, '/api/v2/tenants/{tenant}/databases/{database}/collections');
  return `${method} ${route}`;
}

interface Failure {
  status: number;
  remaining: number;
  match: RegExp | undefined;
}

export class ChromaFakeServer {
  readonly requests: RecordedRequest[] = [];
  private readonly collections = new Map<string, FakeCollection>();
  private readonly databases = new Map<string, Set<string>>([['default_tenant', new Set(['default_database'])]]);
  private readonly options: Required<Omit<ChromaFakeOptions, 'token'>> & { token: string | undefined };
  private server: Server;
  private port = 0;
  private failures: Failure[] = [];
  private delayMs = 0;
  private drops = 0;
  private readonly pendingDelays = new Set<() => void>();

  private constructor(options: ChromaFakeOptions) {
    this.options = { maxBatchSize: options.maxBatchSize ?? 1000, supportsBase64: options.supportsBase64 ?? true, token: options.token };
    this.server = this.createHttpServer();
  }

  /** Starts on a free port of 127.0.0.1. */
  static async start(options: ChromaFakeOptions = {}): Promise<ChromaFakeServer> {
    const fake = new ChromaFakeServer(options);
    await fake.listen(0);
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Answers the next `times` requests (all of them when omitted) whose route matches with `status` and a Chroma error body. */
  failWith(status: number, options: { times?: number; match?: RegExp } = {}): void {
    this.failures.push({ status, remaining: options.times ?? Number.POSITIVE_INFINITY, match: options.match });
  }

  /** Closes the connection of the next `times` requests without an answer, as a proxy dropping a pooled connection would. */
  dropConnections(times = 1): void {
    this.drops += times;
  }

  /** Waits `ms` before answering each request: a slow or hung server. */
  delay(ms: number): void {
    this.delayMs = ms;
  }

  /** Back to normal: no injected failures, delays or dropped connections. */
  heal(): void {
    this.failures = [];
    this.delayMs = 0;
    this.drops = 0;
  }

  /** Stops listening and drops open connections: clients get "connection refused". */
  async down(): Promise<void> {
    for (const stop of this.pendingDelays) stop();
    this.pendingDelays.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Listens again on the same port, with the same data. */
  async up(): Promise<void> {
    this.server = this.createHttpServer();
    await this.listen(this.port);
  }

  async close(): Promise<void> {
    if (this.server.listening) await this.down();
  }

  /** Forgets every collection and recorded request. */
  reset(): void {
    this.collections.clear();
    this.requests.length = 0;
  }

  addDatabase(tenant: string, database: string): void {
    if (!this.databases.has(tenant)) this.databases.set(tenant, new Set());
    this.databases.get(tenant)!.add(database);
  }

  /** A collection as stored, for assertions (undefined when absent). */
  collection(name: string, tenant = 'default_tenant', database = 'default_database'): FakeCollection | undefined {
    return [...this.collections.values()].find((c) => c.name === name && c.tenant === tenant && c.database === database);
  }

  private createHttpServer(): Server {
    const server = createServer((req, res) => {
      void this.handle(req, res);
    });
    // Like Chroma's server (hyper): idle keep-alive connections are not closed by the
    // server, and no `Keep-Alive: timeout` is announced. Node's default (close after
    // 5 s) races with fetch reusing the connection on a loaded machine: ECONNRESET.
    server.keepAliveTimeout = 0;
    return server;
  }

  private async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const raw = await readBody(req);
    const record: RecordedRequest = { method, path, route: routeOf(method, path), body: undefined };
    this.requests.push(record);
    if (this.drops > 0) {
      this.drops--;
      req.socket.destroy();
      return;
    }
    try {
      if (this.delayMs > 0) await this.wait(this.delayMs);
      const failure = this.failures.find((f) => f.remaining > 0 && (!f.match || f.match.test(record.route)));
      if (failure) {
        failure.remaining--;
        throw new HttpError(failure.status, 'ChromaError', `injected failure (${failure.status})`);
      }
      this.authenticate(req);
      let body: unknown;
      if (raw.length > 0) {
        // axum's Json extractor: 415 without a JSON content type, 400 for a syntax error.
        if (!(req.headers['content-type'] ?? '').includes('application/json')) {
          throw new HttpError(415, 'ChromaError', 'Expected request with `Content-Type: application/json`');
        }
        try {
          body = JSON.parse(raw);
        } catch (error) {
          throw new HttpError(400, 'ChromaError', `Failed to parse the request body as JSON: ${(error as Error).message}`);
        }
        record.body = body;
      }
      const { status, payload } = this.route(method, path, body);
      send(res, status, payload);
    } catch (error) {
      if (error instanceof HttpError) send(res, error.status, { error: error.error, message: error.message });
      else send(res, 500, { error: 'InternalError', message: (error as Error).message });
    }
  }

  /** A delay that `down()` cuts short, so no timer outlives the server (Jest waits for open timers). */
  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pendingDelays.delete(stop);
        resolve();
      }, ms);
      const stop = () => {
        clearTimeout(timer);
        resolve();
      };
      this.pendingDelays.add(stop);
    });
  }

  private authenticate(req: IncomingMessage): void {
    const token = this.options.token;
    if (!token) return;
    const bearer = req.headers.authorization?.replace(/^Bearer\s+/i, '');
    if (req.headers['x-chroma-token'] !== token && bearer !== token) throw new HttpError(401, 'ChromaError', 'Unauthorized');
  }

  private route(method: string, path: string, body: unknown): { status: number; payload: unknown } {
    const ok = (payload: unknown) => ({ status: 200, payload });
    if (path === '/api/v2/heartbeat' && method === 'GET') return ok({ 'nanosecond heartbeat': Date.now() * 1_000_000 });
    if (path === '/api/v2/pre-flight-checks' && method === 'GET') {
      // Servers before 1.0.13 did not send supports_base64_encoding at all.
      return ok(
        this.options.supportsBase64
          ? { max_batch_size: this.options.maxBatchSize, supports_base64_encoding: true }
          : { max_batch_size: this.options.maxBatchSize },
      );
    }

    const match = /^\/api\/v2\/tenants\/([^/]+)\/databases\/([^/]+)\/collections(?:\/([^/]+)(?:\/([a-z_]+))?)?$/.exec(path);
    if (!match) throw new HttpError(404, 'NotFoundError', `No route for ${method} ${path}`);
    const tenant = decodeURIComponent(match[1]!);
    const database = decodeURIComponent(match[2]!);
    const target = match[3] === undefined ? undefined : decodeURIComponent(match[3]);
    const action = match[4];
    if (!this.databases.get(tenant)?.has(database)) throw notFound(`Database ${database} not found for tenant ${tenant}`);

    if (target === undefined) {
      if (method !== 'POST') throw new HttpError(405, 'ChromaError', 'Method not allowed');
      return ok(this.createCollection(tenant, database, body));
    }
    if (action === undefined) {
      const collection = this.collection(target, tenant, database);
      if (!collection) throw notFound(`Collection [${target}] does not exist`);
      if (method === 'GET') return ok(this.describe(collection));
      throw new HttpError(405, 'ChromaError', 'Method not allowed');
    }

    if (!UUID.test(target)) throw invalidArgument('Collection ID is not a valid UUIDv4');
    const collection = this.collections.get(target);
    if (!collection || collection.tenant !== tenant || collection.database !== database) throw notFound(`Collection [${target}] does not exist`);
    const expect = (m: string) => {
      if (method !== m) throw new HttpError(405, 'ChromaError', 'Method not allowed');
    };
    const payload = () => {
      if (!isObject(body)) throw unprocessable('expected a JSON object');
      return body;
    };
    switch (action) {
      case 'count':
        expect('GET');
        return ok(collection.records.size);
      case 'upsert':
        expect('POST');
        return ok(this.upsert(collection, payload()));
      case 'get':
        expect('POST');
        return ok(this.get(collection, payload()));
      case 'query':
        expect('POST');
        return ok(this.query(collection, payload()));
      case 'delete':
        expect('POST');
        return ok(this.delete(collection, payload()));
      default:
        throw new HttpError(404, 'NotFoundError', `No route for ${method} ${path}`);
    }
  }

  private createCollection(tenant: string, database: string, body: unknown): unknown {
    if (!isObject(body)) throw unprocessable('expected a JSON object');
    if (typeof body.name !== 'string') throw unprocessable('missing field `name`');
    checkCollectionName(body.name);
    const metadata = checkMetadata(body.metadata, 'metadata');
    const configuration = body.configuration ?? {};
    if (!isObject(configuration)) throw unprocessable('configuration: invalid type, expected a map');
    const { hnsw, spann, embedding_function: ef } = configuration;
    if (hnsw && spann) throw invalidArgument('Error parsing collection configuration: Multiple vector index configurations provided');
    let space: Space = 'l2';
    for (const index of [hnsw, spann]) {
      if (index === undefined || index === null) continue;
      if (!isObject(index)) throw unprocessable('configuration: expected a map for the vector index');
      // Chroma's HnswConfiguration is `deny_unknown_fields`.
      const unknown = index === hnsw ? Object.keys(index).find((k) => !HNSW_FIELDS.has(k)) : undefined;
      if (unknown) throw unprocessable(`configuration.hnsw: unknown field \`${unknown}\``);
      if (index.space !== undefined && index.space !== null) {
        if (!SPACES.has(index.space as Space)) throw unprocessable(`configuration: unknown variant \`${String(index.space)}\`, expected one of \`l2\`, \`cosine\`, \`ip\``);
        space = index.space as Space;
      }
    }
    if (!hnsw && !spann && typeof metadata?.['hnsw:space'] === 'string') space = metadata['hnsw:space'] as Space; // legacy collections
    if (ef !== undefined && ef !== null && !(isObject(ef) && (ef.type === 'legacy' || (ef.type === 'known' && typeof ef.name === 'string')))) {
      throw unprocessable('configuration.embedding_function: expected {"type":"legacy"} or {"type":"known","name":…,"config":…}');
    }

    const existing = this.collection(body.name, tenant, database);
    if (existing) {
      // get_or_create returns the collection as it is: the configuration sent now is ignored.
      if (body.get_or_create === true) return this.describe(existing);
      throw new HttpError(409, 'ChromaError', `Collection [${body.name}] already exists`);
    }
    const collection: FakeCollection = {
      id: randomUUID(),
      name: body.name,
      tenant,
      database,
      space,
      configuration: { ...configuration, embedding_function: ef ?? null },
      metadata,
      dimension: null,
      records: new Map(),
    };
    this.collections.set(collection.id, collection);
    return this.describe(collection);
  }

  /** The `Collection` JSON of Chroma 1.0.x (`configuration_json` with every HNSW default filled in). */
  private describe(c: FakeCollection): unknown {
    const sent = (c.configuration.hnsw ?? {}) as Record<string, unknown>;
    return {
      id: c.id,
      name: c.name,
      configuration_json: {
        hnsw: c.configuration.spann
          ? null
          : {
              space: c.space,
              ef_construction: sent.ef_construction ?? 100,
              ef_search: sent.ef_search ?? 100,
              max_neighbors: sent.max_neighbors ?? 16,
              resize_factor: sent.resize_factor ?? 1.2,
              sync_threshold: sent.sync_threshold ?? 1000,
            },
        spann: c.configuration.spann ? { ...(c.configuration.spann as object), space: c.space } : null,
        embedding_function: c.configuration.embedding_function ?? null,
      },
      metadata: c.metadata,
      dimension: c.dimension,
      tenant: c.tenant,
      database: c.database,
      log_position: 0,
      version: 0,
    };
  }

  private upsert(c: FakeCollection, body: Record<string, unknown>): unknown {
    const ids = stringArray(body.ids, 'ids');
    if (!Array.isArray(body.embeddings)) throw unprocessable('missing field `embeddings`');
    const embeddings = (body.embeddings as unknown[]).map((e, i) => {
      if (typeof e === 'string') {
        // Before 1.0.13 the field only took numbers: a string did not deserialize.
        if (!this.options.supportsBase64) throw unprocessable(`embeddings[${i}]: invalid type: string, expected a sequence`);
        return decodeBase64Embedding(e, `embeddings[${i}]`);
      }
      return numberEmbedding(e, `embeddings[${i}]`);
    });
    const metadatas = optionalArray(body, 'metadatas')?.map((m, i) => checkMetadata(m, `metadatas[${i}]`));
    const documents = optionalArray(body, 'documents');
    const uris = optionalArray(body, 'uris');

    for (const [field, list] of Object.entries({ embeddings, metadatas, documents, uris })) {
      if (list && list.length !== ids.length) {
        throw invalidArgument(`Inconsistent number of IDs (${ids.length}) and ${field} (${list.length})`);
      }
    }
    if (ids.length === 0) throw invalidArgument('Expected IDs to be a non-empty list');
    if (ids.length > this.options.maxBatchSize) throw invalidArgument(`Cannot submit more than ${this.options.maxBatchSize} records at once`);
    const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (duplicates.length > 0) throw invalidArgument(`Expected IDs to be unique, found duplicates of: ${[...new Set(duplicates)].join(', ')}`);
    const dimension = embeddings[0]!.length;
    if (embeddings.some((e) => e.length !== dimension)) throw invalidArgument('Inconsistent dimensions in provided embeddings');
    if (dimension === 0) throw invalidArgument('Expected embeddings to be non-empty');
    if (c.dimension !== null && c.dimension !== dimension) {
      throw invalidArgument(`Collection expecting embedding with dimension of ${c.dimension}, got ${dimension}`);
    }

    c.dimension = dimension;
    ids.forEach((id, i) => {
      const previous = c.records.get(id);
      // Upsert updates an existing record: metadata keys are merged, and a null value removes its key.
      let metadata = previous?.metadata ?? null;
      const update = metadatas?.[i];
      if (update !== undefined && update !== null) {
        const merged: Record<string, unknown> = { ...(metadata ?? {}), ...update };
        for (const [key, value] of Object.entries(update)) if (value === null) delete merged[key];
        metadata = Object.keys(merged).length > 0 ? (merged as Metadata) : null;
      }
      c.records.set(id, {
        embedding: embeddings[i]!,
        metadata,
        document: documents ? ((documents[i] as string | null) ?? null) : (previous?.document ?? null),
        uri: uris ? ((uris[i] as string | null) ?? null) : (previous?.uri ?? null),
      });
    });
    return {};
  }

  /** Records matching optional `ids` and `where`, in insertion order. */
  private select(c: FakeCollection, body: Record<string, unknown>): [string, StoredRecord][] {
    if (body.where_document !== undefined && body.where_document !== null) {
      throw new HttpError(501, 'ChromaError', 'where_document is not implemented by the fake');
    }
    const ids = body.ids === undefined || body.ids === null ? undefined : new Set(stringArray(body.ids, 'ids'));
    const where = body.where === undefined || body.where === null ? undefined : parseWhere(body.where);
    return [...c.records].filter(([id, r]) => (!ids || ids.has(id)) && (!where || where(r.metadata)));
  }

  private get(c: FakeCollection, body: Record<string, unknown>): unknown {
    const include = includeList(body.include, ['documents', 'metadatas'], false);
    const offset = nonNegativeInteger(body.offset, 'offset') ?? 0;
    const limit = nonNegativeInteger(body.limit, 'limit');
    const rows = this.select(c, body).slice(offset, limit === undefined ? undefined : offset + limit);
    const column = <T>(name: string, pick: (r: StoredRecord) => T) => (include.includes(name) ? rows.map(([, r]) => pick(r)) : null);
    return {
      ids: rows.map(([id]) => id),
      embeddings: column('embeddings', (r) => Array.from(r.embedding)),
      documents: column('documents', (r) => r.document),
      metadatas: column('metadatas', (r) => r.metadata),
      uris: column('uris', (r) => r.uri),
      include,
    };
  }

  private query(c: FakeCollection, body: Record<string, unknown>): unknown {
    if (!Array.isArray(body.query_embeddings)) throw unprocessable('missing field `query_embeddings`');
    // Queries take numbers only, even on servers that accept base64 for writes.
    const queries = body.query_embeddings.map((e, i) => numberEmbedding(e, `query_embeddings[${i}]`));
    const include = includeList(body.include, ['documents', 'metadatas', 'distances'], true);
    const nResults = body.n_results === undefined || body.n_results === null ? 10 : nonNegativeInteger(body.n_results, 'n_results')!;
    if (nResults < 1) throw invalidArgument('Number of requested results has to positive');
    for (const q of queries) {
      if (c.dimension !== null && q.length !== c.dimension) {
        throw invalidArgument(`Collection expecting embedding with dimension of ${c.dimension}, got ${q.length}`);
      }
    }
    const candidates = this.select(c, body);
    const results = queries.map((q) =>
      candidates
        .map(([id, r]) => ({ id, r, d: distance(c.space, q, r.embedding) }))
        .sort((a, b) => a.d - b.d)
        .slice(0, nResults),
    );
    const column = <T>(name: string, pick: (hit: { id: string; r: StoredRecord; d: number }) => T) =>
      include.includes(name) ? results.map((hits) => hits.map(pick)) : null;
    return {
      ids: results.map((hits) => hits.map((h) => h.id)),
      distances: column('distances', (h) => h.d),
      embeddings: column('embeddings', (h) => Array.from(h.r.embedding)),
      documents: column('documents', (h) => h.r.document),
      metadatas: column('metadatas', (h) => h.r.metadata),
      uris: column('uris', (h) => h.r.uri),
      include,
    };
  }

  private delete(c: FakeCollection, body: Record<string, unknown>): unknown {
    const hasIds = body.ids !== undefined && body.ids !== null;
    const hasWhere = body.where !== undefined && body.where !== null;
    if (!hasIds && !hasWhere) throw invalidArgument('At least one of ids or where must be provided');
    for (const [id] of this.select(c, body)) c.records.delete(id);
    return {};
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  if (res.destroyed) return; // the server went down while this request waited
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
