/**
 * `npm run bench -- survey-launch [--recipients 5000] [--database <url>]`:
 * a campaign launched to N team members, through the real server (core,
 * job runner, web channel). Reports the time to launch (campaign and jobs
 * stored) and to deliver every invitation (each marked once in the store,
 * recorded and published to the web channel), on the in-memory store or
 * the database given. Platform limits (Slack, Teams, Matrix) are measured
 * by `npm run bench -- fanout`.
 */
import { machine, writeResults } from './stats.js';
import { invitationsMarked, startBenchRelais } from './surveys/bench-relais.js';

function option(argv: string[], name: string): string | undefined {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? argv[index + 1] : undefined;
}

export interface LaunchResult {
  store: string;
  addMs: number;
  launchMs: number;
  deliverMs: number;
}

export async function surveyLaunchBench(argv: string[]): Promise<void> {
  const recipients = Number(option(argv, 'recipients') ?? 5000);
  const databases = ['memory://', ...(option(argv, 'database') ? [option(argv, 'database')!] : [])];
  const results: LaunchResult[] = [];
  for (const url of databases) {
    console.log(`survey launch: ${recipients} recipients, ${url === 'memory://' ? 'in-memory store' : 'database'}…`);
    results.push(await launchOnce(recipients, url));
  }
  const markdown = [
    '# Survey launch benchmark',
    '',
    `Machine: ${JSON.stringify(machine())}. Date: ${new Date().toISOString()}.`,
    '',
    `A campaign (irritants) launched to a team of ${recipients} people through the real server and the web channel. Each invitation is marked once in the store, recorded (with the AI disclosure on first contact, and an audit record) and published to the web channel; 8 deliveries in flight.`,
    '',
    '| recipients | store | add members s | launch (campaign + jobs stored) ms | launch → every invitation delivered s | invitations/s |',
    '|---:|---|---:|---:|---:|---:|',
    ...results.map((r) => `| ${recipients} | ${r.store} | ${(r.addMs / 1000).toFixed(1)} | ${r.launchMs.toFixed(1)} | ${(r.deliverMs / 1000).toFixed(1)} | ${(recipients / (r.deliverMs / 1000)).toFixed(0)} |`),
    '',
    'Platform limits (Slack, Teams, Matrix fakes) are measured by `npm run bench -- fanout`.',
  ].join('\n');
  console.log(`\n${markdown}\n`);
  const files = await writeResults('survey-launch', { machine: machine(), recipients, results }, markdown);
  console.log(`written: ${files.join(', ')}`);
}

export async function launchOnce(recipients: number, databaseUrl: string): Promise<LaunchResult> {
  const { relais, stop } = await startBenchRelais(databaseUrl);
  try {
    const { teams, campaigns } = relais.surveys;
    const team = await teams.create({ name: `Bench ${Date.now()}` }, null);
    let started = performance.now();
    const identities = Array.from({ length: recipients }, (_, i) => ({ platform: 'web' as const, externalId: `bench-${i}` }));
    await teams.add(team.id, identities, 'member', null);
    const addMs = performance.now() - started;

    started = performance.now();
    const { campaign } = await campaigns.launch({ surveyId: 'irritants', audience: { kind: 'team', teamId: team.id }, createdBy: null });
    const launchMs = performance.now() - started;
    await invitationsMarked(relais, campaign.id, recipients);
    const deliverMs = performance.now() - started;
    return { store: databaseUrl === 'memory://' ? 'in-memory' : 'PostgreSQL', addMs, launchMs, deliverMs };
  } finally {
    await stop();
  }
}
