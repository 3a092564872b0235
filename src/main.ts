/**
 * Composition root: configuration → adapters → core → start. The only place
 * that knows every concrete class. `npm start` runs this file.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { createConversationCore, type ConversationCore } from './core/conversation/create-conversation-core.js';
import type { ConfidentialityPolicy } from './core/conversation/conversation-service.js';
import type { PlatformName } from './core/messages/conversation-ref.js';
import type { ChatPlatform } from './core/ports/chat-platform.js';
import { systemClock, type Clock } from './core/ports/clock.js';
import type { HealthProbe } from './core/ports/health.js';
import type { Logger } from './core/ports/logger.js';
import type { Repositories } from './core/ports/repositories.js';
import type { Scheduler } from './core/ports/scheduler.js';
import type { ProductSettings } from './core/product-settings.js';
import { createPseudonymizer } from './core/privacy/pseudonymizer.js';
import { RetentionService } from './core/privacy/retention.js';
import { WebChatPlatform } from './adapters/chat/web/web-chat.platform.js';
import { HttpServer } from './adapters/http/http-server.js';
import { createPinoLogger } from './adapters/log/pino-logger.js';
import { createInMemoryRepositories } from './adapters/memory/create-in-memory-repositories.js';
import { createPrismaRepositories } from './adapters/store/prisma/create-prisma-repositories.js';
import { openDatabase, type Database } from './adapters/store/prisma/database.js';
import { migrate, readMigrations } from './adapters/store/prisma/migrator.js';
import { loadInstanceSecret } from './adapters/store/instance-secret.js';
import { BullMqScheduler } from './jobs/bullmq-scheduler.js';
import { InProcessScheduler } from './jobs/in-process-scheduler.js';
import { declareRetentionPurge, retentionPurgeJob } from './jobs/retention-purge.job.js';
import { CORPUS_INGEST_JOB, corpusIngestJob } from './jobs/corpus-ingest.job.js';
import { createAssistantServices, type AssistantServices } from './composition/assistant-services.js';
import { createFeedbackActions } from './core/assistant/feedback.action.js';
import { ConfigError, loadConfig, type RelaisConfig } from './config.js';
import { createChatPlatforms, type PlatformTuning } from './composition/chat-platforms.js';
import { PlatformStartRetries } from './composition/platform-start-retries.js';
import { createPlatformServices, type PlatformServices } from './composition/platform-services.js';
import { createSurveyServices, registerSurveyServices, type SurveyServices } from './composition/survey-services.js';
import type { ConversationContext } from './core/conversation/conversation-context.js';

/** Everything must be closed within this time after SIGTERM/SIGINT. */
export const SHUTDOWN_BUDGET_MS = 10_000;
/** Share of the budget for in-flight HTTP requests, then for running jobs; the rest closes stores. */
const DRAIN_REQUESTS_MS = 5_000;
const DRAIN_JOBS_MS = 3_000;

export const MIGRATIONS_DIR = fileURLToPath(new URL('../prisma/migrations/', import.meta.url));

export interface RelaisOptions {
  logger?: Logger;
  clock?: Clock;
  /** Benchmarks only (time-scaled platform limits against a fake); never set by the server. */
  platformTuning?: PlatformTuning;
}

/** A running Relais instance. */
export interface Relais {
  url: string;
  config: RelaisConfig;
  core: ConversationCore;
  repositories: Repositories;
  scheduler: Scheduler;
  platforms: ReadonlyMap<PlatformName, ChatPlatform>;
  web?: WebChatPlatform;
  assistant: AssistantServices;
  surveys: SurveyServices;
  /** Exactly-once, rate limits, adapter state and leadership shared by the platform adapters. */
  platformServices: PlatformServices;
  stop(): Promise<void>;
}

export function productSettings(config: RelaisConfig): ProductSettings {
  return {
    version: config.version,
    defaultLocale: config.locale,
    timezone: config.timezone,
    humanContact: config.product.humanContact,
    messageRetentionDays: config.product.messageRetentionDays,
    maxInboundTextLength: config.product.maxInboundTextLength,
    ...(config.product.privacyContact ? { privacyContact: config.product.privacyContact } : {}),
    ...(config.product.fundingNotice ? { fundingNotice: config.product.fundingNotice } : {}),
  };
}

/** Opens the configured store, applying migrations; memory:// gives throwaway in-memory repositories. */
export async function openRepositories(
  config: RelaisConfig,
  logger: Logger,
  options: { shareWithRunning?: boolean } = {},
): Promise<{ repositories: Repositories; database?: Database }> {
  if (config.database.kind === 'memory') return { repositories: createInMemoryRepositories() };
  const database = await openDatabase({
    ...(config.database.url ? { url: config.database.url } : {}),
    dataDir: config.dataDir,
    poolSize: config.database.poolSize,
    shareWithRunning: options.shareWithRunning ?? false,
  });
  try {
    const report = await migrate(database.sql, await readMigrations(MIGRATIONS_DIR), logger.child({ scope: 'migrations' }));
    logger.info({ applied: report.applied.length, alreadyApplied: report.alreadyApplied.length, database: database.kind }, 'database ready');
  } catch (error) {
    await database.close();
    throw error;
  }
  return { repositories: createPrismaRepositories(database.prisma), database };
}

/** Starts every part in dependency order; if one fails, the started ones are stopped. */
export async function startRelais(config: RelaisConfig, options: RelaisOptions = {}): Promise<Relais> {
  const logger = options.logger ?? createPinoLogger({ level: config.log.level });
  const clock = options.clock ?? systemClock;
  const cleanups: (() => Promise<void>)[] = [];
  const runCleanups = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => logger.error({ err: (error as Error).message }, 'error while stopping'));
    }
  };

  try {
    const secret = await loadInstanceSecret(config.dataDir, config.secret);
    const { repositories, database } = await openRepositories(config, logger);
    if (database) cleanups.push(() => database.close());

    const probes: HealthProbe[] = database ? [database.health] : [];
    const scheduler = createScheduler(config, repositories, logger, clock);
    if (scheduler instanceof BullMqScheduler) probes.push(scheduler.health);
    const retention = new RetentionService({
      messages: repositories.messages,
      answers: repositories.answers,
      jobs: repositories.jobs,
      audit: repositories.audit,
      clock,
      logger,
      messageRetentionDays: config.product.messageRetentionDays,
    });
    scheduler.register(retentionPurgeJob(retention));

    const ids = { next: () => randomUUID() };
    const assistant = await createAssistantServices({ config, repositories, ...(database ? { database } : {}), logger, clock, ids });
    probes.push(...assistant.probes);
    scheduler.register(corpusIngestJob((directory) => assistant.ingestDirectory(directory)));

    const platforms = new Map<PlatformName, ChatPlatform>();
    const settings = productSettings(config);
    // Typed answers to a survey question come before the assistant; set once the survey engine exists.
    const surveyHook: { typedAnswer?: (context: ConversationContext, text: string) => Promise<boolean>; confidentiality?: ConfidentialityPolicy } = {};
    const core = createConversationCore({
      settings,
      repositories,
      pseudonymizer: createPseudonymizer(secret),
      platforms,
      clock,
      ids,
      logger,
      freeText: async (context, text) => {
        if (await surveyHook.typedAnswer?.(context, text)) return;
        await assistant.assistant.handleFreeText(context, text);
      },
      safety: async (context, text) => assistant.safety.escalateIfCrisis(context, await assistant.safety.assess(text, false, context)),
      confidentiality: async (event, who) => (await surveyHook.confidentiality?.(event, who)) ?? null,
    });
    for (const action of createFeedbackActions(repositories.answers, repositories.audit, clock)) core.actions.register(action);
    const surveys = await createSurveyServices({
      config,
      repositories,
      secret,
      identities: core.identities,
      messenger: core.messenger,
      scheduler,
      logger,
      clock,
      ids,
      ...(database ? { database } : {}),
      ...(assistant.model ? { model: assistant.model } : {}),
    });
    registerSurveyServices(surveys, core, scheduler, core.messenger);
    surveyHook.typedAnswer = surveys.handleTypedAnswer;
    surveyHook.confidentiality = surveys.confidentiality;

    await scheduler.start();
    cleanups.push(() => scheduler.stop());
    await declareRetentionPurge(scheduler, config.timezone);
    await surveys.campaigns.redeclareSchedules();
    await surveys.digests.declareAll();
    if (config.corpus.autoIngest) {
      // A stable key per start-up wave: several instances starting together ingest once.
      await scheduler.enqueue(CORPUS_INGEST_JOB, { directory: config.corpus.directory }, { key: 'corpus:ingest-at-start' });
    }

    const web = config.web.enabled
      ? new WebChatPlatform({
          history: core.history,
          logger,
          clock,
          maxTextLength: settings.maxInboundTextLength,
          ...(config.web.apiToken ? { apiToken: config.web.apiToken } : {}),
        })
      : undefined;
    if (web) platforms.set('web', web);

    const platformServices = await createPlatformServices({ config, ...(database ? { database } : {}), logger, clock });
    cleanups.push(() => platformServices.close());
    const built = await createChatPlatforms({ config, logger, clock, ...platformServices, ...(options.platformTuning ? { tuning: options.platformTuning } : {}) });
    for (const { platform, health } of built) {
      platforms.set(platform.name, platform);
      if (health) probes.push(health);
    }

    const http = new HttpServer({
      host: config.http.host,
      port: config.http.port,
      version: config.version,
      logger,
      probes,
      rawBodyRouters: built.flatMap((b) => (b.rawBodyRouter ? [b.rawBodyRouter] : [])),
      routers: [...(web ? [web.router()] : []), ...built.flatMap((b) => (b.router ? [b.router] : []))],
    });
    const url = await http.start();
    cleanups.push(async () => {
      await http.drain(DRAIN_REQUESTS_MS);
    });
    cleanups.push(async () => {
      for (const platform of platforms.values()) await platform.stop();
    });
    cleanups.push(async () => http.stopAccepting());

    const retries = new PlatformStartRetries(logger);
    cleanups.push(async () => retries.cancel());
    for (const platform of platforms.values()) await retries.start(platform, core.service.handle);
    logger.info(
      {
        url,
        database: database?.kind ?? 'memory',
        jobs: config.redis.url ? 'bullmq' : 'in-process',
        platforms: [...platforms.keys()],
        answers: assistant.description.answers,
        retrieval: assistant.description.retrieval,
        platformServices: platformServices.description,
      },
      'Relais ready',
    );

    return { url, config, core, repositories, scheduler, platforms, assistant, surveys, platformServices, ...(web ? { web } : {}), stop: runCleanups };
  } catch (error) {
    await runCleanups();
    throw error;
  }
}

function createScheduler(config: RelaisConfig, repositories: Repositories, logger: Logger, clock: Clock): Scheduler {
  if (config.redis.url) {
    return new BullMqScheduler({ redisUrl: config.redis.url, prefix: config.redis.prefix, store: repositories.jobs, logger, clock, stopTimeoutMs: DRAIN_JOBS_MS });
  }
  return new InProcessScheduler({ store: repositories.jobs, logger, clock, stopTimeoutMs: DRAIN_JOBS_MS });
}

/**
 * Runs Relais as a process: loads the configuration, starts, and stops
 * cleanly on SIGTERM/SIGINT within the shutdown budget.
 */
export async function runServer(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config: RelaisConfig;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      console.error('See docs/configuration.md.');
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createPinoLogger({ level: config.log.level });
  let relais: Relais;
  try {
    relais = await startRelais(config, { logger });
  } catch (error) {
    logger.error({ err: (error as Error).message, code: (error as { code?: string }).code }, 'Relais could not start');
    console.error(`Relais could not start: ${(error as Error).message}`);
    process.exit(1);
  }
  console.log(`Relais is running at ${relais.url}${relais.web ? ` — web chat: ${relais.url}/` : ''}`);

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    const deadline = setTimeout(() => {
      logger.error('shutdown took longer than 10 s; exiting anyway');
      process.exit(1);
    }, SHUTDOWN_BUDGET_MS);
    deadline.unref();
    relais.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: (error as Error).message }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

const isEntryPoint = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntryPoint) await runServer();
