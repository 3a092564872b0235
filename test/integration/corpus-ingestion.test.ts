/**
 * Corpus ingestion through the real pipeline — récit files → validation →
 * chunks in embedded PostgreSQL (PGlite) → embeddings from the Mistral fake
 * → pgvector — and consent withdrawal, which must remove a récit from
 * lexical and vector search at once. The steps run in order on one corpus.
 */
import { jest } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileReport, IngestReport } from '../../src/core/corpus/corpus-ingestion.js';
import type { Relais } from '../../src/main.js';
import { pseudoEmbedding, startMistralFake, type MistralFake } from '../fakes/mistral-fake-server.js';
import { embeddingInputs } from '../support/assistant-helpers.js';
import { openMigratedDatabase } from '../support/databases.js';
import { startTestRelais } from '../support/start-test-relais.js';
import { ASSISTANT_CORPUS, createTestCorpus, FATIGUE, recitFile, VALEURS, VEILLEUR_RAG_ONLY, VISITE, type TestCorpus, type TestRecit } from '../support/test-corpus.js';

jest.setTimeout(60_000);

const FAKE_KEY = 'test-key';

const NOT_ANONYMISED: TestRecit = {
  id: 'recit-t07-non-anonymise',
  title: 'Le jardin partagé de la rue des Glycines',
  authorRole: 'travailleur-social',
  sector: 'développement social local',
  year: 2022,
  themes: ['jardin partagé'],
  anonymized: false,
  body: `
Au jardin partagé de la rue des Glycines, les habitants plantaient des courges et des tomates cerises. Le mercredi, les enfants du quartier venaient arroser les semis avec l'animatrice.

Ce récit n'a pas encore été relu pour l'anonymisation : il cite encore des lieux et des personnes reconnaissables.
`,
};

/** Valid except for the year, which is missing. */
const MISSING_YEAR = recitFile({
  id: 'recit-t08-sans-annee',
  title: 'Un récit sans année',
  body: 'Ce récit raconte une supervision collective en institut médico-éducatif, mais son en-tête a oublié l’année.',
}).replace(/^year: .*\n/m, '');

/** The YAML list of themes is never closed. */
const BROKEN_YAML = recitFile({
  id: 'recit-t09-yaml-casse',
  title: 'Un en-tête cassé',
  body: 'Ce récit raconte une permanence sociale en mairie, mais son en-tête YAML est mal formé et illisible.',
}).replace(/^themes: \[(.*)\]$/m, 'themes: [$1');

function fileOf(report: IngestReport, fileName: string): FileReport {
  const file = report.files.find((f) => f.path.endsWith(fileName));
  if (!file) throw new Error(`${fileName} is not in the report: ${report.files.map((f) => f.path).join(', ')}`);
  return file;
}

describe('corpus ingestion on PGlite with pgvector and the Mistral embedder', () => {
  let corpus: TestCorpus;
  let dataDir: string;
  let fake: MistralFake;
  let relais: Relais;

  const ingestAgain = (): Promise<IngestReport> => relais.assistant.ingestDirectory(corpus.directory);

  /** Récit ids of what a search finds, lexical and vector together (what the assistant would use). */
  async function foundRecits(text: string): Promise<string[]> {
    const { hits, mode } = await relais.assistant.retriever.search(text, { k: 50 });
    expect(mode).toBe('hybrid');
    return [...new Set(hits.map((h) => h.chunk.recitId))];
  }

  /** Vector search with the exact vector of a stored chunk: the chunk itself comes first while it is indexed. */
  async function vectorHitsFor(heading: string, text: string): Promise<string[]> {
    const hits = await relais.assistant.vectors!.search({ vector: pseudoEmbedding(`${heading}\n\n${text}`), k: 5 });
    return hits.map((h) => h.chunkId);
  }

  beforeAll(async () => {
    corpus = await createTestCorpus([VISITE, VALEURS, FATIGUE, VEILLEUR_RAG_ONLY, NOT_ANONYMISED]);
    await corpus.writeRaw('recit-t08-sans-annee.md', MISSING_YEAR);
    await corpus.writeRaw('recit-t09-yaml-casse.md', BROKEN_YAML);
    dataDir = await mkdtemp(join(tmpdir(), 'relais-ingest-'));
    fake = await startMistralFake({ apiKey: FAKE_KEY });
    relais = await startTestRelais({
      DATABASE_URL: '',
      RELAIS_DATA_DIR: dataDir,
      RELAIS_CORPUS_DIR: corpus.directory,
      // Small passages, so that each récit has several and "only this récit's passages" means something.
      RELAIS_CHUNK_TARGET_CHARS: '300',
      RELAIS_CHUNK_OVERLAP_CHARS: '40',
      MISTRAL_API_KEY: FAKE_KEY,
      MISTRAL_SERVER_URL: fake.url,
      // The first ingest is run by the test and awaited, so each step sees a finished ingest.
      RELAIS_CORPUS_AUTO_INGEST: 'false',
    });
  });
  afterAll(async () => {
    await relais?.stop();
    await fake?.close();
    await corpus?.cleanup();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('runs on embedded PostgreSQL with hybrid retrieval over pgvector', () => {
    expect(relais.config.database.kind).toBe('pglite');
    expect(relais.assistant.retriever.mode).toBe('hybrid');
    expect(relais.assistant.vectors?.description).toMatch(/pgvector/);
    expect(relais.assistant.description.retrieval).toMatch(/^hybrid/);
  });

  it('embeds every passage of the retrievable récits once at the first ingest', async () => {
    expect(await relais.repositories.corpus.statistics()).toMatchObject({ recits: 0, chunks: 0 });
    const report = await ingestAgain();
    expect(report.embedding.note).toBeUndefined();
    expect(report.files.map((f) => f.outcome).sort()).toEqual(['added', 'added', 'added', 'added', 'error', 'error', 'excluded']);
    const stats = await relais.repositories.corpus.statistics();
    expect(stats).toMatchObject({ recits: 5, retrievable: 4 });
    expect(stats.chunks).toBeGreaterThan(4);
    expect(stats.embeddedChunks).toBe(stats.chunks);
    expect(await relais.assistant.vectors!.count()).toBe(stats.chunks);

    const inputs = embeddingInputs(fake);
    expect(inputs).toHaveLength(stats.chunks);
    expect(new Set(inputs).size).toBe(inputs.length);
    const titles = [VISITE, VALEURS, FATIGUE, VEILLEUR_RAG_ONLY].map((r) => r.title);
    for (const input of inputs) expect(titles).toContain(input.split('\n\n')[0]);
    expect(fake.requestsTo('/v1/embeddings').every((r) => r.status === 200)).toBe(true);
    expect(report.embedding).toMatchObject({ model: 'mistral-embed', chunks: stats.chunks, calls: fake.requestsTo('/v1/embeddings').length });

    const [ingested] = await relais.repositories.audit.list({ action: 'corpus.ingested' });
    expect(ingested!.details).toMatchObject({ added: 4, excluded: 1, error: 2 });
  });

  it('re-ingests an unchanged directory without a single embedding request, reporting bad files by name and field', async () => {
    fake.reset();
    const report = await ingestAgain();
    expect(fake.requestsTo('/v1/embeddings')).toHaveLength(0);
    expect(report.embedding).toMatchObject({ calls: 0, chunks: 0 });
    for (const recit of [VISITE, VALEURS, FATIGUE, VEILLEUR_RAG_ONLY]) expect(fileOf(report, `${recit.id}.md`).outcome).toBe('unchanged');

    const missing = fileOf(report, 'recit-t08-sans-annee.md');
    expect(missing.outcome).toBe('error');
    expect(missing.problems).toEqual([{ field: 'year', message: 'required' }]);
    expect(missing.reason).toContain('recit-t08-sans-annee.md');
    expect(missing.reason).toContain('year: required');

    const broken = fileOf(report, 'recit-t09-yaml-casse.md');
    expect(broken.outcome).toBe('error');
    expect(broken.reason).toMatch(/^invalid YAML front matter/);
    expect(broken.problems?.[0]?.field).toBe('(file)');
    expect(await relais.repositories.corpus.getRecit('recit-t08-sans-annee')).toBeNull();
    expect(await relais.repositories.corpus.getRecit('recit-t09-yaml-casse')).toBeNull();
  });

  it('re-embeds only the passages of a récit whose text changed', async () => {
    await corpus.write({ ...FATIGUE, body: `${FATIGUE.body}\nAujourd'hui, je forme à mon tour des stagiaires et je leur demande chaque semaine combien de dossiers ils portent.` });
    fake.reset();
    const report = await ingestAgain();
    const changed = fileOf(report, `${FATIGUE.id}.md`);
    expect(changed.outcome).toBe('updated');
    for (const recit of [VISITE, VALEURS, VEILLEUR_RAG_ONLY]) expect(fileOf(report, `${recit.id}.md`).outcome).toBe('unchanged');

    const inputs = embeddingInputs(fake);
    expect(inputs).toHaveLength(changed.chunks);
    for (const input of inputs) expect(input.startsWith(`${FATIGUE.title}\n\n`)).toBe(true);
    expect(inputs.some((input) => input.includes('combien de dossiers ils portent'))).toBe(true);
    const after = await relais.repositories.corpus.statistics();
    expect(after.embeddedChunks).toBe(after.chunks);
    expect(await relais.assistant.vectors!.count()).toBe(after.chunks);
    expect(after.chunks).toBe((await chunksOtherThan(FATIGUE.id)) + changed.chunks);
  });

  /** Chunks of every récit but one. */
  async function chunksOtherThan(recitId: string): Promise<number> {
    const recits = await relais.repositories.corpus.listRecits();
    return recits.filter((r) => r.id !== recitId).reduce((sum, r) => sum + r.chunkCount, 0);
  }

  it('updates metadata in place when only the themes change, without embedding anything', async () => {
    await corpus.write({ ...VALEURS, themes: ['conflit de valeurs', 'règlement intérieur'] });
    fake.reset();
    const report = await ingestAgain();
    expect(fileOf(report, `${VALEURS.id}.md`).outcome).toBe('metadata-updated');
    expect(fake.requestsTo('/v1/embeddings')).toHaveLength(0);

    const { hits } = await relais.assistant.retriever.search('la règle des visites du soir', { filters: { themes: ['règlement intérieur'] } });
    expect(hits.length).toBeGreaterThan(0);
    expect(new Set(hits.map((h) => h.chunk.recitId))).toEqual(new Set([VALEURS.id]));
    expect(hits.every((h) => h.chunk.themes.includes('règlement intérieur'))).toBe(true);
  });

  it('removes a withdrawn récit from lexical and vector search at once, and audits it', async () => {
    const [first] = await relais.repositories.corpus.getChunks([`${VISITE.id}#0`]);
    expect(first).toBeDefined();
    expect(await foundRecits(VISITE.title)).toContain(VISITE.id);
    expect((await vectorHitsFor(first!.heading, first!.text))[0]).toBe(first!.id);
    const chunkCount = (await relais.repositories.corpus.getRecit(VISITE.id))!.chunkCount;

    const result = await relais.assistant.ingestion.withdraw(VISITE.id, 'curator-1');
    expect(result).toEqual({ found: true, chunks: chunkCount, vectors: chunkCount });

    expect(await foundRecits(VISITE.title)).not.toContain(VISITE.id);
    expect((await relais.repositories.corpus.searchLexical(VISITE.title, 50)).map((h) => h.recitId)).not.toContain(VISITE.id);
    const vectorHits = await relais.assistant.vectors!.search({ vector: pseudoEmbedding(`${first!.heading}\n\n${first!.text}`), k: 50 });
    expect(vectorHits.map((h) => h.recitId)).not.toContain(VISITE.id);
    expect(await relais.assistant.vectors!.count()).toBe((await relais.repositories.corpus.statistics()).chunks);

    const [event] = await relais.repositories.audit.list({ action: 'corpus.consent_withdrawn' });
    expect(event).toMatchObject({ actorId: 'curator-1', subjectType: 'recit', subjectId: VISITE.id, outcome: 'ok', details: { chunks: chunkCount, vectors: chunkCount } });
    expect(await relais.repositories.corpus.statistics()).toMatchObject({ withdrawn: 1, retrievable: 3 });
    expect(await relais.assistant.ingestion.withdraw('recit-inconnu')).toEqual({ found: false, chunks: 0, vectors: 0 });
  });

  it('keeps the récit withdrawn when its older file is ingested again', async () => {
    fake.reset();
    const report = await ingestAgain();
    const file = fileOf(report, `${VISITE.id}.md`);
    expect(file.outcome).toBe('withdrawn');
    expect(file.reason).toContain('2024-03-12');
    expect(fake.requestsTo('/v1/embeddings')).toHaveLength(0);
    expect(await foundRecits(VISITE.title)).not.toContain(VISITE.id);
    expect((await relais.repositories.corpus.getRecit(VISITE.id))!.withdrawnAt).not.toBeNull();
  });

  it('never makes a récit that is not anonymised retrievable', async () => {
    const report = await ingestAgain();
    const file = fileOf(report, `${NOT_ANONYMISED.id}.md`);
    expect(file).toMatchObject({ outcome: 'excluded', chunks: 0 });
    expect(file.reason).toContain('anonymized: false');
    expect(await foundRecits(NOT_ANONYMISED.title)).not.toContain(NOT_ANONYMISED.id);
    expect(await relais.repositories.corpus.searchLexical('jardin partagé Glycines courges', 10)).toEqual([]);
    expect((await relais.repositories.corpus.getRecit(NOT_ANONYMISED.id))!.chunkCount).toBe(0);
  });

  it('brings a withdrawn récit back only with a newer consent record', async () => {
    const tomorrow = new Date(Date.now() + 24 * 3600 * 1000).toISOString().slice(0, 10);
    await corpus.write({ ...VISITE, consentDate: tomorrow });
    fake.reset();
    const report = await ingestAgain();
    const file = fileOf(report, `${VISITE.id}.md`);
    expect(file.outcome).toBe('updated');
    expect(embeddingInputs(fake)).toHaveLength(file.chunks);
    expect(await foundRecits(VISITE.title)).toContain(VISITE.id);
    expect((await relais.repositories.corpus.getRecit(VISITE.id))!.withdrawnAt).toBeNull();
  });

  it('still deletes a récit’s vectors when withdrawn after the model key was removed', async () => {
    const chunkCount = (await relais.repositories.corpus.getRecit(FATIGUE.id))!.chunkCount;
    expect(chunkCount).toBeGreaterThan(0);
    await relais.stop();
    // Same data directory, no model: the assistant has no vector index of its own any more.
    relais = await startTestRelais({ DATABASE_URL: '', RELAIS_DATA_DIR: dataDir, RELAIS_CORPUS_DIR: corpus.directory, RELAIS_CORPUS_AUTO_INGEST: 'false' });
    expect(relais.assistant.vectors).toBeUndefined();

    expect(await relais.assistant.ingestion.withdraw(FATIGUE.id)).toEqual({ found: true, chunks: chunkCount, vectors: chunkCount });
    const left = await relais.assistant.ingestion.withdraw(FATIGUE.id);
    expect(left.vectors).toBe(0);
  });
});

describe('embedded PGlite shared by the connection pool', () => {
  // PGlite is ONE session, yet the process reaches it through a pg.Pool of several connections (and the
  // CLI through another). A large statement (a batch of vectors) spans several socket reads; if the
  // server interleaved protocol messages of two connections, its parameters would be bound to another
  // connection's statement. PGliteWireServer serves whole exchanges per connection; these tests keep it so.
  it('stores every vector of an ingest while the database is read at the same time', async () => {
    const corpus = await createTestCorpus(ASSISTANT_CORPUS);
    const dataDir = await mkdtemp(join(tmpdir(), 'relais-ingest-load-'));
    const fake = await startMistralFake({ apiKey: FAKE_KEY });
    const relais = await startTestRelais({
      DATABASE_URL: '',
      RELAIS_DATA_DIR: dataDir,
      RELAIS_CORPUS_DIR: corpus.directory,
      RELAIS_CORPUS_AUTO_INGEST: 'false',
      RELAIS_CHUNK_TARGET_CHARS: '200',
      RELAIS_CHUNK_OVERLAP_CHARS: '20',
      MISTRAL_API_KEY: FAKE_KEY,
      MISTRAL_SERVER_URL: fake.url,
    });
    try {
      // What a status page, the scheduler or another user does while the corpus is ingested.
      let running = true;
      const reader = (async () => {
        while (running) await relais.repositories.audit.list({ action: 'corpus.ingested', limit: 3 });
      })();
      const report = await relais.assistant.ingestDirectory(corpus.directory).finally(() => (running = false));
      await reader;
      const stats = await relais.repositories.corpus.statistics();
      expect(stats.chunks).toBeGreaterThan(10);
      expect(report.embedding.note).toBeUndefined();
      expect(stats.embeddedChunks).toBe(stats.chunks);
    } finally {
      await relais.stop();
      await fake.close();
      await corpus.cleanup();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('keeps a large statement and concurrent small ones apart', async () => {
    const db = await openMigratedDatabase('pglite');
    try {
      const big = Array.from({ length: 40 }, (_, i) => `chunk-${i}-${'x'.repeat(20_000)}`);
      const problems: string[] = [];
      let running = true;
      const small = (async () => {
        for (let i = 1; running; i++) {
          const rows = await db.database.sql.query<{ n: string }>('SELECT ($1::bigint + 1)::text AS n', [i]).catch((e: Error) => [{ n: e.message }]);
          if (rows[0]?.n !== String(i + 1)) problems.push(`small query ${i}: ${rows[0]?.n.slice(0, 80)}`);
        }
      })();
      for (let k = 0; k < 5; k++) {
        const rows = await db.database.sql.query<{ n: number }>('SELECT array_length($1::text[], 1)::int AS n', [big]).catch((e: Error) => [{ n: e.message.slice(0, 80) }]);
        if (rows[0]?.n !== 40) problems.push(`large statement ${k}: ${String(rows[0]?.n)}`);
      }
      running = false;
      await small;
      expect(problems).toEqual([]);
    } finally {
      await db.cleanup();
    }
  });
});
