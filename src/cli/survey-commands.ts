/**
 * `relais survey validate|list|launch|status|close|results|export`: the
 * survey engine for admins, on the same database as the running bot.
 * Launching writes the campaign and its jobs to the database; the running
 * Relais picks them up (within 30 s with the in-process runner, 15 s with Redis).
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { createPinoLogger } from '../adapters/log/pino-logger.js';
import { loadInstanceSecret } from '../adapters/store/instance-secret.js';
import { formatSurveyError, loadSurveys } from '../adapters/surveys/survey-file-loader.js';
import { createSurveyServices, registerSurveyServices, type SurveyServices } from '../composition/survey-services.js';
import { createConversationCore } from '../core/conversation/create-conversation-core.js';
import type { PlatformName } from '../core/messages/conversation-ref.js';
import type { ChatPlatform } from '../core/ports/chat-platform.js';
import { systemClock } from '../core/ports/clock.js';
import type { Campaign, CampaignAudience } from '../core/ports/campaign-repository.js';
import type { Repositories } from '../core/ports/repositories.js';
import { createPseudonymizer } from '../core/privacy/pseudonymizer.js';
import { localize } from '../core/surveys/survey-definition.js';
import { parseLocalDay } from '../core/surveys/zoned-midnight.js';
import { formatResults } from '../core/surveys/survey-results.js';
import { parseIdentity } from '../core/teams/team-service.js';
import { InProcessScheduler } from '../jobs/in-process-scheduler.js';
import type { RelaisConfig } from '../config.js';
import { openRepositories, productSettings } from '../main.js';
import { formatTable } from './table.js';

export interface SurveyCli {
  config: RelaisConfig;
  repositories: Repositories;
  surveys: SurveyServices;
}

/** Opens the database and builds the survey engine as the server does (no platform, no job runner). */
export async function withSurveyServices<T>(config: RelaisConfig, work: (cli: SurveyCli) => Promise<T>): Promise<T> {
  const logger = createPinoLogger({ level: config.log.level === 'info' ? 'warn' : config.log.level, stderr: true });
  const { repositories, database } = await openRepositories(config, logger, { shareWithRunning: true });
  try {
    const secret = await loadInstanceSecret(config.dataDir, config.secret);
    const ids = { next: () => randomUUID() };
    const platforms = new Map<PlatformName, ChatPlatform>();
    const core = createConversationCore({ settings: productSettings(config), repositories, pseudonymizer: createPseudonymizer(secret), platforms, clock: systemClock, ids, logger });
    // Not started: it only writes jobs to the database, where the running bot's runner finds them.
    const scheduler = new InProcessScheduler({ store: repositories.jobs, logger, clock: systemClock });
    const surveys = await createSurveyServices({ config, repositories, secret, identities: core.identities, messenger: core.messenger, scheduler, logger, clock: systemClock, ids });
    registerSurveyServices(surveys, core, scheduler, core.messenger);
    return await work({ config, repositories, surveys });
  } finally {
    await database?.close();
  }
}

const iso = (d: Date): string => d.toISOString().replace('.000Z', 'Z');

function parseDate(text: string | undefined, name: string): Date | undefined {
  if (text === undefined) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new Error(`${name}: "${text}" is not a date (e.g. 2026-03-02T09:00:00+01:00)`);
  return date;
}

function parseDay(text: string | undefined, name: string, timezone: string, endOfDay: boolean): Date | undefined {
  if (text === undefined) return undefined;
  return parseLocalDay(text, timezone, { endOfDay }) ?? parseDate(text, name);
}

async function campaignOrFail(cli: SurveyCli, id: string): Promise<Campaign> {
  const campaign = await cli.repositories.campaigns.get(id);
  if (!campaign) throw new Error(`no campaign "${id}" (see relais survey status)`);
  return campaign;
}

export function registerSurveyCommands(program: Command, configOrExit: () => RelaisConfig): void {
  const survey = program.command('survey').description('survey definitions, campaigns, results and exports');

  survey
    .command('validate')
    .description('check survey files (a YAML file or a directory) against the schema and the rules')
    .argument('<path>', 'file or directory')
    .action(async (path: string) => {
      const report = await loadSurveys(path);
      for (const s of report.surveys) console.log(`✔ ${s.file}: ${s.definition.id} (${s.definition.questions.length} questions, ${s.definition.anonymity.mode})`);
      for (const e of report.errors) console.error(`✘ ${formatSurveyError(e)}`);
      console.log(`\n${report.surveys.length} valid, ${new Set(report.errors.map((e) => e.file)).size} invalid`);
      if (report.errors.length > 0) process.exitCode = 1;
    });

  survey
    .command('list')
    .description('published surveys (latest versions)')
    .action(async () => {
      await withSurveyServices(configOrExit(), async ({ surveys }) => {
        const list = await surveys.catalog.list();
        console.log(formatTable(['Survey', 'Version', 'Questions', 'Anonymity', 'Title'], list.map((s) => [s.definition.id, String(s.version), String(s.definition.questions.length), s.definition.anonymity.mode === 'anonymous' ? `anonymous (k=${s.definition.anonymity.k})` : 'named', localize(s.definition.title, 'fr')])));
      });
    });

  survey
    .command('launch')
    .description('launch a campaign: a survey for a team or people, within a window, with reminders')
    .argument('<survey>', 'survey id, e.g. irritants')
    .option('--team <team>', 'team id (see relais team list)')
    .option('--people <identities...>', 'platform identities, e.g. web:alice slack:U024BE7LH')
    .option('--days <n>', 'open for n days (default 7)')
    .option('--opens <date>', 'opening time (default now)')
    .option('--closes <date>', 'closing time (instead of --days)')
    .option('--reminders <hours>', 'reminders to non-respondents, hours after opening (default 72,120; "none" for none)')
    .option('--phase <name>', 'phase label for indicators (e.g. baseline, suivi)')
    .option('--every <cron>', 'recurring check-in: cron pattern in the team time zone, e.g. "0 14 * * 5"')
    .option('--from <date>', 'recurring: first occurrence not before this date')
    .option('--until <date>', 'recurring: no occurrence after this date')
    .option('--window-hours <n>', 'recurring: hours each occurrence stays open (default 72)')
    .action(async (surveyId: string, options: Record<string, string | string[] | undefined>) => {
      await withSurveyServices(configOrExit(), async (cli) => {
        let audience: CampaignAudience;
        if (typeof options.team === 'string') audience = { kind: 'team', teamId: (await cli.surveys.teams.get(options.team)).id };
        else if (Array.isArray(options.people)) {
          const personIds: string[] = [];
          for (const text of options.people) {
            const identity = parseIdentity(text);
            personIds.push(await resolvePerson(cli, identity.platform, identity.externalId));
          }
          audience = { kind: 'people', personIds };
        } else throw new Error('give --team <team> or --people <identities...>');
        const reminders = options.reminders === 'none' ? [] : typeof options.reminders === 'string' ? options.reminders.split(',').map(Number) : undefined;
        const every = typeof options.every === 'string' ? options.every : undefined;
        // A plain date is a day where the team works, --until included; a full timestamp is taken as is.
        const zone = audience.kind === 'team' ? (await cli.surveys.teams.get(audience.teamId)).timezone : cli.config.timezone;
        const from = parseDay(options.from as string | undefined, '--from', zone, false);
        const until = parseDay(options.until as string | undefined, '--until', zone, true);
        const opensAt = parseDate(options.opens as string | undefined, '--opens');
        const closesAt = parseDate(options.closes as string | undefined, '--closes');
        const { campaign, invitationsAt } = await cli.surveys.campaigns.launch({
          surveyId,
          audience,
          createdBy: null,
          ...(opensAt ? { opensAt } : {}),
          ...(closesAt ? { closesAt } : {}),
          ...(options.days ? { days: Number(options.days) } : {}),
          ...(reminders ? { reminderOffsetsHours: reminders } : {}),
          ...(options.phase ? { phase: String(options.phase) } : {}),
          ...(every ? { recurrence: { cron: every, windowHours: Number(options.windowHours ?? 72), ...(from ? { from } : {}), ...(until ? { until } : {}) } } : {}),
        });
        console.log(`Campaign ${campaign.id}: ${campaign.surveyId} v${campaign.surveyVersion}, ${campaign.audience.kind}${campaign.teamId ? ` ${campaign.teamId}` : ''}`);
        if (campaign.recurrence) console.log(`Recurring: "${campaign.recurrence.cron}" (${campaign.recurrence.timezone}), each occurrence open ${campaign.recurrence.windowHours} h`);
        else console.log(`Opens ${iso(campaign.opensAt)} (invitations from ${iso(invitationsAt)}, quiet hours respected), closes ${iso(campaign.closesAt)}; reminders at +${campaign.reminderOffsetsHours.join(' h, +')} h`);
        console.log('The running Relais sends the invitations (within 30 s).');
      });
    });

  survey
    .command('status')
    .description('campaigns with their participation (invited, started, completed)')
    .argument('[campaign]', 'one campaign id')
    .action(async (id: string | undefined) => {
      await withSurveyServices(configOrExit(), async (cli) => {
        const campaigns = id ? [await campaignOrFail(cli, id)] : await cli.repositories.campaigns.list();
        const rows: string[][] = [];
        for (const c of campaigns) {
          const p = await cli.repositories.campaigns.participation(c.id);
          rows.push([c.id, `${c.surveyId}@${c.surveyVersion}`, c.teamId ?? c.audience.kind, c.status, iso(c.opensAt), iso(c.closesAt), String(p.invited), String(p.started), String(p.completed)]);
        }
        console.log(formatTable(['Campaign', 'Survey', 'Audience', 'Status', 'Opens', 'Closes', 'Invited', 'Started', 'Completed'], rows));
      });
    });

  survey
    .command('close')
    .description('close a campaign now (answers can no longer be given or changed)')
    .argument('<campaign>')
    .action(async (id: string) => {
      await withSurveyServices(configOrExit(), async (cli) => {
        const campaign = await cli.surveys.campaigns.close((await campaignOrFail(cli, id)).id, null);
        console.log(`Campaign ${campaign.id} closed.`);
      });
    });

  survey
    .command('results')
    .description('participation, per-question figures (k applied to anonymous campaigns), ranked irritants')
    .argument('<campaign>')
    .option('--json', 'machine-readable output')
    .action(async (id: string, options: { json?: boolean }) => {
      await withSurveyServices(configOrExit(), async (cli) => {
        const results = await cli.surveys.results.results(await campaignOrFail(cli, id));
        if (options.json) console.log(JSON.stringify({ participation: results.participation, aggregates: results.aggregates, irritants: results.irritants ?? null }, null, 2));
        else console.log(formatResults(results, cli.config.locale));
      });
    });

  survey
    .command('export')
    .description('one row per response, as CSV or JSON (anonymous campaigns: only from k complete answers)')
    .argument('<campaign>')
    .option('--format <format>', 'csv or json', 'csv')
    .option('--out <file>', 'write to this file instead of the standard output')
    .action(async (id: string, options: { format: string; out?: string }) => {
      if (options.format !== 'csv' && options.format !== 'json') throw new Error(`--format: "${options.format}" is not csv or json`);
      await withSurveyServices(configOrExit(), async (cli) => {
        const campaign = await campaignOrFail(cli, id);
        const text = options.format === 'csv' ? (await cli.surveys.results.exportCsv(campaign)).csv : `${JSON.stringify(await cli.surveys.results.exportJson(campaign), null, 2)}\n`;
        if (options.out) {
          await writeFile(options.out, text, { mode: 0o600 });
          console.error(`Written to ${options.out}`);
        } else process.stdout.write(text);
      });
    });
}

async function resolvePerson(cli: SurveyCli, platform: PlatformName, externalId: string): Promise<string> {
  const [personId] = await cli.surveys.teams.resolvePeople([{ platform, externalId }]);
  return personId!;
}
