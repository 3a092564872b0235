/**
 * The pure Matrix mapper against every official example in
 * `../shared/conformance/matrix/` (spec events, MSC3381 polls, and the
 * events of the spec's /sync response example): each one is mapped or
 * ignored with an explicit reason; supported ones give the expected neutral
 * event. Plus mentions, threads, edits, reactions, numbered replies,
 * invites and allow-lists.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  allowListRefusal,
  mapMatrixEvent,
  type MatrixInboundContext,
  type MatrixInboundResult,
  type RawMatrixEvent,
} from '../../../../../src/adapters/chat/matrix/matrix-inbound.js';

const DIR = fileURLToPath(new URL('../../../../../../shared/conformance/matrix/', import.meta.url));
const available = existsSync(DIR);
const describeFixtures = available ? describe : describe.skip;
const NOW = new Date('2026-12-07T10:00:00Z');
const BOT = '@relais:example.org';
const ROOM = '!jEsUZKDJdhlrceRyVU:example.org';

const ctx = (extra: Partial<MatrixInboundContext> = {}): MatrixInboundContext => ({
  botUserId: BOT,
  botDisplayName: 'Relais',
  isDirect: true,
  allow: { domains: ['example.org'], rooms: [], users: [] },
  now: NOW,
  ...extra,
});

function load(name: string): RawMatrixEvent {
  return JSON.parse(readFileSync(DIR + name, 'utf8')) as RawMatrixEvent;
}

/** Fills what the poll examples leave out (they show contents only). */
function complete(event: RawMatrixEvent): RawMatrixEvent {
  return { event_id: '$ev:example.org', room_id: ROOM, sender: '@bob:example.org', origin_server_ts: 1, ...event };
}

function eventOf(result: MatrixInboundResult) {
  if (result.kind !== 'event') throw new Error(`expected an event, got ${JSON.stringify(result)}`);
  return result.event;
}

describeFixtures(available ? 'official Matrix examples' : 'official Matrix examples [skipped: ../shared/conformance/matrix is absent]', () => {
  const files = available ? readdirSync(DIR).filter((f) => f.endsWith('.json') && f !== 'sync_response.json') : [];

  it.each(files)('%s maps to an event or an explicit reason', (file) => {
    for (const event of [load(file), complete(load(file))]) {
      const result = mapMatrixEvent(event, ctx());
      expect(['event', 'ignored', 'invite']).toContain(result.kind);
      if (result.kind === 'ignored') expect(result.reason.length).toBeGreaterThan(3);
    }
  });

  it('m.text in a DM is a message; every other message type is ignored with its reason', () => {
    const text = eventOf(mapMatrixEvent(load('m.room.message$m.text.json'), ctx()));
    expect(text).toEqual({
      id: '$143273582443PhrSn:example.org',
      kind: 'message',
      platform: 'matrix',
      conversation: { platform: 'matrix', externalId: ROOM, kind: 'direct' },
      sender: { externalId: '@example:example.org' },
      receivedAt: NOW,
      text: 'This is an example text message',
    });
    const reasons = Object.fromEntries(
      files
        .filter((f) => f.startsWith('m.room.message$') && f !== 'm.room.message$m.text.json')
        .map((f) => [f, mapMatrixEvent(load(f), ctx())]),
    );
    expect(reasons['m.room.message$m.notice.json']).toEqual({ kind: 'ignored', reason: 'notice (bot message)' });
    expect(reasons['m.room.message$m.image.json']).toEqual({ kind: 'ignored', reason: 'message type m.image' });
    expect(reasons['m.room.message$m.emote.json']).toEqual({ kind: 'ignored', reason: 'message type m.emote' });
    expect(reasons['m.room.message$m.key.verification.request.json']).toEqual({ kind: 'ignored', reason: 'message type m.key.verification.request' });
  });

  it('maps stable and unstable MSC3381 poll responses to the question’s action and option value', () => {
    const poll = { actionId: 'survey:q1', numeric: false, answers: { pizza: 'p', poutine: 'pt', italian: 'i', wings: 'w' } };
    const stable = eventOf(mapMatrixEvent(complete(load('msc3381.1.m.poll.response.json')), ctx({ poll })));
    expect(stable).toMatchObject({ kind: 'action', actionId: 'survey:q1', value: 'pt', messageId: '$poll_start_event_id', sender: { externalId: '@bob:example.org' } });
    const unstable = eventOf(mapMatrixEvent(complete(load('msc3381.4.org.matrix.msc3381.poll.response.json')), ctx({ poll })));
    expect(unstable).toMatchObject({ kind: 'action', actionId: 'survey:q1', value: 'p' });
    // Without our record of the poll (someone else's poll), or for a scale (numbers):
    expect(mapMatrixEvent(complete(load('msc3381.1.m.poll.response.json')), ctx())).toEqual({ kind: 'ignored', reason: 'response to a poll the bot did not post' });
    const scale = { actionId: 's:1', numeric: true, answers: { poutine: '4' } };
    expect(eventOf(mapMatrixEvent(complete(load('msc3381.1.m.poll.response.json')), ctx({ poll: scale })))).toMatchObject({ value: 4 });
    // Poll starts and ends from users are not addressed to the bot.
    for (const file of ['msc3381.0.m.poll.start.json', 'msc3381.2.m.poll.end.json', 'msc3381.3.org.matrix.msc3381.poll.start.json', 'msc3381.5.org.matrix.msc3381.poll.end.json']) {
      expect(mapMatrixEvent(complete(load(file)), ctx()).kind).toBe('ignored');
    }
  });

  it('maps every event of the /sync response example', () => {
    const sync = JSON.parse(readFileSync(DIR + 'sync_response.json', 'utf8')) as {
      rooms: { join: Record<string, { timeline: { events: RawMatrixEvent[] }; state: { events: RawMatrixEvent[] } }>; invite: Record<string, { invite_state: { events: RawMatrixEvent[] } }> };
    };
    const allow = { domains: ['example.org', 'example.com'], rooms: [], users: [] };
    const results: MatrixInboundResult[] = [];
    for (const [roomId, room] of Object.entries(sync.rooms.join)) {
      for (const event of [...room.state.events, ...room.timeline.events]) results.push(mapMatrixEvent({ ...event, room_id: roomId }, ctx({ allow })));
    }
    expect(results.map((r) => r.kind)).toEqual(['ignored', 'ignored', 'event']);
    expect(results[0]).toEqual({ kind: 'ignored', reason: 'membership of someone else' });
    // The invite example invites @bob: seen as the bot, it is an invitation to accept.
    for (const [roomId, room] of Object.entries(sync.rooms.invite)) {
      const member = room.invite_state.events.find((e) => e.type === 'm.room.member')!;
      const result = mapMatrixEvent({ ...member, event_id: '$invite', room_id: roomId }, ctx({ botUserId: '@bob:example.com', allow }));
      expect(result).toEqual({ kind: 'invite', roomId, inviter: '@alice:example.com', isDirect: false, accept: true });
    }
  });
});

describe('matrix inbound mapping rules', () => {
  const message = (body: string, extra: Record<string, unknown> = {}, over: Partial<RawMatrixEvent> = {}): RawMatrixEvent => ({
    event_id: '$m1',
    room_id: ROOM,
    sender: '@alice:example.org',
    type: 'm.room.message',
    origin_server_ts: 1,
    content: { msgtype: 'm.text', body, ...extra },
    ...over,
  });

  it('ignores the bot’s own events, edits and undecryptable events', () => {
    expect(mapMatrixEvent(message('x', {}, { sender: BOT }), ctx())).toEqual({ kind: 'ignored', reason: "the bot's own event" });
    const edit = message('* corrigé', { 'm.new_content': { msgtype: 'm.text', body: 'corrigé' }, 'm.relates_to': { rel_type: 'm.replace', event_id: '$m0' } });
    expect(mapMatrixEvent(edit, ctx())).toEqual({ kind: 'ignored', reason: 'edit of an earlier message' });
    expect(mapMatrixEvent({ ...message('x'), type: 'm.room.encrypted' }, ctx())).toEqual({ kind: 'ignored', reason: 'undecryptable event' });
  });

  it('in a group room, answers only mentions (user id, display name, m.mentions) and strips them', () => {
    const group = ctx({ isDirect: false });
    expect(mapMatrixEvent(message('bonjour tout le monde'), group)).toEqual({ kind: 'ignored', reason: 'group message without a mention of the bot' });
    expect(eventOf(mapMatrixEvent(message('Relais: aide'), group))).toMatchObject({ text: 'aide', conversation: { kind: 'channel' } });
    expect(eventOf(mapMatrixEvent(message(`${BOT} aide`), group))).toMatchObject({ text: 'aide' });
    expect(eventOf(mapMatrixEvent(message('aide svp', { 'm.mentions': { user_ids: [BOT] } }), group))).toMatchObject({ text: 'aide svp' });
    expect(mapMatrixEvent(message('Relaissons cela'), group).kind).toBe('ignored');
  });

  it('keeps the thread root of a thread reply and drops reply fallbacks', () => {
    const reply = message('> <@bob:example.org> avant\n\naide', { 'm.relates_to': { rel_type: 'm.thread', event_id: '$root', 'm.in_reply_to': { event_id: '$prev' } } });
    expect(eventOf(mapMatrixEvent(reply, ctx()))).toMatchObject({ text: 'aide', conversation: { threadId: '$root' } });
  });

  it('maps 👍/👎 reactions on a feedback message, with variation selectors and skin tones', () => {
    const reaction = (key: string): RawMatrixEvent => ({
      event_id: '$r',
      room_id: ROOM,
      sender: '@alice:example.org',
      type: 'm.reaction',
      content: { 'm.relates_to': { rel_type: 'm.annotation', event_id: '$answer', key } },
    });
    const withFeedback = ctx({ feedbackActionId: 'feedback:a1' });
    expect(eventOf(mapMatrixEvent(reaction('👍️'), withFeedback))).toMatchObject({ kind: 'action', actionId: 'feedback:a1', value: 'up', messageId: '$answer' });
    expect(eventOf(mapMatrixEvent(reaction('👎🏽'), withFeedback))).toMatchObject({ value: 'down' });
    expect(mapMatrixEvent(reaction('🎉'), withFeedback)).toEqual({ kind: 'ignored', reason: 'reaction other than thumbs up or down' });
    expect(mapMatrixEvent(reaction('👍'), ctx())).toEqual({ kind: 'ignored', reason: 'reaction on a message without feedback' });
  });

  it('answers the pending question with a numbered or typed reply', () => {
    const options = { kind: 'options' as const, options: [{ actionId: 'q:1', value: 'a' }, { actionId: 'q:1', value: 'b' }], messageId: '$q' };
    expect(eventOf(mapMatrixEvent(message('2'), ctx({ pending: options })))).toMatchObject({ kind: 'action', actionId: 'q:1', value: 'b', messageId: '$q' });
    expect(mapMatrixEvent(message('2'), ctx({ pending: options }))).toMatchObject({ consumesPending: true });
    expect(eventOf(mapMatrixEvent(message('3'), ctx({ pending: options })))).toMatchObject({ kind: 'message', text: '3' });
    const multiple = { ...options, multiple: true };
    expect(eventOf(mapMatrixEvent(message('1, 2'), ctx({ pending: multiple })))).toMatchObject({ value: ['a', 'b'] });
    const scale = { kind: 'scale' as const, actionId: 's:1', min: 1, max: 5 };
    expect(eventOf(mapMatrixEvent(message('4'), ctx({ pending: scale })))).toMatchObject({ actionId: 's:1', value: 4 });
    expect(eventOf(mapMatrixEvent(message('9'), ctx({ pending: scale })))).toMatchObject({ kind: 'message' });
    const number = { kind: 'number' as const, actionId: 'n:1' };
    expect(eventOf(mapMatrixEvent(message('12,5'), ctx({ pending: number })))).toMatchObject({ value: 12.5 });
    const text = { kind: 'text' as const, actionId: 't:1' };
    expect(eventOf(mapMatrixEvent(message('Très utile'), ctx({ pending: text })))).toMatchObject({ actionId: 't:1', value: 'Très utile' });
  });

  it('accepts invites from allowed senders and declines the others', () => {
    const invite = (sender: string, isDirect = true): RawMatrixEvent => ({
      event_id: '$i',
      room_id: '!r:example.org',
      sender,
      type: 'm.room.member',
      state_key: BOT,
      content: { membership: 'invite', is_direct: isDirect },
    });
    expect(mapMatrixEvent(invite('@alice:example.org'), ctx())).toEqual({ kind: 'invite', roomId: '!r:example.org', inviter: '@alice:example.org', isDirect: true, accept: true });
    expect(mapMatrixEvent(invite('@eve:evil.example'), ctx())).toMatchObject({ kind: 'invite', accept: false, reason: 'sender domain not allowed' });
    expect(mapMatrixEvent(message('aide', {}, { sender: '@eve:evil.example' }), ctx())).toEqual({ kind: 'ignored', reason: 'sender domain not allowed' });
  });

  it('applies user and room allow-lists', () => {
    const allow = { domains: ['example.org'], rooms: ['!ok:example.org'], users: ['@alice:example.org'] };
    expect(allowListRefusal(allow, '@alice:example.org', '!ok:example.org')).toBeUndefined();
    expect(allowListRefusal(allow, '@bob:example.org', '!ok:example.org')).toBe('sender not allowed');
    expect(allowListRefusal(allow, '@alice:example.org', '!other:example.org')).toBe('room not allowed');
    expect(allowListRefusal({ domains: [], rooms: [], users: [] }, '@x:any.example', '!r:any.example')).toBeUndefined();
  });
});
