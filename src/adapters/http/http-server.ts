/**
 * The one HTTP server: health endpoints, the web chat, the Slack and Teams
 * endpoints, all on one port. Stops gracefully: no new
 * connections, in-flight requests finish, then everything closes.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Router } from 'express';
import type { HealthProbe } from '../../core/ports/health.js';
import type { Logger } from '../../core/ports/logger.js';
import { errorMiddleware } from './http-errors.js';
import { securityHeaders } from './security-headers.js';

export interface HttpServerOptions {
  host: string;
  port: number;
  version: string;
  logger: Logger;
  /** Dependencies `/readyz` checks (database, Redis…). */
  probes: HealthProbe[];
  /** Routers mounted at the root, in order. */
  routers: Router[];
  /** Routers that read the raw body themselves (signed webhooks): mounted before JSON parsing. */
  rawBodyRouters?: Router[];
  /** Largest accepted request body (default 256 KiB). */
  maxBodyBytes?: number;
}

const PROBE_TIMEOUT_MS = 3000;

export class HttpServer {
  private readonly server: Server;
  private readonly log: Logger;
  private readonly startedAt = Date.now();
  private inFlight = 0;
  private drainWaiters: (() => void)[] = [];
  private accepting = true;

  constructor(private readonly options: HttpServerOptions) {
    this.log = options.logger.child({ scope: 'http' });
    this.server = createServer(this.buildApp());
    // Slow clients must not hold sockets forever; SSE responses keep theirs open by design.
    this.server.headersTimeout = 20_000;
    this.server.requestTimeout = 0;
    this.server.keepAliveTimeout = 5_000;
  }

  private buildApp(): express.Express {
    const app = express();
    app.disable('x-powered-by');
    // API answers are never cached; hashing every JSON body for an ETag is wasted work.
    app.set('etag', false);
    app.set('trust proxy', 'loopback');
    app.use(securityHeaders);
    app.use((req, res, next) => {
      if (!this.accepting) {
        res.setHeader('connection', 'close');
        res.status(503).json({ error: { code: 'http.shutting_down', message: 'the server is stopping; retry on another instance' } });
        return;
      }
      this.track(res);
      next();
    });
    app.get('/healthz', (_req, res) => {
      res.json({ status: 'ok', version: this.options.version, uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000) });
    });
    app.get('/readyz', async (_req, res) => {
      const checks = await this.runProbes();
      const ready = Object.values(checks).every((c) => c.ok);
      res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
    });
    for (const router of this.options.rawBodyRouters ?? []) app.use(router);
    app.use(express.json({ limit: this.options.maxBodyBytes ?? 256 * 1024 }));
    for (const router of this.options.routers) app.use(router);
    app.use((req, res) => {
      res.status(404).json({ error: { code: 'http.not_found', message: `no route for ${req.method} ${req.path}` } });
    });
    app.use(errorMiddleware(this.log));
    return app;
  }

  private track(res: express.Response): void {
    this.inFlight++;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      this.inFlight--;
      if (this.inFlight === 0) this.drainWaiters.splice(0).forEach((resolve) => resolve());
    };
    res.on('finish', finish);
    res.on('close', finish);
  }

  private async runProbes(): Promise<Record<string, { ok: boolean; detail?: string; error?: string; ms: number }>> {
    const entries = await Promise.all(
      this.options.probes.map(async (probe) => {
        const started = performance.now();
        try {
          const detail = await withTimeout(probe.check(), PROBE_TIMEOUT_MS);
          return [probe.name, { ok: true, detail, ms: Math.round(performance.now() - started) }] as const;
        } catch (error) {
          return [probe.name, { ok: false, error: (error as Error).message, ms: Math.round(performance.now() - started) }] as const;
        }
      }),
    );
    return Object.fromEntries(entries);
  }

  /** Starts listening; resolves with the base URL. */
  async start(): Promise<string> {
    this.server.listen(this.options.port, this.options.host);
    await once(this.server, 'listening');
    return this.url;
  }

  get url(): string {
    const address = this.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`;
  }

  /** Refuses new connections and requests; in-flight ones continue. */
  stopAccepting(): void {
    this.accepting = false;
    this.server.close();
    this.server.closeIdleConnections();
  }

  /** Resolves when in-flight requests are done, or after `timeoutMs` (then cuts the rest). */
  async drain(timeoutMs: number): Promise<void> {
    if (this.inFlight > 0) {
      const drained = new Promise<void>((resolve) => this.drainWaiters.push(resolve));
      const outcome = await Promise.race([drained.then(() => 'drained'), delay(timeoutMs).then(() => 'timeout')]);
      if (outcome === 'timeout') this.log.warn({ inFlight: this.inFlight }, 'requests still running at shutdown were cut');
    }
    this.server.closeAllConnections();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
