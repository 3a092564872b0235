/**
 * The pure Slack mapper against every official payload sample in
 * `../shared/conformance/slack/` (the SDK's samples blank every string: as
 * they are, each is parsed and ignored with a reason or mapped; with ids
 * filled in, supported ones give the expected neutral event), plus the
 * shapes our own Block Kit rendering produces.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mapSlackPayload, stripMention, type SlackInboundResult } from '../../../../../src/adapters/chat/slack/slack-inbound.js';

const DIR = fileURLToPath(new URL('../../../../../../shared/conformance/slack/', import.meta.url));
const available = existsSync(DIR);
const describeFixtures = available ? describe : describe.skip;
const NOW = new Date('2026-12-07T10:00:00Z');
const BOT = 'UBOT0001';
const ctx = { botUserId: BOT, botId: 'BBOT0001', receivedAt: NOW };

// The samples are edited field by field below: a loose type keeps the tests readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Sample = Record<string, any>;

function load(name: string): Sample {
  return JSON.parse(readFileSync(DIR + name, 'utf8')) as Sample;
}

function single(result: SlackInboundResult) {
  if (result.kind !== 'events') throw new Error(`expected events, got ${JSON.stringify(result)}`);
  expect(result.events).toHaveLength(1);
  return result.events[0]!;
}

describeFixtures(available ? 'official Slack samples' : 'official Slack samples [skipped: ../shared/conformance/slack is absent]', () => {
  const files = available ? readdirSync(DIR).filter((f) => f.endsWith('.json')) : [];

  it.each(files)('%s parses without error into events or an explicit reason', (file) => {
    const result = mapSlackPayload(load(file), ctx);
    expect(['events', 'ignored', 'url_verification']).toContain(result.kind);
    if (result.kind === 'ignored') expect(result.reason.length).toBeGreaterThan(3);
  });

  it('covers every sample of the folder', () => {
    expect(files.sort()).toEqual(
      [
        'block_actions.BlockActionPayload.json',
        'events_api.AppHomeOpenedPayload.json',
        'events_api.AppMentionPayload.json',
        'events_api.MessageBotPayload.json',
        'events_api.MessageChangedPayload.json',
        'events_api.MessageFileSharePayload.json',
        'events_api.MessagePayload.json',
        'events_api.MessageRepliedPayload.json',
        'events_api.MessageThreadBroadcastPayload.json',
        'events_api.reaction_added.json',
        'events_api.url_challenge.json',
        'slash_command.SlashCommandPayload.json',
        'view_closed.ViewClosedPayload.json',
        'view_submission.ViewSubmissionPayload.json',
      ].sort(),
    );
  });

  it('url_verification gives the challenge', () => {
    expect(mapSlackPayload(load('events_api.url_challenge.json'), ctx)).toEqual({ kind: 'url_verification', challenge: 'valid_challenge_token' });
  });

  it('a DM message becomes a direct message event', () => {
    const body = load('events_api.MessagePayload.json');
    body.event_id = 'Ev01';
    body.team_id = 'T1';
    Object.assign(body.event, { user: 'U1', channel: 'D1', channel_type: 'im', text: 'aide', bot_id: '', thread_ts: '' });
    const mapped = single(mapSlackPayload(body, ctx));
    expect(mapped.dedupKey).toBe('slack:event:Ev01');
    expect(mapped.event).toEqual({ id: 'Ev01', platform: 'slack', kind: 'message', text: 'aide', sender: { externalId: 'U1' }, receivedAt: NOW, conversation: { platform: 'slack', externalId: 'D1', kind: 'direct' } });
  });

  it('a DM thread reply keeps the thread', () => {
    const body = load('events_api.MessagePayload.json');
    body.event_id = 'Ev02';
    Object.assign(body.event, { user: 'U1', channel: 'D1', channel_type: 'im', text: 'et ensuite ?', bot_id: '', thread_ts: '111.222' });
    expect(single(mapSlackPayload(body, ctx)).event.conversation.threadId).toBe('111.222');
  });

  it('the sample message as is (blank user and channel) is ignored with a reason', () => {
    const result = mapSlackPayload(load('events_api.MessagePayload.json'), ctx);
    expect(result).toEqual({ kind: 'ignored', reason: 'event without event_id' });
  });

  it('a file shared in a DM is a message with its text', () => {
    const body = load('events_api.MessageFileSharePayload.json');
    body.event_id = 'Ev03';
    Object.assign(body.event, { user: 'U1', channel: 'D1', channel_type: 'im', text: 'voici mon compte rendu' });
    expect(single(mapSlackPayload(body, ctx)).event).toMatchObject({ kind: 'message', text: 'voici mon compte rendu' });
  });

  it('a mention in a channel is answered in a thread under it, mention stripped', () => {
    const body = load('events_api.AppMentionPayload.json');
    body.event_id = 'Ev04';
    body.team_id = 'T1';
    Object.assign(body.event, { user: 'U1', channel: 'C1', text: `<@${BOT}> que faire ?`, ts: '123.456', thread_ts: '', bot_id: '', subtype: '' });
    const mapped = single(mapSlackPayload(body, ctx));
    expect(mapped.event).toMatchObject({ kind: 'message', text: 'que faire ?', conversation: { externalId: 'C1', kind: 'channel', threadId: '123.456', routing: { teamId: 'T1' } } });
  });

  it('a mention inside a thread answers in that thread', () => {
    const body = load('events_api.AppMentionPayload.json');
    body.event_id = 'Ev05';
    Object.assign(body.event, { user: 'U1', channel: 'C1', text: `<@${BOT}> aide`, ts: '200.1', thread_ts: '100.1', bot_id: '', subtype: '' });
    expect(single(mapSlackPayload(body, ctx)).event.conversation.threadId).toBe('100.1');
  });

  it('the Messages tab opened gives a joined event (the core greets once)', () => {
    const body = load('events_api.AppHomeOpenedPayload.json');
    body.event_id = 'Ev06';
    Object.assign(body.event, { user: 'U1', channel: 'D1', tab: 'messages' });
    expect(single(mapSlackPayload(body, ctx)).event).toMatchObject({ kind: 'joined', conversation: { externalId: 'D1', kind: 'direct' }, sender: { externalId: 'U1' } });
    Object.assign(body.event, { tab: 'home' });
    expect(mapSlackPayload(body, ctx).kind).toBe('ignored');
  });

  it.each([
    ['events_api.MessageBotPayload.json', { bot_id: 'B2', channel: 'D1', channel_type: 'im' }, 'bot message'],
    ['events_api.MessageChangedPayload.json', { channel: 'D1' }, 'message edited'],
    ['events_api.MessageRepliedPayload.json', { channel: 'D1' }, 'thread reply notification'],
    ['events_api.reaction_added.json', {}, 'event type "reaction_added" is not handled'],
  ])('%s is ignored: %s', (file, patch, reason) => {
    const body = load(file);
    body.event_id = 'Ev07';
    Object.assign(body.event, patch);
    expect(mapSlackPayload(body, ctx)).toEqual({ kind: 'ignored', reason });
  });

  it('a thread broadcast in a channel is left to app_mention', () => {
    const body = load('events_api.MessageThreadBroadcastPayload.json');
    body.event_id = 'Ev08';
    Object.assign(body.event, { user: 'U1', channel: 'C1', channel_type: 'channel', text: 'hello' });
    expect(mapSlackPayload(body, ctx).kind).toBe('ignored');
  });

  it('the slash command /relais is a message in its channel', () => {
    const body = load('slash_command.SlashCommandPayload.json');
    Object.assign(body, { command: '/relais', text: 'aide', user_id: 'U1', channel_id: 'C1', trigger_id: 'tr1', team_id: 'T1' });
    const mapped = single(mapSlackPayload(body, ctx));
    expect(mapped.event).toMatchObject({ kind: 'message', text: 'aide', conversation: { externalId: 'C1', kind: 'channel' } });
    expect(mapped.dedupKey).toBe('slack:command:tr1');
    expect(mapSlackPayload({ ...body, command: '/autre' }, ctx).kind).toBe('ignored');
  });

  it('block_actions with a button gives an action, suffix stripped and value decoded', () => {
    const body = load('block_actions.BlockActionPayload.json');
    Object.assign(body.user, { id: 'U1' });
    Object.assign(body.channel, { id: 'D1' });
    Object.assign(body.container, { message_ts: '300.1', thread_ts: '' });
    body.actions = [{ ...body.actions[0], type: 'button', action_id: 'survey:42#3', value: '"oui"', action_ts: '301.1' }];
    const mapped = single(mapSlackPayload(body, ctx));
    expect(mapped.event).toMatchObject({ kind: 'action', actionId: 'survey:42', value: 'oui', messageId: '300.1', conversation: { externalId: 'D1', kind: 'direct' } });
  });

  it('the blank block_actions sample is ignored with a reason', () => {
    expect(mapSlackPayload(load('block_actions.BlockActionPayload.json'), ctx).kind).toBe('ignored');
  });

  it('view_submission of one of our forms gives one action per input; others are ignored', () => {
    const body = load('view_submission.ViewSubmissionPayload.json');
    expect(mapSlackPayload(body, ctx).kind).toBe('ignored');
    Object.assign(body.user, { id: 'U1' });
    Object.assign(body.view, {
      id: 'V1',
      hash: 'h1',
      callback_id: 'relais.form',
      private_metadata: JSON.stringify({ channel: 'D1' }),
      state: { values: { b1: { 'q:1#0': { type: 'plain_text_input', value: 'un texte' } }, b2: { 'q:2#1': { type: 'number_input', value: '4' } } } },
    });
    const result = mapSlackPayload(body, ctx);
    expect(result.kind).toBe('events');
    if (result.kind !== 'events') return;
    expect(result.events.map((e) => e.event)).toEqual([
      expect.objectContaining({ kind: 'action', actionId: 'q:1', value: 'un texte' }),
      expect.objectContaining({ kind: 'action', actionId: 'q:2', value: 4 }),
    ]);
  });

  it('view_closed is ignored', () => {
    expect(mapSlackPayload(load('view_closed.ViewClosedPayload.json'), ctx)).toEqual({ kind: 'ignored', reason: 'modal closed without submitting' });
  });
});

describe('interactive elements rendered by Relais', () => {
  const base = (actions: unknown[], state: unknown = {}) => ({
    type: 'block_actions',
    user: { id: 'U1' },
    team: { id: 'T1' },
    channel: { id: 'D1' },
    container: { type: 'message', message_ts: '1.1', channel_id: 'D1' },
    trigger_id: 'tr',
    state: { values: state },
    actions,
  });

  it.each([
    ['radio', { type: 'radio_buttons', action_id: 'c:1#0', selected_option: { value: 'b' }, action_ts: '2.1' }, 'c:1', 'b'],
    ['select', { type: 'static_select', action_id: 'c:2#0', selected_option: { value: 'z' }, action_ts: '2.2' }, 'c:2', 'z'],
    ['scale button', { type: 'button', action_id: 's:1#4', value: '4', action_ts: '2.3' }, 's:1', 4],
    ['feedback', { type: 'feedback_buttons', action_id: 'feedback:a1#9', value: 'down', action_ts: '2.4' }, 'feedback:a1', 'down'],
    ['number on enter', { type: 'number_input', action_id: 'n:1#0', value: '12.5', action_ts: '2.5' }, 'n:1', 12.5],
    ['text on enter', { type: 'plain_text_input', action_id: 't:1#0', value: 'mon avis', action_ts: '2.6' }, 't:1', 'mon avis'],
  ])('%s', (_name, action, actionId, value) => {
    expect(single(mapSlackPayload(base([action]), ctx)).event).toMatchObject({ kind: 'action', actionId, value });
  });

  it('checkbox changes wait for the submit button, which sends the selected values', () => {
    expect(mapSlackPayload(base([{ type: 'checkboxes', action_id: 'm:1#0', selected_options: [{ value: 'a' }], action_ts: '3.1' }]), ctx).kind).toBe('ignored');
    const state = { blk: { 'm:1#0': { type: 'checkboxes', selected_options: [{ value: 'a' }, { value: 'c' }] } } };
    const submit = { type: 'button', action_id: 'relais.submit#1', value: JSON.stringify({ submit: 'm:1' }), action_ts: '3.2' };
    expect(single(mapSlackPayload(base([submit], state), ctx)).event).toMatchObject({ actionId: 'm:1', value: ['a', 'c'] });
  });

  it('a submit button next to a text input sends the typed text', () => {
    const state = { blk: { 't:2#0': { type: 'plain_text_input', value: 'commentaire' } } };
    const submit = { type: 'button', action_id: 'relais.submit#1', value: JSON.stringify({ submit: 't:2' }), action_ts: '3.3' };
    expect(single(mapSlackPayload(base([submit], state), ctx)).event).toMatchObject({ actionId: 't:2', value: 'commentaire' });
  });
});

describe('assistant threads (Agents & AI Apps)', () => {
  it('a new assistant thread gives the thread and a joined event in it', () => {
    const body = {
      type: 'event_callback',
      team_id: 'T1',
      event_id: 'EvA1',
      event: { type: 'assistant_thread_started', assistant_thread: { user_id: 'U1', channel_id: 'D1', thread_ts: '5.5', context: {} }, event_ts: '5.6' },
    };
    const result = mapSlackPayload(body, ctx);
    expect(result).toMatchObject({ kind: 'assistant_thread', channel: 'D1', threadTs: '5.5', mapped: { event: { kind: 'joined', conversation: { externalId: 'D1', kind: 'direct', threadId: '5.5' } } } });
    expect(mapSlackPayload({ ...body, event: { type: 'assistant_thread_context_changed' } }, ctx).kind).toBe('ignored');
  });
});

describe('mentions', () => {
  it('strips the bot mention wherever it is, with or without a label', () => {
    expect(stripMention(`<@${BOT}> aide`, BOT)).toBe('aide');
    expect(stripMention(`dis <@${BOT}|relais> bonjour`, BOT)).toBe('dis bonjour');
    expect(stripMention(`<@UOTHER> et <@${BOT}>`, BOT)).toBe('<@UOTHER> et');
  });
});
