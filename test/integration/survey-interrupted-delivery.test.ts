/**
 * Invitations of a delivery run that died mid-way (kill -9 between marking
 * an invitation and sending it): the retry of the open job sends those whose
 * message was never recorded, and nobody else gets a second one. A first
 * run never re-sends what is marked (at most once per run).
 */
import type { Relais } from '../../src/main.js';
import { startTestRelais } from '../support/start-test-relais.js';
import { waitFor } from '../support/wait-for.js';
import { webHistory, WebTestClient, textOf } from '../support/web-test-client.js';

let relais: Relais;

beforeAll(async () => {
  relais = await startTestRelais({ RELAIS_QUIET_HOURS: 'off', RELAIS_CORPUS_AUTO_INGEST: 'false' });
});

afterAll(async () => {
  await relais?.stop();
});

const invitationsIn = async (userId: string, campaignId: string): Promise<number> =>
  (await webHistory(relais.url, userId)).filter((m) => JSON.stringify(m.blocks).includes(`survey:start:${campaignId}`)).length;

test('the retry of an interrupted delivery sends the invitations that never left, once', async () => {
  const team = await relais.surveys.teams.create({ name: 'Reprise' }, null);
  await relais.surveys.teams.add(team.id, ['rep-1', 'rep-2', 'rep-3'].map((externalId) => ({ platform: 'web' as const, externalId })), 'member', null);
  await relais.surveys.teams.add(team.id, [{ platform: 'web', externalId: 'rep-coord' }], 'coordinator', null);
  const campaignId = /`(c-[0-9a-f]+)`/.exec(textOf(await new WebTestClient(relais.url, 'rep-coord').say(`sondage lancer irritants @${team.id}`)))![1]!;
  for (const id of ['rep-1', 'rep-2', 'rep-3']) await waitFor(async () => (await invitationsIn(id, campaignId)) === 1, 10_000);

  // The state a crash leaves: rep-4's invitation marked, its message never recorded nor sent.
  const late = await relais.core.identities.resolvePerson('web', 'rep-4');
  await relais.repositories.campaigns.addInvitations(campaignId, [late.id]);
  expect(await relais.repositories.campaigns.markInvited(campaignId, late.id, new Date())).toBe(true);

  // A first run does not second-guess its marks…
  await relais.surveys.campaigns.runOpen(campaignId, { id: 'open', attempt: 1, scheduledFor: new Date() });
  expect(await invitationsIn('rep-4', campaignId)).toBe(0);
  // …the retry of the interrupted run does: rep-4 gets the invitation, the others nothing more.
  await relais.surveys.campaigns.runOpen(campaignId, { id: 'open', attempt: 2, scheduledFor: new Date() });
  await waitFor(async () => (await invitationsIn('rep-4', campaignId)) === 1, 10_000);
  await relais.surveys.campaigns.runOpen(campaignId, { id: 'open', attempt: 3, scheduledFor: new Date() });
  for (const id of ['rep-1', 'rep-2', 'rep-3', 'rep-4']) expect(await invitationsIn(id, campaignId)).toBe(1);
  expect((await relais.repositories.campaigns.invitations(campaignId)).every((i) => i.invitedAt)).toBe(true);
});
