/**
 * `npm run bench -- fanout [--recipients 1000] [--platforms slack,teams,matrix]`:
 * one message to N recipients on each platform, through the real adapter and
 * official SDK, against a local fake enforcing the platform's documented
 * limits. Reports total time against the least time those limits allow, the
 * 429s received and the adapter's own cost per message.
 */
import type { FanoutResult } from './fanout/fanout-result.js';
import { machine, writeResults } from './stats.js';

const PLATFORMS = ['slack', 'teams', 'matrix'] as const;
type Platform = (typeof PLATFORMS)[number];

/** Each platform's runner lives next to this file: `fanout/<platform>.fanout.ts`. */
async function loadRunner(platform: Platform): Promise<(recipients: number) => Promise<FanoutResult>> {
  const name = `run${platform[0]!.toUpperCase()}${platform.slice(1)}Fanout`;
  const module = (await import(`./fanout/${platform}.fanout.js`)) as Record<string, (recipients: number) => Promise<FanoutResult>>;
  const runner = module[name];
  if (!runner) throw new Error(`bench/fanout/${platform}.fanout.ts does not export ${name}`);
  return runner;
}

function option(argv: string[], name: string): string | undefined {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? argv[index + 1] : undefined;
}

const seconds = (ms: number): string => (ms / 1000).toFixed(1);

export async function fanoutBench(argv: string[]): Promise<void> {
  const recipients = Number(option(argv, 'recipients') ?? 1000);
  const chosen = (option(argv, 'platforms')?.split(',') ?? [...PLATFORMS]) as Platform[];
  const results: FanoutResult[] = [];
  for (const platform of chosen) {
    if (!PLATFORMS.includes(platform)) throw new Error(`unknown platform "${platform}" (${PLATFORMS.join(', ')})`);
    console.log(`fanout: ${recipients} recipients on ${platform}…`);
    results.push(await (await loadRunner(platform))(recipients));
  }
  const rows = results.map((r) => {
    const rate = r.theoreticalMinMs > 0 ? Math.min(1, r.theoreticalMinMs / r.totalMs) : 1;
    return `| ${r.platform} | ${r.recipients} | ${r.delivered} | ${seconds(r.totalMs)} | ${seconds(r.theoreticalMinMs)} | ${(rate * 100).toFixed(1)} % | ${r.rateLimited} | ${r.overheadMsPerMessage.toFixed(2)} | ${r.limits} |`;
  });
  const markdown = [
    '# Fan-out benchmark',
    '',
    `Machine: ${JSON.stringify(machine())}. Date: ${new Date().toISOString()}.`,
    '',
    'One message to N recipients through each adapter (official SDK) and a local fake that enforces the documented limits.',
    '',
    '| platform | recipients | delivered | total s | minimum s allowed by the limits | share of allowed rate | 429 received | adapter ms/message | limits modelled |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows,
    '',
    'Targets (issue #4): ≥ 95 % of the allowed rate, 0 × 429.',
  ].join('\n');
  console.log(`\n${markdown}\n`);
  const files = await writeResults('fanout', { machine: machine(), recipients, results }, markdown);
  console.log(`written: ${files.join(', ')}`);
}
