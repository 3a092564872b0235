/**
 * ChromaVectorIndex through the real `chromadb` client, against the local
 * fake Chroma server (a real Chroma cannot run on these machines): the
 * contract, then what only this adapter does.
 */
import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { ChromaClient } from 'chromadb';
import { createSilentLogger } from '../../src/adapters/log/pino-logger.js';
import { ChromaVectorIndex, type ChromaVectorIndexOptions } from '../../src/adapters/vector/chroma/chroma-vector-index.js';
import { UnavailableError } from '../../src/core/errors.js';
import { freePort } from '../support/relais-process.js';
import { ChromaFakeServer } from '../fakes/chroma-fake-server.js';
import { axis, vectorIndexContract } from './vector-index.contract.js';

let fake: ChromaFakeServer;

beforeAll(async () => {
  fake = await ChromaFakeServer.start();
});
afterEach(() => fake.heal());
afterAll(async () => {
  await fake?.close();
});

const uniqueName = () => `relais-test-${randomUUID().slice(0, 8)}`;

function chromaIndex(options: Partial<ChromaVectorIndexOptions> = {}, server: ChromaFakeServer = fake): ChromaVectorIndex {
  return new ChromaVectorIndex({ url: server.url, collection: uniqueName(), logger: createSilentLogger(), ...options });
}

async function failure(operation: Promise<unknown>): Promise<unknown> {
  return operation.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

vectorIndexContract('Chroma (chromadb client, local fake server)', async () => {
  const index = chromaIndex();
  await index.start();
  return { index, cleanup: () => index.stop() };
});

describe('ChromaVectorIndex', () => {
  it('creates its collection in cosine space, without an embedding function, and never loads one', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const name = uniqueName();
      const index = chromaIndex({ collection: name });
      await index.start();
      await index.upsert([{ chunkId: 'a', recitId: 'r1', vector: axis(0) }]);
      await index.search({ vector: axis(0), k: 1 });

      const create = fake.requests.find((r) => r.route === 'POST /api/v2/tenants/{tenant}/databases/{database}/collections' && (r.body as { name?: string }).name === name);
      expect(create?.body).toEqual({ name, configuration: { hnsw: { space: 'cosine' }, embedding_function: { type: 'legacy' } }, get_or_create: true });
      // Read back through another official client, as an operator would.
      const collection = await new ChromaClient({ host: '127.0.0.1', port: Number(new URL(fake.url).port) }).getCollection({ name });
      expect(collection.configuration.hnsw?.space).toBe('cosine');
      expect(fake.collection(name)?.space).toBe('cosine');
      // The client warns when it tries to load @chroma-core/default-embed: it never did.
      expect(warn).not.toHaveBeenCalled();
      expect(index.description).toBe(`Chroma at ${fake.url} (collection ${name}, cosine)`);
    } finally {
      warn.mockRestore();
    }
  });

  it('calls exactly these Chroma endpoints', async () => {
    const name = uniqueName();
    const index = chromaIndex({ collection: name });
    const before = fake.requests.length;
    await index.start();
    await index.upsert([{ chunkId: 'a', recitId: 'r1', vector: axis(0) }]);
    await index.search({ vector: axis(0), k: 3, recitIds: ['r1'] });
    await index.count();
    await index.deleteRecit('r1');
    await index.health.check();
    expect(fake.requests.slice(before).map((r) => r.route)).toEqual([
      'POST /api/v2/tenants/{tenant}/databases/{database}/collections',
      'POST /api/v2/tenants/{tenant}/databases/{database}/collections/{collection_id}/get',
      'GET /api/v2/pre-flight-checks',
      'POST /api/v2/tenants/{tenant}/databases/{database}/collections/{collection_id}/upsert',
      'POST /api/v2/tenants/{tenant}/databases/{database}/collections/{collection_id}/query',
      'GET /api/v2/tenants/{tenant}/databases/{database}/collections/{collection_id}/count',
      'POST /api/v2/tenants/{tenant}/databases/{database}/collections/{collection_id}/get',
      'POST /api/v2/tenants/{tenant}/databases/{database}/collections/{collection_id}/delete',
      'GET /api/v2/heartbeat',
    ]);
  });

  it('filters récits with $in, asks for k results, and converts cosine distance to similarity', async () => {
    const index = chromaIndex();
    await index.start();
    await index.upsert([
      { chunkId: 'a', recitId: 'r1', vector: axis(0) },
      { chunkId: 'b', recitId: 'r2', vector: [1, 1, ...new Array<number>(1022).fill(0)] },
    ]);
    const before = fake.requests.length;
    const hits = await index.search({ vector: axis(0), k: 4, recitIds: ['r2', 'r1', 'r2'] });
    const query = fake.requests.slice(before).find((r) => r.route.endsWith('/query'))!.body as Record<string, unknown>;
    expect(query).toMatchObject({ n_results: 4, where: { recitId: { $in: ['r2', 'r1'] } }, include: ['metadatas', 'distances'] });
    // Queries go as numbers even where writes go as base64.
    expect((query.query_embeddings as unknown[][])[0]![0]).toBe(1);
    expect(hits.map((h) => h.chunkId)).toEqual(['a', 'b']);
    expect(hits[1]!.score).toBeCloseTo(Math.SQRT1_2, 5);

    const unfiltered = fake.requests.length;
    await index.search({ vector: axis(0), k: 1 });
    expect(fake.requests.slice(unfiltered).find((r) => r.route.endsWith('/query'))!.body).not.toHaveProperty('where');
    const none = fake.requests.length;
    expect(await index.search({ vector: axis(0), k: 1, recitIds: [] })).toEqual([]);
    expect(fake.requests.length).toBe(none); // the client rejects an empty $in: nothing is sent
  });

  it('deletes a récit by filter after reading its ids for the count', async () => {
    const index = chromaIndex();
    await index.start();
    await index.upsert([
      { chunkId: 'a', recitId: 'r1', vector: axis(0) },
      { chunkId: 'b', recitId: 'r1', vector: axis(1) },
    ]);
    const before = fake.requests.length;
    expect(await index.deleteRecit('r1')).toBe(2);
    const sent = fake.requests.slice(before).map((r) => [r.route.split('/').pop(), r.body]);
    expect(sent).toEqual([
      ['get', { where: { recitId: 'r1' }, include: [] }],
      ['delete', { where: { recitId: 'r1' } }],
    ]);
  });

  it('sends unit vectors as base64 float32 when the server accepts it, as numbers otherwise', async () => {
    const legacy = await ChromaFakeServer.start({ supportsBase64: false });
    try {
      for (const [server, base64] of [
        [fake, true],
        [legacy, false],
      ] as const) {
        const index = chromaIndex({}, server);
        await index.start();
        const before = server.requests.length;
        await index.upsert([{ chunkId: 'a', recitId: 'r1', vector: axis(2, 5) }]);
        const body = server.requests.slice(before).find((r) => r.route.endsWith('/upsert'))!.body as { embeddings: unknown[] };
        expect(typeof body.embeddings[0]).toBe(base64 ? 'string' : 'object');
        const [hit] = await index.search({ vector: axis(2), k: 1 });
        expect(hit?.score).toBeCloseTo(1, 5);
      }
    } finally {
      await legacy.close();
    }
  });

  it('splits upserts into batches the server accepts', async () => {
    const small = await ChromaFakeServer.start({ maxBatchSize: 100 });
    try {
      const index = chromaIndex({}, small);
      await index.start();
      const records = Array.from({ length: 250 }, (_, i) => ({ chunkId: `c${i}`, recitId: 'r', vector: axis(i % 1024, 1 + i) }));
      await index.upsert(records);
      expect(small.requests.filter((r) => r.route.endsWith('/upsert')).map((r) => (r.body as { ids: string[] }).ids.length)).toEqual([100, 100, 50]);
      expect(await index.count()).toBe(250);
    } finally {
      await small.close();
    }
  });

  it('reuses an existing collection and its records', async () => {
    const name = uniqueName();
    const first = chromaIndex({ collection: name });
    await first.start();
    await first.upsert([{ chunkId: 'kept', recitId: 'r1', vector: axis(4) }]);
    const second = chromaIndex({ collection: name });
    await second.start();
    expect(await second.count()).toBe(1);
    expect((await second.search({ vector: axis(4), k: 1 }))[0]?.chunkId).toBe('kept');
  });

  it('refuses an existing collection in another space', async () => {
    const name = uniqueName();
    const port = Number(new URL(fake.url).port);
    await new ChromaClient({ host: '127.0.0.1', port }).createCollection({ name, configuration: { hnsw: { space: 'l2' } }, embeddingFunction: null });
    const error = await failure(chromaIndex({ collection: name }).start());
    expect(error).toMatchObject({ code: 'vector.space_mismatch', transient: false, details: { space: 'l2' } });
  });

  it('refuses an existing collection holding vectors of another dimension', async () => {
    const name = uniqueName();
    const small = chromaIndex({ collection: name, dimensions: 3 });
    await small.start();
    await small.upsert([{ chunkId: 'a', recitId: 'r1', vector: [1, 2, 3] }]);
    const error = await failure(chromaIndex({ collection: name }).start());
    expect(error).toMatchObject({ code: 'vector.dimension_mismatch', details: { stored: 3, expected: 1024 } });
  });

  it('reports vector.unavailable (transient) when the server is down, and recovers when it is back', async () => {
    const index = chromaIndex();
    await index.start();
    await index.upsert([{ chunkId: 'a', recitId: 'r1', vector: axis(0) }]);
    await fake.down();
    try {
      for (const operation of [
        index.search({ vector: axis(0), k: 1 }),
        index.upsert([{ chunkId: 'b', recitId: 'r1', vector: axis(1) }]),
        index.deleteRecit('r1'),
        index.count(),
        index.health.check(),
      ]) {
        const error = await failure(operation);
        expect(error).toBeInstanceOf(UnavailableError);
        expect(error).toMatchObject({ code: 'vector.unavailable', transient: true, details: { reason: 'unreachable' } });
      }
    } finally {
      await fake.up();
    }
    expect(await index.count()).toBe(1);
  });

  it('retries once, at once, when a connection is dropped', async () => {
    const index = chromaIndex();
    await index.start();
    await index.upsert([{ chunkId: 'a', recitId: 'r1', vector: axis(0) }]);
    fake.dropConnections(1);
    const before = fake.requests.length;
    expect(await index.count()).toBe(1);
    expect(fake.requests.length - before).toBe(2);
    fake.dropConnections(2);
    expect(await failure(index.count())).toMatchObject({ code: 'vector.unavailable', details: { reason: 'unreachable' } });
  });

  it('reports vector.unavailable when nothing listens at start', async () => {
    const index = new ChromaVectorIndex({ url: `http://127.0.0.1:${await freePort()}`, logger: createSilentLogger() });
    expect(await failure(index.start())).toMatchObject({ code: 'vector.unavailable', transient: true });
    expect(await failure(index.count())).toMatchObject({ code: 'vector.not_started' });
  });

  it('reports vector.unavailable on HTTP 503 and 429, and works again afterwards', async () => {
    const index = chromaIndex();
    await index.start();
    for (const status of [503, 500, 429]) {
      fake.failWith(status, { times: 1 });
      expect(await failure(index.search({ vector: axis(0), k: 1 }))).toMatchObject({ code: 'vector.unavailable', transient: true });
    }
    expect(await index.search({ vector: axis(0), k: 1 })).toEqual([]);
  });

  it('gives up on a hung server after timeoutMs', async () => {
    const index = chromaIndex({ timeoutMs: 200 });
    await index.start();
    fake.delay(2_000);
    const started = Date.now();
    expect(await failure(index.count())).toMatchObject({ code: 'vector.unavailable', details: { reason: 'timeout' } });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('maps a refused request to vector.rejected, not retryable', async () => {
    const index = chromaIndex();
    await index.start();
    fake.failWith(400, { times: 1, match: /\/upsert$/ });
    expect(await failure(index.upsert([{ chunkId: 'a', recitId: 'r1', vector: axis(0) }]))).toMatchObject({ code: 'vector.rejected', transient: false });
  });

  it('sends its headers, and reports refused credentials as vector.unauthorized', async () => {
    const guarded = await ChromaFakeServer.start({ token: 's3cret-token' });
    try {
      const withToken = chromaIndex({ headers: { 'x-chroma-token': 's3cret-token' } }, guarded);
      await withToken.start();
      await withToken.upsert([{ chunkId: 'a', recitId: 'r1', vector: axis(0) }]);
      expect(await withToken.count()).toBe(1);
      expect(await failure(chromaIndex({}, guarded).start())).toMatchObject({ code: 'vector.unauthorized', transient: false });
    } finally {
      await guarded.close();
    }
  });

  it('works in the configured tenant and database', async () => {
    fake.addDatabase('acme', 'relais');
    const name = uniqueName();
    const index = chromaIndex({ collection: name, tenant: 'acme', database: 'relais' });
    await index.start();
    await index.upsert([{ chunkId: 'a', recitId: 'r1', vector: axis(0) }]);
    expect(fake.collection(name, 'acme', 'relais')?.records.size).toBe(1);
    expect(fake.collection(name)).toBeUndefined();
    expect(await failure(chromaIndex({ tenant: 'acme', database: 'missing' }).start())).toMatchObject({ code: 'vector.database_not_found', transient: false });
  });

  it('refuses options the client cannot honour', () => {
    const attempt = (options: Partial<ChromaVectorIndexOptions>) => {
      try {
        chromaIndex(options);
        return undefined;
      } catch (error) {
        return error;
      }
    };
    expect(attempt({ url: 'http://chroma.internal:8000/chroma' })).toMatchObject({ code: 'config.invalid' });
    expect(attempt({ url: 'not a url' })).toMatchObject({ code: 'config.invalid' });
    expect(attempt({ url: 'ftp://chroma' })).toMatchObject({ code: 'config.invalid' });
    expect(attempt({ timeoutMs: 0 })).toMatchObject({ code: 'config.invalid' });
    expect(attempt({ dimensions: 0 })).toMatchObject({ code: 'config.invalid' });
    expect(attempt({ url: 'https://user:pw@chroma.example.org' })).toMatchObject({ code: 'config.invalid' });
    // No explicit port: the scheme's default, not the client's port 0.
    expect(chromaIndex({ url: 'https://chroma.example.org/', collection: 'c1' }).description).toBe('Chroma at https://chroma.example.org (collection c1, cosine)');
  });
});

describe('ChromaFakeServer', () => {
  const base = () => `${fake.url}/api/v2/tenants/default_tenant/databases/default_database/collections`;
  const post = async (url: string, body: unknown) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('refuses bad payloads with the status and error shape Chroma uses', async () => {
    const created = await post(base(), { name: uniqueName(), configuration: { hnsw: { space: 'cosine' } } });
    expect(created.status).toBe(200);
    const records = `${base()}/${created.body.id as string}`;
    await post(`${records}/upsert`, { ids: ['a'], embeddings: [[1, 0, 0]] });

    const cases: Array<[string, unknown, number, string | RegExp]> = [
      [`${records}/upsert`, '{"ids": [', 400, /parse/],
      [`${records}/upsert`, { ids: 'a', embeddings: [[1, 0, 0]] }, 422, /ids/],
      [`${records}/upsert`, { ids: ['b'], embeddings: [[1, 0]] }, 400, 'Collection expecting embedding with dimension of 3, got 2'],
      [`${records}/upsert`, { ids: ['b', 'b'], embeddings: [[1, 0, 0], [0, 1, 0]] }, 400, /unique/],
      [`${records}/upsert`, { ids: ['b', 'c'], embeddings: [[1, 0, 0]] }, 400, /Inconsistent number/],
      [`${records}/query`, { query_embeddings: [[1, 0, 0]], where: { recitId: { $in: [] } } }, 400, /non-empty list/],
      [`${records}/query`, { query_embeddings: [[1, 0]] }, 400, /dimension of 3, got 2/],
      [`${records}/delete`, {}, 400, /ids or where/],
      [`${base()}/not-a-uuid/query`, { query_embeddings: [[1, 0, 0]] }, 400, 'Collection ID is not a valid UUIDv4'],
      [`${base()}/${randomUUID()}/query`, { query_embeddings: [[1, 0, 0]] }, 404, /does not exist/],
      [base(), { name: 'a' }, 400, /3-512 characters/],
      [base(), { name: uniqueName(), configuration: { hnsw: {}, spann: {} } }, 400, /Multiple vector index/],
      [base(), { name: uniqueName(), configuration: { hnsw: { space: 'hamming' } } }, 422, /unknown variant/],
    ];
    for (const [url, body, status, message] of cases) {
      const answer = await post(url, body);
      expect({ url, status: answer.status }).toEqual({ url, status });
      expect(answer.body).toEqual({ error: expect.any(String), message: expect.stringMatching(message) });
    }
    expect((await post(`${records}/query`, { query_embeddings: [[1, 0, 0]], where: { recitId: { $in: [] } } })).body.error).toBe('InvalidArgumentError');
  });
});

