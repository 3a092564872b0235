/**
 * Prints, once per run, which real services the integration suites will use
 * and which suites are skipped for lack of one (never silently).
 */
import { chromiumAvailability, postgresAvailability, redisAvailability, TEST_POSTGRES_URL, TEST_REDIS_URL } from './services.js';

export default async function globalSetup(): Promise<void> {
  const [pg, redis] = await Promise.all([postgresAvailability(), redisAvailability()]);
  const chromium = chromiumAvailability();
  const line = (name: string, target: string, a: { ok: boolean; reason: string }): string =>
    `  ${a.ok ? '✔' : '✘'} ${name.padEnd(10)} ${target}${a.ok ? '' : `  → suites needing it are SKIPPED: ${a.reason}`}`;
  process.stdout.write(
    [
      '',
      'Relais integration services:',
      line('PostgreSQL', TEST_POSTGRES_URL, pg),
      line('Redis', TEST_REDIS_URL, redis),
      line('Chromium', 'headless browser', chromium),
      '',
    ].join('\n') + '\n',
  );
}
