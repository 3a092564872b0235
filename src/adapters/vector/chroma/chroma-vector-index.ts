/**
 * `VectorIndex` on a Chroma server (`VECTOR_STORE=chroma`), through the
 * official `chromadb` client (3.x, HTTP API v2, Chroma ≥ 1.0).
 *
 * One collection (default `relais-chunks`) in cosine space holds one record
 * per chunk: id = chunk id, embedding = the chunk's vector, metadata
 * `{ recitId }`. Relais always computes embeddings itself (mistral-embed), so
 * the collection has no embedding function (see `NO_EMBEDDING_FUNCTION`).
 *
 * Errors become coded errors:
 *
 * | code                          | when                                                   | transient |
 * |-------------------------------|--------------------------------------------------------|-----------|
 * | `vector.invalid`              | a vector, id or k fails the contract's rules (ours)    | no        |
 * | `vector.unavailable`          | unreachable, timed out, HTTP 429 or 5xx                | yes       |
 * | `vector.unauthorized`         | HTTP 401/403 (token missing or refused)                | no        |
 * | `vector.database_not_found`   | the tenant or database does not exist (404 at start)   | no        |
 * | `vector.collection_not_found` | the collection was deleted behind our back (HTTP 404)  | no        |
 * | `vector.space_mismatch`       | an existing collection is not in cosine space          | no        |
 * | `vector.dimension_mismatch`   | an existing collection holds vectors of another length | no        |
 * | `vector.rejected`             | any other refusal (HTTP 400/409/422, client checks)    | no        |
 */
import {
  ChromaClient,
  ChromaConnectionError,
  ChromaForbiddenError,
  ChromaNotFoundError,
  ChromaRateLimitError,
  ChromaServerError,
  ChromaUnauthorizedError,
  type Collection,
  type EmbeddingFunction,
  type Metadata,
} from 'chromadb';
import { isRelaisError, RelaisError, UnavailableError } from '../../../core/errors.js';
import type { HealthProbe } from '../../../core/ports/health.js';
import type { Logger } from '../../../core/ports/logger.js';
import type { VectorHit, VectorIndex, VectorQuery, VectorRecord } from '../../../core/ports/vector-index.js';
import {
  checkDimensions,
  checkVectorId,
  DEFAULT_VECTOR_DIMENSIONS,
  prepareVectorQuery,
  prepareVectorRecords,
  type PreparedVectorRecord,
} from '../../memory/in-memory-vector-index.js';

export const DEFAULT_CHROMA_COLLECTION = 'relais-chunks';

export interface ChromaVectorIndexOptions {
  /**
   * Base URL of the Chroma server, e.g. `http://chroma:8000`. Scheme, host and
   * port only: the client builds request URLs from those and would drop a
   * path (a Chroma behind a reverse-proxy prefix is not reachable).
   */
  url: string;
  /** Collection holding the chunks (default `relais-chunks`), created in cosine space at `start()` if missing. */
  collection?: string;
  /** Length of every vector, fixed for the collection (default 1024, mistral-embed). */
  dimensions?: number;
  /** Chroma tenant (default `default_tenant`). */
  tenant?: string;
  /** Chroma database (default `default_database`). */
  database?: string;
  /** Extra HTTP headers on every request, e.g. `{ 'x-chroma-token': '…' }` for a server with token auth. */
  headers?: Record<string, string>;
  /** Longest wait for one Chroma call, in milliseconds (default 10 000); then `vector.unavailable`. */
  timeoutMs?: number;
  /** Where the adapter logs (operation, counts, codes; never vectors). */
  logger: Logger;
}

/**
 * Passed as the collection's embedding function so the client never loads
 * one: without it, chromadb 3.x imports `@chroma-core/default-embed` when
 * creating a collection (and `console.warn`s when the package is missing,
 * which it is here) and records `{ type: 'known', name: 'default' }` in the
 * collection's configuration; with `null`, it still tries to build the
 * function the server reports for an existing collection. This object has no
 * name or config, so the client records `{ type: 'legacy' }` (an embedding
 * function Chroma does not manage). It is never called: every write and query
 * carries its embeddings.
 */
const NO_EMBEDDING_FUNCTION: EmbeddingFunction = {
  generate: async () => {
    throw new RelaisError('vector.no_embedding_function', 'Relais computes embeddings itself; Chroma was asked to embed text');
  },
};

/** Upper bound of records per request, whatever the server allows: at 1024 dimensions a body stays near 5.5 MB in base64 (about 20 MB as JSON numbers, for servers before 1.0.13). */
const MAX_RECORDS_PER_REQUEST = 1000;

interface ServerAddress {
  host: string;
  port: number;
  ssl: boolean;
  /** `scheme://host[:port]`, for messages and `description`. */
  origin: string;
}

/**
 * Parses `url` ourselves: the client's own `path` option is deprecated (and
 * `console.warn`s), and gives port 0 when the URL has no explicit port.
 */
function parseServerUrl(url: string): ServerAddress {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RelaisError('config.invalid', 'ChromaVectorIndexOptions.url is not a URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new RelaisError('config.invalid', `ChromaVectorIndexOptions.url must be http or https, got ${parsed.protocol}`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    // The client would drop them silently (it keeps scheme, host and port), and fail with 401.
    throw new RelaisError('config.invalid', 'ChromaVectorIndexOptions.url must not carry credentials: pass them in headers');
  }
  if (parsed.pathname !== '/' || parsed.search !== '') {
    throw new RelaisError('config.invalid', 'ChromaVectorIndexOptions.url must not have a path or query: the chromadb client ignores them');
  }
  const ssl = parsed.protocol === 'https:';
  const port = parsed.port === '' ? (ssl ? 443 : 80) : Number(parsed.port);
  return { host: parsed.hostname, port, ssl, origin: `${parsed.protocol}//${parsed.host}` };
}

function positiveNumber(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new RelaisError('config.invalid', `ChromaVectorIndexOptions.${name} must be a positive number`);
  return value;
}

type Operation = 'start' | 'upsert' | 'deleteRecit' | 'search' | 'count' | 'health';

class ChromaTimeout extends Error {
  override name = 'ChromaTimeout';
}

export class ChromaVectorIndex implements VectorIndex {
  readonly description: string;
  readonly dimensions: number;
  private readonly address: ServerAddress;
  private readonly collectionName: string;
  private readonly tenant: string;
  private readonly database: string;
  private readonly headers: Record<string, string> | undefined;
  private readonly timeoutMs: number;
  private readonly log: Logger;
  private client: ChromaClient | undefined;
  private collection: Collection | undefined;
  private batchSize = MAX_RECORDS_PER_REQUEST;

  constructor(options: ChromaVectorIndexOptions) {
    this.address = parseServerUrl(options.url);
    this.collectionName = options.collection ?? DEFAULT_CHROMA_COLLECTION;
    this.dimensions = checkDimensions(options.dimensions ?? DEFAULT_VECTOR_DIMENSIONS);
    // `||`: an empty name would make the client ask the server who we are (`/auth/identity`) instead.
    this.tenant = options.tenant || 'default_tenant';
    this.database = options.database || 'default_database';
    this.headers = options.headers;
    this.timeoutMs = positiveNumber('timeoutMs', options.timeoutMs, 10_000);
    this.log = options.logger.child({ scope: 'vector', store: 'chroma' });
    this.description = `Chroma at ${this.address.origin} (collection ${this.collectionName}, cosine)`;
  }

  /**
   * Gets or creates the collection, then checks that it can serve this
   * index: `get_or_create` returns an existing collection unchanged, so its
   * space and dimension are verified rather than assumed.
   */
  async start(): Promise<void> {
    const client = new ChromaClient({
      host: this.address.host,
      port: this.address.port,
      ssl: this.address.ssl,
      tenant: this.tenant,
      database: this.database,
      ...(this.headers ? { headers: this.headers } : {}),
    });
    const collection = await this.call('start', () =>
      client.getOrCreateCollection({
        name: this.collectionName,
        configuration: { hnsw: { space: 'cosine' } },
        embeddingFunction: NO_EMBEDDING_FUNCTION,
      }),
    );

    const space = spaceOf(collection);
    if (space !== 'cosine') {
      throw new RelaisError('vector.space_mismatch', `Chroma collection ${this.collectionName} uses the ${space} space; Relais needs cosine (use another collection name)`, {
        details: { collection: this.collectionName, space },
      });
    }
    // The client does not expose the collection's `dimension`: read one stored vector instead.
    const sample = await this.call('start', () => collection.get({ limit: 1, include: ['embeddings'] }));
    const stored = sample.embeddings[0]?.length;
    if (stored !== undefined && stored !== this.dimensions) {
      throw new RelaisError('vector.dimension_mismatch', `Chroma collection ${this.collectionName} holds ${stored}-dimension vectors; this index uses ${this.dimensions}`, {
        details: { collection: this.collectionName, stored, expected: this.dimensions },
      });
    }
    // The client refuses (before sending) a batch larger than the server's limit; upserts are split to fit.
    const serverLimit = await this.call('start', () => client.getMaxBatchSize());
    this.batchSize = serverLimit > 0 ? Math.min(serverLimit, MAX_RECORDS_PER_REQUEST) : MAX_RECORDS_PER_REQUEST;

    this.client = client;
    this.collection = collection;
    this.log.info({ collection: this.collectionName, batchSize: this.batchSize }, 'Chroma collection ready');
  }

  /** Forgets the collection; the client holds no connection to close (it uses fetch). */
  async stop(): Promise<void> {
    this.collection = undefined;
    this.client = undefined;
  }

  /** Chroma reachability, for `/readyz` and `relais doctor`. */
  get health(): HealthProbe {
    return {
      name: 'chroma',
      check: async () => {
        const client = this.client;
        if (!client) throw new UnavailableError('vector.not_started', 'Chroma vector index not started');
        await this.call('health', () => client.heartbeat());
        return `Chroma ok (collection ${this.collectionName})`;
      },
    };
  }

  /**
   * Splits into batches the server accepts. Batches are sent one after the
   * other: a failure leaves the earlier ones written, which is harmless since
   * retrying an upsert rewrites the same records.
   */
  async upsert(records: VectorRecord[]): Promise<void> {
    const prepared = prepareVectorRecords(records, this.dimensions);
    const collection = this.requireCollection();
    for (let start = 0; start < prepared.length; start += this.batchSize) {
      const batch = prepared.slice(start, start + this.batchSize);
      await this.call('upsert', () => collection.upsert(toChromaRecords(batch)));
    }
    if (prepared.length > 0) this.log.debug({ records: prepared.length }, 'vectors upserted');
  }

  /**
   * Chroma's delete does not say how many records it removed (the server
   * answers `{}`, so the client's `deleted` is always 0): the ids are read
   * first for the count, then everything matching the récit is deleted by
   * filter, including chunks written in between (the count may then miss
   * them; the deletion does not).
   */
  async deleteRecit(recitId: string): Promise<number> {
    checkVectorId(recitId, 'recitId');
    const collection = this.requireCollection();
    const where = { recitId };
    const found = await this.call('deleteRecit', () => collection.get({ where, include: [] }));
    if (found.ids.length === 0) return 0;
    await this.call('deleteRecit', () => collection.delete({ where }));
    this.log.info({ recitId, deleted: found.ids.length }, 'récit vectors deleted');
    return found.ids.length;
  }

  async search(query: VectorQuery): Promise<VectorHit[]> {
    const { unit, k, recitIds } = prepareVectorQuery(query, this.dimensions);
    // The client rejects an empty `$in`; no allowed récit means no hit anyway.
    if (recitIds?.length === 0) return [];
    const collection = this.requireCollection();
    const result = await this.call('search', () =>
      collection.query({
        queryEmbeddings: [Array.from(unit)],
        nResults: k,
        ...(recitIds ? { where: { recitId: { $in: recitIds } } } : {}),
        include: ['metadatas', 'distances'],
      }),
    );
    const ids = result.ids[0] ?? [];
    const distances = result.distances[0] ?? [];
    const metadatas = result.metadatas[0] ?? [];
    const hits = ids.map((chunkId, i): VectorHit => {
      const recitId = metadatas[i]?.recitId;
      const distance = distances[i];
      if (typeof recitId !== 'string' || typeof distance !== 'number') {
        throw new RelaisError('vector.bad_response', 'Chroma returned a hit without its récit id or distance', {
          details: { collection: this.collectionName, chunkId },
        });
      }
      // Chroma's cosine space returns the cosine *distance* 1 − cos; clamped against float32 rounding.
      return { chunkId, recitId, score: Math.max(-1, Math.min(1, 1 - distance)) };
    });
    return hits.sort((a, b) => b.score - a.score).slice(0, k);
  }

  async count(): Promise<number> {
    const collection = this.requireCollection();
    return this.call('count', () => collection.count());
  }

  private requireCollection(): Collection {
    if (!this.collection) throw new UnavailableError('vector.not_started', 'Chroma vector index used before start()');
    return this.collection;
  }

  /**
   * Runs one client call with a deadline and translates its errors. The
   * client has no per-request timeout (a `signal` in its `fetchOptions` would
   * be shared by every request), so the deadline is a race: the request may
   * finish later in the background, its result ignored.
   *
   * A connection failure is retried once, at once: fetch reuses pooled
   * keep-alive connections, and one closed by the server or a proxy just as
   * it is reused fails with ECONNRESET although the server is fine. Every
   * call made here is idempotent (reads, upserts by id, deletes by filter),
   * so sending it again is safe. A server that is really down fails twice.
   */
  private async call<T>(operation: Operation, run: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ChromaTimeout(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    const attempt = async (): Promise<T> => {
      try {
        return await run();
      } catch (error) {
        if (!(error instanceof ChromaConnectionError)) throw error;
        this.log.debug({ operation, collection: this.collectionName }, 'Chroma connection failed, retrying once');
        return run();
      }
    };
    try {
      return await Promise.race([attempt(), deadline]);
    } catch (error) {
      const coded = this.translate(operation, error);
      this.log.warn({ operation, code: coded.code, transient: coded.transient, collection: this.collectionName }, 'Chroma call failed');
      throw coded;
    } finally {
      clearTimeout(timer);
    }
  }

  private translate(operation: Operation, error: unknown): RelaisError {
    if (isRelaisError(error)) return error;
    const where = `Chroma ${operation} at ${this.address.origin}`;
    const details = { operation, collection: this.collectionName };
    if (error instanceof ChromaTimeout) {
      return new UnavailableError('vector.unavailable', `${where} timed out after ${this.timeoutMs} ms`, { details: { ...details, reason: 'timeout' } });
    }
    // The client turns every fetch failure (refused, reset, DNS, TLS) into this one error, without the cause.
    if (error instanceof ChromaConnectionError) {
      return new UnavailableError('vector.unavailable', `${where}: server unreachable`, { details: { ...details, reason: 'unreachable' }, cause: error });
    }
    if (error instanceof ChromaServerError || error instanceof ChromaRateLimitError) {
      return new UnavailableError('vector.unavailable', `${where} failed: ${error.message}`, { details: { ...details, reason: error.name }, cause: error });
    }
    if (error instanceof ChromaUnauthorizedError || error instanceof ChromaForbiddenError) {
      return new RelaisError('vector.unauthorized', `${where}: credentials missing or refused`, { details, cause: error, userMessage: 'error.unavailable' });
    }
    if (error instanceof ChromaNotFoundError && operation === 'start') {
      // At start the collection is created if missing: what is missing is the tenant or database.
      return new RelaisError('vector.database_not_found', `${where}: tenant ${this.tenant} or database ${this.database} does not exist`, {
        details: { ...details, tenant: this.tenant, database: this.database },
        cause: error,
        userMessage: 'error.unavailable',
      });
    }
    if (error instanceof ChromaNotFoundError) {
      return new RelaisError('vector.collection_not_found', `${where}: collection ${this.collectionName} not found (deleted after start?)`, {
        details,
        cause: error,
        userMessage: 'error.unavailable',
      });
    }
    // ChromaClientError (HTTP 400/409/422), ChromaValueError (the client's own checks) and the unexpected.
    const message = error instanceof Error ? error.message.slice(0, 300) : String(error);
    return new RelaisError('vector.rejected', `${where} was refused: ${message}`, {
      details: { ...details, reason: error instanceof Error ? error.name : typeof error },
      cause: error,
      userMessage: 'error.unavailable',
    });
  }
}

/** The distance of a collection: its configuration, or `hnsw:space` metadata for collections made before Chroma 1.0. */
function spaceOf(collection: Collection): string {
  const configuration = collection.configuration as { hnsw?: { space?: string | null } | null; spann?: { space?: string | null } | null };
  const legacy = collection.metadata?.['hnsw:space'];
  if (typeof legacy === 'string') return legacy;
  return configuration.hnsw?.space ?? configuration.spann?.space ?? 'l2';
}

/**
 * Unit vectors are sent, not the caller's: cosine does not change, and values
 * stay within float32 range whatever their original scale (Chroma stores
 * float32, and the client base64-encodes them as float32 on servers that
 * accept it).
 */
function toChromaRecords(batch: PreparedVectorRecord[]): { ids: string[]; embeddings: number[][]; metadatas: Metadata[] } {
  return {
    ids: batch.map((r) => r.chunkId),
    embeddings: batch.map((r) => Array.from(r.unit)),
    metadatas: batch.map((r) => ({ recitId: r.recitId })),
  };
}
