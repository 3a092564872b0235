/**
 * Relais started for a benchmark in its own process (so the load generator
 * does not share its event loop): in-memory ports by default, or the
 * embedded database with `--store pglite`. Prints its URL on stdout.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSilentLogger } from '../src/adapters/log/pino-logger.js';
import { loadConfig } from '../src/config.js';
import { startRelais } from '../src/main.js';

const store = process.argv.includes('--store') ? process.argv[process.argv.indexOf('--store') + 1] : 'memory';
const dataDir = await mkdtemp(join(tmpdir(), 'relais-bench-'));
const config = loadConfig({
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PORT: '0',
  RELAIS_DATA_DIR: dataDir,
  RELAIS_SECRET: 'bench-secret-bench-secret-bench-secret-000000',
  LOG_LEVEL: 'silent',
  ...(store === 'memory' ? { DATABASE_URL: 'memory://', NODE_ENV: 'test' } : {}),
});
const relais = await startRelais(config, { logger: createSilentLogger() });
console.log(`READY ${relais.url}`);
process.on('SIGTERM', () => {
  void relais.stop().then(() => process.exit(0));
});
