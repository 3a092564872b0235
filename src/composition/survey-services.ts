/**
 * Builds the survey engine — catalog (definitions published from files),
 * teams, campaigns, answering, results — for the server (main.ts) and the
 * CLI, and wires it into the conversation core and the scheduler.
 */
import type { ConversationCore } from '../core/conversation/create-conversation-core.js';
import type { ConversationContext } from '../core/conversation/conversation-context.js';
import type { ConfidentialityPolicy } from '../core/conversation/conversation-service.js';
import type { IdentityService } from '../core/identity/identity-service.js';
import type { ProactiveMessenger } from '../core/conversation/proactive-messenger.js';
import type { Clock } from '../core/ports/clock.js';
import type { LanguageModel } from '../core/ports/language-model.js';
import type { IdGenerator } from '../core/ports/id-generator.js';
import type { Logger } from '../core/ports/logger.js';
import type { Repositories } from '../core/ports/repositories.js';
import type { Scheduler } from '../core/ports/scheduler.js';
import { createAnonymousAnswersPolicy } from '../core/surveys/anonymous-answers-policy.js';
import { CampaignService, campaignTimezone } from '../core/surveys/campaign-service.js';
import { createRespondentTokens } from '../core/surveys/respondent-token.js';
import { SurveyAnswering } from '../core/surveys/survey-answering.js';
import { SurveyCatalog } from '../core/surveys/survey-catalog.js';
import { createSurveyActionHandler, createSurveyCommand, createTypedAnswerHandler, type SurveyChatDeps } from '../core/surveys/survey-chat.js';
import { SurveyResults } from '../core/surveys/survey-results.js';
import { createTeamCommand } from '../core/teams/team-chat.js';
import { TeamService } from '../core/teams/team-service.js';
import { formatSurveyError, loadSurveys, SURVEYS_DIR, type SurveyFileError } from '../adapters/surveys/survey-file-loader.js';
import { campaignCloseJob, campaignOpenJob } from '../jobs/campaign.job.js';
import { checkinJob } from '../jobs/checkin.job.js';
import { campaignReminderJob } from '../jobs/reminder.job.js';
import type { RelaisConfig } from '../config.js';
import type { Database } from '../adapters/store/prisma/database.js';
import { createDigestServices, type DigestServices } from './digest-services.js';

export interface SurveyServices {
  catalog: SurveyCatalog;
  teams: TeamService;
  campaigns: CampaignService;
  answering: SurveyAnswering;
  results: SurveyResults;
  /** Problems of the definition files found at start (the valid files were loaded). */
  fileErrors: SurveyFileError[];
  /** What the chat command and actions work with. */
  chat: SurveyChatDeps;
  /** A typed reply to the survey question just asked; true when handled. */
  handleTypedAnswer(context: ConversationContext, text: string): Promise<boolean>;
  /** The coordinators' digest: service, `digest` command, weekly job, schedules. */
  digests: DigestServices;
  /** For the conversation core: answers to anonymous campaigns are recorded redacted. */
  confidentiality: ConfidentialityPolicy;
}

export interface SurveyServicesDeps {
  config: RelaisConfig;
  repositories: Repositories;
  secret: Buffer;
  identities: IdentityService;
  messenger: ProactiveMessenger;
  scheduler: Scheduler;
  logger: Logger;
  clock: Clock;
  ids: IdGenerator;
  /** Digest delivery claims go to its `digest_deliveries` table (memory without a database). */
  database?: Database;
  /** The assistant's language model, when configured (digest summary, irritant grouping). */
  model?: LanguageModel;
}

/** Loads and publishes the definition files; bad files are reported, the others load. */
export async function publishSurveyFiles(catalog: SurveyCatalog, directory: string, logger: Logger): Promise<SurveyFileError[]> {
  const report = await loadSurveys(directory);
  for (const error of report.errors) logger.error({ file: error.file, path: error.path, problem: error.message }, `invalid survey file: ${formatSurveyError(error)}`);
  const created = await catalog.publishAll(report.surveys.map((s) => s.definition));
  logger.info({ loaded: report.surveys.length, newVersions: created.map((s) => `${s.definition.id}@${s.version}`), invalid: report.errors.length }, 'surveys published');
  return report.errors;
}

export async function createSurveyServices(deps: SurveyServicesDeps): Promise<SurveyServices> {
  const { config, repositories, logger, clock, ids } = deps;
  const log = logger.child({ scope: 'surveys' });
  const catalog = new SurveyCatalog(repositories.surveys, clock);
  const fileErrors = await publishSurveyFiles(catalog, config.surveys.directory ?? SURVEYS_DIR, log);
  const teams = new TeamService(repositories.teams, deps.identities, repositories.audit, clock, config.timezone);
  const answering = new SurveyAnswering({
    campaigns: repositories.campaigns,
    catalog,
    tokens: createRespondentTokens(deps.secret),
    audit: repositories.audit,
    clock,
    ids,
    timezoneOf: campaignTimezone(teams, config.timezone),
    messages: repositories.messages,
  });
  const campaigns = new CampaignService({
    campaigns: repositories.campaigns,
    catalog,
    teams,
    answering,
    messenger: deps.messenger,
    identities: deps.identities,
    scheduler: deps.scheduler,
    audit: repositories.audit,
    clock,
    ids,
    logger: log,
    quietHours: config.surveys.quietHours,
    defaultTimezone: config.timezone,
    defaultLocale: config.locale,
    messages: repositories.messages,
  });
  const results = new SurveyResults(repositories.campaigns, catalog, {
    irritants: { weights: config.surveys.irritantWeights },
    ...(deps.model ? { model: deps.model } : {}),
    logger: log,
  });
  const chat: SurveyChatDeps = { answering, campaigns, results, catalog, teams, messages: repositories.messages };
  const digests = createDigestServices({
    repositories,
    ...(deps.database ? { database: deps.database } : {}),
    teams,
    catalog,
    results,
    sender: deps.messenger,
    scheduler: deps.scheduler,
    clock,
    logger,
    quietHours: config.surveys.quietHours,
    ...(deps.model ? { model: deps.model } : {}),
    irritants: { weights: config.surveys.irritantWeights },
  });
  return {
    catalog,
    teams,
    campaigns,
    answering,
    results,
    fileErrors,
    chat,
    handleTypedAnswer: createTypedAnswerHandler(chat),
    digests,
    confidentiality: createAnonymousAnswersPolicy(chat),
  };
}

/** Registers the commands, the `survey:` actions and the jobs (before the scheduler starts). */
export function registerSurveyServices(services: SurveyServices, core: ConversationCore, scheduler: Scheduler, messenger: ProactiveMessenger): void {
  const { chat } = services;
  core.commands.register(createSurveyCommand(chat)).register(createTeamCommand(services.teams)).register(services.digests.command);
  core.actions.register(
    createSurveyActionHandler(chat, async (personId, messages) => {
      for (const message of messages) await messenger.sendToPerson(personId, message);
    }),
  );
  scheduler.register(campaignOpenJob(services.campaigns));
  scheduler.register(campaignReminderJob(services.campaigns));
  scheduler.register(campaignCloseJob(services.campaigns));
  scheduler.register(checkinJob(services.campaigns));
  scheduler.register(services.digests.job);
}
