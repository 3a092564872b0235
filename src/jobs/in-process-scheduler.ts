/**
 * The job runner used when no Redis is configured (embedded mode, one
 * process). Jobs and schedules live in the `JobStore` (PostgreSQL/PGlite),
 * so a restart — even after kill -9 — resumes pending jobs, re-runs the
 * ones that were running, and fires a schedule missed while down once.
 *
 * One timer is armed for the earliest due time; every change wakes it.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/ports/clock.js';
import { systemClock } from '../core/ports/clock.js';
import type { Logger } from '../core/ports/logger.js';
import type { JobStore, StoredJob, StoredSchedule } from '../core/ports/repositories.js';
import type {
  EnqueueOptions,
  JobDefinition,
  Recurrence,
  ScheduleInfo,
  Scheduler,
} from '../core/ports/scheduler.js';
import { backoffDelay, errorSummary, JobRegistry, shouldRetry } from './job-registry.js';
import { nextRunAfter, sameRecurrence, validateRecurrence } from './recurrence.js';

export interface InProcessSchedulerOptions {
  store: JobStore;
  logger: Logger;
  clock?: Clock;
  /** Jobs run at the same time (default 4). */
  concurrency?: number;
  /** How long `stop()` waits for running jobs (default 8 s). */
  stopTimeoutMs?: number;
}

/** Even with nothing due, look at the store this often (another process may have written to it). */
const MAX_SLEEP_MS = 30_000;

export class InProcessScheduler implements Scheduler {
  private readonly registry = new JobRegistry();
  private readonly store: JobStore;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly concurrency: number;
  private readonly stopTimeoutMs: number;
  private readonly running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private stopping = false;
  private ticking = false;
  private tickAgain = false;

  constructor(options: InProcessSchedulerOptions) {
    this.store = options.store;
    this.log = options.logger.child({ scope: 'scheduler', runner: 'in-process' });
    this.clock = options.clock ?? systemClock;
    this.concurrency = options.concurrency ?? 4;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 8000;
  }

  register<T>(definition: JobDefinition<T>): void {
    this.registry.register(definition);
  }

  async enqueue(jobName: string, data: unknown, options: EnqueueOptions = {}): Promise<string> {
    const id = options.key ?? randomUUID();
    await this.store.insertJob({
      id,
      jobName,
      data,
      runAt: options.runAt ?? this.clock.now(),
      maxAttempts: this.registry.attemptsOf(jobName),
      backoffMs: this.registry.backoffOf(jobName),
      scheduleKey: null,
    });
    this.wake();
    return id;
  }

  async cancel(jobId: string): Promise<boolean> {
    return this.store.cancelJob(jobId, this.clock.now());
  }

  async schedule(key: string, jobName: string, data: unknown, recurrence: Recurrence): Promise<ScheduleInfo> {
    this.registry.get(jobName);
    validateRecurrence(recurrence);
    const now = this.clock.now();
    const existing = await this.store.getSchedule(key);
    // Re-declaring an unchanged schedule (every start) keeps its next run, including a missed one.
    const keepNext = existing && existing.jobName === jobName && sameRecurrence(existing.recurrence, recurrence);
    const stored = await this.store.upsertSchedule(
      { key, jobName, recurrence, data, nextRunAt: keepNext ? existing.nextRunAt : nextRunAfter(recurrence, now) },
      now,
    );
    this.wake();
    return toInfo(stored);
  }

  async unschedule(key: string): Promise<boolean> {
    return this.store.deleteSchedule(key);
  }

  async listSchedules(): Promise<ScheduleInfo[]> {
    return (await this.store.listSchedules()).map(toInfo);
  }

  async start(): Promise<void> {
    if (this.started) return;
    const requeued = await this.store.requeueRunning(this.clock.now());
    if (requeued > 0) this.log.warn({ requeued }, 'jobs interrupted by the previous stop are run again');
    this.started = true;
    this.stopping = false;
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running.size === 0) return;
    let timeout: NodeJS.Timeout | undefined;
    const expired = new Promise<'timeout'>((resolve) => {
      timeout = setTimeout(() => resolve('timeout'), this.stopTimeoutMs);
    });
    const outcome = await Promise.race([Promise.allSettled([...this.running]).then(() => 'done' as const), expired]);
    clearTimeout(timeout);
    if (outcome === 'timeout') this.log.warn({ running: this.running.size }, 'jobs still running at stop; they will run again at next start');
  }

  /** Asks for a tick as soon as possible; ticks never overlap. */
  private wake(): void {
    if (!this.started || this.stopping) return;
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), 0);
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (!this.started || this.stopping) return;
    this.ticking = true;
    try {
      do {
        this.tickAgain = false;
        const now = this.clock.now();
        const schedules = await this.store.listSchedules();
        for (const schedule of schedules) await this.fireIfDue(schedule, now);
        await this.runDueJobs(now);
        // A wake() during these awaits sets tickAgain: loop, or its news would be lost.
        await this.armTimer();
      } while (this.tickAgain && this.started);
    } catch (error) {
      this.log.error({ err: errorSummary(error) }, 'scheduler tick failed; retrying');
      this.timer = setTimeout(() => void this.tick(), 1000);
    } finally {
      this.ticking = false;
    }
  }

  private async fireIfDue(schedule: StoredSchedule, now: Date): Promise<void> {
    const due = schedule.nextRunAt;
    if (!due || due.getTime() > now.getTime()) return;
    if (!this.registry.has(schedule.jobName)) return;
    // Missed occurrences (process down) collapse into this one run.
    const next = nextRunAfter(schedule.recurrence, now);
    if (!(await this.store.advanceSchedule(schedule.key, due, now, next))) return;
    await this.store.insertJob({
      id: `${schedule.key}@${due.toISOString()}`,
      jobName: schedule.jobName,
      data: schedule.data,
      runAt: due,
      maxAttempts: this.registry.attemptsOf(schedule.jobName),
      backoffMs: this.registry.backoffOf(schedule.jobName),
      scheduleKey: schedule.key,
    });
  }

  private async runDueJobs(now: Date): Promise<void> {
    const capacity = this.concurrency - this.running.size;
    if (capacity <= 0) return;
    for (const job of await this.store.dueJobs(now, capacity)) {
      const claimed = await this.store.claimJob(job.id, now);
      if (claimed) this.track(this.run(claimed));
    }
  }

  private track(run: Promise<void>): void {
    this.running.add(run);
    void run.finally(() => {
      this.running.delete(run);
      this.wake();
    });
  }

  private async run(job: StoredJob): Promise<void> {
    const log = this.log.child({ job: job.jobName, jobId: job.id, attempt: job.attempts });
    try {
      await this.registry.execute(job.jobName, job.data, {
        id: job.id,
        attempt: job.attempts,
        scheduledFor: job.runAt,
        ...(job.scheduleKey ? { scheduleKey: job.scheduleKey } : {}),
      });
      await this.store.completeJob(job.id, this.clock.now());
      log.debug('job done');
    } catch (error) {
      const now = this.clock.now();
      const retry = shouldRetry(error, job.attempts, job.maxAttempts);
      const retryAt = retry ? new Date(now.getTime() + backoffDelay(job.backoffMs, job.attempts)) : null;
      await this.store.failJob(job.id, errorSummary(error), retryAt, now).catch((storeError: unknown) => {
        log.error({ err: errorSummary(storeError) }, 'could not record job failure; it will run again at next start');
      });
      log.warn({ err: errorSummary(error), retryAt }, retry ? 'job failed; will retry' : 'job failed permanently');
    }
  }

  private async armTimer(): Promise<void> {
    if (!this.started || this.stopping) return;
    const candidates = [await this.store.nextDueAt(), ...(await this.store.listSchedules()).map((s) => s.nextRunAt)]
      .filter((d): d is Date => d !== null)
      .map((d) => d.getTime());
    const now = this.clock.now().getTime();
    const delay = Math.min(MAX_SLEEP_MS, Math.max(0, Math.min(...candidates, now + MAX_SLEEP_MS) - now));
    if (this.timer) clearTimeout(this.timer);
    // A full pool wakes us when a job finishes; no need to poll sooner.
    this.timer = setTimeout(() => void this.tick(), this.running.size >= this.concurrency ? MAX_SLEEP_MS : delay);
    this.timer.unref();
  }
}

function toInfo(schedule: StoredSchedule): ScheduleInfo {
  return {
    key: schedule.key,
    jobName: schedule.jobName,
    recurrence: schedule.recurrence,
    data: schedule.data,
    nextRunAt: schedule.nextRunAt,
    lastRunAt: schedule.lastRunAt,
  };
}
