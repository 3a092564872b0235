/**
 * The `relais` command line as a curator uses it: `node bin/relais.js …` on
 * a data directory of its own, no model key (lexical retrieval, extractive
 * answers). Ingest the sample corpus, inspect it, search, ask, evaluate,
 * withdraw a récit — alone, and while a Relais server holds the embedded
 * database. Every run costs a few seconds (tsx, PGlite), so the tests share
 * one data directory and run in order, like one person's session.
 */
import { jest } from '@jest/globals';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AUTHOR_ROLES } from '../../src/core/corpus/recit.js';
import { assertExit, jsonOf, runRelais, tableRow, tableRows, type CliRun } from '../support/cli-runner.js';
import { freePort, RelaisProcess } from '../support/relais-process.js';
import { waitFor } from '../support/wait-for.js';
import { textOf, WebTestClient } from '../support/web-test-client.js';

jest.setTimeout(120_000);

const CORPUS = fileURLToPath(new URL('../../corpus/', import.meta.url));

/** Personal data planted in the sample récits 007, 011 and 022: never printed, never indexed. */
const RAW_PII = ['06 12 34 56 78', '07 98 76 54 32', 'm.dupont@exemple.fr', 'Sandrine Leclerc', '12 rue des Lilas', 'Benali'];
const WITH_PII = ['recit-007-nuit-accueil-urgence', 'recit-011-erreur-rapport-social', 'recit-022-cesf-chantier-insertion'];
/** Their files say `consent.status: withdrawn`. */
const NOT_RETRIEVABLE = ['recit-021-mna-evaluation-minorite', 'recit-026-deces-patient-samsah'];

const POLICE_QUESTION = 'Comment gérer le secret professionnel quand la police appelle le service pour savoir si un usager vient ?';
const POLICE_RECIT = { id: 'recit-006-appel-commissariat-csapa', title: '« On veut juste savoir s\'il vient chez vous »' };

interface FileReportJson {
  path: string;
  recitId?: string;
  outcome: string;
  reason?: string;
  problems?: { field: string; message: string }[];
  chunks: number;
  scrubbed: { kind: string; masked: string; count: number }[];
}
interface IngestJson {
  files: FileReportJson[];
  embedding: { model: string | null; calls: number; chunks: number; tokens: number; note?: string };
  durationMs: number;
}
interface RecitJson {
  id: string;
  title: string;
  authorRole: string;
  sector: string;
  year: number;
  consent: { status: string; date: string; scope: string[]; reference: string };
  chunkCount: number;
  scrubReport: { kind: string; masked: string; count: number }[];
  withdrawnAt: string | null;
}
interface SearchJson {
  mode: string;
  note?: string;
  hits: { rank: number; score: number; recitId: string; chunkId: string; title: string; excerpt: string }[];
}
interface AskJson {
  mode: string;
  answer: string;
  citations: { recitId: string; title: string; chunkId: string; score: number }[];
  safety: { level: string };
}

/** No stack trace and no error log on stderr (warnings are allowed: they are for people). */
function expectNoCrash(run: CliRun): void {
  expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(run.stderr).not.toContain('"level":"error"');
}

function expectNoRawPii(text: string): void {
  for (const value of RAW_PII) expect(text).not.toContain(value);
}

/** "Personal data scrubbed before indexing" section: file name → finding lines. */
function scrubbingSection(stdout: string): Map<string, string[]> {
  const lines = stdout.split('\n');
  const start = lines.findIndex((line) => line.startsWith('Personal data scrubbed before indexing'));
  const files = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of start < 0 ? [] : lines.slice(start + 1)) {
    if (/^ {4}\S/.test(line)) current?.push(line.trim());
    else if (/^ {2}\S/.test(line)) files.set(basename(line.trim(), '.md'), (current = []));
    else break;
  }
  return files;
}

let work: string;
let corpusDir: string;
let dataDir: string;
let recitIds: string[];
/** `corpus list --json`, once the sample corpus is ingested: titles and sectors to check search results against. */
let listed: RecitJson[];
const relais = (...args: string[]): Promise<CliRun> => runRelais(args, { env: { RELAIS_DATA_DIR: dataDir } });

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'relais-cli-'));
  corpusDir = join(work, 'corpus');
  dataDir = join(work, 'data');
  await cp(CORPUS, corpusDir, { recursive: true });
  recitIds = (await readdir(corpusDir)).filter((f) => f.endsWith('.md')).map((f) => basename(f, '.md')).sort();
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('relais command', () => {
  it('lists its commands with --help and answers an unknown command with the usage', async () => {
    const [help, unknown] = await Promise.all([relais('--help'), relais('frobnicate')]);
    assertExit(help, 0);
    expect(help.stdout).toContain('Usage: relais');
    for (const command of ['start', 'db', 'doctor', 'corpus', 'search', 'ask', 'eval', 'help']) {
      expect(help.stdout).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'));
    }
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    expect(unknown.stderr).toContain('Usage: relais');
    expect(unknown.stderr).toMatch(/^ {2}corpus\b/m);
    expect(unknown.stdout).toBe('');
    // Neither run needs the database: nothing is created.
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('relais corpus ingest', () => {
  it('indexes the sample corpus and reports, per file, the personal data it masked', async () => {
    expect(recitIds).toHaveLength(32);
    const run = assertExit(await relais('corpus', 'ingest', corpusDir, '--report'), 0);
    expectNoCrash(run);

    // One row per file, with its récit and result.
    const rows = tableRows(run.stdout);
    expect(rows).toHaveLength(recitIds.length);
    for (const id of recitIds) {
      expect(tableRow(run.stdout, `${id} `)).toMatch(NOT_RETRIEVABLE.includes(id) ? /\bnot retrievable\s+0\s+0\s+consent withdrawn$/ : /\badded\s+\d+\s+\d+$/);
    }
    expect(run.stdout).toMatch(/\n32 file\(s\): 30 added, 0 updated, 0 metadata updated, 0 unchanged, 2 not retrievable, 0 withdrawn, 0 in error — \d+ ms\n/);
    expect(run.stdout).toContain('Embeddings: no embedding model configured');

    // The scrubbing report: exactly the three files with planted data, values masked.
    expect(run.stdout).toContain('Personal data scrubbed before indexing (3 file(s)):');
    const scrubbed = scrubbingSection(run.stdout);
    expect([...scrubbed.keys()].sort()).toEqual(WITH_PII);
    expect(scrubbed.get('recit-007-nuit-accueil-urgence')).toEqual(expect.arrayContaining([expect.stringMatching(/^phone\s+06 [* ]+78\s+×1$/), expect.stringMatching(/^name\s+S\*+ L\*+\s+×2$/)]));
    expect(scrubbed.get('recit-011-erreur-rapport-social')).toEqual(expect.arrayContaining([expect.stringMatching(/^email\s+m\*+@e\*+\.fr\s+×1$/), expect.stringMatching(/^address\s/)]));
    expect(scrubbed.get('recit-022-cesf-chantier-insertion')).toEqual(expect.arrayContaining([expect.stringMatching(/^phone\s+07 [* ]+32\s+×1$/), expect.stringMatching(/^name\s/)]));
    // The Scrubbed column agrees with the report.
    expect(tableRow(run.stdout, 'recit-007-nuit-accueil-urgence ')).toMatch(/\s3$/);
    expectNoRawPii(run.stdout + run.stderr);
  });

  it('finds everything unchanged the second time, and prints the report as JSON with --json', async () => {
    const again = assertExit(await relais('corpus', 'ingest', corpusDir), 0);
    expect(again.stdout).toMatch(/32 file\(s\): 0 added, 0 updated, 0 metadata updated, 30 unchanged, 2 not retrievable, 0 withdrawn, 0 in error/);
    expect(again.stdout).not.toContain('Personal data scrubbed'); // only with --report

    const run = assertExit(await relais('corpus', 'ingest', corpusDir, '--json'), 0);
    const report = jsonOf<IngestJson>(run);
    expect(report.files.map((f) => f.recitId).sort()).toEqual(recitIds);
    expect(report.files.filter((f) => f.outcome === 'unchanged')).toHaveLength(30);
    expect(report.files.filter((f) => f.outcome === 'excluded').map((f) => f.recitId)).toEqual(NOT_RETRIEVABLE);
    expect(report.embedding).toEqual({ model: null, calls: 0, chunks: 0, tokens: 0, note: expect.stringContaining('no embedding model configured') });
    const withFindings = report.files.filter((f) => f.scrubbed.length > 0);
    expect(withFindings.map((f) => f.recitId)).toEqual(WITH_PII);
    expect(withFindings[0]!.scrubbed).toContainEqual({ kind: 'phone', masked: expect.stringMatching(/^06 [* ]+78$/), count: 1 });
    expectNoRawPii(run.stdout);
  });
});

describe('relais corpus ingest on a folder with broken files', () => {
  let brokenData: string;
  let table: CliRun;
  let json: CliRun;

  beforeAll(async () => {
    // A folder as deep as a real one (/srv/relais/corpus/2025-09/…).
    const folder = join(work, 'recits-a-verifier', 'lot-de-septembre-2025');
    brokenData = join(work, 'data-broken');
    await mkdir(folder, { recursive: true });
    for (const id of ['recit-001-premiere-visite-aemo', 'recit-002-information-preoccupante-college']) await cp(join(CORPUS, `${id}.md`), join(folder, `${id}.md`));
    const valid = await readFile(join(CORPUS, 'recit-003-deces-ehpad-confinement.md'), 'utf8');
    const noConsent = valid.replace(/^consent:\n(?: {2}.*\n)+/m, '');
    expect(noConsent).not.toContain('consent:');
    await writeFile(join(folder, 'recit-003-sans-consentement.md'), noConsent);
    await writeFile(join(folder, 'recit-099-yaml-invalide.md'), '---\nid: recit-099-yaml-invalide\ntitle: "guillemet jamais fermé\nthemes: [a, b\n---\nCorps du récit.\n');
    table = await runRelais(['corpus', 'ingest', folder], { env: { RELAIS_DATA_DIR: brokenData } });
    json = await runRelais(['corpus', 'ingest', folder, '--json'], { env: { RELAIS_DATA_DIR: brokenData } });
  });

  it('exits with 1, names the field of each broken file, and adds the valid ones', () => {
    assertExit(table, 1);
    expectNoCrash(table);
    expect(tableRow(table.stdout, 'recit-001-premiere-visite-aemo ')).toMatch(/\badded\b/);
    expect(tableRow(table.stdout, 'recit-002-information-preoccupante-college ')).toMatch(/\badded\b/);
    expect(tableRow(table.stdout, 'consent: required')).toMatch(/\bERROR\b/);
    expect(tableRow(table.stdout, 'invalid YAML front matter')).toMatch(/\bERROR\b.*\(file\): invalid YAML front matter at line \d+/);
    expect(table.stdout).toMatch(/4 file\(s\): 2 added, 0 updated, 0 metadata updated, 0 unchanged, 0 not retrievable, 0 withdrawn, 2 in error/);

    // Second run: the valid files are stored (unchanged now), the errors are the same.
    const report = jsonOf<IngestJson>(assertExit(json, 1));
    const byFile = new Map(report.files.map((f) => [basename(f.path), f]));
    expect(byFile.get('recit-001-premiere-visite-aemo.md')).toMatchObject({ outcome: 'unchanged', chunks: expect.any(Number) });
    expect(byFile.get('recit-002-information-preoccupante-college.md')).toMatchObject({ outcome: 'unchanged' });
    expect(byFile.get('recit-003-sans-consentement.md')).toMatchObject({
      outcome: 'error',
      problems: [{ field: 'consent', message: expect.stringContaining('required') }],
      reason: expect.stringContaining('recit-003-sans-consentement.md'),
    });
    expect(byFile.get('recit-099-yaml-invalide.md')).toMatchObject({
      outcome: 'error',
      problems: [{ field: '(file)', message: expect.stringMatching(/^invalid YAML front matter at line \d+: /) }],
    });
  });

  // BUG (src/cli/corpus-commands.ts, printIngestReport: `truncate(f.path, 48)`): the File column keeps the
  // first 48 characters of the path, so under any real folder the file NAME is what gets cut
  // ("../../tmp/relais-cli-XXXXXX/recits-a-verifier/l…"). A file in error has no récit id either, so the
  // table does not say which file is broken. Fix: truncate from the left (keep the end of the path) or
  // print paths relative to the ingested folder.
  it('names each broken file in the table, whatever the folder', () => {
    expect(table.code).toBe(1);
    expect(tableRow(table.stdout, 'consent: required')).toContain('recit-003-sans-consentement');
    expect(tableRow(table.stdout, 'invalid YAML front matter')).toContain('recit-099-yaml-invalide');
  });
});

describe('relais corpus list | show | stats', () => {
  it('lists every récit with its consent and passages, as a table and as JSON', async () => {
    const run = assertExit(await relais('corpus', 'list'), 0);
    expect(run.stdout.split('\n')[0]).toMatch(/^Id\s+Title\s+Author\s+Sector\s+Year\s+Consent\s+Passages$/);
    expect(tableRows(run.stdout)).toHaveLength(32);
    expect(tableRow(run.stdout, 'recit-001-premiere-visite-aemo ')).toMatch(/ancien-etudiant\s+protection de l'enfance\s+2019\s+granted \[rag,citation\]\s+[1-9]\d*$/);
    expect(tableRow(run.stdout, 'recit-010-arret-maladie-ase ')).toMatch(/granted \[rag\]\s+[1-9]\d*$/);
    expect(tableRow(run.stdout, 'recit-021-mna-evaluation-minorite ')).toMatch(/withdrawn \[rag,citation\]\s+0$/);

    const json = assertExit(await relais('corpus', 'list', '--json'), 0);
    listed = jsonOf<RecitJson[]>(json);
    expect(listed.map((r) => r.id).sort()).toEqual(recitIds);
    for (const recit of listed) {
      expect(recit).toMatchObject({ title: expect.any(String), sector: expect.any(String), year: expect.any(Number), consent: { status: expect.stringMatching(/^(granted|withdrawn)$/), scope: expect.any(Array) } });
      expect(recit.chunkCount > 0).toBe(!NOT_RETRIEVABLE.includes(recit.id));
    }
    expectNoRawPii(json.stdout);
  });

  it('shows one récit with its consent record and scrubbing; an unknown id fails clearly', async () => {
    const run = assertExit(await relais('corpus', 'show', 'recit-007-nuit-accueil-urgence'), 0);
    expect(tableRow(run.stdout, 'Title ')).toContain("Une nuit au centre d'accueil, de 21 heures à 7 heures");
    expect(tableRow(run.stdout, 'Sector ')).toContain("hébergement d'urgence");
    expect(tableRow(run.stdout, 'Consent ')).toContain('granted on 2024-06-10, scope [rag, citation], reference CONSENT-2024-027');
    expect(tableRow(run.stdout, 'Withdrawn by command ')).toMatch(/—$/);
    expect(tableRow(run.stdout, 'Indexed passages ')).toMatch(/\s[1-9]\d*$/);
    expect(tableRow(run.stdout, 'Scrubbed ')).toMatch(/phone 06 [* ]+78 ×1; name S\*+ L\*+ ×2$/);
    expect(tableRow(run.stdout, 'Source file ')).toContain('recit-007-nuit-accueil-urgence.md');
    expectNoRawPii(run.stdout);

    const unknown = assertExit(await relais('corpus', 'show', 'recit-999-inconnu'), 1);
    expect(unknown.stderr).toContain('No récit "recit-999-inconnu". See "relais corpus list".');
    expect(unknown.stdout).toBe('');
  });

  it('counts récits, passages, sectors, roles and themes; the same as JSON', async () => {
    const run = assertExit(await relais('corpus', 'stats'), 0);
    const passages = listed.reduce((n, r) => n + r.chunkCount, 0);
    expect(run.stdout).toContain(`32 récit(s): 30 retrievable, 2 withdrawn; ${passages} passage(s), 0 with vectors.`);
    expect(run.stdout).toContain('Retrieval: lexical only');
    for (const header of ['Sector', 'Author role', 'Theme']) expect(run.stdout).toMatch(new RegExp(`^${header}\\s+Récits$`, 'm'));
    expect(run.stdout).toMatch(/^santé mentale\s+3$/m);

    const stats = jsonOf<{ recits: number; retrievable: number; withdrawn: number; chunks: number; embeddedChunks: number; bySector: Record<string, number>; byRole: Record<string, number>; byTheme: Record<string, number>; retrieval: string }>(
      assertExit(await relais('corpus', 'stats', '--json'), 0),
    );
    expect(stats).toMatchObject({ recits: 32, retrievable: 30, withdrawn: 2, chunks: passages, embeddedChunks: 0, retrieval: expect.stringContaining('lexical') });
    // Categories count the retrievable récits.
    const retrievable = listed.filter((r) => r.chunkCount > 0);
    const count = (key: (r: RecitJson) => string) => retrievable.reduce<Record<string, number>>((acc, r) => ({ ...acc, [key(r)]: (acc[key(r)] ?? 0) + 1 }), {});
    expect(stats.bySector).toEqual(count((r) => r.sector));
    expect(stats.byRole).toEqual(count((r) => r.authorRole));
    expect(Object.keys(stats.byTheme).length).toBeGreaterThan(10);
  });
});

describe('relais search', () => {
  it('returns ranked passages as JSON, filters by sector, and names the valid roles', async () => {
    const result = jsonOf<SearchJson>(assertExit(await relais('search', POLICE_QUESTION, '--k', '5', '--json'), 0));
    expect(result.mode).toBe('lexical');
    expect(result.hits).toHaveLength(5);
    expect(result.hits.map((h) => h.rank)).toEqual([1, 2, 3, 4, 5]);
    for (const hit of result.hits) {
      expect(hit).toEqual({ rank: expect.any(Number), score: expect.any(Number), recitId: expect.any(String), chunkId: expect.stringMatching(new RegExp(`^${hit.recitId}#\\d+$`)), title: expect.any(String), excerpt: expect.any(String) });
      expect(hit.title).toBe(listed.find((r) => r.id === hit.recitId)?.title);
      expect(hit.excerpt.length).toBeGreaterThan(20);
      expect(NOT_RETRIEVABLE).not.toContain(hit.recitId);
    }
    const scores = result.hits.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(result.hits[0]!.recitId).toBe(POLICE_RECIT.id);

    const sector = 'santé mentale';
    const filtered = jsonOf<SearchJson>(assertExit(await relais('search', 'Je me sens seule face à un patient qui me met en difficulté, qui peut m’aider ?', '--sector', sector, '--k', '5', '--json'), 0));
    expect(filtered.hits.length).toBeGreaterThan(0);
    const sectorOf = new Map(listed.map((r) => [r.id, r.sector]));
    for (const hit of filtered.hits) expect(sectorOf.get(hit.recitId)).toBe(sector);

    const badRole = assertExit(await relais('search', POLICE_QUESTION, '--role', 'unknown-role'), 1);
    expect(badRole.stderr).toContain('unknown role unknown-role');
    for (const role of AUTHOR_ROLES) expect(badRole.stderr).toContain(role);
    expect(badRole.stdout).toBe('');
    expectNoCrash(badRole);
  });
});

describe('relais ask', () => {
  let situation: AskJson;

  it('answers a situation with extracts and citations, and a crisis message with the safety answer', async () => {
    situation = jsonOf<AskJson>(assertExit(await relais('ask', 'Pendant mon stage, un policier a appelé pour savoir si un usager venait au service. Que dois-je répondre ?', '--json'), 0));
    expect(situation).toMatchObject({ mode: 'extractive', answer: expect.stringContaining('»'), safety: { level: 'none' } });
    expect(situation.citations.length).toBeGreaterThan(0);
    for (const citation of situation.citations) {
      expect(citation).toEqual({ index: expect.any(Number), recitId: expect.any(String), title: expect.any(String), chunkId: expect.stringMatching(new RegExp(`^${citation.recitId}#\\d+$`)), score: expect.any(Number) });
    }
    expect(situation.citations.map((c) => c.recitId)).toContain(POLICE_RECIT.id);
    expect(situation.answer).toContain(POLICE_RECIT.title);

    const crisis = jsonOf<AskJson>(assertExit(await relais('ask', 'je veux mourir ce soir', '--json'), 0));
    expect(crisis).toMatchObject({ mode: 'safety', safety: { level: 'crisis' }, citations: [] });
    expect(crisis.answer).toContain('3114');
  });

  // BUG (src/core/assistant/reflective-assistant.ts, ask(): `quotedOrAll(sources)` is passed to result()
  // while extractiveMessage() shows only `quotedOrAll(sources).slice(0, 3)`): in extractive mode the
  // answer quotes 3 récits but `citations` lists up to RELAIS_ASSISTANT_SOURCES (5). `relais ask` then
  // prints "Sources:" entries that the text never cites, and the answer record stores them as cited.
  // Fix: pass the same `.slice(0, 3)` list to result() (both extractive returns). Related: the JSON of
  // `relais ask` drops `index`, so [n] in the text cannot be matched to a citation.
  it('cites in JSON only the récits quoted in the extractive answer', () => {
    expect(situation.mode).toBe('extractive');
    for (const citation of situation.citations) expect(situation.answer).toContain(citation.title);
  });
});

describe('relais eval', () => {
  it('measures retrieval on the development set, and names the bad line of a broken file', async () => {
    const badQueries = join(work, 'queries-bad.jsonl');
    await writeFile(badQueries, '{"id":"q1","question":"secret professionnel et police","relevant":["recit-006-appel-commissariat-csapa"]}\n{"id":"q2","question": oops}\n');
    const [table, bad] = await Promise.all([
      relais('eval', 'retrieval', '--queries', 'eval/retrieval-dev.jsonl', '--k', '10'),
      relais('eval', 'retrieval', '--queries', badQueries),
    ]);
    assertExit(table, 0);
    expect(table.stdout).toContain('Retrieval: lexical only');
    expect(table.stdout).toMatch(/^Questions\s+recall@10\s+MRR\s+nDCG@10\s+p50 ms\s+p95 ms$/m);
    expect(tableRows(table.stdout)[0]).toMatch(/^86\s+[01]\.\d{3}\s+[01]\.\d{3}\s+[01]\.\d{3}\s+[\d.]+\s+[\d.]+$/);

    assertExit(bad, 1);
    expect(bad.stderr.trim()).toBe('relais: line 2: not valid JSON');
    expect(bad.stdout).toBe('');

    const report = jsonOf<{ mode: string; queries: number; k: number; recallAtK: number; mrr: number; ndcgAt10: number; latency: { p50: number; p95: number }; misses: unknown[] }>(
      assertExit(await relais('eval', 'retrieval', '--queries', 'eval/retrieval-dev.jsonl', '--json'), 0),
    );
    expect(report).toMatchObject({ mode: 'lexical', queries: 86, k: 10, misses: expect.any(Array) });
    for (const metric of [report.recallAtK, report.mrr, report.ndcgAt10]) {
      expect(metric).toBeGreaterThan(0);
      expect(metric).toBeLessThanOrEqual(1);
    }
    expect(report.latency.p50).toBeLessThanOrEqual(report.latency.p95);
  });

  it('measures the distress check on the labelled set, and names the bad line of a broken file', async () => {
    const badMessages = join(work, 'messages-bad.jsonl');
    await writeFile(badMessages, '{"id":"m1","text":"je veux mourir","label":1}\n{"id":"m2","text":"ça va","label":1}\n{"id":"m3","text":"bof","label":"peut-être"}\n');
    const [table, json, bad] = await Promise.all([
      relais('eval', 'safety', '--messages', 'eval/distress-fr-dev.jsonl'),
      relais('eval', 'safety', '--messages', 'eval/distress-fr-dev.jsonl', '--json'),
      relais('eval', 'safety', '--messages', badMessages),
    ]);
    assertExit(table, 0);
    expect(table.stdout).toMatch(/^Messages\s+To escalate\s+Recall\s+False-alarm rate\s+Precision$/m);
    expect(tableRows(table.stdout)[0]).toMatch(/^206\s+\d+\s+[01]\.\d{3}\s+[01]\.\d{3}\s+[01]\.\d{3}$/);

    const report = jsonOf<{ total: number; positives: number; negatives: number; recall: number; falseAlarmRate: number; precision: number; misses: unknown[]; falseAlarms: unknown[] }>(assertExit(json, 0));
    expect(report).toMatchObject({ total: 206, misses: expect.any(Array), falseAlarms: expect.any(Array) });
    expect(report.positives + report.negatives).toBe(206);
    for (const rate of [report.recall, report.falseAlarmRate, report.precision]) {
      expect(rate).toBeGreaterThanOrEqual(0);
      expect(rate).toBeLessThanOrEqual(1);
    }
    expect(tableRows(table.stdout)[0]).toContain(report.recall.toFixed(3));

    assertExit(bad, 1);
    expect(bad.stderr.trim()).toMatch(/^relais: line 3: label must be 0, 1, true or false$/i);
    expect(bad.stdout).toBe('');
  });
});

describe('relais corpus withdraw', () => {
  const target = { id: 'recit-012-formatrice-stage-ime-1998', title: 'Le garçon qui alignait les cuillères' };
  let show: CliRun;

  it('removes a récit from search at once', async () => {
    const before = jsonOf<SearchJson>(assertExit(await relais('search', target.title, '--k', '10', '--json'), 0));
    expect(before.hits[0]!.recitId).toBe(target.id);
    const passages = new Set(before.hits.filter((h) => h.recitId === target.id).map((h) => h.chunkId)).size;

    const withdraw = assertExit(await relais('corpus', 'withdraw', target.id), 0);
    expect(withdraw.stdout).toMatch(new RegExp(`^Récit ${target.id} withdrawn: (\\d+) passage\\(s\\) and 0 vector\\(s\\) deleted; recorded in the audit log\\.$`, 'm'));
    expect(Number(/withdrawn: (\d+) passage/.exec(withdraw.stdout)![1])).toBeGreaterThanOrEqual(passages);

    const after = jsonOf<SearchJson>(assertExit(await relais('search', target.title, '--k', '50', '--json'), 0));
    expect(after.hits.map((h) => h.recitId)).not.toContain(target.id);
  });

  it('keeps it withdrawn when the folder is ingested again, and says so in `corpus show`', async () => {
    const ingest = assertExit(await relais('corpus', 'ingest', corpusDir), 0);
    expect(ingest.stdout).toMatch(/32 file\(s\): 0 added, 0 updated, 0 metadata updated, 29 unchanged, 2 not retrievable, 1 withdrawn, 0 in error/);
    expect(tableRow(ingest.stdout, `${target.id} `)).toMatch(/\bwithdrawn\s+0\s+0\s+consent withdrawn on \d{4}-\d{2}-\d{2}; the file's consent \(\d{4}-\d{2}-\d{2}\) predates it$/);

    show = assertExit(await relais('corpus', 'show', target.id), 0);
    expect(tableRow(show.stdout, 'Withdrawn by command ')).toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(tableRow(show.stdout, 'Consent ')).toMatch(/\bwithdrawn on /);
    expect(tableRow(show.stdout, 'Indexed passages ')).toMatch(/\s0$/);
  });

  // BUG (src/adapters/store/prisma/prisma-corpus.repository.ts, withdraw(): only consentStatus is set):
  // the consent record keeps the date it was GRANTED, so `corpus show` says "withdrawn on 2024-…" (the
  // grant date) although it was withdrawn today. Fix: also set the consent date to `at` (YYYY-MM-DD),
  // or have `corpus show` print the status without the file's date once withdrawn by command.
  it('dates the consent withdrawal in `corpus show` with the day of the command', () => {
    const today = new Date().toISOString().slice(0, 10);
    expect(tableRow(show.stdout, 'Consent ')).toContain(`withdrawn on ${today}`);
  });
});

describe('relais commands while a Relais server runs on the same data directory', () => {
  let server: RelaisProcess;
  let serverData: string;

  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.kill('SIGTERM');
      await server.exited;
    }
  });

  /** Titles cited by the assistant's reply (the disclosure of a first message aside). */
  async function citedTitles(client: WebTestClient, text: string): Promise<{ titles: string[]; markdown: string }> {
    const answer = (await client.say(text)).filter((m) => m.purpose === 'reply');
    const titles = answer.flatMap((m) => m.blocks).flatMap((b) => (b.type === 'citations' ? b.items.map((i) => i.title) : []));
    return { titles, markdown: textOf(answer) };
  }

  it('withdraws a récit through the running server: the next web answer no longer cites it; doctor sees the server', async () => {
    serverData = join(work, 'data-server');
    server = RelaisProcess.spawn({ RELAIS_DATA_DIR: serverData, PORT: String(await freePort()), RELAIS_CORPUS_DIR: corpusDir });
    await server.ready();

    // The server ingests its corpus folder at start, in the background.
    const client = new WebTestClient(server.url);
    await waitFor(async () => (await citedTitles(client, POLICE_QUESTION)).titles.includes(POLICE_RECIT.title), 30_000, 500);

    const withdraw = runRelais(['corpus', 'withdraw', POLICE_RECIT.id], { env: { RELAIS_DATA_DIR: serverData } });
    const run = assertExit(await withdraw, 0);
    expect(run.stderr).not.toMatch(/in use|used by another Relais process/);
    expect(run.stdout).toMatch(new RegExp(`^Récit ${POLICE_RECIT.id} withdrawn: [1-9]\\d* passage\\(s\\)`, 'm'));

    const next = await citedTitles(client, POLICE_QUESTION);
    expect(next.titles.length).toBeGreaterThan(0);
    expect(next.titles).not.toContain(POLICE_RECIT.title);
    expect(next.markdown).not.toContain(POLICE_RECIT.title);

    const doctor = assertExit(await runRelais(['doctor'], { env: { RELAIS_DATA_DIR: serverData } }), 0);
    const database = tableRow(doctor.stdout, 'Database ');
    expect(database).toMatch(/^Database\s+✔ ok\s/);
    expect(database).toContain(`${serverData}/pglite`);
    expect(database).toMatch(new RegExp(`in use by the running Relais,? \\(?pid ${server.child.pid}\\b`));

    server.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
    expect(existsSync(join(serverData, 'relais.lock'))).toBe(false);
  });
});
