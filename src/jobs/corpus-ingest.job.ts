/**
 * Ingests the configured corpus directory (at start, so `npm start` serves
 * the sample récits; and on demand). Runs in the job layer, off the request
 * path: the bot answers while it works, lexically until vectors are ready.
 * Idempotent: unchanged files cost a hash comparison.
 */
import { ValidationError } from '../core/errors.js';
import type { IngestReport } from '../core/corpus/corpus-ingestion.js';
import type { JobDefinition } from '../core/ports/scheduler.js';

export const CORPUS_INGEST_JOB = 'corpus.ingest';

export interface CorpusIngestData {
  directory: string;
}

export function corpusIngestJob(ingestDirectory: (directory: string) => Promise<IngestReport>): JobDefinition<CorpusIngestData> {
  return {
    name: CORPUS_INGEST_JOB,
    parse(data) {
      const directory = (data as { directory?: unknown } | null)?.directory;
      if (typeof directory !== 'string' || directory === '') throw new ValidationError('job.invalid_data', 'corpus.ingest needs a directory');
      return { directory };
    },
    async handle({ directory }) {
      await ingestDirectory(directory);
    },
    attempts: 3,
    backoffMs: 30_000,
  };
}
