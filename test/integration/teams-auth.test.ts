/**
 * With a bot registration configured (TEAMS_APP_ID / TEAMS_APP_PASSWORD), the
 * SDK's JWT check guards `POST /api/messages`: activities without a valid
 * Bot Service token are refused with 401 before anything is handled.
 *
 * Only the rejection paths are tested: accepting a token needs Microsoft's
 * signing keys (fetched from login.botframework.com / Entra), which tests
 * must not download. Each token here fails before any key is fetched.
 */
import { createHmac } from 'node:crypto';
import type { Relais } from '../../src/main.js';
import { postActivity, startTeamsConnectorFake, type TeamsConnectorFake } from '../fakes/teams-connector-fake-server.js';
import { makeUser, personalMessage } from '../fakes/teams/teams-activities.js';
import { startTestRelais } from '../support/start-test-relais.js';

const APP_ID = '11111111-2222-4333-8444-555555555555';

/** A structurally valid JWT (HS256, signature irrelevant): decoded by the SDK before any key lookup. */
function token(payload: Record<string, unknown>): string {
  const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const head = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'test' })}.${b64(payload)}`;
  return `${head}.${createHmac('sha256', 'x').update(head).digest('base64url')}`;
}

let fake: TeamsConnectorFake;
let relais: Relais;

beforeAll(async () => {
  fake = await startTeamsConnectorFake();
  relais = await startTestRelais({ TEAMS_APP_ID: APP_ID, TEAMS_APP_PASSWORD: 'not-a-real-secret' });
});
afterAll(async () => {
  await relais?.stop();
  await fake?.close();
});

describe('Teams authentication (SDK JWT validation)', () => {
  const activity = (): Record<string, unknown> => personalMessage(makeUser(1), 'aide', { serviceUrl: fake.serviceUrl });

  it('refuses an activity without a token', async () => {
    const answer = await postActivity(relais.url, activity());
    expect(answer.status).toBe(401);
  });

  it('refuses a malformed authorization header', async () => {
    for (const authorization of ['Basic abc', 'Bearer', 'Bearer a b']) {
      expect((await postActivity(relais.url, activity(), { authorization })).status).toBe(401);
    }
  });

  it('refuses a token that is not a JWT', async () => {
    expect((await postActivity(relais.url, activity(), { authorization: 'Bearer not-a-jwt' })).status).toBe(401);
  });

  it('refuses a token issued for another bot', async () => {
    const forOther = token({ aud: 'someone-else', iss: 'https://api.botframework.com', exp: Math.floor(Date.now() / 1000) + 600 });
    const answer = await postActivity(relais.url, activity(), { authorization: `Bearer ${forOther}` });
    expect(answer.status).toBe(401);
  });

  it('handled none of them', async () => {
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.activities).toEqual([]);
  });
});
