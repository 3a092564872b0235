/**
 * Anonymous campaigns leave no link between a person and an answer in the
 * conversation log or the audit trail: five people answer the anonymous
 * weekly check-in through the web chat API (three by clicks and forms, two
 * by typed replies), then every stored message and audit event is scanned
 * for the answers and for the ids of the stored responses. The results
 * still count every answer; a named campaign is recorded as before.
 */
import { jest } from '@jest/globals';
import type { WebMessage } from '../../src/adapters/chat/web/web-message.js';
import type { Relais } from '../../src/main.js';
import type { StoredMessage } from '../../src/core/ports/repositories.js';
import { startTestRelais } from '../support/start-test-relais.js';
import { waitFor } from '../support/wait-for.js';
import { inputOf, textOf, WebTestClient } from '../support/web-test-client.js';

jest.setTimeout(30_000);

describe('anonymous survey answers in the conversation log', () => {
  let relais: Relais;

  beforeAll(async () => {
    relais = await startTestRelais({ RELAIS_QUIET_HOURS: 'off' });
  });
  afterAll(async () => {
    await relais?.stop();
  });

  /** Every message stored in the conversations of a web user, both directions. */
  const storedMessagesOf = async (externalId: string): Promise<{ personId: string; messages: StoredMessage[] }> => {
    const person = await relais.core.identities.resolvePerson('web', externalId);
    const outbound = await relais.repositories.messages.listOutboundForPerson(person.id, 'web', { limit: 10_000 });
    const conversationIds = [...new Set(outbound.map((m) => m.conversationId))];
    const messages: StoredMessage[] = [];
    for (const id of conversationIds) messages.push(...(await relais.repositories.messages.listRecent(id, 10_000)));
    return { personId: person.id, messages };
  };

  const invitedTo = async (externalId: string, campaignId: string): Promise<void> => {
    await waitFor(async () => {
      const { messages } = await storedMessagesOf(externalId);
      return JSON.stringify(messages).includes(`survey:start:${campaignId}`);
    }, 10_000);
  };

  test('clicked and typed answers of an anonymous campaign are recorded redacted; results still count them', async () => {
    const team = await relais.surveys.teams.create({ name: 'Accueil' }, null);
    const people = ['acc-1', 'acc-2', 'acc-3', 'acc-4', 'acc-5'];
    await relais.surveys.teams.add(team.id, people.map((externalId) => ({ platform: 'web', externalId })), 'member', null);
    await relais.surveys.teams.add(team.id, [{ platform: 'web', externalId: 'coord-acc' }], 'coordinator', null);
    const coordinator = new WebTestClient(relais.url, 'coord-acc');
    const campaignId = /`(c-[0-9a-f]+)`/.exec(textOf(await coordinator.say('sondage lancer checkin-hebdo @accueil')))![1]!;

    // Distinctive values, to be found nowhere but in the responses.
    const minutes = [1111, 1222, 1333, 1444, 1555];
    const errors = [271, 272, 273, 274, 275];
    const comments = people.map((_, i) => `Remarque confidentielle numéro ${i + 1} sur Apogée`);

    for (const [i, id] of people.entries()) {
      await invitedTo(id, campaignId);
      const client = new WebTestClient(relais.url, id);
      let replies: WebMessage[];
      if (i < 3) {
        // Clicks and forms.
        replies = await client.act(`survey:start:${campaignId}`);
        if (i === 0) {
          // An action id naming the response (sent before anonymous refs existed) still works and is recorded redacted too.
          const [inProgress] = (await relais.repositories.campaigns.responses(campaignId)).filter((r) => r.status === 'in_progress');
          replies = await client.act(`survey:${inProgress!.id}:minutes_gagnees`, minutes[i]!);
          expect(inputOf(replies)!.actionId).toBe(`survey:anon:${campaignId}:bien_etre`);
        }
        for (const value of i === 0 ? [4, errors[i]!, 5, comments[i]!] : [minutes[i]!, 4, errors[i]!, 5, comments[i]!]) {
          const input = inputOf(replies)!;
          expect(input.actionId).toMatch(new RegExp(`^survey:anon:${campaignId}:[a-z_]+$`));
          replies = await client.act(input.actionId, value);
        }
      } else {
        // Typed replies to the question just asked.
        replies = await client.say('sondage reprendre');
        expect(inputOf(replies)!.actionId).toBe(`survey:anon:${campaignId}:minutes_gagnees`);
        for (const text of [String(minutes[i]), '2', String(errors[i]), '3', comments[i]!]) replies = await client.say(text);
      }
      expect(textOf(replies)).toContain('Merci');
      expect(textOf(replies)).not.toContain('Modifier');
    }

    // The results count every answer (5 people: at k = 5, figures are shown).
    const results = textOf(await coordinator.say(`sondage resultats ${campaignId}`));
    expect(results).toContain('5 réponse(s) complète(s) sur 5');
    expect(results).toContain(`total ${minutes.reduce((a, b) => a + b, 0)} (n=5)`);
    expect(results).toContain(`total ${errors.reduce((a, b) => a + b, 0)} (n=5)`);
    const answers = await relais.repositories.campaigns.answersOfCampaign(campaignId);
    expect(answers.filter((a) => a.questionId === 'commentaire').map((a) => a.value).sort()).toEqual([...comments].sort());
    expect(answers.filter((a) => a.questionId === 'bien_etre').map((a) => a.value).sort()).toEqual([2, 2, 4, 4, 4]);

    // What would link a person to an answer: the values, the response ids (also the export's submission ids).
    const responseIds = (await relais.repositories.campaigns.responses(campaignId)).map((r) => r.id);
    expect(responseIds).toHaveLength(5);
    // Numbers only as whole tokens (not inside random ids).
    const secrets = [...responseIds, ...comments].map((s) => new RegExp(s)).concat([...minutes, ...errors].map((n) => new RegExp(`(?<![0-9a-z])${n}(?![0-9a-z])`, 'i')));
    const expectNoSecret = (text: string): void => {
      for (const secret of secrets) expect(text).not.toMatch(secret);
    };

    const audit = await relais.repositories.audit.list({ limit: 100_000 });
    expectNoSecret(JSON.stringify(audit));

    for (const id of people) {
      const { personId, messages } = await storedMessagesOf(id);
      expect(messages.length).toBeGreaterThan(5);
      expectNoSecret(JSON.stringify(messages));
      // Which questions were asked (with showIf, that tells answers) is forgotten once the response is sent:
      // no stored message names a question of the campaign any more, a neutral line stands in their place.
      const outbound = messages.filter((m) => m.direction === 'out').map((m) => JSON.stringify(m.content));
      expect(outbound.filter((text) => text.includes(`survey:anon:${campaignId}:`))).toEqual([]);
      expect(outbound.filter((text) => text.includes('retirées de l’historique une fois vos réponses envoyées')).length).toBeGreaterThanOrEqual(5);
      for (const m of messages) {
        expect(m.personId === personId || m.personId === null).toBe(true);
        if (m.direction !== 'in') continue;
        // Inbound: the start click, redacted answers, or the command typed to resume.
        if (m.content.kind === 'action') {
          expect([`survey:start:${campaignId}`, 'survey:anon']).toContain(m.content.actionId);
          expect(m.content.value ?? null).toBeNull();
        } else if (m.content.kind === 'text') {
          expect(['sondage reprendre', '[réponse à un questionnaire anonyme]']).toContain(m.content.text);
        }
      }
      // The person's audit events carry no answer detail.
      for (const event of audit.filter((e) => e.actorId === personId)) {
        expect(JSON.stringify(event.details)).not.toMatch(/value|response|answer/i);
      }
    }
  });

  test('a named campaign is recorded as before', async () => {
    const team = await relais.surveys.teams.create({ name: 'Comptabilité' }, null);
    await relais.surveys.teams.add(team.id, [{ platform: 'web', externalId: 'compta-1' }], 'member', null);
    await relais.surveys.teams.add(team.id, [{ platform: 'web', externalId: 'coord-compta' }], 'coordinator', null);
    const coordinator = new WebTestClient(relais.url, 'coord-compta');
    const campaignId = /`(c-[0-9a-f]+)`/.exec(textOf(await coordinator.say('sondage lancer irritants @comptabilite')))![1]!;
    await invitedTo('compta-1', campaignId);

    const client = new WebTestClient(relais.url, 'compta-1');
    const replies = await client.say('sondage reprendre');
    const [response] = await relais.repositories.campaigns.responses(campaignId);
    expect(inputOf(replies)!.actionId).toBe(`survey:${response!.id}:tache`);
    const clicked = await client.act(inputOf(replies)!.actionId, 'Rapprochements bancaires faits à la main');
    expect(inputOf(clicked)!.actionId).toBe(`survey:${response!.id}:frequence`);

    const { messages } = await storedMessagesOf('compta-1');
    const inbound = messages.filter((m) => m.direction === 'in').map((m) => m.content);
    expect(inbound).toContainEqual({ kind: 'action', actionId: `survey:${response!.id}:tache`, value: 'Rapprochements bancaires faits à la main' });
  });
});
