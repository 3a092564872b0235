/**
 * What the survey benchmarks share: a whole Relais started for a run (its
 * own data directory, quiet hours off, silent logs) and the wait until every
 * invitation of a campaign is marked as sent.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSilentLogger } from '../../src/adapters/log/pino-logger.js';
import { loadConfig } from '../../src/config.js';
import { startRelais, type Relais, type RelaisOptions } from '../../src/main.js';

export interface BenchRelais {
  relais: Relais;
  stop(): Promise<void>;
}

export async function startBenchRelais(databaseUrl: string, env: Record<string, string> = {}, options: RelaisOptions = {}): Promise<BenchRelais> {
  const dataDir = await mkdtemp(join(tmpdir(), 'relais-bench-surveys-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL: databaseUrl,
    RELAIS_DATA_DIR: dataDir,
    RELAIS_SECRET: 'bench-secret-bench-secret-bench-secret-0123456789',
    RELAIS_QUIET_HOURS: 'off',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const relais = await startRelais(config, { logger: createSilentLogger(), ...options });
  return {
    relais,
    stop: async () => {
      await relais.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until each of the `recipients` invitations of the campaign is marked as sent. */
export async function invitationsMarked(relais: Relais, campaignId: string, recipients: number, everyMs = 50): Promise<void> {
  for (;;) {
    const invitations = await relais.repositories.campaigns.invitations(campaignId);
    if (invitations.length === recipients && invitations.every((i) => i.invitedAt)) return;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
