/**
 * `npm run bench -- surveys [--recipients 5000] [--answers 100000] [--database <url>] [--skip-slack]`:
 * the figures issue #5 asks for, in one table:
 * - a campaign launched to N people through the web channel (in-memory store,
 *   and the PostgreSQL given by --database or BENCH_DATABASE_URL): time to
 *   store the campaign and its jobs, and until every invitation is delivered;
 * - the same launch through the Slack adapter against a fake enforcing Slack's
 *   documented limits (time-scaled; see bench/surveys/slack-campaign.ts);
 * - a digest aggregated over 100,000 check-ins (400,000 answers) + 2,000
 *   irritants (target < 1 s), with and without the PNG charts.
 */
import { measureDigest } from './digest.bench.js';
import { machine, writeResults } from './stats.js';
import { launchOnce, type LaunchResult } from './survey-launch.bench.js';
import { launchOnSlack, type PlatformLaunchResult } from './surveys/slack-campaign.js';

function option(argv: string[], name: string): string | undefined {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? argv[index + 1] : undefined;
}

const seconds = (ms: number): string => (ms / 1000).toFixed(1);

export async function surveysBench(argv: string[]): Promise<void> {
  const recipients = Number(option(argv, 'recipients') ?? 5000);
  const answers = Number(option(argv, 'answers') ?? 100_000);
  const database = option(argv, 'database') ?? process.env.BENCH_DATABASE_URL;

  const web: LaunchResult[] = [];
  for (const url of ['memory://', ...(database ? [database] : [])]) {
    console.log(`surveys: launch to ${recipients} through the web channel (${url === 'memory://' ? 'in-memory' : 'PostgreSQL'})…`);
    web.push(await launchOnce(recipients, url));
  }
  let slack: PlatformLaunchResult | undefined;
  if (!argv.includes('--skip-slack')) {
    console.log(`surveys: launch to ${recipients} through the Slack adapter and a rate-limited fake…`);
    slack = await launchOnSlack(recipients);
  }
  console.log(`surveys: digest over ${answers} check-ins…`);
  const digest = await measureDigest(answers);

  const markdown = [
    '# Surveys benchmark',
    '',
    `Machine: ${JSON.stringify(machine())}. Date: ${new Date().toISOString()}.`,
    '',
    `## Launch to ${recipients} recipients`,
    '',
    '| channel | store | launch (campaign + jobs stored) ms | launch → every invitation delivered s | invitations/s | least time the limits allow s | 429 received |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...web.map((r) => `| web | ${r.store} | ${r.launchMs.toFixed(1)} | ${seconds(r.deliverMs)} | ${(recipients / (r.deliverMs / 1000)).toFixed(0)} | — | — |`),
    ...(slack
      ? [
          `| Slack (fake, ${slack.limits}) | in-memory | ${slack.launchMs.toFixed(1)} | ${seconds(slack.deliverMs)} | ${(recipients / (slack.deliverMs / 1000)).toFixed(0)} | ${seconds(slack.theoreticalMinMs)} | ${slack.rateLimited} |`,
        ]
      : []),
    '',
    slack ? `Slack: ${slack.posted} chat.postMessage accepted for ${recipients} invitations; at real time the same run takes ${seconds(slack.deliverMs / Number(process.env.SURVEYS_SLACK_TIME_SCALE ?? 0.05))} s (the workspace cap, 300/min, is the bound).` : '',
    '',
    `## Digest over ${answers.toLocaleString('en')} check-ins (${(answers * 4).toLocaleString('en')} answers) and 2,000 irritants`,
    '',
    '| step | p50 ms | max ms | mean ms |',
    '|---|---:|---:|---:|',
    ...digest.map((r) => `| ${r.step} | ${r.p50} | ${r.max} | ${r.mean} |`),
    '',
    '`total` = indicators + irritants ranking + composition (target < 1,000 ms); `charts` = composition with the 4 real Vega → PNG charts; `aggregates` = per-question results with a team breakdown (not a digest step).',
  ].join('\n');
  console.log(`\n${markdown}\n`);
  const files = await writeResults('surveys', { machine: machine(), recipients, answers, web, slack, digest }, markdown);
  console.log(`written: ${files.join(', ')}`);
}
