/** Latency statistics and result files shared by the benchmarks. */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(samples: number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  const round = (n: number): number => Math.round(n * 100) / 100;
  return {
    count: sorted.length,
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(sorted.at(-1) ?? 0),
    mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
  };
}

export function machine(): Record<string, string | number> {
  const cpu = cpus();
  return { node: process.version, cpus: cpu.length, cpuModel: cpu[0]?.model ?? '?', memoryGiB: Math.round(totalmem() / 2 ** 30) };
}

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

/** Writes `<name>-<timestamp>.json` and `<name>-latest.md` under bench/results/. */
export async function writeResults(name: string, data: Record<string, unknown>, markdown: string): Promise<string[]> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const json = `${RESULTS_DIR}${name}-${stamp}.json`;
  const md = `${RESULTS_DIR}${name}-latest.md`;
  await writeFile(json, `${JSON.stringify(data, null, 2)}\n`);
  await writeFile(md, markdown);
  return [json, md];
}
