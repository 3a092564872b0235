/**
 * `relais search`, `relais ask`, `relais eval retrieval`, `relais eval safety`.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { detectDistress } from '../core/assistant/safety/distress-detector.js';
import { evaluateSafety, parseLabelledJsonl } from '../core/assistant/safety/safety-evaluation.js';
import { bestExcerpt } from '../core/assistant/source-excerpts.js';
import { isLocale } from '../core/i18n/locale.js';
import { markdownToPlainText } from '../core/messages/markdown.js';
import { AUTHOR_ROLES, type AuthorRole } from '../core/corpus/recit.js';
import type { RetrievalFilters } from '../core/ports/corpus-repository.js';
import { evaluateRetrieval, parseQueriesJsonl } from '../core/retrieval/retrieval-evaluation.js';
import type { RelaisConfig } from '../config.js';
import { withServices } from './cli-services.js';
import { formatTable } from './table.js';

interface FilterOptions {
  sector?: string[];
  role?: string[];
  theme?: string[];
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function filtersOf(options: FilterOptions): RetrievalFilters | undefined {
  const roles = options.role ?? [];
  const unknown = roles.filter((r) => !(AUTHOR_ROLES as readonly string[]).includes(r));
  if (unknown.length > 0) throw new Error(`unknown role ${unknown.join(', ')} (one of ${AUTHOR_ROLES.join(', ')})`);
  const filters: RetrievalFilters = {
    ...(options.sector?.length ? { sectors: options.sector } : {}),
    ...(roles.length ? { roles: roles as AuthorRole[] } : {}),
    ...(options.theme?.length ? { themes: options.theme } : {}),
  };
  return Object.keys(filters).length > 0 ? filters : undefined;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new Error(`expected a whole number from 1 to 100, got "${value}"`);
  return n;
}

const withFilters = (command: Command): Command =>
  command
    .option('--sector <sector>', 'only récits of this sector (repeatable)', collect)
    .option('--role <role>', `only récits by this author role: ${AUTHOR_ROLES.join(', ')} (repeatable)`, collect)
    .option('--theme <theme>', 'only récits with this theme (repeatable)', collect);

export function registerAssistantCommands(program: Command, loadConfig: () => RelaisConfig): void {
  withFilters(
    program
      .command('search <text>')
      .description('ranked passages of consented récits for a text')
      .option('--k <n>', 'number of passages (default 10)', positiveInteger, 10)
      .option('--json', 'machine-readable output'),
  ).action(async (text: string, options: FilterOptions & { k: number; json?: boolean }) => {
    await withServices(loadConfig(), async ({ services }) => {
      const filters = filtersOf(options);
      const result = await services.retriever.search(text, { k: options.k, ...(filters ? { filters } : {}) });
      const hits = result.hits.map((h, i) => ({
        rank: i + 1,
        score: Math.round(h.score * 10000) / 10000,
        recitId: h.chunk.recitId,
        chunkId: h.chunk.id,
        title: h.chunk.heading,
        excerpt: h.chunk.quotable ? bestExcerpt(h.chunk.text, text, 160) : '(quotation not allowed by consent)',
      }));
      if (options.json) {
        console.log(JSON.stringify({ mode: result.mode, ...(result.note ? { note: result.note } : {}), hits }, null, 2));
        return;
      }
      console.log(`Mode: ${result.mode}${result.note ? ` (${result.note})` : result.mode === 'lexical' ? ' (no embedding model configured)' : ''}\n`);
      if (hits.length === 0) console.log('No passage found.');
      else console.log(formatTable(['#', 'Score', 'Récit', 'Title', 'Excerpt'], hits.map((h) => [String(h.rank), h.score.toFixed(4), h.recitId, h.title.slice(0, 40), h.excerpt.slice(0, 90)])));
    });
  });

  withFilters(
    program
      .command('ask <text>')
      .description('the assistant’s answer to a situation, as in a chat')
      .option('--locale <locale>', 'fr or en (default RELAIS_LOCALE)')
      .option('--json', 'machine-readable output'),
  ).action(async (text: string, options: FilterOptions & { locale?: string; json?: boolean }) => {
    const config = loadConfig();
    const locale = options.locale ?? config.locale;
    if (!isLocale(locale)) throw new Error(`--locale must be fr or en, got "${locale}"`);
    await withServices(config, async ({ services }) => {
      const filters = filtersOf(options);
      const answer = await services.assistant.ask(text, {
        locale,
        timezone: config.timezone,
        humanContact: config.product.humanContact,
        ...(filters ? { filters } : {}),
      });
      if (options.json) {
        console.log(
          JSON.stringify(
            {
              mode: answer.mode,
              answer: answer.text,
              citations: answer.citations.map(({ index, recitId, title, chunkId, score }) => ({ index, recitId, title, chunkId, score })),
              safety: { level: answer.safety.level },
              retrieval: answer.retrieval,
              model: answer.model,
              usage: answer.usage,
              latencyMs: answer.latencyMs,
            },
            null,
            2,
          ),
        );
        return;
      }
      console.log(markdownToPlainText(answer.text));
      if (answer.citations.length > 0) {
        console.log('\nSources:');
        for (const c of answer.citations) console.log(`  [${c.index}] ${c.title} (${c.recitId})`);
      }
      console.log(`\n(${answer.mode}, retrieval ${answer.retrieval ?? '—'}, safety ${answer.safety.level}, ${answer.latencyMs} ms)`);
    });
  });

  const evaluation = program.command('eval').description('measure retrieval and safety on labelled sets');

  evaluation
    .command('retrieval')
    .description('recall@k, MRR, nDCG@10 and latency on questions with known relevant récits (JSONL: {id, question, relevant})')
    .requiredOption('--queries <file>', 'JSONL file of questions')
    .option('--k <n>', 'cut-off for recall (default 10)', positiveInteger, 10)
    .option('--json', 'machine-readable output')
    .action(async (options: { queries: string; k: number; json?: boolean }) => {
      const queries = parseQueriesJsonl(await readFile(options.queries, 'utf8'));
      await withServices(loadConfig(), async ({ services }) => {
        const report = await evaluateRetrieval(queries, options.k, async (question) =>
          (await services.retriever.search(question, { k: Math.max(options.k, 10) * 3 })).hits.map((h) => h.chunk.recitId),
        );
        if (options.json) {
          console.log(JSON.stringify({ mode: services.retriever.mode, ...report }, null, 2));
          return;
        }
        console.log(`Retrieval: ${services.description.retrieval}`);
        console.log(
          formatTable(
            ['Questions', `recall@${report.k}`, 'MRR', 'nDCG@10', 'p50 ms', 'p95 ms'],
            [[String(report.queries), report.recallAtK.toFixed(3), report.mrr.toFixed(3), report.ndcgAt10.toFixed(3), String(report.latency.p50), String(report.latency.p95)]],
          ),
        );
        if (report.misses.length > 0) {
          console.log(`\nQuestions with no relevant récit in the first ${report.k} (${report.misses.length}):`);
          for (const miss of report.misses) console.log(`  ${miss.id}: expected ${miss.relevant.join(', ')}; got ${miss.top.join(', ') || 'nothing'}`);
        }
      });
    });

  evaluation
    .command('safety')
    .description('recall and false-alarm rate of the distress check (JSONL: {id, text, label}, 1 = needs escalation)')
    .requiredOption('--messages <file>', 'JSONL file of labelled messages')
    .option('--json', 'machine-readable output')
    .action(async (options: { messages: string; json?: boolean }) => {
      const messages = parseLabelledJsonl(await readFile(options.messages, 'utf8'));
      // The pattern detector only: the moderation model is a remote second opinion, measured separately.
      const report = evaluateSafety(messages, detectDistress);
      if (options.json) {
        console.log(JSON.stringify(report, null, 2));
        return;
      }
      console.log(
        formatTable(
          ['Messages', 'To escalate', 'Recall', 'False-alarm rate', 'Precision'],
          [[String(report.total), String(report.positives), report.recall.toFixed(3), report.falseAlarmRate.toFixed(3), report.precision.toFixed(3)]],
        ),
      );
      if (report.misses.length > 0) console.log(`\nMissed (${report.misses.length}): ${report.misses.map((m) => `${m.id} (${m.level})`).join(', ')}`);
      if (report.falseAlarms.length > 0) console.log(`False alarms (${report.falseAlarms.length}): ${report.falseAlarms.map((m) => m.id).join(', ')}`);
    });
}
