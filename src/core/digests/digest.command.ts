/**
 * `/relais digest` (`synthèse`): the coordinators' digest on demand, as a
 * reply in the conversation where it was asked. Only coordinators get it,
 * for a team they coordinate: `digest` alone when they coordinate one team,
 * `digest <team>` otherwise (they are asked which one).
 *
 * A reply to the person who asked is not a proactive message, so quiet
 * hours do not apply; the weekly sends go through the scheduler.
 */
import type { Command } from '../conversation/command-registry.js';
import { describeError } from '../errors.js';
import type { Locale } from '../i18n/locale.js';
import { textMessage } from '../messages/outbound.js';
import type { Team } from '../ports/team-repository.js';
import type { DigestService } from './digest-service.js';

/** What the command needs of the team service. */
export interface DigestCommandTeams {
  coordinatedBy(personId: string): Promise<string[]>;
  find(idOrName: string): Promise<Team | null>;
}

const TEXTS: Record<Locale, {
  help: string;
  forbidden: string;
  notFound: (team: string) => string;
  notCoordinator: (team: string) => string;
  which: (teams: string) => string;
  failed: string;
}> = {
  fr: {
    help: 'synthèse de l’expérimentation de votre équipe (coordination) : `digest` ou `digest @equipe`',
    forbidden: 'La synthèse est réservée aux coordinateurs et coordinatrices d’une équipe. Si vous pensez devoir la recevoir, demandez à la personne qui gère Relais de vous ajouter à la coordination de votre équipe.',
    notFound: (team) => `Je ne trouve pas d’équipe « ${team} ».`,
    notCoordinator: (team) => `Vous ne coordonnez pas l’équipe « ${team} » : sa synthèse ne vous est pas accessible.`,
    which: (teams) => `Vous coordonnez plusieurs équipes. Pour laquelle voulez-vous la synthèse ? Écrivez par exemple ${teams}.`,
    failed: 'Je n’ai pas pu préparer la synthèse pour le moment. Réessayez dans quelques minutes.',
  },
  en: {
    help: 'your team’s experimentation digest (coordinators): `digest` or `digest @team`',
    forbidden: 'The digest is for team coordinators only. If you think you should receive it, ask the person who runs Relais to make you a coordinator of your team.',
    notFound: (team) => `I cannot find a team “${team}”.`,
    notCoordinator: (team) => `You do not coordinate the team “${team}”, so its digest is not available to you.`,
    which: (teams) => `You coordinate several teams. Which one do you want the digest for? Write for example ${teams}.`,
    failed: 'I could not prepare the digest just now. Please try again in a few minutes.',
  },
};

export function createDigestCommand(teams: DigestCommandTeams, digests: Pick<DigestService, 'compose'>): Command {
  return {
    id: 'digest',
    names: { fr: ['digest', 'synthèse'], en: ['digest'] },
    describe: (locale) => TEXTS[locale].help,
    run: async (context, args) => {
      const t = TEXTS[context.locale];
      const say = async (text: string): Promise<void> => {
        await context.reply.send(textMessage(text));
      };
      const coordinated = await teams.coordinatedBy(context.person.id);
      if (coordinated.length === 0) return say(t.forbidden);
      const wanted = args.trim().replace(/^@/, '');
      let teamId: string;
      if (wanted) {
        const team = await teams.find(wanted);
        if (!team) return say(t.notFound(wanted));
        if (!coordinated.includes(team.id)) return say(t.notCoordinator(team.name));
        teamId = team.id;
      } else if (coordinated.length > 1) {
        return say(t.which([...coordinated].sort().map((id) => `\`digest @${id}\``).join(', ')));
      } else {
        teamId = coordinated[0]!;
      }
      try {
        await context.reply.send(await digests.compose(teamId, context.locale));
      } catch (error) {
        context.log.warn({ teamId, code: describeError(error).code }, 'on-demand digest failed');
        await say(t.failed);
      }
    },
  };
}
