/**
 * `npm run bench -- <name> [options]`: runs one benchmark, prints its table
 * and writes the figures to bench/results/.
 */
import { digestBench } from './digest.bench.js';
import { fanoutBench } from './fanout.bench.js';
import { httpBench } from './http.bench.js';
import { rateLimitBench } from './rate-limit.bench.js';
import { retrievalBench } from './retrieval.bench.js';
import { surveyLaunchBench } from './survey-launch.bench.js';
import { surveysBench } from './surveys.bench.js';

const BENCHMARKS: Record<string, { describe: string; run(argv: string[]): Promise<void> }> = {
  http: { describe: 'web message round trip through the core, 1 and 50 concurrent clients', run: httpBench },
  fanout: { describe: 'one message to 1,000 recipients on Slack, Teams and Matrix fakes enforcing documented limits', run: fanoutBench },
  'rate-limit': { describe: 'outbound limiters (memory, Redis, two instances) against the documented platform limits', run: rateLimitBench },
  surveys: { describe: 'issue #5 figures: launch to 5,000 (web channel; Slack adapter against a rate-limited fake) and a digest over 100,000 check-ins', run: surveysBench },
  'survey-launch': { describe: 'a campaign launched to 5,000 team members through the web channel (enqueue and delivery)', run: surveyLaunchBench },
  digest: { describe: 'digest steps over 100,000 check-ins and 2,000 irritants (indicators, ranking, composition, Vega → PNG charts)', run: digestBench },
  retrieval: { describe: 'PIAF quality vs a BM25 peer; search latency at 10k/100k passages; ingestion', run: retrievalBench },
};

const [name, ...rest] = process.argv.slice(2);
const benchmark = name ? BENCHMARKS[name] : undefined;
if (!benchmark) {
  console.error(`Usage: npm run bench -- <name> [options]\n\n${Object.entries(BENCHMARKS).map(([n, b]) => `  ${n.padEnd(8)} ${b.describe}`).join('\n')}`);
  process.exit(name ? 2 : 0);
}
await benchmark.run(rest);
