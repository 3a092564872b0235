/**
 * `relais corpus ingest|list|show|stats|withdraw`: the curators' tools.
 */
import type { Command } from 'commander';
import type { FileReport, IngestReport } from '../core/corpus/corpus-ingestion.js';
import type { StoredRecit } from '../core/ports/corpus-repository.js';
import type { RelaisConfig } from '../config.js';
import { withServices } from './cli-services.js';
import { ProgressBar } from './progress-bar.js';
import { formatTable } from './table.js';

const OUTCOME_LABEL: Record<FileReport['outcome'], string> = {
  added: 'added',
  updated: 'updated',
  'metadata-updated': 'metadata updated',
  unchanged: 'unchanged',
  excluded: 'not retrievable',
  withdrawn: 'withdrawn',
  error: 'ERROR',
};

const truncate = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
/** Paths lose their beginning, not the file name. */
const truncateStart = (text: string, max: number): string => (text.length > max ? `…${text.slice(text.length - max + 1)}` : text);

function printIngestReport(report: IngestReport, withScrubbing: boolean): void {
  console.log(
    formatTable(
      ['File', 'Récit', 'Result', 'Passages', 'Scrubbed', 'Note'],
      report.files.map((f) => [
        truncateStart(f.path, 48),
        f.recitId ?? '—',
        OUTCOME_LABEL[f.outcome],
        String(f.chunks),
        String(f.scrubbed.reduce((n, s) => n + s.count, 0)),
        truncate(f.outcome === 'error' ? (f.problems ?? []).map((p) => `${p.field}: ${p.message}`).join('; ') : (f.reason ?? ''), 90),
      ]),
    ),
  );
  const count = (outcome: FileReport['outcome']) => report.files.filter((f) => f.outcome === outcome).length;
  console.log(
    `\n${report.files.length} file(s): ${count('added')} added, ${count('updated')} updated, ${count('metadata-updated')} metadata updated, ` +
      `${count('unchanged')} unchanged, ${count('excluded')} not retrievable, ${count('withdrawn')} withdrawn, ${count('error')} in error — ${report.durationMs} ms`,
  );
  const e = report.embedding;
  console.log(e.model ? `Embeddings (${e.model}): ${e.chunks} passage(s) in ${e.calls} call(s), ${e.tokens} tokens${e.note ? ` — ${e.note}` : ''}` : `Embeddings: ${e.note}`);
  if (!withScrubbing) return;
  const scrubbed = report.files.filter((f) => f.scrubbed.length > 0);
  console.log(`\nPersonal data scrubbed before indexing (${scrubbed.length} file(s)):`);
  if (scrubbed.length === 0) console.log('  nothing found');
  for (const file of scrubbed) {
    console.log(`  ${file.path}`);
    for (const finding of file.scrubbed) console.log(`    ${finding.kind.padEnd(8)} ${finding.masked}  ×${finding.count}`);
  }
}

function recitSummary(recit: StoredRecit): string[] {
  return [
    recit.id,
    truncate(recit.title, 50),
    recit.authorRole,
    recit.sector,
    String(recit.year),
    `${recit.consent.status} [${recit.consent.scope.join(',')}]`,
    String(recit.chunkCount),
  ];
}

export function registerCorpusCommands(program: Command, loadConfig: () => RelaisConfig): void {
  const corpus = program.command('corpus').description('the récit corpus: ingest, inspect, withdraw');

  corpus
    .command('ingest [directory]')
    .description('validate, scrub, chunk and index the récits of a directory (default RELAIS_CORPUS_DIR)')
    .option('--report', 'show what personal data was scrubbed, per file')
    .option('--json', 'machine-readable output')
    .action(async (directory: string | undefined, options: { report?: boolean; json?: boolean }) => {
      const config = loadConfig();
      await withServices(config, async ({ services }) => {
        const bar = new ProgressBar();
        const report = await services.ingestDirectory(directory ?? config.corpus.directory, (p) => bar.update(p.phase === 'files' ? 'files' : 'embeddings', p.done, p.total));
        bar.done();
        if (options.json) console.log(JSON.stringify(report, null, 2));
        else printIngestReport(report, options.report === true);
        if (report.files.some((f) => f.outcome === 'error')) process.exitCode = 1;
      });
    });

  corpus
    .command('list')
    .description('every récit known, with its consent and number of indexed passages')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      await withServices(loadConfig(), async ({ repositories }) => {
        const recits = await repositories.corpus.listRecits();
        if (options.json) console.log(JSON.stringify(recits, null, 2));
        else console.log(formatTable(['Id', 'Title', 'Author', 'Sector', 'Year', 'Consent', 'Passages'], recits.map(recitSummary)));
      });
    });

  corpus
    .command('show <id>')
    .description('one récit: metadata, consent record, scrubbing report')
    .option('--json', 'machine-readable output')
    .action(async (id: string, options: { json?: boolean }) => {
      await withServices(loadConfig(), async ({ repositories }) => {
        const recit = await repositories.corpus.getRecit(id);
        if (!recit) {
          console.error(`No récit "${id}". See "relais corpus list".`);
          process.exitCode = 1;
          return;
        }
        if (options.json) {
          console.log(JSON.stringify(recit, null, 2));
          return;
        }
        const rows: [string, string][] = [
          ['Title', recit.title],
          ['Author role', recit.authorRole],
          ['Sector', recit.sector],
          ['Year', String(recit.year)],
          ['Themes', recit.themes.join(', ')],
          ['Language', recit.language],
          ['Consent', `${recit.consent.status} on ${recit.consent.date}, scope [${recit.consent.scope.join(', ')}], reference ${recit.consent.reference}`],
          ['Withdrawn by command', recit.withdrawnAt ? recit.withdrawnAt.toISOString() : '—'],
          ['Anonymised / fictional', `${recit.anonymized ? 'yes' : 'no'} / ${recit.fictional ? 'yes' : 'no'}`],
          ['Indexed passages', String(recit.chunkCount)],
          ['Scrubbed', recit.scrubReport.map((f) => `${f.kind} ${f.masked} ×${f.count}`).join('; ') || 'nothing'],
          ['Source file', recit.sourcePath ?? '—'],
          ['Ingested / updated', `${recit.ingestedAt.toISOString()} / ${recit.updatedAt.toISOString()}`],
        ];
        console.log(formatTable(['Field', 'Value'], rows));
      });
    });

  corpus
    .command('stats')
    .description('counts by consent, sector, author role and theme')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      await withServices(loadConfig(), async ({ repositories, services }) => {
        const stats = await repositories.corpus.statistics();
        if (options.json) {
          console.log(JSON.stringify({ ...stats, retrieval: services.description.retrieval }, null, 2));
          return;
        }
        console.log(`${stats.recits} récit(s): ${stats.retrievable} retrievable, ${stats.withdrawn} withdrawn; ${stats.chunks} passage(s), ${stats.embeddedChunks} with vectors.`);
        console.log(`Retrieval: ${services.description.retrieval}\n`);
        const table = (title: string, counts: Record<string, number>) =>
          console.log(`${formatTable([title, 'Récits'], Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, String(v)]))}\n`);
        table('Sector', stats.bySector);
        table('Author role', stats.byRole);
        table('Theme', stats.byTheme);
      });
    });

  corpus
    .command('withdraw <id>')
    .description('consent withdrawn: remove the récit from retrieval and citations now (text and vectors)')
    .action(async (id: string) => {
      await withServices(loadConfig(), async ({ services }) => {
        const result = await services.ingestion.withdraw(id);
        if (!result.found) {
          console.error(`No récit "${id}". See "relais corpus list".`);
          process.exitCode = 1;
          return;
        }
        console.log(`Récit ${id} withdrawn: ${result.chunks} passage(s) and ${result.vectors} vector(s) deleted; recorded in the audit log.`);
        console.log('Update the consent record in its file too: re-ingesting an older consent will not bring it back.');
      });
    });
}
