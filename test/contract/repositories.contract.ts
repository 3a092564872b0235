/**
 * One contract for every implementation of the persistence ports
 * (in-memory, PGlite, PostgreSQL), so the fakes cannot drift from the
 * real databases. Each `*.test.ts` next to this file runs it on one of them.
 */
import { randomUUID } from 'node:crypto';
import { ValidationError } from '../../src/core/errors.js';
import type { NewMessage, Repositories } from '../../src/core/ports/repositories.js';

export interface RepositoriesFixture {
  repositories: Repositories;
  cleanup(): Promise<void>;
}

const at = (iso: string): Date => new Date(iso);

function newMessage(overrides: Partial<NewMessage> = {}): NewMessage {
  return {
    id: randomUUID(),
    conversationId: 'c_1',
    personId: 'p_1',
    platform: 'web',
    direction: 'out',
    content: { kind: 'text', text: 'bonjour' },
    locale: 'fr',
    createdAt: at('2026-03-02T10:00:00.000Z'),
    expiresAt: at('2026-04-01T10:00:00.000Z'),
    ...overrides,
  };
}

export function repositoriesContract(name: string, open: () => Promise<RepositoriesFixture>): void {
  describe(`repositories contract: ${name}`, () => {
    let fixture: RepositoriesFixture;
    let repos: Repositories;

    beforeAll(async () => {
      fixture = await open();
      repos = fixture.repositories;
    });
    afterAll(async () => {
      await fixture?.cleanup();
    });

    const account = (n = randomUUID()) => ({
      accountKey: `key-${n}`,
      platform: 'slack' as const,
      personId: `p_${n}`,
      sealedExternalId: `v1.sealed-${n}`,
    });

    describe('people', () => {
      it('creates a person on first contact and finds the same one afterwards', async () => {
        const a = account();
        const first = await repos.people.resolveAccount(a);
        expect(first).toMatchObject({ id: a.personId, locale: null, disclosedAt: null });
        expect(first.createdAt).toBeInstanceOf(Date);
        const again = await repos.people.resolveAccount({ ...a, personId: 'p_other' });
        expect(again.id).toBe(a.personId);
        expect(await repos.people.findByAccount(a.accountKey)).toMatchObject({ id: a.personId });
        expect(await repos.people.findByAccount('key-unknown')).toBeNull();
        expect(await repos.people.get('p_unknown')).toBeNull();
      });

      it('creates exactly one person when first messages race', async () => {
        const a = account();
        const results = await Promise.all(Array.from({ length: 8 }, () => repos.people.resolveAccount(a)));
        expect(new Set(results.map((p) => p.id))).toEqual(new Set([a.personId]));
        const accounts = await repos.people.accountsOf(a.personId);
        expect(accounts).toHaveLength(1);
        expect(accounts[0]).toMatchObject({ accountKey: a.accountKey, platform: 'slack', sealedExternalId: a.sealedExternalId });
      });

      it('keeps the chosen locale', async () => {
        const a = account();
        await repos.people.resolveAccount(a);
        await repos.people.setLocale(a.personId, 'en');
        expect((await repos.people.get(a.personId))?.locale).toBe('en');
        await repos.people.setLocale(a.personId, null);
        expect((await repos.people.get(a.personId))?.locale).toBeNull();
      });

      it('marks the disclosure exactly once, even concurrently', async () => {
        const a = account();
        await repos.people.resolveAccount(a);
        const when = at('2026-03-02T09:00:00.123Z');
        const outcomes = await Promise.all(Array.from({ length: 6 }, () => repos.people.markDisclosed(a.personId, when)));
        expect(outcomes.filter(Boolean)).toHaveLength(1);
        expect(await repos.people.markDisclosed(a.personId, new Date())).toBe(false);
        expect((await repos.people.get(a.personId))?.disclosedAt?.toISOString()).toBe(when.toISOString());
        expect(await repos.people.markDisclosed('p_unknown', when)).toBe(false);
      });
    });

    describe('conversations', () => {
      const conversation = (sealedRef: string) => ({ platform: 'teams' as const, kind: 'channel' as const, sealedRef });

      it('creates, refreshes and greets a conversation once', async () => {
        const id = `c_${randomUUID()}`;
        const created = await repos.conversations.upsert(id, conversation('v1.first'), at('2026-03-02T08:00:00.000Z'));
        expect(created).toMatchObject({ id, platform: 'teams', kind: 'channel', greetedAt: null, sealedRef: 'v1.first' });
        const refreshed = await repos.conversations.upsert(id, conversation('v1.second'), at('2026-03-02T09:00:00.000Z'));
        expect(refreshed.createdAt.toISOString()).toBe('2026-03-02T08:00:00.000Z');
        expect(refreshed.lastActivityAt.toISOString()).toBe('2026-03-02T09:00:00.000Z');
        expect(refreshed.sealedRef).toBe('v1.second');
        expect(await repos.conversations.markGreeted(id, new Date())).toBe(true);
        expect(await repos.conversations.markGreeted(id, new Date())).toBe(false);
        expect((await repos.conversations.get(id))?.greetedAt).toBeInstanceOf(Date);
        expect(await repos.conversations.get('c_unknown')).toBeNull();
      });
    });

    describe('messages', () => {
      let conversationId: string;
      let personId: string;

      beforeEach(async () => {
        conversationId = `c_${randomUUID()}`;
        personId = `p_${randomUUID()}`;
        await repos.conversations.upsert(conversationId, { platform: 'web', kind: 'direct', sealedRef: 'v1.x' }, new Date());
      });

      it('appends with increasing cursors and round-trips content', async () => {
        const content = {
          kind: 'outbound' as const,
          message: { blocks: [{ type: 'text' as const, markdown: 'Élan « unicode » ✓ — 😀' }], footer: { text: 'f', aiGenerated: true } },
        };
        const first = await repos.messages.append(newMessage({ conversationId, personId, content }));
        const second = await repos.messages.append(newMessage({ conversationId, personId }));
        expect(BigInt(second.cursor)).toBeGreaterThan(BigInt(first.cursor));
        expect(first.content).toEqual(content);
        expect(first.createdAt.toISOString()).toBe('2026-03-02T10:00:00.000Z');
      });

      it('lists outbound messages for a person after a cursor, oldest first', async () => {
        const m1 = await repos.messages.append(newMessage({ conversationId, personId }));
        await repos.messages.append(newMessage({ conversationId, personId, direction: 'in' }));
        await repos.messages.append(newMessage({ conversationId, personId, platform: 'slack' }));
        await repos.messages.append(newMessage({ conversationId, personId: 'p_someone_else' }));
        const m2 = await repos.messages.append(newMessage({ conversationId, personId }));
        const m3 = await repos.messages.append(newMessage({ conversationId, personId }));

        const all = await repos.messages.listOutboundForPerson(personId, 'web');
        expect(all.map((m) => m.id)).toEqual([m1.id, m2.id, m3.id]);
        const after = await repos.messages.listOutboundForPerson(personId, 'web', { after: m1.cursor, limit: 1 });
        expect(after.map((m) => m.id)).toEqual([m2.id]);
        expect(await repos.messages.latestOutboundCursor(personId, 'web')).toBe(m3.cursor);
        expect(await repos.messages.latestOutboundCursor('p_nobody', 'web')).toBeNull();
      });

      it('rejects a cursor it did not produce', async () => {
        await expect(repos.messages.listOutboundForPerson(personId, 'web', { after: 'abc' })).rejects.toBeInstanceOf(ValidationError);
      });

      it('returns the latest messages of a conversation in order', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) ids.push((await repos.messages.append(newMessage({ conversationId, personId, direction: i % 2 ? 'in' : 'out' }))).id);
        const recent = await repos.messages.listRecent(conversationId, 3);
        expect(recent.map((m) => m.id)).toEqual(ids.slice(2));
      });

      it('redacts the outbound messages to a person that contain a marker, keeping ids and cursors', async () => {
        const question = (id: string) => ({ kind: 'outbound' as const, message: { blocks: [{ type: 'scale' as const, actionId: id, label: 'Bien-être ?', min: 1, max: 5, required: true }] } });
        const mine = await repos.messages.append(newMessage({ conversationId, personId, content: question('survey:anon:c1:bien_etre') }));
        const other = await repos.messages.append(newMessage({ conversationId, personId, content: question('survey:anon:c2:bien_etre') }));
        const inbound = await repos.messages.append(newMessage({ conversationId, personId, direction: 'in', content: { kind: 'text', text: 'survey:anon:c1:x' } }));
        const someoneElse = await repos.messages.append(newMessage({ conversationId, personId: 'p_other', content: question('survey:anon:c1:bien_etre') }));
        const replacement = { kind: 'outbound' as const, message: { blocks: [{ type: 'text' as const, markdown: '(questions retirées « anonymes »)' }] } };

        expect(await repos.messages.redactOutbound(personId, 'survey:anon:c1:', replacement)).toBe(1);
        const byId = new Map((await repos.messages.listRecent(conversationId, 20)).map((m) => [m.id, m]));
        expect(byId.get(mine.id)).toMatchObject({ content: replacement, cursor: mine.cursor });
        expect(byId.get(other.id)!.content).toEqual(question('survey:anon:c2:bien_etre'));
        expect(byId.get(inbound.id)!.content).toEqual({ kind: 'text', text: 'survey:anon:c1:x' });
        expect(byId.get(someoneElse.id)!.content).toEqual(question('survey:anon:c1:bien_etre'));
        expect(await repos.messages.redactOutbound(personId, "'; drop table messages; --%_", replacement)).toBe(0);
      });

      it('tells whether an outbound message to a person contains a marker', async () => {
        const start = (id: string) => ({ kind: 'outbound' as const, message: { blocks: [{ type: 'buttons' as const, buttons: [{ actionId: `survey:start:${id}`, label: 'Répondre' }] }] } });
        await repos.messages.append(newMessage({ conversationId, personId, content: start('c-has1') }));
        await repos.messages.append(newMessage({ conversationId, personId, direction: 'in', content: { kind: 'text', text: 'survey:start:c-inbound' } }));
        await repos.messages.append(newMessage({ conversationId, personId: 'p_other', content: start('c-has2') }));
        expect(await repos.messages.hasOutboundContaining(personId, 'survey:start:c-has1')).toBe(true);
        expect(await repos.messages.hasOutboundContaining(personId, 'survey:start:c-inbound')).toBe(false);
        expect(await repos.messages.hasOutboundContaining(personId, 'survey:start:c-has2')).toBe(false);
        expect(await repos.messages.hasOutboundContaining(personId, '%')).toBe(false);
      });

      it('deletes only expired messages', async () => {
        const expired = await repos.messages.append(newMessage({ conversationId, personId, expiresAt: at('2026-01-01T00:00:00.000Z') }));
        const kept = await repos.messages.append(newMessage({ conversationId, personId, expiresAt: at('2099-01-01T00:00:00.000Z') }));
        const deleted = await repos.messages.deleteExpired(at('2026-02-01T00:00:00.000Z'));
        expect(deleted).toBeGreaterThanOrEqual(1);
        const left = (await repos.messages.listRecent(conversationId, 10)).map((m) => m.id);
        expect(left).toContain(kept.id);
        expect(left).not.toContain(expired.id);
      });
    });

    describe('audit log', () => {
      it('records events and lists them newest first with filters', async () => {
        const actor = `p_${randomUUID()}`;
        const first = await repos.audit.record({ actorId: actor, action: 'test.first', outcome: 'ok', details: { count: 1 }, occurredAt: at('2026-03-01T00:00:00.000Z') });
        await repos.audit.record({ actorId: actor, action: 'test.second', outcome: 'error', subjectType: 'survey', subjectId: 's1', correlationId: 'corr', details: { code: 'x' }, occurredAt: at('2026-03-02T00:00:00.000Z') });
        expect(first.id).toEqual(expect.any(String));
        const events = await repos.audit.list({ actorId: actor });
        expect(events.map((e) => e.action)).toEqual(['test.second', 'test.first']);
        expect(events[0]).toMatchObject({ outcome: 'error', subjectType: 'survey', subjectId: 's1', correlationId: 'corr', details: { code: 'x' } });
        expect((await repos.audit.list({ actorId: actor, action: 'test.first' })).map((e) => e.action)).toEqual(['test.first']);
        expect((await repos.audit.list({ actorId: actor, since: at('2026-03-01T12:00:00.000Z') })).map((e) => e.action)).toEqual(['test.second']);
        expect(await repos.audit.list({ actorId: actor, limit: 1 })).toHaveLength(1);
      });
    });

    describe('assistant answers and feedback', () => {
      const answer = (id: string) => ({
        id,
        conversationId: 'c_1',
        personId: 'p_1',
        mode: 'extractive' as const,
        model: null,
        promptTokens: 0,
        completionTokens: 0,
        embeddingTokens: 0,
        latencyMs: 12,
        citations: [{ index: 1, recitId: 'recit-1', chunkId: 'recit-1#0', score: 0.5 }],
        safetyLevel: 'none',
        createdAt: at('2026-03-01T00:00:00.000Z'),
      });

      it('keeps one rating per person, replaces it with its comment, and clears old comments only', async () => {
        const [a, b] = [randomUUID(), randomUUID()];
        await repos.answers.record(answer(a));
        await repos.answers.record(answer(b));
        await repos.answers.saveFeedback({ answerId: a, personId: 'p_1', rating: 'down', comment: null }, at('2026-03-01T10:00:00.000Z'));
        expect(await repos.answers.commentFeedback(a, 'p_1', 'trop long', at('2026-03-01T10:01:00.000Z'))).toBe(true);
        expect(await repos.answers.commentFeedback(a, 'p_2', 'personne', at('2026-03-01T10:01:00.000Z'))).toBe(false);
        await repos.answers.saveFeedback({ answerId: b, personId: 'p_1', rating: 'up', comment: 'clair' }, at('2026-03-20T10:00:00.000Z'));
        expect(await repos.answers.feedbackFor(a)).toEqual([
          { answerId: a, personId: 'p_1', rating: 'down', comment: 'trop long', createdAt: at('2026-03-01T10:00:00.000Z'), updatedAt: at('2026-03-01T10:01:00.000Z') },
        ]);

        expect(await repos.answers.clearCommentsBefore(at('2026-03-10T00:00:00.000Z'))).toBeGreaterThanOrEqual(1);
        expect(await repos.answers.feedbackFor(a)).toEqual([expect.objectContaining({ rating: 'down', comment: null })]);
        expect(await repos.answers.feedbackFor(b)).toEqual([expect.objectContaining({ rating: 'up', comment: 'clair' })]);
        expect(await repos.answers.clearCommentsBefore(at('2026-03-10T00:00:00.000Z'))).toBe(0);
      });
    });

    describe('jobs', () => {
      const job = (id = randomUUID(), runAt = at('2026-03-02T10:00:00.000Z')) => ({
        id,
        jobName: 'test.job',
        data: { n: 1, nested: { list: ['a'] } },
        runAt,
        maxAttempts: 3,
        backoffMs: 100,
        scheduleKey: null,
      });

      it('inserts once while pending, and again once finished', async () => {
        const j = job();
        expect(await repos.jobs.insertJob(j)).toBe(true);
        expect(await repos.jobs.insertJob({ ...j, data: { n: 2 } })).toBe(false);
        expect((await repos.jobs.getJob(j.id))?.data).toEqual({ n: 1, nested: { list: ['a'] } });
        await repos.jobs.claimJob(j.id, new Date());
        expect(await repos.jobs.insertJob(j)).toBe(false);
        await repos.jobs.completeJob(j.id, new Date());
        expect(await repos.jobs.insertJob({ ...j, data: { n: 3 } })).toBe(true);
        expect(await repos.jobs.getJob(j.id)).toMatchObject({ status: 'pending', attempts: 0, data: { n: 3 } });
      });

      it('finds due jobs in order and claims each exactly once', async () => {
        const early = job(randomUUID(), at('2000-01-01T00:00:00.000Z'));
        const late = job(randomUUID(), at('2000-01-01T00:00:01.000Z'));
        const future = job(randomUUID(), at('2999-01-01T00:00:00.000Z'));
        for (const j of [late, future, early]) await repos.jobs.insertJob(j);
        const due = await repos.jobs.dueJobs(at('2000-01-02T00:00:00.000Z'), 10);
        const ids = due.map((d) => d.id);
        expect(ids.indexOf(early.id)).toBeLessThan(ids.indexOf(late.id));
        expect(ids).not.toContain(future.id);
        expect((await repos.jobs.nextDueAt())!.getTime()).toBeLessThanOrEqual(early.runAt.getTime());
        const claims = await Promise.all(Array.from({ length: 5 }, () => repos.jobs.claimJob(early.id, new Date())));
        const winners = claims.filter((c) => c !== null);
        expect(winners).toHaveLength(1);
        expect(winners[0]).toMatchObject({ status: 'running', attempts: 1 });
        expect((await repos.jobs.unfinishedJobs()).map((j) => j.id)).toEqual(expect.arrayContaining([early.id, late.id, future.id]));
        expect(await repos.jobs.claimJob(early.id, new Date())).toBeNull();
        expect(await repos.jobs.claimJob(early.id, new Date(), true)).toMatchObject({ status: 'running', attempts: 2 });
      });

      it('records failures with or without a retry, cancels and requeues', async () => {
        const j = job();
        await repos.jobs.insertJob(j);
        await repos.jobs.claimJob(j.id, new Date());
        const retryAt = at('2026-03-02T10:00:05.000Z');
        await repos.jobs.failJob(j.id, 'boom: transient', retryAt, new Date());
        expect(await repos.jobs.getJob(j.id)).toMatchObject({ status: 'pending', lastError: 'boom: transient', attempts: 1 });
        expect((await repos.jobs.getJob(j.id))?.runAt.toISOString()).toBe(retryAt.toISOString());
        await repos.jobs.claimJob(j.id, new Date());
        await repos.jobs.failJob(j.id, 'boom: permanent', null, new Date());
        expect(await repos.jobs.getJob(j.id)).toMatchObject({ status: 'failed', attempts: 2 });

        const c = job();
        await repos.jobs.insertJob(c);
        expect(await repos.jobs.cancelJob(c.id, new Date())).toBe(true);
        expect(await repos.jobs.cancelJob(c.id, new Date())).toBe(false);

        const r = job();
        await repos.jobs.insertJob(r);
        await repos.jobs.claimJob(r.id, new Date());
        expect(await repos.jobs.requeueRunning(new Date())).toBeGreaterThanOrEqual(1);
        expect((await repos.jobs.getJob(r.id))?.status).toBe('pending');
      });

      it('deletes finished jobs older than a date only', async () => {
        const old = job();
        await repos.jobs.insertJob(old);
        await repos.jobs.claimJob(old.id, new Date());
        await repos.jobs.completeJob(old.id, at('2001-01-01T00:00:00.000Z'));
        const pending = job();
        await repos.jobs.insertJob(pending);
        expect(await repos.jobs.deleteFinished(at('2002-01-01T00:00:00.000Z'))).toBeGreaterThanOrEqual(1);
        expect(await repos.jobs.getJob(old.id)).toBeNull();
        expect(await repos.jobs.getJob(pending.id)).not.toBeNull();
      });
    });

    describe('schedules', () => {
      it('upserts by key, keeping creation and last run', async () => {
        const key = `test:${randomUUID()}`;
        const t0 = at('2026-03-02T10:00:00.000Z');
        const created = await repos.jobs.upsertSchedule(
          { key, jobName: 'test.job', recurrence: { cron: '0 14 * * 5', timezone: 'Europe/Paris' }, data: { team: 't1' }, nextRunAt: at('2026-03-06T13:00:00.000Z') },
          t0,
        );
        expect(created).toMatchObject({ key, recurrence: { cron: '0 14 * * 5', timezone: 'Europe/Paris' }, data: { team: 't1' }, lastRunAt: null });
        await repos.jobs.markScheduleRun(key, at('2026-03-06T13:00:01.000Z'));
        const updated = await repos.jobs.upsertSchedule(
          { key, jobName: 'test.job', recurrence: { everyMs: 60000 }, data: null, nextRunAt: null },
          at('2026-03-07T00:00:00.000Z'),
        );
        expect(updated.recurrence).toEqual({ everyMs: 60000 });
        expect(updated.data).toBeNull();
        expect(updated.createdAt.toISOString()).toBe(t0.toISOString());
        expect(updated.lastRunAt?.toISOString()).toBe('2026-03-06T13:00:01.000Z');
        expect((await repos.jobs.listSchedules()).filter((s) => s.key === key)).toHaveLength(1);
        expect(await repos.jobs.deleteSchedule(key)).toBe(true);
        expect(await repos.jobs.deleteSchedule(key)).toBe(false);
        expect(await repos.jobs.getSchedule(key)).toBeNull();
      });

      it('advances a schedule once per expected fire time (compare and set)', async () => {
        const key = `test:${randomUUID()}`;
        const due = at('2026-03-06T13:00:00.000Z');
        await repos.jobs.upsertSchedule({ key, jobName: 'test.job', recurrence: { everyMs: 1000 }, data: {}, nextRunAt: due }, new Date());
        const next = at('2026-03-06T13:00:01.000Z');
        const outcomes = await Promise.all(Array.from({ length: 5 }, () => repos.jobs.advanceSchedule(key, due, due, next)));
        expect(outcomes.filter(Boolean)).toHaveLength(1);
        expect(await repos.jobs.advanceSchedule(key, due, due, next)).toBe(false);
        expect((await repos.jobs.getSchedule(key))?.nextRunAt?.toISOString()).toBe(next.toISOString());
      });
    });
  });
}
