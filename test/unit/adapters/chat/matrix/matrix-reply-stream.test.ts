/**
 * Streaming by edits: the first write posts, later ones edit at most once
 * per interval, and the end hands the final envelope to the target.
 */
import { jest } from '@jest/globals';
import { MatrixReplyStream, type StreamTarget } from '../../../../../src/adapters/chat/matrix/matrix-reply-stream.js';
import type { OutboundEnvelope } from '../../../../../src/core/messages/outbound.js';

const final: OutboundEnvelope = { id: 'e1', cursor: '1', createdAt: new Date(0), conversationId: 'c', locale: 'fr', message: { blocks: [{ type: 'text', markdown: 'fin' }] } };

describe('MatrixReplyStream', () => {
  afterEach(() => jest.useRealTimers());

  it('posts once, edits at most once per interval, and finishes with the final envelope', async () => {
    jest.useFakeTimers();
    const calls: string[] = [];
    const target: StreamTarget = {
      post: async (content) => {
        calls.push(`post:${content.body}`);
        return '$s';
      },
      edit: async (eventId, content) => {
        calls.push(`edit:${eventId}:${content.body}`);
      },
      finish: async (envelope, eventId) => {
        calls.push(`finish:${envelope.id}:${eventId}`);
      },
    };
    const stream = new MatrixReplyStream(target, 1_000, () => Date.now());
    await stream.informative('Je cherche…');
    await jest.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(['post:Je cherche…']);
    await stream.append('Un ');
    await stream.append('deux ');
    await jest.advanceTimersByTimeAsync(500);
    expect(calls).toHaveLength(1); // throttled
    await stream.append('trois');
    await jest.advanceTimersByTimeAsync(600);
    expect(calls).toEqual(['post:Je cherche…', 'edit:$s:Un deux trois']);
    await stream.append(' quatre');
    await stream.end(final);
    expect(calls.at(-1)).toBe('finish:e1:$s');
    expect(calls).toHaveLength(3); // the pending edit was replaced by the final one
  });

  it('without any chunk, the end posts the final message normally', async () => {
    const finish = jest.fn(async () => undefined);
    const stream = new MatrixReplyStream({ post: async () => '$x', edit: async () => undefined, finish }, 1_000);
    await stream.end(final);
    expect(finish).toHaveBeenCalledWith(final, undefined);
  });
});
