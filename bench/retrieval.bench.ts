/**
 * `npm run bench -- retrieval`: quality and speed of corpus retrieval.
 *
 * Quality — PIAF (French Wikipedia QA, ../shared/eval/piaf): each of the 761
 * passages is ingested as one document, each of the 3,835 questions must
 * find its passage. recall@5, nDCG@10 and MRR for Relais' lexical search
 * (PostgreSQL French full-text + BM25) side by side with a BM25 peer
 * (MiniSearch) in the same run; hybrid too when an embedding model is
 * configured (MISTRAL_API_KEY).
 *
 * Speed — search p50/p95 at 10k and 100k passages built from PIAF sentences
 * (embedded PGlite, and the PostgreSQL server when reachable), ingestion
 * throughput and memory (RSS).
 *
 * Options: --sizes 10000,100000  --quality-only  --speed-only  --engines pglite,postgres
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MiniSearch from 'minisearch';
import pg from 'pg';
import { createSilentLogger } from '../src/adapters/log/pino-logger.js';
import { openDatabase, type Database } from '../src/adapters/store/prisma/database.js';
import { createPrismaRepositories } from '../src/adapters/store/prisma/create-prisma-repositories.js';
import { migrate, readMigrations } from '../src/adapters/store/prisma/migrator.js';
import { chunkText, countWords } from '../src/core/corpus/chunker.js';
import type { ChunkRecord, StoredRecit } from '../src/core/ports/corpus-repository.js';
import { HybridRetriever } from '../src/core/retrieval/hybrid-retriever.js';
import { foldAccents } from '../src/core/retrieval/query-terms.js';
import { evaluateRetrieval, type LabelledQuery, type RetrievalEvaluation } from '../src/core/retrieval/retrieval-evaluation.js';
import { MIGRATIONS_DIR } from '../src/main.js';
import { machine, summarize, writeResults, type LatencySummary } from './stats.js';

const PIAF_DIR = new URL('../../shared/eval/piaf/', import.meta.url);
const POSTGRES_URL = process.env.RELAIS_TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const logger = createSilentLogger();

interface Passage {
  id: string;
  title: string;
  text: string;
}

function readJsonl<T>(name: string): T[] {
  return readFileSync(new URL(name, PIAF_DIR), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as T);
}

function recit(id: string, title: string, i: number): StoredRecit {
  const now = new Date();
  return {
    id,
    title,
    authorRole: (['ancien-etudiant', 'travailleur-social', 'formateur', 'autre'] as const)[i % 4]!,
    sector: ['protection de l’enfance', 'handicap', 'insertion', 'santé mentale', 'migrations'][i % 5]!,
    year: 2000 + (i % 25),
    themes: ['bench'],
    language: 'fr',
    consent: { status: 'granted', date: '2025-01-01', scope: ['rag', 'citation'], reference: `BENCH-${i}` },
    anonymized: true,
    fictional: true,
    sourcePath: null,
    contentHash: id,
    metadataHash: id,
    scrubReport: [],
    chunkCount: 0,
    ingestedAt: now,
    updatedAt: now,
    withdrawnAt: null,
  };
}

function chunksOf(meta: StoredRecit, texts: string[]): ChunkRecord[] {
  return texts.map((text, ordinal) => ({
    id: `${meta.id}#${ordinal}`,
    recitId: meta.id,
    ordinal,
    heading: meta.title,
    text,
    contentHash: `${meta.id}#${ordinal}`,
    tokenCount: countWords(`${meta.title} ${text}`),
    sector: meta.sector,
    authorRole: meta.authorRole,
    year: meta.year,
    themes: meta.themes,
    language: meta.language,
    quotable: true,
    embeddingModel: null,
  }));
}

async function freshDatabase(engine: 'pglite' | 'postgres'): Promise<{ database: Database; cleanup(): Promise<void> }> {
  if (engine === 'pglite') {
    const dataDir = await mkdtemp(join(tmpdir(), 'relais-bench-'));
    const database = await openDatabase({ dataDir });
    await migrate(database.sql, await readMigrations(MIGRATIONS_DIR), logger);
    return { database, cleanup: async () => { await database.close(); await rm(dataDir, { recursive: true, force: true }); } };
  }
  const name = `relais_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), dataDir: tmpdir() });
  await migrate(database.sql, await readMigrations(MIGRATIONS_DIR), logger);
  return {
    database,
    async cleanup() {
      await database.close();
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** MiniSearch with its BM25 defaults, lower case and accents folded (no stemming: it has none). */
function miniSearchPeer(passages: Passage[]): (question: string) => string[] {
  const index = new MiniSearch<Passage>({ fields: ['title', 'text'], storeFields: ['id'], processTerm: (term) => foldAccents(term.toLowerCase()) });
  index.addAll(passages);
  return (question) => index.search(question, { combineWith: 'OR' }).map((r) => String(r.id));
}

interface QualityRow {
  system: string;
  evaluation: RetrievalEvaluation;
}

async function quality(): Promise<QualityRow[] | string> {
  if (!existsSync(PIAF_DIR)) return 'skipped: ../shared/eval/piaf is not present on this machine';
  const passages = readJsonl<Passage>('passages.jsonl');
  const questions = readJsonl<{ id: string; question: string; context_id: string }>('questions.jsonl');
  const queries: LabelledQuery[] = questions.map((q) => ({ id: q.id, question: q.question, relevant: [q.context_id] }));
  const { database, cleanup } = await freshDatabase('pglite');
  try {
    const repositories = createPrismaRepositories(database.prisma);
    for (const [i, passage] of passages.entries()) {
      const meta = recit(passage.id, passage.title, i);
      await repositories.corpus.saveRecit(meta, chunksOf(meta, chunkText(passage.text)));
    }
    await repositories.corpus.optimize();
    const retriever = new HybridRetriever({ corpus: repositories.corpus, logger });
    const relais = await evaluateRetrieval(queries, 5, async (q) => (await retriever.search(q, { k: 30 })).hits.map((h) => h.chunk.recitId));
    const peer = miniSearchPeer(passages);
    const minisearch = await evaluateRetrieval(queries, 5, async (q) => peer(q).slice(0, 30));
    const rows: QualityRow[] = [
      { system: 'Relais lexical (PostgreSQL FTS relais_fr + BM25)', evaluation: relais },
      { system: 'MiniSearch 7 BM25 (peer)', evaluation: minisearch },
    ];
    if (!process.env.MISTRAL_API_KEY) rows.push({ system: 'Relais hybrid: skipped (no embedding model; set MISTRAL_API_KEY)', evaluation: { ...relais, recallAtK: NaN, mrr: NaN, ndcgAt10: NaN, latency: { p50: NaN, p95: NaN } } });
    return rows;
  } finally {
    await cleanup();
  }
}

/** Deterministic generator (mulberry32) so every run builds the same corpus. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SpeedRow {
  engine: string;
  chunks: number;
  ingestPerSecond: number;
  rssMiB: number;
  search: LatencySummary;
  filtered: LatencySummary;
}

async function speed(engine: 'pglite' | 'postgres', size: number, sentences: string[], questions: string[]): Promise<SpeedRow> {
  const next = random(size);
  const { database, cleanup } = await freshDatabase(engine);
  try {
    const repositories = createPrismaRepositories(database.prisma);
    const perRecit = 10;
    const started = performance.now();
    for (let r = 0; r < size / perRecit; r++) {
      const texts = Array.from({ length: perRecit }, () => Array.from({ length: 6 + Math.floor(next() * 5) }, () => sentences[Math.floor(next() * sentences.length)]).join(' '));
      const meta = recit(`bench-${r}`, sentences[Math.floor(next() * sentences.length)]!.slice(0, 60), r);
      await repositories.corpus.saveRecit(meta, chunksOf(meta, texts));
    }
    await repositories.corpus.optimize();
    const ingestSeconds = (performance.now() - started) / 1000;
    const retriever = new HybridRetriever({ corpus: repositories.corpus, logger });
    for (const q of questions.slice(0, 50)) await retriever.search(q, { k: 10 }); // warm-up
    const measure = async (filtered: boolean): Promise<LatencySummary> => {
      const samples: number[] = [];
      for (const q of questions.slice(50, 550)) {
        const t0 = performance.now();
        await retriever.search(q, { k: 10, ...(filtered ? { filters: { sectors: ['handicap', 'insertion'] } } : {}) });
        samples.push(performance.now() - t0);
      }
      return summarize(samples);
    };
    return {
      engine: engine === 'pglite' ? 'embedded PGlite' : 'PostgreSQL 15 server',
      chunks: size,
      ingestPerSecond: Math.round(size / ingestSeconds),
      rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
      search: await measure(false),
      filtered: await measure(true),
    };
  } finally {
    await cleanup();
  }
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export async function retrievalBench(argv: string[]): Promise<void> {
  const value = (name: string): string | undefined => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const sizes = (value('--sizes') ?? '10000,100000').split(',').map(Number);
  const engines = (value('--engines') ?? 'pglite,postgres').split(',') as ('pglite' | 'postgres')[];
  const env = machine();
  let markdown = `# Retrieval benchmark\n\nMachine: ${env.cpus} × ${env.cpuModel}, ${env.memoryGiB} GiB, Node ${env.node}. Date: ${new Date().toISOString()}.\n`;
  const results: Record<string, unknown> = { benchmark: 'retrieval', machine: env, date: new Date().toISOString() };

  if (!argv.includes('--speed-only')) {
    const rows = await quality();
    results.quality = rows;
    markdown += '\n## Quality on PIAF (3,835 French questions, 761 passages)\n\n';
    if (typeof rows === 'string') markdown += `${rows}\n`;
    else {
      markdown += '| system | recall@5 | nDCG@10 | MRR | search p50 ms | p95 ms |\n|---|---:|---:|---:|---:|---:|\n';
      for (const row of rows) {
        const e = row.evaluation;
        markdown += Number.isNaN(e.recallAtK) ? `| ${row.system} | — | — | — | — | — |\n` : `| ${row.system} | ${e.recallAtK.toFixed(3)} | ${e.ndcgAt10.toFixed(3)} | ${e.mrr.toFixed(3)} | ${e.latency.p50} | ${e.latency.p95} |\n`;
      }
    }
    console.log(markdown);
  }

  if (!argv.includes('--quality-only')) {
    if (!existsSync(PIAF_DIR)) {
      markdown += '\n## Speed\n\nskipped: ../shared/eval/piaf (source of the synthetic passages) is not present\n';
    } else {
      const passages = readJsonl<Passage>('passages.jsonl');
      const sentences = passages.flatMap((p) => p.text.split(/(?<=[.!?])\s+/)).filter((s) => s.length > 30);
      const questions = readJsonl<{ question: string }>('questions.jsonl').map((q) => q.question);
      const rows: SpeedRow[] = [];
      const canUsePostgres = await postgresReachable();
      for (const engine of engines) {
        if (engine === 'postgres' && !canUsePostgres) {
          console.log(`PostgreSQL at ${POSTGRES_URL} not reachable: server rows skipped`);
          continue;
        }
        for (const size of sizes) {
          console.log(`building ${size} passages on ${engine}…`);
          rows.push(await speed(engine, size, sentences, questions));
          console.log(JSON.stringify(rows.at(-1)));
        }
      }
      results.speed = rows;
      markdown += `\n## Speed (passages of 6–10 PIAF sentences, 500 PIAF questions, k = 10, lexical)\n\n| engine | passages | ingest passages/s | RSS MiB | search p50 ms | p95 ms | filtered p50 ms | filtered p95 ms |\n|---|---:|---:|---:|---:|---:|---:|---:|\n`;
      for (const r of rows) markdown += `| ${r.engine} | ${r.chunks} | ${r.ingestPerSecond} | ${r.rssMiB} | ${r.search.p50} | ${r.search.p95} | ${r.filtered.p50} | ${r.filtered.p95} |\n`;
      markdown += '\nTargets (issue #3): p95 < 10 ms at 10k, < 20 ms at 100k.\n';
    }
  }
  console.log(markdown);
  const files = await writeResults('retrieval', results, markdown);
  console.log(`Written: ${files.join(', ')}`);
}
