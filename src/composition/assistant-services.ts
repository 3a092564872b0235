/**
 * Builds the assistant's parts from the configuration — model adapters when
 * a key is set, the vector index that fits the database, retrieval,
 * ingestion, safety — for both the server (main.ts) and the CLI, so both
 * behave the same.
 */
import { readRecitFiles } from '../adapters/corpus/recit-file-source.js';
import type { MistralOptions } from '../adapters/llm/mistral/mistral-options.js';
import { InMemoryVectorIndex } from '../adapters/memory/in-memory-vector-index.js';
import type { Database } from '../adapters/store/prisma/database.js';
import { ARRAY_VECTOR_TABLE, PgArrayVectorIndex } from '../adapters/vector/postgres-array/pg-array-vector-index.js';
import { PGVECTOR_TABLE, PgVectorIndex, pgvectorAvailable } from '../adapters/vector/pgvector/pg-vector-index.js';
import { ReflectiveAssistant } from '../core/assistant/reflective-assistant.js';
import { SafetyGate } from '../core/assistant/safety/safety-gate.js';
import { CorpusIngestion, type IngestProgress, type IngestReport } from '../core/corpus/corpus-ingestion.js';
import type { Clock } from '../core/ports/clock.js';
import type { Embedder } from '../core/ports/embedder.js';
import type { HealthProbe } from '../core/ports/health.js';
import type { IdGenerator } from '../core/ports/id-generator.js';
import type { LanguageModel } from '../core/ports/language-model.js';
import type { Logger } from '../core/ports/logger.js';
import type { Moderator } from '../core/ports/moderator.js';
import type { Repositories } from '../core/ports/repositories.js';
import type { VectorIndex } from '../core/ports/vector-index.js';
import { HybridRetriever } from '../core/retrieval/hybrid-retriever.js';
import type { RelaisConfig } from '../config.js';

export interface AssistantServices {
  model?: LanguageModel;
  embedder?: Embedder;
  moderator?: Moderator;
  vectors?: VectorIndex;
  retriever: HybridRetriever;
  ingestion: CorpusIngestion;
  safety: SafetyGate;
  assistant: ReflectiveAssistant;
  /** Reads a directory of récit files and ingests it. */
  ingestDirectory(directory: string, onProgress?: (progress: IngestProgress) => void): Promise<IngestReport>;
  /** One line per part, for logs and `relais doctor`. */
  description: { answers: string; retrieval: string; vectors: string };
  /** Dependencies of the assistant `/readyz` must check (a Chroma server). */
  probes: HealthProbe[];
}

export interface AssistantServicesDeps {
  config: RelaisConfig;
  repositories: Repositories;
  database?: Database;
  logger: Logger;
  clock: Clock;
  ids: IdGenerator;
}

function mistralOptions(config: RelaisConfig, logger: Logger): MistralOptions | undefined {
  const { model } = config;
  if (!model.apiKey) return undefined;
  return {
    apiKey: model.apiKey,
    logger: logger.child({ scope: 'mistral' }),
    ...(model.serverUrl ? { serverUrl: model.serverUrl } : {}),
    ...(model.chatModel ? { chatModel: model.chatModel } : {}),
    ...(model.embeddingModel ? { embeddingModel: model.embeddingModel } : {}),
    ...(model.moderationModel ? { moderationModel: model.moderationModel } : {}),
    ...(model.timeoutMs ? { timeoutMs: model.timeoutMs } : {}),
  };
}

async function loadMistralAdapters() {
  // One dynamic import (not three in parallel): they share the SDK, and Jest's ESM loader fails on concurrent links.
  return import('../adapters/llm/mistral/mistral-adapters.js');
}

/** The vector index for this deployment; started (tables or collection created). */
export async function createVectorIndex(config: RelaisConfig, database: Database | undefined, logger: Logger): Promise<VectorIndex> {
  const store = config.vectors.store;
  if (store === 'chroma') {
    // The Chroma client is loaded only where it is used.
    const { ChromaVectorIndex } = await import('../adapters/vector/chroma/chroma-vector-index.js');
    const index = new ChromaVectorIndex({ url: config.vectors.chromaUrl!, collection: config.vectors.chromaCollection, logger });
    await index.start();
    return index;
  }
  if (store === 'memory' || !database) return new InMemoryVectorIndex();
  const usePgvector = store === 'pgvector' || (store === 'auto' && (await pgvectorAvailable(database.sql)));
  const index = usePgvector ? new PgVectorIndex(database.sql) : new PgArrayVectorIndex(database.sql);
  await index.start();
  return index;
}

/**
 * The database's vector tables other than `active` that exist (left by an
 * earlier configuration): a consent withdrawal must empty them too.
 */
async function formerVectorIndexes(database: Database | undefined, active: VectorIndex | undefined): Promise<VectorIndex[]> {
  if (!database) return [];
  const [row] = await database.sql.query<{ pgvector: string | null; array: string | null }>(
    `SELECT to_regclass('${PGVECTOR_TABLE}')::text AS pgvector, to_regclass('${ARRAY_VECTOR_TABLE}')::text AS array`,
  );
  const former: VectorIndex[] = [];
  if (row?.pgvector && !(active instanceof PgVectorIndex)) former.push(new PgVectorIndex(database.sql));
  if (row?.array && !(active instanceof PgArrayVectorIndex)) former.push(new PgArrayVectorIndex(database.sql));
  return former;
}

export async function createAssistantServices(deps: AssistantServicesDeps): Promise<AssistantServices> {
  const { config, repositories, logger, clock, ids } = deps;
  const options = mistralOptions(config, logger);
  // The Mistral SDK is loaded only with a key: commands and starts without a model do not pay its import.
  const mistral = options ? await loadMistralAdapters() : undefined;
  const model = options && mistral ? new mistral.MistralLanguageModel(options) : undefined;
  const embedder = options && mistral ? new mistral.MistralEmbedder(options) : undefined;
  const moderator = options && mistral && config.model.moderation ? new mistral.MistralModerator(options) : undefined;
  // Vectors are only worth storing when something can compute them.
  const vectors = embedder ? await createVectorIndex(config, deps.database, logger) : undefined;
  const retriever = new HybridRetriever({ corpus: repositories.corpus, logger, ...(embedder && vectors ? { embedder, vectors } : {}) });
  const ingestion = new CorpusIngestion({
    corpus: repositories.corpus,
    audit: repositories.audit,
    clock,
    logger: logger.child({ scope: 'corpus' }),
    chunking: { targetChars: config.corpus.chunkTargetChars, overlapChars: config.corpus.chunkOverlapChars },
    piiNames: config.corpus.piiNames,
    ...(embedder && vectors ? { embedder, vectors } : {}),
    formerVectors: await formerVectorIndexes(deps.database, vectors),
  });
  const safety = new SafetyGate({
    audit: repositories.audit,
    clock,
    ...(moderator ? { moderator } : {}),
    ...(config.assistant.institutionContacts ? { institutionContacts: config.assistant.institutionContacts } : {}),
  });
  const assistant = new ReflectiveAssistant({
    retriever,
    safety,
    answers: repositories.answers,
    messages: repositories.messages,
    audit: repositories.audit,
    clock,
    ids,
    logger: logger.child({ scope: 'assistant' }),
    ...(model ? { model } : {}),
    options: { memoryMessages: config.assistant.memoryMessages, maxSources: config.assistant.maxSources },
  });
  return {
    ...(model ? { model } : {}),
    ...(embedder ? { embedder } : {}),
    ...(moderator ? { moderator } : {}),
    ...(vectors ? { vectors } : {}),
    retriever,
    ingestion,
    safety,
    assistant,
    ingestDirectory: async (directory, onProgress) => ingestion.ingest(await readRecitFiles(directory), onProgress),
    // A Chroma server is a dependency of its own; the database is checked by main.
    probes: vectors && 'health' in vectors ? [(vectors as VectorIndex & { health: HealthProbe }).health] : [],
    description: {
      answers: model ? `generative (${model.model})` : 'extractive (no model configured)',
      retrieval: retriever.mode === 'hybrid' ? `hybrid: French full-text (BM25) + ${embedder!.model} vectors, RRF` : 'lexical only: French full-text (BM25) — no embedding model configured',
      vectors: vectors?.description ?? 'none (no embedding model)',
    },
  };
}
