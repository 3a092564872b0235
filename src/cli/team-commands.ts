/**
 * `relais team create|add|remove|list|show`: teams of people for campaigns
 * and check-ins. People are given by platform identity (`web:alice`,
 * `slack:U024BE7LH`, `teams:<AAD object id>`, `matrix:@alice:example.org`)
 * and stored under pseudonymous ids only.
 */
import type { Command } from 'commander';
import { parseIdentity } from '../core/teams/team-service.js';
import type { RelaisConfig } from '../config.js';
import { withSurveyServices } from './survey-commands.js';
import { formatTable } from './table.js';

export function registerTeamCommands(program: Command, configOrExit: () => RelaisConfig): void {
  const team = program.command('team').description('teams of people (members and coordinators)');

  team
    .command('create')
    .description('create a team (its id is the slug of the name, used as @id in chat)')
    .argument('<name>')
    .option('--service <service>', 'department')
    .option('--lot <lot>', 'experimentation lot')
    .option('--timezone <tz>', 'IANA time zone of its schedules (default RELAIS_TIMEZONE)')
    .action(async (name: string, options: { service?: string; lot?: string; timezone?: string }) => {
      await withSurveyServices(configOrExit(), async ({ surveys }) => {
        const created = await surveys.teams.create({ name, service: options.service ?? null, lot: options.lot ?? null, ...(options.timezone ? { timezone: options.timezone } : {}) }, null);
        console.log(`Team ${created.id} created (${created.name}, ${created.timezone}).`);
      });
    });

  for (const [verb, description] of [
    ['add', 'add members (or coordinators with --coordinator)'],
    ['remove', 'remove members (or coordinators with --coordinator)'],
  ] as const) {
    team
      .command(verb)
      .description(description)
      .argument('<team>')
      .argument('<identities...>', 'platform:id, e.g. web:alice slack:U024BE7LH')
      .option('--coordinator', 'the coordinator role instead of member')
      .action(async (teamId: string, identities: string[], options: { coordinator?: boolean }) => {
        const parsed = identities.map((i) => parseIdentity(i));
        await withSurveyServices(configOrExit(), async ({ surveys }) => {
          const role = options.coordinator ? 'coordinator' : 'member';
          if (verb === 'add') {
            const added = await surveys.teams.add(teamId, parsed, role, null);
            console.log(`${added.length} ${role}(s) added to ${teamId}.`);
          } else {
            const removed = await surveys.teams.remove(teamId, parsed, role, null);
            console.log(`${removed} ${role}(s) removed from ${teamId}.`);
          }
        });
      });
  }

  team
    .command('list')
    .description('teams with their member and coordinator counts')
    .action(async () => {
      await withSurveyServices(configOrExit(), async ({ surveys }) => {
        const rows: string[][] = [];
        for (const t of await surveys.teams.list()) {
          const m = await surveys.teams.memberships(t.id);
          rows.push([t.id, t.name, t.service ?? '—', t.lot ?? '—', t.timezone, String(m.filter((x) => x.member).length), String(m.filter((x) => x.coordinator).length)]);
        }
        console.log(formatTable(['Team', 'Name', 'Service', 'Lot', 'Time zone', 'Members', 'Coordinators'], rows));
      });
    });

  team
    .command('show')
    .description('a team and its (pseudonymous) people')
    .argument('<team>')
    .action(async (teamId: string) => {
      await withSurveyServices(configOrExit(), async ({ surveys }) => {
        const t = await surveys.teams.get(teamId);
        console.log(`${t.name} (${t.id}) — service: ${t.service ?? '—'}, lot: ${t.lot ?? '—'}, time zone: ${t.timezone}`);
        const rows = (await surveys.teams.memberships(t.id)).map((m) => [m.personId, [m.member ? 'member' : '', m.coordinator ? 'coordinator' : ''].filter(Boolean).join(', '), m.addedAt.toISOString()]);
        console.log(formatTable(['Person (pseudonym)', 'Roles', 'Added'], rows));
      });
    });
}
