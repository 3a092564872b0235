/**
 * `npm run bench -- http`: round trip of a web chat message ("aide")
 * through the HTTP server and the conversation core, measured from a client
 * process, with 1 and 50 concurrent clients. Target (issue #2): p95 < 30 ms
 * at 50 concurrent clients on a 2-core machine, with in-memory ports.
 *
 * Options: --store memory|pglite (default memory), --requests N per client
 * level (default 5000), --concurrency 1,50. Each client is one keep-alive
 * connection sending one request at a time (closed loop).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { KeepAliveConnection } from './http-load-client.js';
import { machine, summarize, writeResults, type LatencySummary } from './stats.js';

interface Options {
  store: string;
  requests: number;
  levels: number[];
}

function parseOptions(argv: string[]): Options {
  const value = (name: string): string | undefined => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  return {
    store: value('--store') ?? 'memory',
    requests: Number(value('--requests') ?? 5000),
    levels: (value('--concurrency') ?? '1,50').split(',').map(Number),
  };
}

async function startServer(store: string): Promise<{ url: string; stop(): Promise<void> }> {
  const script = fileURLToPath(new URL('./bench-server.ts', import.meta.url));
  const tsx = fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url));
  const child = spawn(process.execPath, [tsx, script, '--store', store], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /READY (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
  });
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function run(url: string, concurrency: number, total: number): Promise<{ latency: LatencySummary; throughput: number; errors: number }> {
  const { hostname, port } = new URL(url);
  const connections = await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const connection = new KeepAliveConnection(hostname, Number(port));
      await connection.open();
      return connection;
    }),
  );
  const samples: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const client = async (connection: KeepAliveConnection, id: number): Promise<void> => {
    // Each simulated person keeps one conversation; the first message also gets the AI disclosure.
    const body = JSON.stringify({ userId: `bench-${concurrency}-${id}`, text: 'aide', conversationId: `c${id}` });
    while (next < total) {
      next++;
      const exchange = await connection.post('/api/web/messages', body);
      samples.push(exchange.latencyMs);
      if (exchange.status !== 200 || !exchange.body.includes('"replies":[{')) errors++;
    }
  };
  await Promise.all(connections.map((connection, i) => client(connection, i)));
  const seconds = (performance.now() - started) / 1000;
  connections.forEach((connection) => connection.close());
  return { latency: summarize(samples), throughput: Math.round(samples.length / seconds), errors };
}

export async function httpBench(argv: string[]): Promise<void> {
  const options = parseOptions(argv);
  const server = await startServer(options.store);
  try {
    await run(server.url, 10, 1000); // warm-up: JIT, connection pool, first-contact disclosures
    const rows: { concurrency: number; latency: LatencySummary; throughput: number; errors: number }[] = [];
    for (const concurrency of options.levels) rows.push({ concurrency, ...(await run(server.url, concurrency, options.requests)) });

    const table = [
      '| clients | requests | p50 ms | p95 ms | p99 ms | max ms | req/s | errors |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...rows.map((r) => `| ${r.concurrency} | ${r.latency.count} | ${r.latency.p50} | ${r.latency.p95} | ${r.latency.p99} | ${r.latency.max} | ${r.throughput} | ${r.errors} |`),
    ].join('\n');
    const at50 = rows.find((r) => r.concurrency === 50);
    const verdict = at50 ? `Target p95 < 30 ms at 50 clients: ${at50.latency.p95 < 30 ? 'met' : 'NOT met'} (${at50.latency.p95} ms).` : '';
    const env = machine();
    const markdown = `# HTTP round trip — web message "aide" through the core\n\nStore: ${options.store}. Server in its own process; client: one keep-alive connection per simulated person, closed loop (bench/http-load-client.ts).\nMachine: ${env.cpus} × ${env.cpuModel}, ${env.memoryGiB} GiB, Node ${env.node}. Date: ${new Date().toISOString()}.\n\n${table}\n\n${verdict}\n`;
    console.log(markdown);
    const files = await writeResults(`http-${options.store}`, { benchmark: 'http', store: options.store, machine: env, date: new Date().toISOString(), rows }, markdown);
    console.log(`Written: ${files.join(', ')}`);
  } finally {
    await server.stop();
  }
}
