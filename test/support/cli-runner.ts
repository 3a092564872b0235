/**
 * Runs the `relais` command the way a curator types it in a terminal
 * (`node bin/relais.js …` from the project folder), with a minimal
 * environment, and returns what it printed and how it ended.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/relais.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Each run starts tsx and, for most commands, the embedded database: a few seconds. */
const DEFAULT_TIMEOUT_MS = 60_000;

export interface CliRun {
  args: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface CliOptions {
  /** Added to PATH and HOME (nothing else of the test process leaks in, NODE_OPTIONS included). */
  env?: Record<string, string>;
  /** Default: the project folder, so `eval/retrieval-dev.jsonl` works as in the README. */
  cwd?: string;
  timeoutMs?: number;
}

export function runRelais(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    // 'close', not 'exit': every byte of stdout and stderr has been read.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const run: CliRun = { args, code, signal, stdout, stderr, durationMs: Date.now() - started };
      if (timedOut) reject(new Error(`timed out after ${timeoutMs} ms: ${describeRun(run)}`));
      else resolve(run);
    });
  });
}

/** The command, its exit and its output, for failure messages. */
export function describeRun(run: CliRun): string {
  return `relais ${run.args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')} → exit ${run.code ?? run.signal} in ${run.durationMs} ms\n--- stdout ---\n${run.stdout}\n--- stderr ---\n${run.stderr}`;
}

/** Fails with the whole output unless the command exited with `code`. */
export function assertExit(run: CliRun, code: number): CliRun {
  if (run.code !== code) throw new Error(`expected exit code ${code}\n${describeRun(run)}`);
  return run;
}

/** stdout as JSON, or a failure showing what was printed instead. */
export function jsonOf<T>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch (error) {
    throw new Error(`stdout is not JSON (${(error as Error).message})\n${describeRun(run)}`, { cause: error });
  }
}

/** The rows of the first plain-text table printed (lines between the "───" rule and the next blank line). */
export function tableRows(output: string): string[] {
  const lines = output.split('\n');
  const rule = lines.findIndex((line) => /^─+(\s+─+)*$/.test(line.trim()) && line.trim() !== '');
  if (rule < 0) return [];
  const rows: string[] = [];
  for (const line of lines.slice(rule + 1)) {
    if (line.trim() === '') break;
    rows.push(line);
  }
  return rows;
}

/** The one table row that contains `key`; fails if there is none or several. */
export function tableRow(output: string, key: string): string {
  const matching = tableRows(output).filter((row) => row.includes(key));
  if (matching.length !== 1) throw new Error(`expected one table row with "${key}", found ${matching.length}:\n${output}`);
  return matching[0]!;
}
