/**
 * A Redis server owned by one test: its own process on a free port, in a
 * temporary directory, with no persistence (`--save "" --appendonly no`),
 * so `kill -9` loses everything it held — the worst case for the job layer.
 * Never the shared Redis on 6379, which other suites use.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort } from './relais-process.js';
import type { Availability } from './services.js';

/** The redis-server binary on PATH (or /usr/bin, /usr/sbin), or undefined. */
export function findRedisServer(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/sbin', '/usr/local/bin'].filter(Boolean);
  for (const dir of dirs) {
    const candidate = join(dir, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function redisServerAvailability(): Availability {
  const bin = findRedisServer();
  return bin ? { ok: true, reason: bin } : { ok: false, reason: 'no redis-server binary on PATH (apt-get install redis-server)' };
}

export class PrivateRedis {
  private child: ChildProcess | undefined;
  private exited: Promise<NodeJS.Signals | number | null> = Promise.resolve(null);

  private constructor(
    private readonly bin: string,
    readonly port: number,
    private readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<PrivateRedis> {
    const bin = findRedisServer();
    if (!bin) throw new Error('redis-server not found');
    const redis = new PrivateRedis(bin, await freePort(), await mkdtemp(join(tmpdir(), 'relais-private-redis-')));
    await redis.launch();
    return redis;
  }

  /** Starts redis-server (again, on the same port: empty, since nothing was saved) and waits until it accepts connections. */
  async launch(timeoutMs = 10_000): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir, '--daemonize', 'no'];
    const child = spawn(this.bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server not ready within ${timeoutMs} ms:\n${output}`)), timeoutMs);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', () => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited at start:\n${output}`));
      });
    });
  }

  /** SIGKILL, right now: the caller awaits `exited` (returned) when it needs the process gone. */
  kill(): Promise<NodeJS.Signals | number | null> {
    this.child?.kill('SIGKILL');
    return this.exited;
  }

  async stop(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) await this.kill();
    this.child = undefined;
    await rm(this.dir, { recursive: true, force: true });
  }
}
