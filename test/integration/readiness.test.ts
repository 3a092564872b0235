/**
 * `/readyz` names every dependency the bot cannot work without: here a
 * Chroma server (VECTOR_STORE=chroma), whose loss makes the instance not ready.
 */
import { jest } from '@jest/globals';
import type { Relais } from '../../src/main.js';
import { ChromaFakeServer } from '../fakes/chroma-fake-server.js';
import { startMistralFake, type MistralFake } from '../fakes/mistral-fake-server.js';
import { startTestRelais } from '../support/start-test-relais.js';

jest.setTimeout(30_000);

describe('/readyz with a Chroma vector store', () => {
  let chroma: ChromaFakeServer;
  let mistral: MistralFake;
  let relais: Relais;

  beforeAll(async () => {
    chroma = await ChromaFakeServer.start();
    mistral = await startMistralFake({ apiKey: 'test-key' });
    relais = await startTestRelais({
      MISTRAL_API_KEY: 'test-key',
      MISTRAL_SERVER_URL: mistral.url,
      VECTOR_STORE: 'chroma',
      CHROMA_URL: chroma.url,
      RELAIS_CORPUS_AUTO_INGEST: 'false',
    });
  });
  afterAll(async () => {
    await relais?.stop();
    await mistral?.close();
    await chroma?.close().catch(() => undefined);
  });

  it('reports Chroma, and turns not ready when it goes away', async () => {
    const ready = await fetch(`${relais.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: Record<string, { ok: boolean }> }).checks.chroma).toMatchObject({ ok: true });

    await chroma.close();
    const down = await fetch(`${relais.url}/readyz`);
    expect(down.status).toBe(503);
    expect(((await down.json()) as { checks: Record<string, { ok: boolean }> }).checks.chroma).toMatchObject({ ok: false });
  });
});
