/**
 * One contract for both job runners (in-process and BullMQ), on real stores.
 * Waits are bounded polls for an outcome, never speed assertions.
 */
import { ValidationError, UnavailableError } from '../../src/core/errors.js';
import type { JobStore } from '../../src/core/ports/repositories.js';
import type { JobContext, Scheduler } from '../../src/core/ports/scheduler.js';
import { waitFor } from '../support/wait-for.js';

export interface SchedulerFixture {
  store: JobStore;
  /** A new scheduler on the same durable state (same store, same Redis prefix): a restart. */
  createScheduler(): Scheduler;
  cleanup(): Promise<void>;
}

interface Recorder {
  calls: { data: unknown; context: JobContext }[];
}

function recorder(): Recorder {
  return { calls: [] };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function schedulerContract(name: string, open: () => Promise<SchedulerFixture>): void {
  describe(`scheduler contract: ${name}`, () => {
    let fixture: SchedulerFixture;
    let scheduler: Scheduler;
    let runs: Recorder;
    let failuresLeft: number;
    let permanentRuns: number;

    /** Registers the test jobs on a scheduler. */
    function registerJobs(target: Scheduler): void {
      target.register({
        name: 'test.record',
        parse: (data) => data,
        handle: async (data, context) => {
          runs.calls.push({ data, context });
        },
      });
      target.register({
        name: 'test.flaky',
        parse: (data) => data,
        attempts: 5,
        backoffMs: 30,
        handle: async (data, context) => {
          runs.calls.push({ data, context });
          if (failuresLeft-- > 0) throw new UnavailableError('test.flaky', 'transient failure');
        },
      });
      target.register({
        name: 'test.permanent',
        parse: (data) => data,
        attempts: 5,
        backoffMs: 30,
        handle: async () => {
          permanentRuns++;
          throw new ValidationError('test.permanent', 'this can never work');
        },
      });
      target.register({
        name: 'test.always-fails',
        parse: (data) => data,
        attempts: 3,
        backoffMs: 20,
        handle: async () => {
          permanentRuns++;
          throw new UnavailableError('test.down', 'still down');
        },
      });
      target.register({
        name: 'test.validated',
        parse: (data) => {
          if (typeof data !== 'object' || data === null || typeof (data as { n?: unknown }).n !== 'number') {
            throw new ValidationError('job.invalid_data', 'n must be a number');
          }
          return data as { n: number };
        },
        handle: async (data, context) => {
          runs.calls.push({ data, context });
        },
      });
    }

    beforeAll(async () => {
      fixture = await open();
    });

    beforeEach(async () => {
      runs = recorder();
      failuresLeft = 0;
      permanentRuns = 0;
      scheduler = fixture.createScheduler();
      registerJobs(scheduler);
      await scheduler.start();
    });

    afterEach(async () => {
      for (const schedule of await scheduler.listSchedules()) await scheduler.unschedule(schedule.key);
      await scheduler.stop();
    });

    afterAll(async () => {
      await fixture?.cleanup();
    });

    const callsOf = (tag: string) => runs.calls.filter((c) => (c.data as { tag?: string })?.tag === tag);

    it('runs an enqueued job once with its data', async () => {
      const id = await scheduler.enqueue('test.record', { tag: 'now', list: [1, 2] });
      await waitFor(() => callsOf('now').length === 1);
      await sleep(150);
      expect(callsOf('now')).toHaveLength(1);
      expect(callsOf('now')[0]!.context).toMatchObject({ id, attempt: 1 });
      expect(callsOf('now')[0]!.data).toEqual({ tag: 'now', list: [1, 2] });
      await waitFor(async () => (await fixture.store.getJob(id))?.status === 'done');
    });

    it('runs a job at the requested time, not before', async () => {
      const runAt = new Date(Date.now() + 700);
      await scheduler.enqueue('test.record', { tag: 'later' }, { runAt });
      await sleep(300);
      expect(callsOf('later')).toHaveLength(0);
      await waitFor(() => callsOf('later').length === 1);
      expect(Date.now()).toBeGreaterThanOrEqual(runAt.getTime() - 20);
    });

    it('treats a stable key as idempotent while the job is pending', async () => {
      const key = `idem:${Date.now()}`;
      const runAt = new Date(Date.now() + 300);
      await scheduler.enqueue('test.record', { tag: 'idem' }, { key, runAt });
      await scheduler.enqueue('test.record', { tag: 'idem' }, { key, runAt });
      await waitFor(() => callsOf('idem').length >= 1);
      await sleep(300);
      expect(callsOf('idem')).toHaveLength(1);
    });

    it('retries transient failures with backoff until success', async () => {
      failuresLeft = 2;
      const id = await scheduler.enqueue('test.flaky', { tag: 'flaky' });
      await waitFor(async () => (await fixture.store.getJob(id))?.status === 'done', 10_000);
      expect(callsOf('flaky').map((c) => c.context.attempt)).toEqual([1, 2, 3]);
    });

    it('does not retry a permanent failure', async () => {
      const id = await scheduler.enqueue('test.permanent', {});
      await waitFor(async () => (await fixture.store.getJob(id))?.status === 'failed');
      await sleep(200);
      expect(permanentRuns).toBe(1);
      expect((await fixture.store.getJob(id))?.lastError).toContain('test.permanent');
    });

    it('gives up after the configured number of tries', async () => {
      const id = await scheduler.enqueue('test.always-fails', {});
      await waitFor(async () => (await fixture.store.getJob(id))?.status === 'failed', 10_000);
      expect(permanentRuns).toBe(3);
    });

    it('fails, without running the handler, a job whose data is invalid', async () => {
      const id = await scheduler.enqueue('test.validated', { n: 'not a number' });
      await waitFor(async () => (await fixture.store.getJob(id))?.status === 'failed');
      expect(runs.calls).toHaveLength(0);
    });

    it('rejects an unknown job name at enqueue', async () => {
      await expect(scheduler.enqueue('test.nope', {})).rejects.toMatchObject({ code: 'scheduler.unknown_job' });
    });

    it('cancels a pending job', async () => {
      const id = await scheduler.enqueue('test.record', { tag: 'cancelled' }, { runAt: new Date(Date.now() + 400) });
      expect(await scheduler.cancel(id)).toBe(true);
      await sleep(700);
      expect(callsOf('cancelled')).toHaveLength(0);
      expect((await fixture.store.getJob(id))?.status).toBe('cancelled');
    });

    it('fires a recurring schedule repeatedly, with its key in the context', async () => {
      await scheduler.schedule('test:every', 'test.record', { tag: 'every' }, { everyMs: 250 });
      await waitFor(() => callsOf('every').length >= 3, 10_000);
      expect(callsOf('every')[0]!.context.scheduleKey).toBe('test:every');
    });

    it('keeps one schedule per key when declared again', async () => {
      await scheduler.schedule('test:twice', 'test.record', { tag: 'twice' }, { everyMs: 400 });
      await scheduler.schedule('test:twice', 'test.record', { tag: 'twice' }, { everyMs: 400 });
      expect((await scheduler.listSchedules()).filter((s) => s.key === 'test:twice')).toHaveLength(1);
      const started = Date.now();
      await waitFor(() => callsOf('twice').length >= 2, 10_000);
      await sleep(100);
      // One schedule every 400 ms cannot have fired more than once per period since it was declared.
      expect(callsOf('twice').length).toBeLessThanOrEqual(Math.floor((Date.now() - started) / 400) + 1);
    });

    it('computes cron fire times in the schedule time zone', async () => {
      const info = await scheduler.schedule('test:friday', 'test.record', { tag: 'cron' }, { cron: '0 14 * * 5', timezone: 'Europe/Paris' });
      expect(info.nextRunAt).not.toBeNull();
      const next = info.nextRunAt!;
      const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(next);
      const part = (type: string) => parts.find((p) => p.type === type)?.value;
      expect([part('weekday'), part('hour'), part('minute')]).toEqual(['Friday', '14', '00']);
      expect(next.getTime()).toBeGreaterThan(Date.now());
      expect(next.getTime() - Date.now()).toBeLessThanOrEqual(7 * 24 * 3600 * 1000);
    });

    it('rejects invalid recurrences with clear codes', async () => {
      await expect(scheduler.schedule('test:bad', 'test.record', {}, { cron: '61 * * * *', timezone: 'Europe/Paris' })).rejects.toMatchObject({ code: 'scheduler.invalid_cron' });
      await expect(scheduler.schedule('test:bad', 'test.record', {}, { cron: '0 9 * * 1', timezone: 'Mars/Olympus' })).rejects.toMatchObject({ code: 'scheduler.invalid_timezone' });
      await expect(scheduler.schedule('test:bad', 'test.record', {}, { everyMs: 5 })).rejects.toMatchObject({ code: 'scheduler.invalid_interval' });
      await expect(scheduler.schedule('test:bad', 'test.nope', {}, { everyMs: 1000 })).rejects.toMatchObject({ code: 'scheduler.unknown_job' });
      expect((await scheduler.listSchedules()).map((s) => s.key)).not.toContain('test:bad');
    });

    it('stops firing once unscheduled', async () => {
      await scheduler.schedule('test:stop', 'test.record', { tag: 'stop' }, { everyMs: 200 });
      await waitFor(() => callsOf('stop').length >= 1, 10_000);
      expect(await scheduler.unschedule('test:stop')).toBe(true);
      await sleep(300);
      const count = callsOf('stop').length;
      await sleep(600);
      expect(callsOf('stop').length).toBe(count);
    });

    it('picks up schedules and jobs another process wrote to the store while it runs (the CLI), and drops deleted schedules', async () => {
      const now = new Date();
      await fixture.store.upsertSchedule({ key: 'test:from-cli', jobName: 'test.record', recurrence: { everyMs: 250 }, data: { tag: 'from-cli' }, nextRunAt: new Date(now.getTime() + 250) }, now);
      await fixture.store.insertJob({ id: `cli-job:${now.getTime()}`, jobName: 'test.record', data: { tag: 'cli-job' }, runAt: now, maxAttempts: 1, backoffMs: 100, scheduleKey: null });
      await waitFor(() => callsOf('from-cli').length >= 2 && callsOf('cli-job').length === 1, 10_000);

      await fixture.store.deleteSchedule('test:from-cli');
      await sleep(1_500);
      const settled = callsOf('from-cli').length;
      await sleep(1_000);
      expect(callsOf('from-cli').length).toBe(settled);
      expect(callsOf('cli-job')).toHaveLength(1);
    });

    it('keeps pending jobs and schedules across a restart, without duplicates', async () => {
      const runAt = new Date(Date.now() + 900);
      const id = await scheduler.enqueue('test.record', { tag: 'survives' }, { runAt, key: `restart:${Date.now()}` });
      await scheduler.schedule('test:restart', 'test.record', { tag: 'restart-schedule' }, { everyMs: 300 });
      await scheduler.stop();

      const restarted = fixture.createScheduler();
      registerJobs(restarted);
      await restarted.start();
      // Declared again at start, as the composition root does.
      await restarted.schedule('test:restart', 'test.record', { tag: 'restart-schedule' }, { everyMs: 300 });
      scheduler = restarted;

      await waitFor(() => callsOf('survives').length === 1, 10_000);
      await waitFor(() => callsOf('restart-schedule').length >= 2, 10_000);
      expect((await scheduler.listSchedules()).filter((s) => s.key === 'test:restart')).toHaveLength(1);
      await sleep(300);
      expect(callsOf('survives')).toHaveLength(1);
      expect((await fixture.store.getJob(id))?.status).toBe('done');
    });

    it('runs again a job that was running when the process died', async () => {
      // What kill -9 leaves behind: a job marked running that nobody runs any more.
      const id = `crashed:${Date.now()}`;
      await fixture.store.insertJob({ id, jobName: 'test.record', data: { tag: 'crashed' }, runAt: new Date(), maxAttempts: 3, backoffMs: 10, scheduleKey: null });
      await fixture.store.claimJob(id, new Date());
      await scheduler.stop();

      const restarted = fixture.createScheduler();
      registerJobs(restarted);
      await restarted.start();
      scheduler = restarted;
      await waitFor(() => callsOf('crashed').length === 1, 10_000);
      expect(callsOf('crashed')[0]!.context.attempt).toBe(2);
    });
  });
}
