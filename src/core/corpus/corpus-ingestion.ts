/**
 * Ingestion of récit files: validate → respect consent → scrub personal
 * data → chunk → store → embed what is new. Idempotent: an unchanged file
 * costs a hash comparison and no embedding call; a file whose only change
 * is metadata is updated in place. One bad file is reported and the others
 * go on.
 */
import { createHash } from 'node:crypto';
import { describeError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { ChunkRecord, CorpusRepository, StoredRecit } from '../ports/corpus-repository.js';
import type { Embedder } from '../ports/embedder.js';
import type { Logger } from '../ports/logger.js';
import type { AuditLog } from '../ports/repositories.js';
import type { VectorIndex } from '../ports/vector-index.js';
import { chunkText, countWords, DEFAULT_CHUNKING, type ChunkingOptions } from './chunker.js';
import { scrubPii, type PiiFinding } from './pii-scrubber.js';
import { isQuotable, isRetrievable, type Recit } from './recit.js';
import { RecitValidationError, validateRecit, type FieldProblem } from './recit-validation.js';

/** A récit file as read by the source adapter: parsed front matter and body, or why it could not be parsed. */
export interface RecitFile {
  path: string;
  frontMatter?: unknown;
  body?: string;
  parseError?: string;
}

export type FileOutcome = 'added' | 'updated' | 'metadata-updated' | 'unchanged' | 'excluded' | 'withdrawn' | 'error';

export interface FileReport {
  path: string;
  recitId?: string;
  outcome: FileOutcome;
  /** Why a récit is excluded or kept withdrawn, or what is wrong with the file. */
  reason?: string;
  problems?: FieldProblem[];
  chunks: number;
  scrubbed: PiiFinding[];
}

export interface EmbeddingReport {
  model: string | null;
  calls: number;
  chunks: number;
  tokens: number;
  /** Set when no vector was computed (no model configured) or embedding failed. */
  note?: string;
}

export interface IngestReport {
  files: FileReport[];
  embedding: EmbeddingReport;
  durationMs: number;
}

export interface IngestProgress {
  phase: 'files' | 'embedding';
  done: number;
  total: number;
}

export interface CorpusIngestionDeps {
  corpus: CorpusRepository;
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
  /** Absent: lexical search only (no embedding model configured). */
  embedder?: Embedder;
  vectors?: VectorIndex;
  chunking?: ChunkingOptions;
  /** Person names always removed from récits (RELAIS_PII_NAMES). */
  piiNames?: string[];
  /**
   * Other vector stores that may still hold a récit's vectors from an earlier
   * configuration (embedded while a model key was set, or before VECTOR_STORE
   * changed). A withdrawal empties them too: consent covers every copy.
   */
  formerVectors?: VectorIndex[];
}

const EMBED_BATCH = 64;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export class CorpusIngestion {
  private readonly chunking: ChunkingOptions;

  constructor(private readonly deps: CorpusIngestionDeps) {
    this.chunking = deps.chunking ?? DEFAULT_CHUNKING;
  }

  async ingest(files: RecitFile[], onProgress?: (progress: IngestProgress) => void): Promise<IngestReport> {
    const started = this.deps.clock.now().getTime();
    const reports: FileReport[] = [];
    const seen = new Map<string, string>();
    for (const [index, file] of files.entries()) {
      reports.push(await this.ingestFile(file, seen));
      onProgress?.({ phase: 'files', done: index + 1, total: files.length });
    }
    if (reports.some((r) => r.outcome !== 'unchanged' && r.outcome !== 'error')) await this.deps.corpus.optimize();
    const embedding = await this.embedPending(onProgress);
    const counts = reports.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.outcome]: (acc[r.outcome] ?? 0) + 1 }), {});
    await this.deps.audit.record({ actorId: null, action: 'corpus.ingested', outcome: 'ok', details: { ...counts, embeddingCalls: embedding.calls } });
    return { files: reports, embedding, durationMs: this.deps.clock.now().getTime() - started };
  }

  /** Consent withdrawal: text and vectors go at once; recorded in the audit log. */
  async withdraw(recitId: string, actorId: string | null = null): Promise<{ found: boolean; chunks: number; vectors: number }> {
    const recit = await this.deps.corpus.getRecit(recitId);
    if (!recit) return { found: false, chunks: 0, vectors: 0 };
    const chunks = await this.deps.corpus.withdraw(recitId, this.deps.clock.now());
    let vectors = 0;
    for (const index of [...(this.deps.vectors ? [this.deps.vectors] : []), ...(this.deps.formerVectors ?? [])]) {
      vectors += await index.deleteRecit(recitId);
    }
    await this.deps.audit.record({
      actorId,
      action: 'corpus.consent_withdrawn',
      subjectType: 'recit',
      subjectId: recitId,
      outcome: 'ok',
      details: { chunks, vectors },
    });
    return { found: true, chunks, vectors };
  }

  private async ingestFile(file: RecitFile, seen: Map<string, string>): Promise<FileReport> {
    const base = { path: file.path, chunks: 0, scrubbed: [] as PiiFinding[] };
    if (file.parseError !== undefined || file.body === undefined) {
      return { ...base, outcome: 'error', reason: file.parseError ?? 'unreadable', problems: [{ field: '(file)', message: file.parseError ?? 'unreadable' }] };
    }
    let recit: Recit;
    try {
      recit = validateRecit(file.path, file.frontMatter, file.body);
    } catch (error) {
      if (error instanceof RecitValidationError) return { ...base, outcome: 'error', reason: error.message, problems: error.problems };
      throw error;
    }
    const duplicateOf = seen.get(recit.id);
    if (duplicateOf) {
      return { ...base, recitId: recit.id, outcome: 'error', reason: `id "${recit.id}" is already used by ${duplicateOf}`, problems: [{ field: 'id', message: `already used by ${duplicateOf}` }] };
    }
    seen.set(recit.id, file.path);
    try {
      return await this.store(recit, file.path);
    } catch (error) {
      this.deps.logger.error({ err: describeError(error), recitId: recit.id }, 'récit not stored');
      return { ...base, recitId: recit.id, outcome: 'error', reason: describeError(error).message };
    }
  }

  private async store(recit: Recit, path: string): Promise<FileReport> {
    const existing = await this.deps.corpus.getRecit(recit.id);
    const now = this.deps.clock.now();
    if (existing?.withdrawnAt && recit.consent.date <= existing.withdrawnAt.toISOString().slice(0, 10)) {
      // The command is stronger than an old file: only a newer consent record brings the récit back.
      return {
        path,
        recitId: recit.id,
        outcome: 'withdrawn',
        reason: `consent withdrawn on ${existing.withdrawnAt.toISOString().slice(0, 10)}; the file's consent (${recit.consent.date}) predates it`,
        chunks: 0,
        scrubbed: [],
      };
    }
    const { text: body, findings } = scrubPii(recit.body, { names: this.deps.piiNames ?? [] });
    const { body: _raw, ...metadata } = recit;
    const stored: StoredRecit = {
      ...metadata,
      sourcePath: path,
      contentHash: sha256(JSON.stringify([recit.title, body, this.chunking])),
      metadataHash: sha256(JSON.stringify(metadata)),
      scrubReport: findings,
      chunkCount: existing?.chunkCount ?? 0,
      ingestedAt: existing?.ingestedAt ?? now,
      updatedAt: now,
      withdrawnAt: null,
    };
    const report = { path, recitId: recit.id, scrubbed: findings };

    if (!isRetrievable(recit)) {
      await this.deps.corpus.saveRecit(stored, []);
      await this.deps.vectors?.deleteRecit(recit.id);
      return { ...report, outcome: 'excluded', reason: exclusionReason(recit), chunks: 0 };
    }
    if (existing && existing.contentHash === stored.contentHash && existing.chunkCount > 0) {
      if (existing.metadataHash === stored.metadataHash) return { ...report, outcome: 'unchanged', chunks: existing.chunkCount };
      await this.deps.corpus.saveRecit(stored);
      await this.deps.corpus.refreshChunkMetadata(recit.id);
      return { ...report, outcome: 'metadata-updated', chunks: existing.chunkCount };
    }
    const chunks = this.chunks(recit, body);
    await this.deps.vectors?.deleteRecit(recit.id);
    await this.deps.corpus.saveRecit({ ...stored, chunkCount: chunks.length }, chunks);
    return { ...report, outcome: existing ? 'updated' : 'added', chunks: chunks.length };
  }

  private chunks(recit: Recit, body: string): ChunkRecord[] {
    return chunkText(body, this.chunking).map((text, ordinal) => ({
      id: `${recit.id}#${ordinal}`,
      recitId: recit.id,
      ordinal,
      heading: recit.title,
      text,
      contentHash: sha256(text),
      tokenCount: countWords(`${recit.title} ${text}`),
      sector: recit.sector,
      authorRole: recit.authorRole,
      year: recit.year,
      themes: recit.themes,
      language: recit.language,
      quotable: isQuotable(recit),
      embeddingModel: null,
    }));
  }

  /** Embeds every chunk not yet embedded with the current model (new, changed, or after a model change). */
  private async embedPending(onProgress?: (progress: IngestProgress) => void): Promise<EmbeddingReport> {
    const { embedder, vectors } = this.deps;
    if (!embedder || !vectors) return { model: null, calls: 0, chunks: 0, tokens: 0, note: 'no embedding model configured: lexical search only' };
    const report: EmbeddingReport = { model: embedder.model, calls: 0, chunks: 0, tokens: 0 };
    try {
      for (;;) {
        const pending = await this.deps.corpus.chunksToEmbed(embedder.model, EMBED_BATCH);
        if (pending.length === 0) break;
        const result = await embedder.embed(pending.map((c) => `${c.heading}\n\n${c.text}`));
        report.calls++;
        report.tokens += result.promptTokens;
        await vectors.upsert(pending.map((c, i) => ({ chunkId: c.id, recitId: c.recitId, vector: result.vectors[i]! })));
        await this.deps.corpus.markEmbedded(pending.map((c) => c.id), embedder.model);
        report.chunks += pending.length;
        onProgress?.({ phase: 'embedding', done: report.chunks, total: report.chunks + (pending.length === EMBED_BATCH ? EMBED_BATCH : 0) });
      }
    } catch (error) {
      // Text is stored and searchable; the missing vectors are computed at the next ingest.
      this.deps.logger.warn({ err: describeError(error) }, 'embedding interrupted');
      report.note = `embedding interrupted (${describeError(error).code}); lexical search works, the next ingest finishes it`;
    }
    return report;
  }
}

function exclusionReason(recit: Recit): string {
  if (recit.consent.status !== 'granted') return 'consent withdrawn';
  if (!recit.consent.scope.includes('rag')) return 'consent scope does not include "rag"';
  return 'not anonymised (anonymized: false)';
}
