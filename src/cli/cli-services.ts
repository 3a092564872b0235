/**
 * What the corpus, search and evaluation commands work with: the configured
 * database (the running bot's embedded database is shared, not copied) and
 * the same assistant services as the server.
 */
import { randomUUID } from 'node:crypto';
import { createPinoLogger } from '../adapters/log/pino-logger.js';
import { createAssistantServices, type AssistantServices } from '../composition/assistant-services.js';
import { systemClock } from '../core/ports/clock.js';
import type { Repositories } from '../core/ports/repositories.js';
import type { RelaisConfig } from '../config.js';
import { openRepositories } from '../main.js';

export interface CliServices {
  config: RelaisConfig;
  repositories: Repositories;
  services: AssistantServices;
}

export async function withServices<T>(config: RelaisConfig, work: (services: CliServices) => Promise<T>): Promise<T> {
  // Warnings and errors on stderr; stdout is the command's output (tables, JSON).
  const logger = createPinoLogger({ level: config.log.level === 'info' ? 'warn' : config.log.level, stderr: true });
  const { repositories, database } = await openRepositories(config, logger, { shareWithRunning: true });
  try {
    const services = await createAssistantServices({
      config,
      repositories,
      ...(database ? { database } : {}),
      logger,
      clock: systemClock,
      ids: { next: () => randomUUID() },
    });
    return await work({ config, repositories, services });
  } finally {
    await database?.close();
  }
}
