/**
 * The pure Teams mapper against every official Activity-protocol fixture in
 * ../shared/conformance/teams/ and against Teams-specific payloads (mentions,
 * threads, card actions, native feedback).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TeamsActivity } from '../../../../../src/adapters/chat/teams/teams-activity.js';
import { cardData, inputIdFor } from '../../../../../src/adapters/chat/teams/teams-card-data.js';
import { nativeFeedbackEvents, toTeamsInbound, type TeamsInbound } from '../../../../../src/adapters/chat/teams/teams-inbound.js';
import {
  cardAction,
  channelMention,
  makeUser,
  nativeFeedback,
  personalBotAdded,
  personalInstall,
  personalMessage,
  teamBotAdded,
  BOT_ID,
  CHANNEL_ID,
  TENANT_ID,
} from '../../../../fakes/teams/teams-activities.js';

const FIXTURES = fileURLToPath(new URL('../../../../../../shared/conformance/teams/', import.meta.url));
const haveFixtures = existsSync(FIXTURES);
const now = new Date('2026-01-01T00:00:00Z');
const serviceUrl = 'https://smba.trafficmanager.net/emea/';
const user = makeUser(7);

function map(activity: unknown): TeamsInbound {
  return toTeamsInbound(activity as TeamsActivity, { now });
}

function fixture(name: string): TeamsActivity {
  return JSON.parse(readFileSync(`${FIXTURES}${name}`, 'utf8')) as TeamsActivity;
}

/** What each official fixture must give. */
const EXPECTED: Record<string, (result: TeamsInbound) => void> = {
  'agents-protocol.01-message.json': (r) => {
    // A group conversation without a mention of the bot: Teams would not even send it; we ignore it.
    expect(r).toEqual({ kind: 'ignored', reason: 'group message without a mention of the bot', invoke: false });
  },
  'agents-protocol.03-conversationUpdate.json': (r) => {
    expect(r).toEqual({ kind: 'ignored', reason: 'conversationUpdate without the bot being added', invoke: false });
  },
  'agents-protocol.07-invoke.json': (r) => {
    expect(r).toEqual({ kind: 'ignored', reason: 'unsupported invoke task/submit', invoke: true });
  },
  'agents-protocol.10-installationUpdate.json': (r) => {
    expect(r.kind).toBe('event');
    if (r.kind !== 'event') return;
    expect(r.event).toMatchObject({
      kind: 'joined',
      id: 'install-update-1',
      platform: 'teams',
      sender: { externalId: 'user-id-admin' },
      conversation: { platform: 'teams', externalId: 'conv-tenant-level', kind: 'direct', routing: { serviceUrl: 'https://smba.trafficmanager.net/amer/', botId: 'bot-id-1', channelId: 'msteams' } },
    });
    expect(r.event.receivedAt.toISOString()).toBe('2025-09-15T10:00:10.000Z');
  },
  'agents-protocol.11-messageReaction.json': (r) => {
    expect(r).toEqual({ kind: 'ignored', reason: 'messageReaction activities are not handled', invoke: false });
  },
  'agents-protocol.15-simple-message.json': (r) => {
    // An emulator conversation without type is a one-to-one chat.
    expect(r).toMatchObject({
      kind: 'event',
      invoke: false,
      event: { kind: 'message', text: 'Hello, world!', sender: { externalId: 'user1' }, conversation: { externalId: 'conv1', kind: 'direct', routing: { channelId: 'emulator' } } },
    });
    if (r.kind === 'event') expect(r.event.receivedAt).toEqual(now);
  },
};

(haveFixtures ? describe : describe.skip)(
  haveFixtures ? 'Teams inbound mapping: official Activity-protocol fixtures' : 'Teams inbound mapping: official fixtures [skipped: ../shared/conformance/teams not present]',
  () => {
    const files = haveFixtures ? readdirSync(FIXTURES).filter((f) => f.endsWith('.json')) : [];

    it('has an expectation for every fixture', () => {
      expect(files.length).toBeGreaterThan(0);
      expect(files.filter((f) => !EXPECTED[f])).toEqual([]);
    });

    it.each(files)('%s parses and maps as expected', (file) => {
      const result = map(fixture(file));
      EXPECTED[file]!(result);
    });
  },
);

describe('Teams inbound mapping: Teams payloads', () => {
  it('maps a personal message with the AAD object id, tenant, locale and routing', () => {
    const r = map(personalMessage(user, '  aide ', { serviceUrl, id: 'm1', locale: 'en-GB' }));
    expect(r).toEqual({
      kind: 'event',
      invoke: false,
      event: {
        kind: 'message',
        id: 'm1',
        platform: 'teams',
        text: 'aide',
        localeHint: 'en-GB',
        sender: { externalId: user.aadObjectId },
        receivedAt: expect.any(Date),
        conversation: {
          platform: 'teams',
          externalId: user.personalConversationId,
          kind: 'direct',
          routing: { serviceUrl, channelId: 'msteams', tenantId: TENANT_ID, botId: BOT_ID },
        },
      },
    });
  });

  it('maps a channel mention without the mention text and keeps the reply chain', () => {
    const r = map(channelMention(user, 'Comment préparer une visite ?', { serviceUrl, id: '1700' }));
    expect(r.kind).toBe('event');
    if (r.kind !== 'event' || r.event.kind !== 'message') throw new Error('expected a message');
    expect(r.event.text).toBe('Comment préparer une visite ?');
    expect(r.event.conversation).toMatchObject({ externalId: CHANNEL_ID, kind: 'channel', threadId: '1700' });
  });

  it('answers a reply in an existing thread in that thread', () => {
    const r = map(channelMention(user, 'et ensuite ?', { serviceUrl, id: '1800', threadId: '1700' }));
    if (r.kind !== 'event') throw new Error('expected an event');
    expect(r.event.conversation).toMatchObject({ externalId: CHANNEL_ID, threadId: '1700' });
  });

  it('keeps other people mentioned in the text, without their tags', () => {
    const activity = channelMention(user, 'demande à <at>Marie</at> aussi', { serviceUrl });
    const r = map(activity);
    if (r.kind !== 'event' || r.event.kind !== 'message') throw new Error('expected a message');
    expect(r.event.text).toBe('demande à Marie aussi');
  });

  it('ignores channel and group messages that do not mention the bot', () => {
    const activity = channelMention(user, 'bonjour', { serviceUrl });
    activity.entities = [];
    expect(map(activity)).toEqual({ kind: 'ignored', reason: 'channel message without a mention of the bot', invoke: false });
    const group = personalMessage(user, 'bonjour', { serviceUrl });
    group.conversation = { id: '19:group@thread.v2', conversationType: 'groupChat', isGroup: true };
    expect(map(group)).toMatchObject({ kind: 'ignored', reason: 'group message without a mention of the bot' });
  });

  it('ignores messages from bots, edits, deletions, reactions and typing', () => {
    const fromBot = personalMessage(user, 'x', { serviceUrl });
    fromBot.from = { id: '28:another-bot', name: 'Bot' };
    expect(map(fromBot)).toMatchObject({ kind: 'ignored', reason: 'message from a bot' });
    for (const type of ['messageUpdate', 'messageDelete', 'messageReaction', 'typing']) {
      expect(map({ ...personalMessage(user, 'x', { serviceUrl }), type })).toEqual({ kind: 'ignored', reason: `${type} activities are not handled`, invoke: false });
    }
    expect(map({ ...personalMessage(user, 'x', { serviceUrl }), type: 'endOfConversation' })).toMatchObject({ kind: 'ignored', reason: 'unsupported activity type endOfConversation' });
  });

  it('maps the bot being installed or added as joined, and ignores other members and removals', () => {
    expect(map(personalInstall(user, { serviceUrl }))).toMatchObject({ kind: 'event', event: { kind: 'joined' } });
    expect(map(personalBotAdded(user, { serviceUrl }))).toMatchObject({ kind: 'event', event: { kind: 'joined', conversation: { kind: 'direct' } } });
    expect(map({ ...personalInstall(user, { serviceUrl }), action: 'remove' })).toMatchObject({ kind: 'ignored', reason: 'installationUpdate remove' });
  });

  it('maps the bot added to a team to joined in the channel, without a thread', () => {
    const r = map(teamBotAdded(user, { serviceUrl }));
    if (r.kind !== 'event') throw new Error('expected an event');
    expect(r.event.kind).toBe('joined');
    expect(r.event.conversation).toEqual(expect.objectContaining({ externalId: CHANNEL_ID, kind: 'channel' }));
    expect(r.event.conversation.threadId).toBeUndefined();
  });

  it('maps Action.Execute invokes with their inputs to actions', () => {
    const choice = { ...cardData('survey:q1', 'multi'), [inputIdFor('survey:q1')]: 'a,c' };
    expect(map(cardAction(user, choice, 'card-1', { serviceUrl }))).toMatchObject({
      kind: 'event',
      invoke: true,
      event: { kind: 'action', actionId: 'survey:q1', value: ['a', 'c'], messageId: 'card-1' },
    });
    const scale = cardData('survey:q2', 'scale', 4);
    expect(map(cardAction(user, scale, 'card-1', { serviceUrl }))).toMatchObject({ event: { actionId: 'survey:q2', value: 4 } });
    const number = { ...cardData('survey:q3', 'number'), [inputIdFor('survey:q3')]: '12' };
    expect(map(cardAction(user, number, 'card-1', { serviceUrl }))).toMatchObject({ event: { value: 12 } });
    const text = { ...cardData('feedback-comment:a1', 'text'), [inputIdFor('feedback-comment:a1')]: 'trop long' };
    expect(map(cardAction(user, text, 'card-1', { serviceUrl }))).toMatchObject({ event: { actionId: 'feedback-comment:a1', value: 'trop long' } });
    const button = cardData('cmd:help', 'button');
    expect(map(cardAction(user, button, 'card-1', { serviceUrl }))).toMatchObject({ event: { actionId: 'cmd:help', value: undefined } });
    expect(map(cardAction(user, { something: 'else' }, 'card-1', { serviceUrl }))).toEqual({ kind: 'ignored', reason: 'adaptiveCard/action that is not ours', invoke: true });
  });

  it('maps Action.Submit (a message whose value is the card data) to an action', () => {
    const activity = { ...personalMessage(user, '', { serviceUrl }), replyToId: 'card-9', value: { ...cardData('survey:q1', 'choice'), [inputIdFor('survey:q1')]: 'b' } };
    expect(map(activity)).toMatchObject({ kind: 'event', invoke: false, event: { kind: 'action', actionId: 'survey:q1', value: 'b', messageId: 'card-9' } });
  });

  it('maps native feedback and turns it into our rating and comment actions', () => {
    const up = map(nativeFeedback(user, 'like', 'answer-msg', { serviceUrl, id: 'fb1' }));
    expect(up).toMatchObject({ kind: 'feedback', replyToId: 'answer-msg', rating: 'up' });
    if (up.kind !== 'feedback') throw new Error('expected feedback');
    expect(up.comment).toBeUndefined();
    expect(nativeFeedbackEvents(up, 'feedback:ans-1')).toEqual([expect.objectContaining({ kind: 'action', actionId: 'feedback:ans-1', value: 'up', id: 'fb1' })]);

    const down = map(nativeFeedback(user, 'dislike', 'answer-msg', { serviceUrl, id: 'fb2', comment: ' pas pertinent ' }));
    if (down.kind !== 'feedback') throw new Error('expected feedback');
    expect(down).toMatchObject({ rating: 'down', comment: 'pas pertinent' });
    expect(nativeFeedbackEvents(down, 'feedback:ans-1').map((e) => [e.id, e.actionId, e.value])).toEqual([
      ['fb2', 'feedback:ans-1', 'down'],
      ['fb2#comment', 'feedback-comment:ans-1', 'pas pertinent'],
    ]);
  });

  it('ignores other invokes and malformed ones explicitly', () => {
    const fetchTask = { ...cardAction(user, {}, 'x', { serviceUrl }), name: 'task/fetch' };
    expect(map(fetchTask)).toEqual({ kind: 'ignored', reason: 'unsupported invoke task/fetch', invoke: true });
    const noReaction = nativeFeedback(user, 'like', 'x', { serviceUrl });
    (noReaction.value as { actionValue: { reaction: string } }).actionValue.reaction = 'love';
    expect(map(noReaction)).toMatchObject({ kind: 'ignored', reason: 'feedback without a like/dislike reaction' });
    expect(map({ type: 'message', text: 'x' })).toEqual({ kind: 'ignored', reason: 'no conversation id', invoke: false });
  });
});
