/**
 * The digest use case: load a team's data, compute indicators and the
 * irritants ranking, build the message, and send it to the coordinators
 * (scheduled, weekly by default) or return it (on demand, `/relais digest`).
 */
import { NotFoundError, UnavailableError } from '../errors.js';
import { LOCALES, type Locale } from '../i18n/locale.js';
import type { OutboundMessage } from '../messages/outbound.js';
import type { ChartRenderer } from '../ports/chart-renderer.js';
import type { Clock } from '../ports/clock.js';
import type { LanguageModel } from '../ports/language-model.js';
import type { Logger } from '../ports/logger.js';
import { computeIndicators, weekOf } from '../surveys/analysis/indicators.js';
import { rankIrritantsWithModel } from '../surveys/analysis/irritants-model-grouping.js';
import type { IrritantRankingOptions } from '../surveys/analysis/irritants-ranking.js';
import { buildDigest } from './digest-builder.js';
import type { DigestData, DigestDataSource, DigestSender } from './digest-data-source.js';

export interface DigestServiceDeps {
  source: DigestDataSource;
  charts: ChartRenderer;
  sender: DigestSender;
  clock: Clock;
  logger: Logger;
  /** When set, groups irritants and writes the summary (with fallbacks). */
  model?: LanguageModel;
  /** Weights of the irritant score (`RELAIS_IRRITANT_WEIGHTS`). */
  irritants?: IrritantRankingOptions;
  /** Length of the period a digest covers, in days (default 7). */
  periodDays?: number;
}

export interface DigestRunResult {
  /** Week of the digest (local Monday, YYYY-MM-DD): the idempotency key. */
  periodKey: string;
  recipients: number;
  delivered: number;
  /** Already sent for this period (a retry or a second fire). */
  skipped: number;
  failed: number;
}

const DAY_MS = 86_400_000;

export class DigestService {
  private readonly log: Logger;

  constructor(private readonly deps: DigestServiceDeps) {
    this.log = deps.logger.child({ scope: 'digest' });
  }

  private period(now: Date): { from: Date; to: Date } {
    return { from: new Date(now.getTime() - (this.deps.periodDays ?? 7) * DAY_MS), to: now };
  }

  private async load(teamId: string, now: Date): Promise<DigestData> {
    const data = await this.deps.source.load(teamId, this.period(now));
    if (!data) throw new NotFoundError('digest.team_not_found', `no team "${teamId}"`, { teamId });
    return data;
  }

  /** Builds the digest of `teamId` in `locale` without sending it (on-demand digest). */
  async compose(teamId: string, locale: Locale, now: Date = this.deps.clock.now()): Promise<OutboundMessage> {
    const data = await this.load(teamId, now);
    return (await this.composeAll(data, now, [locale]))[locale]!;
  }

  /** Sends this period's digest to every coordinator of the team, once per coordinator and period. */
  async sendScheduled(teamId: string, now: Date = this.deps.clock.now()): Promise<DigestRunResult> {
    const data = await this.load(teamId, now);
    const periodKey = weekOf(now, data.team.timezone);
    const result: DigestRunResult = { periodKey, recipients: data.team.coordinatorPersonIds.length, delivered: 0, skipped: 0, failed: 0 };
    if (result.recipients === 0) {
      this.log.info({ teamId, periodKey }, 'digest skipped: team has no coordinator');
      return result;
    }
    const messages = await this.composeAll(data, now, LOCALES);
    for (const personId of data.team.coordinatorPersonIds) {
      if (!(await this.deps.source.claimDelivery(teamId, periodKey, personId))) {
        result.skipped++;
        continue;
      }
      let delivered = false;
      try {
        const deliveries = await this.deps.sender.sendToPerson(personId, (locale) => messages[locale] ?? messages.fr!);
        delivered = deliveries.some((d) => d.delivered);
      } catch (error) {
        this.log.warn({ teamId, periodKey, err: error instanceof Error ? error.name : 'unknown' }, 'digest delivery threw');
      }
      if (delivered) result.delivered++;
      else {
        result.failed++;
        await this.deps.source.releaseDelivery(teamId, periodKey, personId);
      }
    }
    this.log.info({ teamId, ...result }, 'digest sent');
    if (result.failed > 0) {
      throw new UnavailableError('digest.delivery_failed', `digest not delivered to ${result.failed} coordinator(s)`, { details: { ...result, teamId } });
    }
    return result;
  }

  private async composeAll(data: DigestData, now: Date, locales: readonly Locale[]): Promise<Partial<Record<Locale, OutboundMessage>>> {
    const { team, minGroupSize: k } = data;
    const period = this.period(now);
    const indicators =
      data.checkins.length > 0
        ? computeIndicators(data.indicatorQuestions, data.checkins, {
            timezone: team.timezone,
            minGroupSize: k,
            ...(data.phases ? { baselinePhase: data.phases.baseline, followUpPhase: data.phases.followUp } : {}),
          })
        : null;
    const irritants = data.irritants.length > 0 ? await rankIrritantsWithModel(data.irritants, this.deps.model, this.deps.irritants) : null;
    if (irritants?.fallbackReason) this.log.warn({ teamId: team.id, reason: irritants.fallbackReason }, 'irritants grouped lexically');

    const inPeriod = data.checkins.filter((s) => s.teamId === team.id && s.complete && s.submittedAt >= period.from && s.submittedAt <= period.to);
    const texts = inPeriod.flatMap((s) =>
      s.answers.filter((a) => data.commentQuestionIds.includes(a.questionId) && typeof a.value === 'string' && a.value.trim() !== '').map((a) => a.value as string),
    );
    const out: Partial<Record<Locale, OutboundMessage>> = {};
    for (const locale of locales) {
      out[locale] = await buildDigest({
        locale,
        team: { id: team.id, name: team.name },
        period: { ...period, timezone: team.timezone },
        minGroupSize: k,
        participation: data.participation,
        indicators,
        indicatorQuestions: data.indicatorQuestions,
        irritants,
        comments: { texts, respondents: inPeriod.length },
        charts: this.deps.charts,
        ...(this.deps.model ? { model: this.deps.model } : {}),
        logger: this.log,
      });
    }
    return out;
  }
}
