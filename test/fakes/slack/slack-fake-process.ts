/**
 * Runs the Slack fake in its own process (benchmarks): the bot's event loop
 * and the fake's then do not delay each other, so the fake stamps each call
 * when it really arrives, as Slack's servers would.
 *
 * Options come as JSON in argv[2] (SlackFakeOptions); prints
 * `{"apiUrl": …, "statsUrl": …}` on one line once listening; stops on SIGTERM.
 */
import { writeFileSync } from 'node:fs';
import { SlackFake, type SlackFakeOptions } from '../slack-fake-server.js';

const options = JSON.parse(process.argv[2] ?? '{}') as SlackFakeOptions;
const fake = new SlackFake(options);
await fake.start();
process.stdout.write(`${JSON.stringify({ apiUrl: fake.apiUrl, statsUrl: fake.apiUrl.replace(/api\/$/, '__fake/stats') })}\n`);
process.on('SIGTERM', () => {
  if (process.env.SLACK_FAKE_DUMP) writeFileSync(process.env.SLACK_FAKE_DUMP, JSON.stringify(fake.calls.map((c) => ({ method: c.method, at: c.at, outcome: c.outcome, channel: c.args.channel }))));
  void fake.stop().then(() => process.exit(0));
});
