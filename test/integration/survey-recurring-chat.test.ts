/**
 * A recurring check-in scheduled by a coordinator in chat (web API):
 * "every Friday at 14:00, from March to June" becomes one job schedule with
 * the team's time zone and the dates; a second one for the same team is
 * refused with a clear message, and so is a recurrence the bot cannot read.
 */
import type { Relais } from '../../src/main.js';
import { startTestRelais } from '../support/start-test-relais.js';
import { textOf, WebTestClient } from '../support/web-test-client.js';

let relais: Relais;

beforeAll(async () => {
  relais = await startTestRelais({ RELAIS_QUIET_HOURS: 'off', RELAIS_CORPUS_AUTO_INGEST: 'false' });
});

afterAll(async () => {
  await relais?.stop();
});

test('a coordinator schedules a weekly check-in from March to June by chat', async () => {
  const team = await relais.surveys.teams.create({ name: 'Scolarité Récurrente' }, null);
  await relais.surveys.teams.add(team.id, [{ platform: 'web', externalId: 'rec-1' }, { platform: 'web', externalId: 'rec-2' }], 'member', null);
  await relais.surveys.teams.add(team.id, [{ platform: 'web', externalId: 'rec-coord' }], 'coordinator', null);
  const coordinator = new WebTestClient(relais.url, 'rec-coord');

  const reply = textOf(await coordinator.say(`sondage lancer checkin-hebdo @${team.id} chaque=vendredi@14h du=2027-03-01 au=2027-06-30`));
  expect(reply).toContain('chaque vendredi à 14:00 (Europe/Paris)');
  // Dates are days where the team works, the end day included.
  expect(reply).toContain('à partir du lundi 1 mars 2027');
  expect(reply).toContain('jusqu’au mercredi 30 juin 2027');
  const campaignId = /`(c-[0-9a-f]+)`/.exec(reply)![1]!;

  const campaign = (await relais.repositories.campaigns.get(campaignId))!;
  expect(campaign.recurrence).toMatchObject({ cron: '0 14 * * 5', timezone: 'Europe/Paris', windowHours: 72 });
  expect(campaign.recurrence!.from!.toISOString()).toBe('2027-02-28T23:00:00.000Z'); // 1 March 00:00 in Paris (winter time)
  expect(campaign.recurrence!.until!.toISOString()).toBe('2027-06-30T22:00:00.000Z'); // 1 July 00:00 in Paris (summer time)
  const schedules = (await relais.scheduler.listSchedules()).filter((s) => JSON.stringify(s.data).includes(campaignId));
  expect(schedules).toHaveLength(1);
  expect(schedules[0]!.recurrence).toMatchObject({ cron: '0 14 * * 5', timezone: 'Europe/Paris' });

  // One recurring check-in per team.
  expect(textOf(await coordinator.say(`sondage lancer checkin-hebdo @${team.id} chaque=lundi@9h`))).toContain('déjà un point récurrent');
  // What the bot cannot read is explained, and nothing is scheduled.
  expect(textOf(await coordinator.say(`sondage lancer checkin-hebdo @${team.id} chaque=vendredi@midi`))).toContain('chaque=vendredi@14h');
  expect(textOf(await coordinator.say(`sondage lancer checkin-hebdo @${team.id} chaque=vendredi@14h au=30/06/2027`))).toContain('chaque=vendredi@14h');
  expect(textOf(await coordinator.say(`sondage lancer checkin-hebdo @${team.id} chaque=vendredi@14h au=2027-02-30`))).toContain('chaque=vendredi@14h');
  expect((await relais.scheduler.listSchedules()).filter((s) => s.jobName === 'survey.checkin')).toHaveLength(1);
  // A member cannot schedule for the team.
  expect(textOf(await new WebTestClient(relais.url, 'rec-1').say(`sondage lancer checkin-hebdo @${team.id} chaque=vendredi@14h`))).toContain('Seule la coordination');
});
