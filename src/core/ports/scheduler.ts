/**
 * Background work: run now, run later, and recurring schedules.
 *
 * Two implementations live in `src/jobs/`: BullMQ (when Redis is configured)
 * and an in-process runner. Both keep schedules and pending jobs in the
 * database (`JobStore`), the source of truth: a restart re-declares them, so
 * none is lost or duplicated. Delivery is at least once: handlers must be
 * idempotent.
 */

/** Context given to a job handler. */
export interface JobContext {
  /** Stable job id (the key given at enqueue, or a generated one). */
  id: string;
  /** 1 for the first try. */
  attempt: number;
  /** Set when the job was fired by a recurring schedule. */
  scheduleKey?: string;
  /** When the run was planned for (the schedule's fire time, or the requested time). */
  scheduledFor: Date;
}

export type JobHandler<T = unknown> = (data: T, context: JobContext) => Promise<void>;

export interface JobDefinition<T = unknown> {
  /** Unique job name, e.g. "privacy.retention-purge". */
  name: string;
  /**
   * Validates raw stored data (it crossed a process boundary); throw a
   * non-transient `ValidationError` for data that can never run.
   */
  parse(data: unknown): T;
  handle: JobHandler<T>;
  /** Tries in total, including the first (default 5). */
  attempts?: number;
  /** First retry delay in ms; doubles on each retry (default 1000). */
  backoffMs?: number;
}

export interface EnqueueOptions {
  /**
   * Stable key: enqueuing again with a key that is still pending is a no-op
   * (idempotent producers). Defaults to a new unique id.
   */
  key?: string;
  /** Run at this time (default: now). */
  runAt?: Date;
}

/** When a recurring schedule fires: a cron pattern in a time zone, or a fixed interval. */
export type Recurrence =
  | { cron: string; timezone: string }
  | { everyMs: number };

export interface ScheduleInfo {
  key: string;
  jobName: string;
  recurrence: Recurrence;
  data: unknown;
  nextRunAt: Date | null;
  lastRunAt: Date | null;
}

export interface Scheduler {
  /** Declares a job type; must be called before `start()`. */
  register<T>(definition: JobDefinition<T>): void;
  /** Enqueues one run (now or at `runAt`); returns the job id. */
  enqueue(jobName: string, data: unknown, options?: EnqueueOptions): Promise<string>;
  /** Cancels a pending one-off job; true if one was pending. */
  cancel(jobId: string): Promise<boolean>;
  /** Creates or replaces the recurring schedule `key` (upsert: never duplicates). */
  schedule(key: string, jobName: string, data: unknown, recurrence: Recurrence): Promise<ScheduleInfo>;
  /** Removes a recurring schedule; true if it existed. */
  unschedule(key: string): Promise<boolean>;
  listSchedules(): Promise<ScheduleInfo[]>;
  /** Starts workers and re-declares persisted schedules and pending jobs. */
  start(): Promise<void>;
  /** Stops taking work and waits (bounded) for running handlers. */
  stop(): Promise<void>;
}
