import type { Recurrence } from '../../../core/ports/scheduler.js';
import type { JobStatus, JobStore, StoredJob, StoredSchedule } from '../../../core/ports/repositories.js';
import type { PrismaClient } from '../../../generated/prisma/client.js';
import { toJson } from './json.js';

const FINISHED: JobStatus[] = ['done', 'failed', 'cancelled'];

type JobRow = Omit<StoredJob, 'status' | 'data'> & { status: string; data: unknown };
type ScheduleRow = {
  key: string;
  jobName: string;
  cron: string | null;
  timezone: string | null;
  everyMs: number | null;
  data: unknown;
  nextRunAt: Date | null;
  lastRunAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

function toJob(row: JobRow): StoredJob {
  return { ...row, status: row.status as JobStatus };
}

function toSchedule(row: ScheduleRow): StoredSchedule {
  const recurrence: Recurrence =
    row.everyMs !== null ? { everyMs: row.everyMs } : { cron: row.cron ?? '', timezone: row.timezone ?? 'UTC' };
  return {
    key: row.key,
    jobName: row.jobName,
    recurrence,
    data: row.data,
    nextRunAt: row.nextRunAt,
    lastRunAt: row.lastRunAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function recurrenceColumns(recurrence: Recurrence): { cron: string | null; timezone: string | null; everyMs: number | null } {
  return 'everyMs' in recurrence
    ? { cron: null, timezone: null, everyMs: recurrence.everyMs }
    : { cron: recurrence.cron, timezone: recurrence.timezone, everyMs: null };
}

export class PrismaJobStore implements JobStore {
  constructor(private readonly prisma: PrismaClient) {}

  async insertJob(job: Omit<StoredJob, 'createdAt' | 'updatedAt' | 'attempts' | 'lastError' | 'status'>): Promise<boolean> {
    const data = JSON.stringify(job.data ?? null);
    // A finished job with the same id is replaced; a pending or running one is left alone (idempotent producers).
    const affected = await this.prisma.$executeRaw`
      INSERT INTO jobs (id, job_name, data, run_at, status, attempts, max_attempts, backoff_ms, schedule_key, last_error, created_at, updated_at)
      VALUES (${job.id}, ${job.jobName}, ${data}::jsonb, ${job.runAt}, 'pending', 0, ${job.maxAttempts}, ${job.backoffMs}, ${job.scheduleKey}, NULL, now(), now())
      ON CONFLICT (id) DO UPDATE SET
        job_name = EXCLUDED.job_name, data = EXCLUDED.data, run_at = EXCLUDED.run_at, status = 'pending',
        attempts = 0, max_attempts = EXCLUDED.max_attempts, backoff_ms = EXCLUDED.backoff_ms,
        schedule_key = EXCLUDED.schedule_key, last_error = NULL, created_at = now(), updated_at = now()
      WHERE jobs.status IN ('done', 'failed', 'cancelled')`;
    return affected === 1;
  }

  async getJob(id: string): Promise<StoredJob | null> {
    const row = await this.prisma.job.findUnique({ where: { id } });
    return row ? toJob(row) : null;
  }

  async dueJobs(now: Date, limit: number): Promise<StoredJob[]> {
    const rows = await this.prisma.job.findMany({
      where: { status: 'pending', runAt: { lte: now } },
      orderBy: { runAt: 'asc' },
      take: limit,
    });
    return rows.map(toJob);
  }

  async nextDueAt(): Promise<Date | null> {
    const row = await this.prisma.job.findFirst({ where: { status: 'pending' }, orderBy: { runAt: 'asc' }, select: { runAt: true } });
    return row?.runAt ?? null;
  }

  async unfinishedJobs(): Promise<StoredJob[]> {
    const rows = await this.prisma.job.findMany({ where: { status: { in: ['pending', 'running'] } }, orderBy: { runAt: 'asc' } });
    return rows.map(toJob);
  }

  async claimJob(id: string, now: Date, reclaimRunning = false): Promise<StoredJob | null> {
    const { count } = await this.prisma.job.updateMany({
      where: { id, status: { in: reclaimRunning ? ['pending', 'running'] : ['pending'] } },
      data: { status: 'running', attempts: { increment: 1 }, updatedAt: now },
    });
    return count === 1 ? this.getJob(id) : null;
  }

  async completeJob(id: string, now: Date): Promise<void> {
    await this.prisma.job.updateMany({ where: { id }, data: { status: 'done', updatedAt: now } });
  }

  async failJob(id: string, error: string, retryAt: Date | null, now: Date): Promise<void> {
    await this.prisma.job.updateMany({
      where: { id },
      data: retryAt
        ? { status: 'pending', runAt: retryAt, lastError: error, updatedAt: now }
        : { status: 'failed', lastError: error, updatedAt: now },
    });
  }

  async cancelJob(id: string, now: Date): Promise<boolean> {
    const { count } = await this.prisma.job.updateMany({ where: { id, status: 'pending' }, data: { status: 'cancelled', updatedAt: now } });
    return count === 1;
  }

  async requeueRunning(now: Date): Promise<number> {
    const { count } = await this.prisma.job.updateMany({ where: { status: 'running' }, data: { status: 'pending', updatedAt: now } });
    return count;
  }

  async deleteFinished(before: Date): Promise<number> {
    const { count } = await this.prisma.job.deleteMany({ where: { status: { in: FINISHED }, updatedAt: { lt: before } } });
    return count;
  }

  async upsertSchedule(schedule: Omit<StoredSchedule, 'createdAt' | 'updatedAt' | 'lastRunAt'>, now: Date): Promise<StoredSchedule> {
    const fields = {
      jobName: schedule.jobName,
      ...recurrenceColumns(schedule.recurrence),
      data: toJson(schedule.data),
      nextRunAt: schedule.nextRunAt,
      updatedAt: now,
    };
    const row = await this.prisma.jobSchedule.upsert({
      where: { key: schedule.key },
      create: { key: schedule.key, ...fields, createdAt: now },
      update: fields,
    });
    return toSchedule(row);
  }

  async getSchedule(key: string): Promise<StoredSchedule | null> {
    const row = await this.prisma.jobSchedule.findUnique({ where: { key } });
    return row ? toSchedule(row) : null;
  }

  async listSchedules(): Promise<StoredSchedule[]> {
    const rows = await this.prisma.jobSchedule.findMany({ orderBy: { key: 'asc' } });
    return rows.map(toSchedule);
  }

  async deleteSchedule(key: string): Promise<boolean> {
    const { count } = await this.prisma.jobSchedule.deleteMany({ where: { key } });
    return count === 1;
  }

  async advanceSchedule(key: string, expectedNextRunAt: Date, firedAt: Date, nextRunAt: Date | null): Promise<boolean> {
    const { count } = await this.prisma.jobSchedule.updateMany({
      where: { key, nextRunAt: expectedNextRunAt },
      data: { nextRunAt, lastRunAt: firedAt, updatedAt: new Date() },
    });
    return count === 1;
  }

  async markScheduleRun(key: string, at: Date): Promise<void> {
    await this.prisma.jobSchedule.updateMany({ where: { key }, data: { lastRunAt: at, updatedAt: at } });
  }
}
