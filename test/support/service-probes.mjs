// Plain JavaScript so that Jest's globalSetup (loaded outside the TypeScript
// transform) and the TypeScript suites share one implementation.
import { existsSync } from 'node:fs';
import { Socket } from 'node:net';

export const TEST_POSTGRES_URL = process.env.RELAIS_TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.RELAIS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const CHROMIUM_PATH = process.env.RELAIS_TEST_CHROMIUM ?? '/usr/bin/chromium';

/** @returns {Promise<{ok: boolean, reason: string}>} */
export function probeTcp(url, defaultPort) {
  const parsed = new URL(url);
  const host = parsed.hostname || '127.0.0.1';
  const port = Number(parsed.port || defaultPort);
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (result) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(1500);
    socket.once('connect', () => done({ ok: true, reason: `${host}:${port} reachable` }));
    socket.once('timeout', () => done({ ok: false, reason: `nothing answers at ${host}:${port} (timeout)` }));
    socket.once('error', (error) => done({ ok: false, reason: `nothing answers at ${host}:${port} (${error.code ?? error.message})` }));
    socket.connect(port, host);
  });
}

export const postgresAvailability = () => probeTcp(TEST_POSTGRES_URL, 5432);
export const redisAvailability = () => probeTcp(TEST_REDIS_URL, 6379);

export function chromiumAvailability() {
  return existsSync(CHROMIUM_PATH)
    ? { ok: true, reason: `${CHROMIUM_PATH} found` }
    : { ok: false, reason: `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set RELAIS_TEST_CHROMIUM)` };
}
