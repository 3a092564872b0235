/**
 * A chat platform that cannot be reached at start (its API is down) does not
 * keep Relais from starting: the web chat answers, /readyz names the platform
 * as not ready, and the platform is retried in the background.
 */
import { jest } from '@jest/globals';
import { createServer } from 'node:net';
import type { Relais } from '../../src/main.js';
import { startTestRelais } from '../support/start-test-relais.js';
import { WebTestClient } from '../support/web-test-client.js';

jest.setTimeout(30_000);

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('a platform down at start', () => {
  let relais: Relais;

  beforeAll(async () => {
    relais = await startTestRelais({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'signing-secret',
      SLACK_API_URL: `http://127.0.0.1:${await closedPort()}/api/`,
    });
  });
  afterAll(async () => {
    await relais?.stop();
  });

  it('still serves the web chat and reports the platform as not ready', async () => {
    const replies = await new WebTestClient(relais.url).say('aide');
    expect(replies.length).toBeGreaterThan(0);
    const ready = await fetch(`${relais.url}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { checks: Record<string, { ok: boolean }> };
    expect(body.checks.slack).toMatchObject({ ok: false });
  });
});
