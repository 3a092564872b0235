/**
 * Wires the coordinators' digest: the data source over the survey stores,
 * the delivery claims (database table when there is one), Vega charts, the
 * proactive messenger as sender, the weekly job per team and the
 * `digest`/`synthèse` command.
 *
 * Schedules: `digest:<teamId>` (Monday 09:00, team time zone) is declared
 * for every team at start (`declareAll`, after the scheduler started) and
 * when a team is created through `TeamService.create`; a fire for a team
 * that no longer exists removes its schedule. Quiet hours: the weekly slot
 * is outside them by default, but a run that falls inside them (a retry,
 * a configured slot) is put off to the next allowed time through the
 * scheduler, like the survey engine's invitations — never dropped.
 */
import type { Database } from '../adapters/store/prisma/database.js';
import { PrismaDigestDeliveryStore } from '../adapters/store/prisma/prisma-digest-delivery.store.js';
import { InMemoryDigestDeliveryStore } from '../adapters/memory/in-memory-digest-delivery.store.js';
import type { ChartRenderer, ChartSpec, RenderedChart } from '../core/ports/chart-renderer.js';
import type { Command } from '../core/conversation/command-registry.js';
import { createDigestCommand } from '../core/digests/digest.command.js';
import type { DigestSender } from '../core/digests/digest-data-source.js';
import { DigestService, type DigestRunResult } from '../core/digests/digest-service.js';
import { SurveyDigestSource } from '../core/digests/survey-digest-source.js';
import { isRelaisError } from '../core/errors.js';
import type { Clock } from '../core/ports/clock.js';
import type { LanguageModel } from '../core/ports/language-model.js';
import type { IrritantRankingOptions } from '../core/surveys/analysis/irritants-ranking.js';
import type { Logger } from '../core/ports/logger.js';
import type { Repositories } from '../core/ports/repositories.js';
import type { JobDefinition, Scheduler } from '../core/ports/scheduler.js';
import { isQuiet, nextAllowedTime, type QuietHours } from '../core/surveys/quiet-hours.js';
import type { SurveyCatalog } from '../core/surveys/survey-catalog.js';
import type { SurveyResults } from '../core/surveys/survey-results.js';
import type { TeamService } from '../core/teams/team-service.js';
import { declareDigest, DIGEST_JOB, digestJob, digestScheduleKey, type DigestJobData } from '../jobs/digest.job.js';

export interface DigestServicesDeps {
  repositories: Pick<Repositories, 'campaigns' | 'teams'>;
  /** Claims live in the `digest_deliveries` table when there is a database, in memory otherwise. */
  database?: Database;
  teams: TeamService;
  catalog: SurveyCatalog;
  results: SurveyResults;
  sender: DigestSender;
  scheduler: Scheduler;
  clock: Clock;
  logger: Logger;
  quietHours: QuietHours | null;
  /** The assistant's language model, when configured: groups irritants and writes "In short". */
  model?: LanguageModel;
  irritants?: IrritantRankingOptions;
}

export interface DigestServices {
  service: DigestService;
  command: Command;
  /** The weekly job (quiet-hours gate, removed team → schedule removed). */
  job: JobDefinition<DigestJobData>;
  /** Declares `digest:<teamId>` for every team (idempotent); call after the scheduler started. */
  declareAll(): Promise<void>;
}

export function createDigestServices(deps: DigestServicesDeps): DigestServices {
  const { repositories, scheduler, clock } = deps;
  const log = deps.logger.child({ scope: 'digest' });
  const source = new SurveyDigestSource({
    campaigns: repositories.campaigns,
    teams: repositories.teams,
    catalog: deps.catalog,
    results: deps.results,
    deliveries: deps.database ? new PrismaDigestDeliveryStore(deps.database.prisma) : new InMemoryDigestDeliveryStore(),
    clock,
  });
  const service = new DigestService({
    source,
    charts: new LazyVegaChartRenderer(),
    sender: deps.sender,
    clock,
    logger: deps.logger,
    ...(deps.model ? { model: deps.model } : {}),
    ...(deps.irritants ? { irritants: deps.irritants } : {}),
  });

  const base = digestJob({
    async sendScheduled(teamId, at): Promise<DigestRunResult> {
      try {
        return await service.sendScheduled(teamId, at);
      } catch (error) {
        if (!isRelaisError(error) || error.code !== 'digest.team_not_found') throw error;
        // The team was removed: its weekly digest goes with it.
        await scheduler.unschedule(digestScheduleKey(teamId));
        log.info({ teamId }, 'digest schedule removed: team no longer exists');
        return { periodKey: '', recipients: 0, delivered: 0, skipped: 0, failed: 0 };
      }
    },
  });
  const job: JobDefinition<DigestJobData> = {
    ...base,
    async handle(data, context) {
      const team = await repositories.teams.get(data.teamId);
      const now = clock.now();
      if (team && isQuiet(now, team.timezone, deps.quietHours)) {
        const next = nextAllowedTime(now, team.timezone, deps.quietHours);
        await scheduler.enqueue(DIGEST_JOB, data, { key: `${digestScheduleKey(data.teamId)}@${next.toISOString()}`, runAt: next });
        log.info({ teamId: data.teamId, until: next.toISOString() }, 'digest deferred by quiet hours');
        return;
      }
      await base.handle(data, context);
    },
  };

  // A team created at run time gets its weekly digest at once (chat or CLI: both go through TeamService).
  const create = deps.teams.create.bind(deps.teams);
  deps.teams.create = async (input, actorId) => {
    const team = await create(input, actorId);
    await declareDigest(scheduler, team.id, team.timezone);
    return team;
  };

  return {
    service,
    command: createDigestCommand(deps.teams, service),
    job,
    async declareAll() {
      const teams = await repositories.teams.list();
      for (const team of teams) await declareDigest(scheduler, team.id, team.timezone);
      log.info({ teams: teams.length }, 'digest schedules declared');
    },
  };
}

/**
 * Vega, Vega-Lite and resvg take about a second to load: loaded on the first
 * chart, so `relais` commands and starts that never draw one do not pay it.
 */
class LazyVegaChartRenderer implements ChartRenderer {
  private renderer: Promise<ChartRenderer> | undefined;

  renderPng(spec: ChartSpec): Promise<RenderedChart> {
    // Scale 1 keeps a chart near 17 KB: Teams refuses messages over ~28 KB, inline base64 images included.
    this.renderer ??= import('../adapters/charts/vega-chart-renderer.js').then(({ VegaChartRenderer }) => new VegaChartRenderer({ scale: 1 }));
    return this.renderer.then((renderer) => renderer.renderPng(spec));
  }
}
