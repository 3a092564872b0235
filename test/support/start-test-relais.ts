/**
 * Starts a real Relais (HTTP server, core, job runner) for a test, on a free
 * port, with in-memory repositories unless the test asks for a database.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSilentLogger } from '../../src/adapters/log/pino-logger.js';
import { loadConfig } from '../../src/config.js';
import { startRelais, type Relais } from '../../src/main.js';

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';

export async function startTestRelais(env: Record<string, string> = {}): Promise<Relais> {
  const dataDir = await mkdtemp(join(tmpdir(), 'relais-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL: 'memory://',
    RELAIS_DATA_DIR: dataDir,
    RELAIS_SECRET: TEST_SECRET,
    LOG_LEVEL: 'silent',
    ...env,
  });
  return startRelais(config, { logger: createSilentLogger() });
}
