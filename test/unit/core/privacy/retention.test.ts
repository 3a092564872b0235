import { createSilentLogger } from '../../../../src/adapters/log/pino-logger.js';
import { createInMemoryRepositories } from '../../../../src/adapters/memory/create-in-memory-repositories.js';
import { RetentionService } from '../../../../src/core/privacy/retention.js';

describe('retention purge', () => {
  it('deletes expired messages, old feedback comments and old finished jobs, and audits the counts', async () => {
    const repos = createInMemoryRepositories();
    const now = new Date('2026-06-01T03:15:00.000Z');
    await repos.conversations.upsert('c_1', { platform: 'web', kind: 'direct', sealedRef: 'v1.x' }, now);
    const base = { conversationId: 'c_1', personId: 'p_1', platform: 'web' as const, direction: 'in' as const, content: { kind: 'text' as const, text: 'x' }, locale: 'fr' as const, createdAt: now };
    await repos.messages.append({ ...base, id: 'old', expiresAt: new Date('2026-05-31T00:00:00.000Z') });
    await repos.messages.append({ ...base, id: 'fresh', expiresAt: new Date('2026-07-01T00:00:00.000Z') });
    await repos.jobs.insertJob({ id: 'j1', jobName: 'x', data: {}, runAt: now, maxAttempts: 1, backoffMs: 1, scheduleKey: null });
    await repos.jobs.claimJob('j1', now);
    await repos.jobs.completeJob('j1', new Date('2026-04-01T00:00:00.000Z'));

    await repos.answers.saveFeedback({ answerId: 'a_old', personId: 'p_1', rating: 'down', comment: 'mon tuteur s’appelle…' }, new Date('2026-04-20T00:00:00.000Z'));
    await repos.answers.saveFeedback({ answerId: 'a_new', personId: 'p_1', rating: 'up', comment: 'merci' }, new Date('2026-05-20T00:00:00.000Z'));

    const report = await new RetentionService({
      messages: repos.messages,
      answers: repos.answers,
      jobs: repos.jobs,
      audit: repos.audit,
      clock: { now: () => now },
      logger: createSilentLogger(),
      messageRetentionDays: 30,
    }).purgeExpired();
    expect(report).toEqual({ messages: 1, feedbackComments: 1, jobs: 1 });
    // The rating stays (no text), the comment older than 30 days goes.
    expect(await repos.answers.feedbackFor('a_old')).toEqual([expect.objectContaining({ rating: 'down', comment: null })]);
    expect(await repos.answers.feedbackFor('a_new')).toEqual([expect.objectContaining({ rating: 'up', comment: 'merci' })]);
    expect((await repos.messages.listRecent('c_1', 10)).map((m) => m.id)).toEqual(['fresh']);
    const [event] = await repos.audit.list({ action: 'privacy.retention_purge' });
    expect(event?.details).toEqual({ messages: 1, feedbackComments: 1, jobs: 1 });
  });
});
