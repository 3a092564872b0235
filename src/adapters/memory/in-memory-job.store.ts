import type { JobStore, StoredJob, StoredSchedule } from '../../core/ports/repositories.js';

const FINISHED = new Set(['done', 'failed', 'cancelled']);

export class InMemoryJobStore implements JobStore {
  private readonly jobs = new Map<string, StoredJob>();
  private readonly schedules = new Map<string, StoredSchedule>();

  async insertJob(job: Omit<StoredJob, 'createdAt' | 'updatedAt' | 'attempts' | 'lastError' | 'status'>): Promise<boolean> {
    const existing = this.jobs.get(job.id);
    if (existing && !FINISHED.has(existing.status)) return false;
    const now = new Date();
    this.jobs.set(job.id, {
      ...structuredClone(job),
      status: 'pending',
      attempts: 0,
      lastError: null,
      createdAt: now,
      updatedAt: now,
    });
    return true;
  }

  async getJob(id: string): Promise<StoredJob | null> {
    const job = this.jobs.get(id);
    return job ? structuredClone(job) : null;
  }

  async dueJobs(now: Date, limit: number): Promise<StoredJob[]> {
    return this.pending()
      .filter((j) => j.runAt.getTime() <= now.getTime())
      .slice(0, limit)
      .map((j) => structuredClone(j));
  }

  async nextDueAt(): Promise<Date | null> {
    return this.pending()[0]?.runAt ?? null;
  }

  async unfinishedJobs(): Promise<StoredJob[]> {
    return [...this.jobs.values()]
      .filter((j) => j.status === 'pending' || j.status === 'running')
      .sort((a, b) => a.runAt.getTime() - b.runAt.getTime())
      .map((j) => structuredClone(j));
  }

  async claimJob(id: string, now: Date, reclaimRunning = false): Promise<StoredJob | null> {
    const job = this.jobs.get(id);
    if (!job || !(job.status === 'pending' || (reclaimRunning && job.status === 'running'))) return null;
    Object.assign(job, { status: 'running', attempts: job.attempts + 1, updatedAt: now });
    return structuredClone(job);
  }

  async completeJob(id: string, now: Date): Promise<void> {
    const job = this.jobs.get(id);
    if (job) Object.assign(job, { status: 'done', updatedAt: now });
  }

  async failJob(id: string, error: string, retryAt: Date | null, now: Date): Promise<void> {
    const job = this.jobs.get(id);
    if (!job) return;
    Object.assign(job, retryAt
      ? { status: 'pending', runAt: retryAt, lastError: error, updatedAt: now }
      : { status: 'failed', lastError: error, updatedAt: now });
  }

  async cancelJob(id: string, now: Date): Promise<boolean> {
    const job = this.jobs.get(id);
    if (!job || job.status !== 'pending') return false;
    Object.assign(job, { status: 'cancelled', updatedAt: now });
    return true;
  }

  async requeueRunning(now: Date): Promise<number> {
    let count = 0;
    for (const job of this.jobs.values()) {
      if (job.status === 'running') {
        Object.assign(job, { status: 'pending', updatedAt: now });
        count++;
      }
    }
    return count;
  }

  async deleteFinished(before: Date): Promise<number> {
    let count = 0;
    for (const [id, job] of this.jobs) {
      if (FINISHED.has(job.status) && job.updatedAt.getTime() < before.getTime()) {
        this.jobs.delete(id);
        count++;
      }
    }
    return count;
  }

  async upsertSchedule(schedule: Omit<StoredSchedule, 'createdAt' | 'updatedAt' | 'lastRunAt'>, now: Date): Promise<StoredSchedule> {
    const existing = this.schedules.get(schedule.key);
    const next: StoredSchedule = {
      ...structuredClone(schedule),
      lastRunAt: existing?.lastRunAt ?? null,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    this.schedules.set(schedule.key, next);
    return structuredClone(next);
  }

  async getSchedule(key: string): Promise<StoredSchedule | null> {
    const schedule = this.schedules.get(key);
    return schedule ? structuredClone(schedule) : null;
  }

  async listSchedules(): Promise<StoredSchedule[]> {
    return [...this.schedules.values()].sort((a, b) => a.key.localeCompare(b.key)).map((s) => structuredClone(s));
  }

  async deleteSchedule(key: string): Promise<boolean> {
    return this.schedules.delete(key);
  }

  async advanceSchedule(key: string, expectedNextRunAt: Date, firedAt: Date, nextRunAt: Date | null): Promise<boolean> {
    const schedule = this.schedules.get(key);
    if (!schedule || schedule.nextRunAt?.getTime() !== expectedNextRunAt.getTime()) return false;
    Object.assign(schedule, { nextRunAt, lastRunAt: firedAt, updatedAt: new Date() });
    return true;
  }

  async markScheduleRun(key: string, at: Date): Promise<void> {
    const schedule = this.schedules.get(key);
    if (schedule) Object.assign(schedule, { lastRunAt: at, updatedAt: at });
  }

  private pending(): StoredJob[] {
    return [...this.jobs.values()]
      .filter((j) => j.status === 'pending')
      .sort((a, b) => a.runAt.getTime() - b.runAt.getTime());
  }
}
