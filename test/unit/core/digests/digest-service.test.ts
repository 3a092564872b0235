import { describe, expect, it } from '@jest/globals';
import { PlaceholderChartRenderer } from '../../../../src/adapters/charts/placeholder-chart-renderer.js';
import { DigestService } from '../../../../src/core/digests/digest-service.js';
import type { DigestData } from '../../../../src/core/digests/digest-data-source.js';
import type { Scheduler } from '../../../../src/core/ports/scheduler.js';
import { DEFAULT_DIGEST_CRON, DIGEST_JOB, declareDigest, digestJob, digestScheduleKey } from '../../../../src/jobs/digest.job.js';
import { DIGEST_TIME, digestData } from './digest-fixture.js';
import { MemoryDigestSource, RecordingSender, recordingLogger, ScriptedModel, type LogLine } from './test-doubles.js';

function setup(data: DigestData = digestData(), extra: { model?: ScriptedModel } = {}) {
  const source = new MemoryDigestSource(new Map([[data.team.id, data]]));
  const sender = new RecordingSender();
  const lines: LogLine[] = [];
  const service = new DigestService({
    source,
    sender,
    charts: new PlaceholderChartRenderer(),
    clock: { now: () => DIGEST_TIME },
    logger: recordingLogger(lines),
    ...extra,
  });
  return { service, source, sender, lines };
}

describe('DigestService', () => {
  it('composes an on-demand digest in the asked locale', async () => {
    const { service } = setup();
    const fr = await service.compose('scolarite', 'fr');
    const en = await service.compose('scolarite', 'en');
    expect(fr.blocks[0]).toEqual({ type: 'text', markdown: expect.stringContaining('Synthèse de l’expérimentation — Scolarité') });
    expect(en.blocks[0]).toEqual({ type: 'text', markdown: expect.stringContaining('Experimentation digest — Scolarité') });
    expect(fr.footer?.aiGenerated).toBe(true);
  });

  it('refuses an unknown team with a coded error', async () => {
    const { service } = setup();
    await expect(service.compose('inconnue', 'fr')).rejects.toMatchObject({ code: 'digest.team_not_found' });
  });

  it('sends the weekly digest once to each coordinator, in their locale, and never twice for the same week', async () => {
    const { service, sender } = setup();
    const first = await service.sendScheduled('scolarite');
    expect(first).toEqual({ periodKey: '2027-04-12', recipients: 2, delivered: 2, skipped: 0, failed: 0 });
    expect(sender.sent.map((s) => s.personId)).toEqual(['p-coord-1', 'p-coord-2']);
    expect(sender.sent[0]!.en.blocks[0]).toMatchObject({ markdown: expect.stringContaining('Experimentation digest') });
    expect(sender.sent[0]!.fr.blocks.filter((b) => b.type === 'image')).toHaveLength(2);
    const again = await service.sendScheduled('scolarite', new Date(DIGEST_TIME.getTime() + 3_600_000));
    expect(again).toMatchObject({ delivered: 0, skipped: 2 });
    expect(sender.sent).toHaveLength(2);
  });

  it('releases a failed delivery and fails transiently, so the retry sends only what is missing', async () => {
    const { service, sender } = setup();
    sender.failFor.add('p-coord-2');
    await expect(service.sendScheduled('scolarite')).rejects.toMatchObject({ code: 'digest.delivery_failed', transient: true });
    expect(sender.sent.map((s) => s.personId)).toEqual(['p-coord-1']);
    sender.failFor.clear();
    const retry = await service.sendScheduled('scolarite');
    expect(retry).toMatchObject({ delivered: 1, skipped: 1, failed: 0 });
    expect(sender.sent.map((s) => s.personId)).toEqual(['p-coord-1', 'p-coord-2']);
  });

  it('groups irritants with the model when there is one, and logs a content-free reason when it falls back', async () => {
    const model = new ScriptedModel((prompt) => (prompt[0]!.content.includes('irritants') ? 'pas du JSON' : 'Une semaine stable, le temps gagné progresse depuis la référence.'));
    const { service, lines } = setup(digestData(), { model });
    const digest = await service.compose('scolarite', 'fr');
    expect(digest.footer!.text).toContain('modèle d’IA');
    const warn = lines.find((l) => l.message === 'irritants grouped lexically')!;
    expect(warn.fields).toMatchObject({ reason: 'invalid_json', teamId: 'scolarite', scope: 'digest' });
    expect(JSON.stringify(lines)).not.toContain('Apogée');
  });

  it('skips a team without coordinators', async () => {
    const data = digestData();
    const { service, sender } = setup({ ...data, team: { ...data.team, coordinatorPersonIds: [] } });
    expect(await service.sendScheduled('scolarite')).toMatchObject({ recipients: 0, delivered: 0 });
    expect(sender.sent).toHaveLength(0);
  });
});

describe('digest job', () => {
  it('validates its data with clear errors and calls the service with the planned time', async () => {
    const calls: Array<[string, Date]> = [];
    const job = digestJob({ sendScheduled: async (teamId: string, now?: Date) => (calls.push([teamId, now!]), { periodKey: '', recipients: 0, delivered: 0, skipped: 0, failed: 0 }) });
    expect(job.name).toBe(DIGEST_JOB);
    expect(job.parse({ teamId: 'scolarite' })).toEqual({ teamId: 'scolarite' });
    expect(() => job.parse({})).toThrow(/digest job data: teamId/);
    expect(() => job.parse({ teamId: '' })).toThrow(expect.objectContaining({ code: 'job.invalid_data', transient: false }));
    expect(() => job.parse({ teamId: 'a', extra: 1 })).toThrow(/job data/);
    expect(() => job.parse('scolarite')).toThrow(/job data/);
    await job.handle({ teamId: 'scolarite' }, { id: 'j1', attempt: 2, scheduledFor: DIGEST_TIME, scheduleKey: 'digest:scolarite' });
    expect(calls).toEqual([['scolarite', DIGEST_TIME]]);
  });

  it('is declared with a stable key per team (re-declaring never duplicates)', async () => {
    const declared: unknown[][] = [];
    const scheduler = { schedule: async (...args: unknown[]) => (declared.push(args), {} as never) } as unknown as Scheduler;
    await declareDigest(scheduler, 'scolarite', 'Europe/Paris');
    await declareDigest(scheduler, 'scolarite', 'Europe/Paris');
    expect(declared).toEqual([
      ['digest:scolarite', DIGEST_JOB, { teamId: 'scolarite' }, { cron: DEFAULT_DIGEST_CRON, timezone: 'Europe/Paris' }],
      ['digest:scolarite', DIGEST_JOB, { teamId: 'scolarite' }, { cron: DEFAULT_DIGEST_CRON, timezone: 'Europe/Paris' }],
    ]);
    expect(digestScheduleKey('rh')).toBe('digest:rh');
  });
});
