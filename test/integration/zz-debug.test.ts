import { jest } from '@jest/globals';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { startRelais } from '../../src/main.js';
import type { Logger } from '../../src/core/ports/logger.js';
import { startMistralFake } from '../fakes/mistral-fake-server.js';
import { waitForIngestion } from '../support/assistant-helpers.js';
import { createTestCorpus, FATIGUE, VALEURS, VEILLEUR_RAG_ONLY, VISITE } from '../support/test-corpus.js';
jest.setTimeout(60_000);
const lines: unknown[] = [];
function rec(b: Record<string, unknown> = {}): Logger {
  const at = (level: string) => (f: unknown, m?: string) => { if (level !== 'debug') lines.push([Date.now() % 100000, level, b, f, m]); };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (more) => rec({ ...b, ...more }) };
}
it('debug', async () => {
  const corpus = await createTestCorpus([VISITE, VALEURS, FATIGUE, VEILLEUR_RAG_ONLY]);
  const fake = await startMistralFake({ apiKey: 'k' });
  const dataDir = await mkdtemp(join(tmpdir(), 'dbg-'));
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', RELAIS_DATA_DIR: dataDir, RELAIS_SECRET: 'x'.repeat(40), RELAIS_CORPUS_DIR: corpus.directory, RELAIS_CHUNK_TARGET_CHARS: '300', RELAIS_CHUNK_OVERLAP_CHARS: '40', MISTRAL_API_KEY: 'k', MISTRAL_SERVER_URL: fake.url });
  const relais = await startRelais(config, { logger: rec() });
  await waitForIngestion(relais);
  const s1 = await relais.repositories.corpus.statistics();
  await new Promise((r) => setTimeout(r, 500));
  const s2 = await relais.repositories.corpus.statistics();
  console.log(JSON.stringify({ s1: [s1.chunks, s1.embeddedChunks], s2: [s2.chunks, s2.embeddedChunks], vec: await relais.assistant.vectors!.count() }), JSON.stringify(lines, null, 0));
  await relais.stop(); await fake.close();
});
