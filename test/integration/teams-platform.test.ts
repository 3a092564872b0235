/**
 * Relais on Microsoft Teams end to end: the real Agents SDK (CloudAdapter)
 * on `POST /api/messages`, anonymous (TEAMS_ALLOW_ANONYMOUS=true, as a
 * development setup), answering through a fake Bot Framework connector that
 * enforces Teams' limits. Activities are posted the way the Teams service
 * does, with `serviceUrl` pointing at the fake.
 */
import { jest } from '@jest/globals';
import type { TeamsPlatform } from '../../src/adapters/chat/teams/teams.platform.js';
import type { Relais } from '../../src/main.js';
import { postActivity, startTeamsConnectorFake, type RecordedActivity, type TeamsConnectorFake } from '../fakes/teams-connector-fake-server.js';
import {
  BOT_ID,
  CHANNEL_ID,
  TENANT_ID,
  cardAction,
  channelMention,
  makeUser,
  nativeFeedback,
  personalBotAdded,
  personalInstall,
  personalMessage,
  teamBotAdded,
  type TeamsUser,
} from '../fakes/teams/teams-activities.js';
import { waitForIngestion } from '../support/assistant-helpers.js';
import { startTestRelais } from '../support/start-test-relais.js';
import { ASSISTANT_CORPUS, createTestCorpus, VISITE, type TestCorpus } from '../support/test-corpus.js';

jest.setTimeout(60_000);

const VISIT_QUESTION = 'Je prépare ma première visite à domicile avec ma tutrice et j’ai peur de juger la famille.';

let fake: TeamsConnectorFake;
let corpus: TestCorpus;
let relais: Relais;
let teams: TeamsPlatform;
let nextUser = 100;

beforeAll(async () => {
  fake = await startTeamsConnectorFake();
  corpus = await createTestCorpus(ASSISTANT_CORPUS);
  relais = await startTestRelais({ TEAMS_ALLOW_ANONYMOUS: 'true', RELAIS_CORPUS_DIR: corpus.directory });
  teams = relais.platforms.get('teams') as TeamsPlatform;
  await waitForIngestion(relais);
});
afterAll(async () => {
  await relais?.stop();
  await fake?.close();
  await corpus?.cleanup();
});

function newUser(): TeamsUser {
  return makeUser(nextUser++);
}

/** Posts like Teams, then waits until the bot has handled it (it answers the HTTP request first). */
async function deliver(activity: Record<string, unknown>): Promise<{ status: number; body: unknown; replies: RecordedActivity[] }> {
  const before = fake.activities.length;
  const answer = await postActivity(relais.url, activity);
  await teams.idle();
  return { ...answer, replies: fake.activities.slice(before) };
}

function visible(replies: RecordedActivity[]): RecordedActivity[] {
  return replies.filter((r) => r.activity.type === 'message');
}

function textOf(reply: RecordedActivity): string {
  const card = (reply.activity.attachments as { content?: unknown }[] | undefined)?.[0]?.content;
  return `${(reply.activity.text as string | undefined) ?? ''}\n${card ? JSON.stringify(card) : ''}`;
}

const serviceUrl = (): string => fake.serviceUrl;

describe('Teams: first contact', () => {
  it('greets a person who installs the app with the AI disclosure, once', async () => {
    const user = newUser();
    const install = await deliver(personalInstall(user, { serviceUrl: serviceUrl() }));
    expect(install.status).toBe(200);
    expect(visible(install.replies)).toHaveLength(1);
    const [greeting] = visible(install.replies);
    expect(greeting!.conversationId).toBe(user.personalConversationId);
    expect(greeting!.replyToId).toBeUndefined();
    expect(textOf(greeting!)).toContain('intelligence artificielle');
    // Teams also sends conversationUpdate for the same installation: no second greeting.
    const added = await deliver(personalBotAdded(user, { serviceUrl: serviceUrl() }));
    expect(visible(added.replies)).toHaveLength(0);
  });

  it('greets a team once in its channel, as a new post rather than a reply to the event', async () => {
    const user = newUser();
    const added = await deliver(teamBotAdded(user, { serviceUrl: serviceUrl() }));
    const messages = visible(added.replies);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ conversationId: CHANNEL_ID });
    expect(messages[0]!.replyToId).toBeUndefined();
    expect(textOf(messages[0]!)).toContain('Merci de m’avoir invité');
  });

  it('shows the disclosure before answering a first message, then answers `aide` with a card', async () => {
    const user = newUser();
    const { status, replies } = await deliver(personalMessage(user, 'aide', { serviceUrl: serviceUrl(), id: 'first-msg' }));
    expect(status).toBe(200);
    const messages = visible(replies);
    expect(messages).toHaveLength(2);
    expect(textOf(messages[0]!)).toContain('intelligence artificielle');
    expect(textOf(messages[1]!)).toContain('Voici ce que je sais faire');
    for (const m of messages) {
      expect(m.conversationId).toBe(user.personalConversationId);
      expect(m.replyToId).toBe('first-msg');
      expect(m.activity).toMatchObject({ from: { id: BOT_ID }, conversation: { id: user.personalConversationId, tenantId: TENANT_ID } });
    }
    const card = (messages[1]!.activity.attachments as { contentType: string; content: { version: string } }[])[0]!;
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.content.version).toBe('1.5');

    const again = await deliver(personalMessage(user, 'aide', { serviceUrl: serviceUrl() }));
    expect(visible(again.replies)).toHaveLength(1);
  });

  it('handles a click on a card button (Action.Execute invoke) and answers the invoke at once', async () => {
    const user = newUser();
    const first = await deliver(personalMessage(user, 'aide', { serviceUrl: serviceUrl() }));
    const helpCard = visible(first.replies).at(-1)!;
    const card = JSON.stringify(helpCard.activity.attachments);
    const data = JSON.parse(card.match(/"data":(\{"relais":\{"a":"[^"]+","k":"button"\}\})/)![1]!) as unknown;
    const click = await deliver(cardAction(user, data, helpCard.id, { serviceUrl: serviceUrl() }));
    expect(click.status).toBe(200);
    expect(click.body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: '' });
    expect(visible(click.replies).length).toBeGreaterThanOrEqual(1);
  });
});

describe('Teams: the assistant', () => {
  it('answers a situation in a personal chat by a stream ending with native citations and feedback', async () => {
    const user = newUser();
    await deliver(personalMessage(user, 'aide', { serviceUrl: serviceUrl() }));
    const { replies } = await deliver(personalMessage(user, VISIT_QUESTION, { serviceUrl: serviceUrl() }));
    // Informative update ("Je cherche…") as a streaming typing activity, then the final message.
    const informative = replies.find((r) => r.activity.type === 'typing');
    expect(informative?.activity.entities).toEqual([expect.objectContaining({ type: 'streaminfo', streamType: 'informative', streamSequence: 1 })]);
    const final = visible(replies).at(-1)!;
    const entities = final.activity.entities as Record<string, unknown>[];
    expect(entities.find((e) => e.type === 'streaminfo')).toMatchObject({ streamType: 'final', streamId: informative!.id });
    expect(final.id).toBe(informative!.id);
    expect(final.activity.channelData).toEqual({ feedbackLoopEnabled: true });
    const text = final.activity.text as string;
    expect(text).toContain('Voici des extraits de récits proches de votre situation');
    const message = entities.find((e) => e.type === 'https://schema.org/Message')!;
    // Extractive answers quote people's récits: sources, but no "AI generated" label.
    expect(message.additionalType).toBeUndefined();
    const citations = message.citation as { position: number; appearance: { name: string; abstract: string } }[];
    expect(citations.length).toBeGreaterThanOrEqual(1);
    for (const c of citations) expect(text).toContain(`[${c.position}]`);
    expect(citations[0]!.appearance.name).toBe(VISITE.title);
  });

  it('stores a native thumbs-down with its comment', async () => {
    const user = newUser();
    await deliver(personalMessage(user, 'aide', { serviceUrl: serviceUrl() }));
    const question = personalMessage(user, VISIT_QUESTION, { serviceUrl: serviceUrl() });
    const { replies } = await deliver(question);
    const final = visible(replies).at(-1)!;
    const event = (await relais.repositories.audit.list({ action: 'assistant.answer' })).find((e) => e.correlationId === question.id);
    const answerId = event!.subjectId!;

    const rated = await deliver(nativeFeedback(user, 'dislike', final.id, { serviceUrl: serviceUrl(), comment: 'Les récits ne correspondaient pas.' }));
    expect(rated.status).toBe(200);
    const person = await relais.core.identities.findPerson('teams', user.aadObjectId);
    const feedback = await relais.repositories.answers.feedbackFor(answerId);
    expect(feedback).toEqual([expect.objectContaining({ personId: person!.id, rating: 'down', comment: 'Les récits ne correspondaient pas.' })]);
    expect(visible(rated.replies).map(textOf).join('\n')).toContain('Merci');

    const liked = await deliver(nativeFeedback(user, 'like', final.id, { serviceUrl: serviceUrl() }));
    expect(liked.status).toBe(200);
    expect(await relais.repositories.answers.feedbackFor(answerId)).toEqual([expect.objectContaining({ rating: 'up' })]);
  });

  it('answers an @mention in a channel in the same thread, final message only, with feedback buttons', async () => {
    const user = newUser();
    const { replies } = await deliver(channelMention(user, VISIT_QUESTION, { serviceUrl: serviceUrl(), id: '1790000000001' }));
    const thread = `${CHANNEL_ID};messageid=1790000000001`;
    const messages = visible(replies);
    expect(messages.length).toBeGreaterThanOrEqual(1);
    for (const m of replies) {
      expect(m.conversationId).toBe(thread);
      expect(m.replyToId).toBe('1790000000001');
    }
    // No streaming outside personal chats: a typing indicator, then whole messages.
    expect(replies.filter((r) => (r.activity.entities as { type: string }[] | undefined)?.some((e) => e.type === 'streaminfo'))).toEqual([]);
    const answer = messages.at(-1)!;
    expect(answer.activity.channelData).toBeUndefined();
    expect(textOf(answer)).toContain('👍 Utile');
  });
});

describe('Teams: proactive messages', () => {
  it('reaches a person later through the reference captured at their first message', async () => {
    const user = newUser();
    await deliver(personalMessage(user, 'aide', { serviceUrl: serviceUrl() }));
    const person = await relais.core.identities.findPerson('teams', user.aadObjectId);
    const before = fake.activities.length;
    const results = await relais.core.messenger.sendToPerson(person!.id, { blocks: [{ type: 'text', markdown: 'Un nouveau sondage vous attend.' }] }, 'teams');
    expect(results).toEqual([expect.objectContaining({ platform: 'teams', delivered: true })]);
    const sent = fake.activities.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ conversationId: user.personalConversationId, method: 'POST' });
    expect(sent[0]!.replyToId).toBeUndefined();
    expect(sent[0]!.activity.text).toContain('Un nouveau sondage vous attend.');
  });

  it('creates the personal chat in the tenant for someone who never wrote, and reports when the app is not installed', async () => {
    const platform = relais.platforms.get('teams')!;
    const stranger = newUser();
    fake.setInstalledFor([stranger.aadObjectId]);
    try {
      const ref = await platform.openDirect(stranger.aadObjectId);
      expect(ref).toMatchObject({ platform: 'teams', kind: 'direct', routing: { tenantId: TENANT_ID, botId: BOT_ID } });
      expect(fake.conversations.at(-1)!.body).toMatchObject({ isGroup: false, members: [{ id: stranger.aadObjectId, aadObjectId: stranger.aadObjectId }], tenantId: TENANT_ID });
      const created = fake.conversations.at(-1)!.id;
      expect(ref.externalId).toBe(created);
      // Reused afterwards, not created again.
      expect(await platform.openDirect(stranger.aadObjectId)).toEqual(ref);
      expect(fake.conversations.filter((c) => c.id === created)).toHaveLength(1);

      const notInstalled = newUser();
      await expect(platform.openDirect(notInstalled.aadObjectId)).rejects.toMatchObject({ code: 'platform.not_installed' });

      // Someone seen in a channel only: their personal chat is created with their Teams account id.
      const member = newUser();
      fake.setInstalledFor([member.id]);
      await deliver(channelMention(member, 'aide', { serviceUrl: serviceUrl() }));
      const memberRef = await platform.openDirect(member.aadObjectId);
      expect(fake.conversations.at(-1)!.body).toMatchObject({ members: [{ id: member.id, aadObjectId: member.aadObjectId }] });
      expect(memberRef.externalId).toBe(fake.conversations.at(-1)!.id);
    } finally {
      fake.setInstalledFor(undefined);
    }
  });
});

describe('Teams: delivery guarantees', () => {
  it('answers an activity redelivered by Teams once, even when deliveries overlap', async () => {
    const user = newUser();
    const activity = personalMessage(user, 'aide', { serviceUrl: serviceUrl() });
    const before = fake.activities.length;
    const answers = await Promise.all([postActivity(relais.url, activity), postActivity(relais.url, activity)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    await teams.idle();
    const later = await postActivity(relais.url, activity);
    expect(later.status).toBe(200);
    await teams.idle();
    expect(visible(fake.activities.slice(before))).toHaveLength(2); // disclosure + help, once
  });

  it('honours a 429 Retry-After from the connector and retries once, without duplicates', async () => {
    const user = newUser();
    await deliver(personalMessage(user, 'aide', { serviceUrl: serviceUrl() }));
    const throttledBefore = teams.throttled;
    const limitedBefore = fake.rateLimited;
    fake.failNext(429, 1);
    const started = Date.now();
    const { replies } = await deliver(personalMessage(user, 'aide', { serviceUrl: serviceUrl() }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.rateLimited - limitedBefore).toBe(1);
    expect(teams.throttled - throttledBefore).toBe(1);
    expect(visible(replies)).toHaveLength(1);
  });

  it('ignores what it must not answer (reactions, edits) without replying', async () => {
    const user = newUser();
    const reaction = { ...personalMessage(user, '', { serviceUrl: serviceUrl() }), type: 'messageReaction', reactionsAdded: [{ type: 'like' }] };
    const edit = { ...personalMessage(user, 'corrigé', { serviceUrl: serviceUrl() }), type: 'messageUpdate' };
    for (const activity of [reaction, edit]) {
      const { status, replies } = await deliver(activity);
      expect(status).toBe(200);
      expect(replies).toEqual([]);
    }
  });

  it('refuses a body that is not an activity', async () => {
    const answer = await postActivity(relais.url, { type: 'message' });
    expect(answer.status).toBe(400);
  });
});
