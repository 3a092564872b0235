/**
 * The job layer on BullMQ when `REDIS_URL` is set: several bot and worker
 * processes share one queue. PostgreSQL stays the source of truth (Redis
 * keeps nothing on disk here): schedules and pending jobs are written to the
 * `JobStore` first, then mirrored into Redis, and re-declared at every start
 * with their stable keys, so a restart of either never loses or duplicates
 * them. Job schedulers use `upsertJobScheduler(key, { pattern, tz })`.
 */
import { randomUUID } from 'node:crypto';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { UnavailableError } from '../core/errors.js';
import type { Clock } from '../core/ports/clock.js';
import { systemClock } from '../core/ports/clock.js';
import type { HealthProbe } from '../core/ports/health.js';
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
import { nextRunAfter, validateRecurrence } from './recurrence.js';

export interface BullMqSchedulerOptions {
  redisUrl: string;
  store: JobStore;
  logger: Logger;
  clock?: Clock;
  /** Redis key prefix, so several deployments (or tests) can share one Redis (default "relais"). */
  prefix?: string;
  /** Queue name (default "relais"). */
  queueName?: string;
  /** Jobs one process runs at the same time (default 4). */
  concurrency?: number;
  /**
   * How often Redis is made to match the store again (default 15 s): schedules
   * and jobs written by another process without Redis (the CLI) or lost by
   * Redis are declared, stray schedules removed.
   */
  reconcileEveryMs?: number;
  /** How long `stop()` waits for running jobs before leaving them to BullMQ's stalled-job recovery (default 8 s). */
  stopTimeoutMs?: number;
}

/** BullMQ rejects ':' in custom job ids; keys like "survey:12:reminder" are escaped. */
export function toBullJobId(key: string): string {
  return key.replace(/%/g, '%25').replace(/:/g, '%3A');
}

export function fromBullJobId(id: string): string {
  return id.replace(/%3A/g, ':').replace(/%25/g, '%');
}

function repeatOptions(recurrence: Recurrence): { pattern: string; tz: string } | { every: number } {
  return 'everyMs' in recurrence ? { every: recurrence.everyMs } : { pattern: recurrence.cron, tz: recurrence.timezone };
}

/** Whether Redis already holds this schedule as stored (recurrence, job and data). */
function sameDeclaration(existing: { name: string; pattern?: string; every?: number; tz?: string; template?: { data?: unknown } }, schedule: StoredSchedule): boolean {
  const wanted = repeatOptions(schedule.recurrence);
  const sameRecurrence = 'every' in wanted ? existing.every === wanted.every : existing.pattern === wanted.pattern && (existing.tz ?? undefined) === wanted.tz;
  return sameRecurrence && existing.name === schedule.jobName && JSON.stringify(existing.template?.data ?? null) === JSON.stringify(schedule.data ?? null);
}

export class BullMqScheduler implements Scheduler {
  private readonly registry = new JobRegistry();
  private readonly store: JobStore;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly options: BullMqSchedulerOptions;
  private readonly queueName: string;
  private connection: Redis | undefined;
  private workerConnection: Redis | undefined;
  private queue: Queue | undefined;
  private worker: Worker | undefined;
  private reconcileTimer: NodeJS.Timeout | undefined;

  constructor(options: BullMqSchedulerOptions) {
    this.options = options;
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.queueName = options.queueName ?? 'relais';
    this.log = options.logger.child({ scope: 'scheduler', runner: 'bullmq' });
  }

  register<T>(definition: JobDefinition<T>): void {
    this.registry.register(definition);
  }

  /** Redis reachability, for `/readyz` and `relais doctor`. */
  get health(): HealthProbe {
    return {
      name: 'redis',
      check: async () => {
        if (!this.connection) throw new UnavailableError('redis.not_started', 'job layer not started');
        const pong = await this.connection.ping();
        return `Redis ${pong === 'PONG' ? 'ok' : pong}`;
      },
    };
  }

  async enqueue(jobName: string, data: unknown, options: EnqueueOptions = {}): Promise<string> {
    const id = options.key ?? randomUUID();
    const job = {
      id,
      jobName,
      data,
      runAt: options.runAt ?? this.clock.now(),
      maxAttempts: this.registry.attemptsOf(jobName),
      backoffMs: this.registry.backoffOf(jobName),
      scheduleKey: null,
    };
    // The store first: if Redis is down now, the job is mirrored at the next reconcile or start.
    if (!(await this.store.insertJob(job))) return id;
    await this.mirror({ ...job, status: 'pending', attempts: 0, lastError: null, createdAt: job.runAt, updatedAt: job.runAt });
    return id;
  }

  async cancel(jobId: string): Promise<boolean> {
    const cancelled = await this.store.cancelJob(jobId, this.clock.now());
    // The worker also checks the store, so a job already locked by a worker is skipped there.
    await this.requireQueue().remove(toBullJobId(jobId)).catch(() => 0);
    return cancelled;
  }

  async schedule(key: string, jobName: string, data: unknown, recurrence: Recurrence): Promise<ScheduleInfo> {
    this.registry.get(jobName);
    validateRecurrence(recurrence);
    const now = this.clock.now();
    const stored = await this.store.upsertSchedule(
      { key, jobName, recurrence, data, nextRunAt: nextRunAfter(recurrence, now) },
      now,
    );
    await this.declare(stored);
    return this.toInfo(stored);
  }

  async unschedule(key: string): Promise<boolean> {
    const existed = await this.store.deleteSchedule(key);
    await this.requireQueue().removeJobScheduler(key);
    return existed;
  }

  async listSchedules(): Promise<ScheduleInfo[]> {
    const schedules = await this.store.listSchedules();
    return Promise.all(schedules.map((s) => this.toInfo(s)));
  }

  async start(): Promise<void> {
    if (this.queue) return;
    const url = this.options.redisUrl;
    // Workers block on Redis: they need their own connection without a per-request retry limit.
    this.connection = new Redis(url, { maxRetriesPerRequest: 3, lazyConnect: true });
    this.workerConnection = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
    for (const connection of [this.connection, this.workerConnection]) {
      connection.on('error', (error: Error) => this.log.warn({ err: error.message }, 'redis connection error'));
    }
    try {
      await this.connection.connect();
      await this.workerConnection.connect();
    } catch (cause) {
      await this.closeConnections();
      throw new UnavailableError('redis.unavailable', `cannot connect to Redis (REDIS_URL): ${(cause as Error).message}`, { cause });
    }
    const prefix = this.options.prefix ?? 'relais';
    this.queue = new Queue(this.queueName, { connection: this.connection, prefix });
    await this.redeclare();
    this.worker = new Worker(this.queueName, (job) => this.process(job), {
      connection: this.workerConnection,
      prefix,
      concurrency: this.options.concurrency ?? 4,
    });
    this.worker.on('error', (error) => this.log.warn({ err: error.message }, 'worker error'));
    this.reconcileTimer = setInterval(() => {
      void this.reconcile().catch((error: unknown) => this.log.warn({ err: errorSummary(error) }, 'reconcile failed'));
    }, this.options.reconcileEveryMs ?? 15_000);
    this.reconcileTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    this.reconcileTimer = undefined;
    // Worker.close() waits for running jobs; past the budget, force it: BullMQ hands stalled jobs to another worker.
    if (this.worker) {
      const worker = this.worker;
      const finished = await Promise.race([
        worker.close().then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), this.options.stopTimeoutMs ?? 8000).unref()),
      ]);
      if (!finished) {
        this.log.warn('jobs still running at stop; they will be retried');
        await worker.close(true);
      }
    }
    await this.queue?.close();
    this.worker = undefined;
    this.queue = undefined;
    await this.closeConnections();
  }

  /** At start: every stored schedule declared again, no stray one, pending jobs queued. */
  private async redeclare(): Promise<void> {
    await this.syncSchedules(true);
    await this.mirrorUnfinished();
  }

  /**
   * Periodically: the CLI writes schedules and jobs to the store only (it
   * runs no scheduler), and Redis may have restarted empty. Declares the
   * schedules Redis lacks or holds differently; leaves matching ones as they
   * are (re-declaring would move their next run).
   */
  private async reconcile(): Promise<void> {
    if (!this.queue) return;
    await this.syncSchedules(false);
    await this.mirrorUnfinished();
  }

  private async syncSchedules(redeclareAll: boolean): Promise<void> {
    const queue = this.requireQueue();
    const schedules = await this.store.listSchedules();
    const wanted = new Set(schedules.map((s) => s.key));
    const present = new Map<string, Awaited<ReturnType<Queue['getJobSchedulers']>>[number]>();
    for (const existing of await queue.getJobSchedulers()) {
      if (!existing.key) continue;
      if (wanted.has(existing.key)) present.set(existing.key, existing);
      else await queue.removeJobScheduler(existing.key);
    }
    for (const schedule of schedules) {
      const existing = present.get(schedule.key);
      if (redeclareAll || !existing || !sameDeclaration(existing, schedule)) await this.declare(schedule);
    }
  }

  /**
   * Re-adds every unfinished stored job: BullMQ ignores ids it still holds,
   * and a job Redis lost (restart without persistence) is queued again.
   */
  private async mirrorUnfinished(): Promise<void> {
    for (const job of await this.store.unfinishedJobs()) await this.mirror(job);
  }

  private async declare(schedule: StoredSchedule): Promise<void> {
    await this.requireQueue().upsertJobScheduler(schedule.key, repeatOptions(schedule.recurrence), {
      name: schedule.jobName,
      data: schedule.data,
      opts: {
        attempts: this.registry.has(schedule.jobName) ? this.registry.attemptsOf(schedule.jobName) : 1,
        backoff: { type: 'exponential', delay: this.registry.has(schedule.jobName) ? this.registry.backoffOf(schedule.jobName) : 1000 },
        removeOnComplete: 100,
        removeOnFail: 500,
      },
    });
  }

  /** Adds a stored job to Redis; BullMQ ignores an id it already holds. */
  private async mirror(job: StoredJob): Promise<void> {
    await this.requireQueue().add(job.jobName, job.data, {
      jobId: toBullJobId(job.id),
      delay: Math.max(0, job.runAt.getTime() - this.clock.now().getTime()),
      // Retries are driven by the store's attempt count, so a restart does not reset them.
      attempts: 1,
      removeOnComplete: true,
      removeOnFail: true,
    });
  }

  private async process(job: Job): Promise<void> {
    if (job.repeatJobKey) {
      await this.runScheduled(job, job.repeatJobKey);
      return;
    }
    await this.runStored(fromBullJobId(job.id ?? ''));
  }

  private async runScheduled(job: Job, scheduleKey: string): Promise<void> {
    const scheduledFor = new Date(job.timestamp + (job.opts.delay ?? 0));
    try {
      await this.registry.execute(job.name, job.data, {
        id: fromBullJobId(job.id ?? ''),
        attempt: job.attemptsMade + 1,
        scheduleKey,
        scheduledFor,
      });
      await this.store.markScheduleRun(scheduleKey, this.clock.now());
    } catch (error) {
      this.log.warn({ job: job.name, scheduleKey, err: errorSummary(error) }, 'scheduled job failed');
      if (!shouldRetry(error, job.attemptsMade + 1, job.opts.attempts ?? 1)) throw new UnrecoverableError(errorSummary(error));
      throw error;
    }
  }

  private async runStored(id: string): Promise<void> {
    const now = this.clock.now();
    // BullMQ's lock makes this worker the only runner: a job left "running" by a dead worker is taken over.
    const job = await this.store.claimJob(id, now, true);
    // Cancelled or already done: nothing to do.
    if (!job) return;
    const log = this.log.child({ job: job.jobName, jobId: id, attempt: job.attempts });
    try {
      await this.registry.execute(job.jobName, job.data, { id, attempt: job.attempts, scheduledFor: job.runAt });
      await this.store.completeJob(id, this.clock.now());
    } catch (error) {
      const failedAt = this.clock.now();
      const retry = shouldRetry(error, job.attempts, job.maxAttempts);
      const retryAt = retry ? new Date(failedAt.getTime() + backoffDelay(job.backoffMs, job.attempts)) : null;
      await this.store.failJob(id, errorSummary(error), retryAt, failedAt);
      log.warn({ err: errorSummary(error), retryAt }, retry ? 'job failed; will retry' : 'job failed permanently');
      // This BullMQ job is finished; the retry is a new delayed copy with the same id, mirrored after removal.
      if (retryAt) setImmediate(() => void this.mirrorRetry(id));
    }
  }

  private async mirrorRetry(id: string): Promise<void> {
    const job = await this.store.getJob(id);
    if (job?.status !== 'pending') return;
    // Wait until BullMQ has removed the finished copy, or `add` would be ignored as a duplicate.
    for (let i = 0; i < 50; i++) {
      if (!(await this.requireQueue().getJob(toBullJobId(id)))) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await this.mirror(job).catch((error: unknown) => this.log.warn({ err: errorSummary(error) }, 'retry not mirrored; reconcile will'));
  }

  private async toInfo(schedule: StoredSchedule): Promise<ScheduleInfo> {
    const live = await this.queue?.getJobScheduler(schedule.key).catch(() => undefined);
    const next = live?.next ? new Date(live.next) : schedule.nextRunAt;
    return {
      key: schedule.key,
      jobName: schedule.jobName,
      recurrence: schedule.recurrence,
      data: schedule.data,
      nextRunAt: next,
      lastRunAt: schedule.lastRunAt,
    };
  }

  private requireQueue(): Queue {
    if (!this.queue) throw new UnavailableError('scheduler.not_started', 'job layer not started');
    return this.queue;
  }

  private async closeConnections(): Promise<void> {
    for (const connection of [this.connection, this.workerConnection]) {
      if (connection && connection.status !== 'end') connection.disconnect();
    }
    this.connection = undefined;
    this.workerConnection = undefined;
  }
}
