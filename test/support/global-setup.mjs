// Prints, once per run, which real services the integration suites will use
// and which suites are skipped for lack of one (never silently).
import { chromiumAvailability, postgresAvailability, redisAvailability, TEST_POSTGRES_URL, TEST_REDIS_URL } from './service-probes.mjs';

export default async function globalSetup() {
  const [pg, redis] = await Promise.all([postgresAvailability(), redisAvailability()]);
  const chromium = chromiumAvailability();
  const line = (name, target, a) =>
    `  ${a.ok ? '✔' : '✘'} ${name.padEnd(10)} ${target}${a.ok ? '' : `  → suites needing it are SKIPPED: ${a.reason}`}`;
  process.stdout.write(
    ['', 'Relais integration services:', line('PostgreSQL', TEST_POSTGRES_URL, pg), line('Redis', TEST_REDIS_URL, redis), line('Chromium', 'headless browser', chromium), ''].join('\n') + '\n',
  );
}
