/**
 * The `equipe` / `team` command for coordinators: create a team, add or
 * remove members and coordinators by platform identity, show, list.
 * Creating a team from chat is open to people who already coordinate one
 * (the first coordinators are set with `relais team` on the server).
 */
import { normalizeWords, type Command } from '../conversation/command-registry.js';
import type { ConversationContext } from '../conversation/conversation-context.js';
import { isRelaisError } from '../errors.js';
import { textMessage } from '../messages/outbound.js';
import { st } from '../surveys/survey-texts.js';
import type { TeamRole } from '../ports/team-repository.js';
import { parseIdentity, teamSlug, type PlatformIdentity, type TeamService } from './team-service.js';

const SUB: Record<string, string> = {
  creer: 'create', create: 'create', nouvelle: 'create',
  ajouter: 'add', add: 'add',
  retirer: 'remove', remove: 'remove', enlever: 'remove',
  coordination: 'coordinator', coordinateur: 'coordinator', coordinatrice: 'coordinator', coordinator: 'coordinator',
  voir: 'show', show: 'show', afficher: 'show',
  liste: 'list', list: 'list',
};

export function createTeamCommand(teams: TeamService): Command {
  return {
    id: 'team',
    names: { fr: ['equipe', 'équipe'], en: ['team'] },
    describe: (locale) => st(locale, 'help.team'),
    run: async (context, args) => {
      const { locale } = context;
      const words = args.trim().split(/\s+/).filter(Boolean);
      const sub = SUB[normalizeWords(words[0] ?? '')];
      const say = async (text: string): Promise<void> => {
        await context.reply.send(textMessage(text));
      };
      const coordinated = await teams.coordinatedBy(context.person.id);
      if (!sub || coordinated.length === 0) return say(st(locale, coordinated.length === 0 && sub ? 'team.forbidden' : 'team.usage'));
      try {
        if (sub === 'list') {
          const list = (await teams.list()).filter((t) => coordinated.includes(t.id));
          return await say(list.length === 0 ? st(locale, 'team.none') : st(locale, 'team.list', { teams: list.map((t) => `\`@${t.id}\` (${t.name})`).join(', ') }));
        }
        if (sub === 'create') {
          const options = Object.fromEntries(words.slice(1).filter((w) => w.includes('=')).map((w) => [normalizeWords(w.split('=')[0]!), w.slice(w.indexOf('=') + 1)]));
          const name = words.slice(1).filter((w) => !w.includes('=')).join(' ');
          if (!name) return await say(st(locale, 'team.usage'));
          if (await teams.find(name)) return await say(st(locale, 'team.exists', { team: teamSlug(name) }));
          const team = await teams.create({ name, service: options.service ?? null, lot: options.lot ?? null, ...(options.fuseau || options.timezone ? { timezone: options.fuseau ?? options.timezone } : {}) }, context.person.id);
          await teams.add(team.id, [{ platform: context.event.platform, externalId: context.event.sender.externalId }], 'coordinator', context.person.id);
          return await say(st(locale, 'team.created', { name: team.name, id: team.id }));
        }
        const target = words[1]?.replace(/^@/, '') ?? '';
        const team = await teams.find(target);
        if (!team) return await say(st(locale, 'team.notFound', { team: target }));
        if (!coordinated.includes(team.id)) return await say(st(locale, 'team.forbidden'));
        if (sub === 'show') return await show(teams, context, team.id);
        const identities = parseAll(words.slice(2), context);
        if (typeof identities === 'string') return await say(st(locale, 'team.badIdentity', { identity: identities }));
        if (identities.length === 0) return await say(st(locale, 'team.usage'));
        const role: TeamRole = sub === 'coordinator' ? 'coordinator' : 'member';
        if (sub === 'remove') {
          const removed = await teams.remove(team.id, identities, 'member', context.person.id);
          return await say(st(locale, 'team.removed', { count: removed, id: team.id }));
        }
        const added = await teams.add(team.id, identities, role, context.person.id);
        return await say(st(locale, 'team.added', { count: added.length, id: team.id, role: st(locale, `role.${role}`) }));
      } catch (error) {
        if (isRelaisError(error)) return say(st(locale, 'team.usage'));
        throw error;
      }
    },
  };
}

function parseAll(words: string[], context: ConversationContext): PlatformIdentity[] | string {
  const identities: PlatformIdentity[] = [];
  for (const word of words) {
    try {
      identities.push(parseIdentity(word, context.event.platform));
    } catch {
      return word;
    }
  }
  return identities;
}

async function show(teams: TeamService, context: ConversationContext, teamId: string): Promise<void> {
  const team = await teams.get(teamId);
  const rows = await teams.memberships(teamId);
  const none = st(context.locale, 'none');
  await context.reply.send(
    textMessage(
      st(context.locale, 'team.show', {
        name: team.name,
        id: team.id,
        service: team.service ?? none,
        lot: team.lot ?? none,
        timezone: team.timezone,
        members: rows.filter((r) => r.member).length,
        coordinators: rows.filter((r) => r.coordinator).length,
      }),
    ),
  );
}
