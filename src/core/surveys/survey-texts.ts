/**
 * What the survey engine says, in French (default) and English. Kept next to
 * the engine rather than in the shared catalog so the module stays whole.
 */
import type { Locale } from '../i18n/locale.js';

const TEXTS = {
  'invite.intro': { fr: '**{title}** — {count} questions.\n\n{intro}', en: '**{title}** — {count} questions.\n\n{intro}' },
  'invite.closes': { fr: 'Vous pouvez répondre jusqu’au {date}. Vos réponses sont enregistrées au fur et à mesure : vous pouvez vous arrêter et reprendre plus tard (« sondage reprendre »).', en: 'You can answer until {date}. Each answer is saved as you go: you can stop and resume later ("survey resume").' },
  'invite.anonymous': { fr: 'Ce questionnaire est **anonyme** : vos réponses ne sont pas reliées à votre identité, et aucun résultat n’est montré pour un groupe de moins de {k} personnes.', en: 'This survey is **anonymous**: your answers are not linked to you, and no result is shown for a group of fewer than {k} people.' },
  'invite.named': { fr: 'Vos réponses sont nominatives et visibles de la coordination de l’équipe.', en: 'Your answers are named and visible to the team coordinators.' },
  'button.start': { fr: 'Commencer', en: 'Start' },
  'button.resume': { fr: 'Reprendre', en: 'Resume' },
  'button.skip': { fr: 'Passer', en: 'Skip' },
  'button.edit': { fr: 'Modifier mes réponses', en: 'Edit my answers' },
  'button.send': { fr: 'Envoyer', en: 'Send' },
  'reminder.text': { fr: 'Petit rappel : **{title}** attend votre réponse (jusqu’au {date}).', en: 'A reminder: **{title}** is waiting for your answer (until {date}).' },
  'reminder.channel': { fr: 'Rappel : **{title}** est ouvert jusqu’au {date} — {completed} réponse(s) à ce jour.', en: 'Reminder: **{title}** is open until {date} — {completed} answer(s) so far.' },
  'question.progress': { fr: '**{title}** — question {n}/{total}', en: '**{title}** — question {n}/{total}' },
  'anonymous.redacted': { fr: '[réponse à un questionnaire anonyme]', en: '[answer to an anonymous survey]' },
  'anonymous.questionsForgotten': {
    fr: '[questions du questionnaire anonyme « {title} » — retirées de l’historique une fois vos réponses envoyées]',
    en: '[questions of the anonymous survey “{title}” — removed from the history once your answers were sent]',
  },
  'question.optional': { fr: '(facultatif)', en: '(optional)' },
  'question.typed': { fr: 'Cliquez sur une réponse, ou tapez son numéro{multi}.', en: 'Click an answer, or type its number{multi}.' },
  'question.typedMulti': { fr: ' (plusieurs possibles : « 1, 3 »)', en: ' (several allowed: "1, 3")' },
  'error.required': { fr: 'Cette question demande une réponse.', en: 'This question needs an answer.' },
  'error.not_an_option': { fr: 'Je n’ai pas reconnu ce choix : répondez avec le numéro d’une option proposée.', en: 'I did not recognise that choice: answer with the number of one of the options.' },
  'error.not_a_number': { fr: 'J’attends un nombre{range}.', en: 'I expect a number{range}.' },
  'error.not_integer': { fr: 'J’attends un nombre entier{range}.', en: 'I expect a whole number{range}.' },
  'error.out_of_range': { fr: 'Ce nombre est hors limites : il doit être{range}.', en: 'That number is out of range: it must be{range}.' },
  'error.too_long': { fr: 'Votre réponse est trop longue ({max} caractères au plus).', en: 'Your answer is too long (at most {max} characters).' },
  'range.between': { fr: ' entre {min} et {max}', en: ' between {min} and {max}' },
  'range.min': { fr: ' d’au moins {min}', en: ' of at least {min}' },
  'range.max': { fr: ' d’au plus {max}', en: ' of at most {max}' },
  'answer.saved': { fr: 'Réponse modifiée et enregistrée.', en: 'Answer changed and saved.' },
  'answer.hidden': { fr: 'Cette question ne s’applique plus à vos réponses : rien n’a été enregistré.', en: 'This question no longer applies to your answers: nothing was saved.' },
  'done.thanks': { fr: 'Merci, vos réponses sont enregistrées.', en: 'Thank you, your answers are saved.' },
  'done.editable': { fr: 'Vous pouvez les modifier jusqu’au {date}.', en: 'You can change them until {date}.' },
  'done.already': { fr: 'Vous avez déjà répondu à **{title}**.', en: 'You already answered **{title}**.' },
  'done.alreadyAnonymous': { fr: 'Vous avez déjà répondu à **{title}** (anonyme) : une seule réponse par personne est comptée.', en: 'You already answered **{title}** (anonymous): one answer per person is counted.' },
  'edit.pick': { fr: 'Quelle réponse voulez-vous modifier ?', en: 'Which answer do you want to change?' },
  'closed.answer': { fr: 'Le sondage **{title}** est clos : cette réponse n’a pas été enregistrée.', en: 'The survey **{title}** is closed: this answer was not saved.' },
  'paused.answer': { fr: 'Le sondage **{title}** est en pause : réessayez quand la coordination l’aura relancé. Vos réponses précédentes sont conservées.', en: 'The survey **{title}** is paused: try again once the coordinators resume it. Your earlier answers are kept.' },
  'notyours': { fr: 'Ce questionnaire ne vous est pas adressé.', en: 'This survey is not addressed to you.' },
  'resume.none': { fr: 'Vous n’avez aucun sondage en cours.', en: 'You have no survey in progress.' },
  'launch.usage': {
    fr: 'Utilisation : « sondage lancer <sondage> @<équipe> [jours=7] [rappels=72,120] [phase=…] [chaque=vendredi@14h du=… au=…] » ou « … ici » dans un canal. Sondages : {surveys}.',
    en: 'Usage: "survey launch <survey> @<team> [days=7] [reminders=72,120] [phase=…] [every=friday@14:00 from=… until=…]" or "… here" in a channel. Surveys: {surveys}.',
  },
  'launch.done': { fr: 'Sondage **{title}** lancé pour {audience} (campagne `{id}`) : ouvert jusqu’au {date}, rappels aux non-répondant·es {reminders}.', en: 'Survey **{title}** launched for {audience} (campaign `{id}`): open until {date}, reminders to non-respondents {reminders}.' },
  'launch.recurringDone': {
    fr: 'Point récurrent **{title}** programmé pour {audience} (campagne `{id}`) : {when} ({timezone}){period}, chaque fois ouvert {hours} h. « sondage clore {id} » l’arrête.',
    en: 'Recurring **{title}** scheduled for {audience} (campaign `{id}`): {when} ({timezone}){period}, each time open {hours} h. "survey close {id}" stops it.',
  },
  'launch.recurringExists': {
    fr: 'Cette équipe a déjà un point récurrent : « sondage statut » le montre, « sondage clore <campagne> » l’arrête avant d’en programmer un autre.',
    en: 'This team already has a recurring check-in: "survey status" shows it; "survey close <campaign>" stops it before you schedule another.',
  },
  'launch.recurringFrom': { fr: ', à partir du {date}', en: ', from {date}' },
  'launch.recurringUntil': { fr: ', jusqu’au {date}', en: ', until {date}' },
  'launch.recurringUsage': {
    fr: 'Récurrence : « sondage lancer checkin-hebdo @<équipe> chaque=vendredi@14h [du=2027-03-01] [au=2027-06-30] [ouvert=72] » — jours séparés par des virgules (lundi,jeudi) ou « jour » pour les jours ouvrés ; pour une équipe seulement.',
    en: 'Recurrence: "survey launch checkin-hebdo @<team> every=friday@14:00 [from=2027-03-01] [until=2027-06-30] [open=72]" — days separated by commas (monday,thursday) or "day" for working days; for a team only.',
  },
  'launch.deferred': { fr: 'Heures calmes : les invitations partiront le {date}.', en: 'Quiet hours: invitations will go out on {date}.' },
  'launch.notCoordinator': { fr: 'Seule la coordination de l’équipe « {team} » peut lancer un sondage pour elle.', en: 'Only the coordinators of team "{team}" can launch a survey for it.' },
  'launch.emptyTeam': { fr: 'L’équipe « {team} » n’a encore aucun membre.', en: 'Team "{team}" has no members yet.' },
  'campaign.notFound': { fr: 'Je ne trouve pas de campagne « {id} » que vous coordonnez.', en: 'I cannot find a campaign "{id}" that you coordinate.' },
  'campaign.none': { fr: 'Aucune campagne ouverte que vous coordonnez.', en: 'No open campaign that you coordinate.' },
  'campaign.status': { fr: '**{title}** (`{id}`, {status}) — invité·es : {invited}, commencé : {started}, terminé : {completed}. Clôture : {date}.', en: '**{title}** (`{id}`, {status}) — invited: {invited}, started: {started}, completed: {completed}. Closes: {date}.' },
  'campaign.closed': { fr: 'Campagne `{id}` close. Les réponses ne sont plus modifiables.', en: 'Campaign `{id}` closed. Answers can no longer be changed.' },
  'campaign.paused': { fr: 'Campagne `{id}` en pause : plus d’invitation ni de rappel jusqu’à « sondage reprendre-campagne {id} ».', en: 'Campaign `{id}` paused: no invitation or reminder until "survey unpause {id}".' },
  'campaign.resumed': { fr: 'Campagne `{id}` relancée.', en: 'Campaign `{id}` resumed.' },
  'campaign.badState': { fr: 'La campagne `{id}` est {status} : impossible.', en: 'Campaign `{id}` is {status}: not possible.' },
  'results.title': { fr: '**Résultats — {title}** (`{id}`) : {completed} réponse(s) complète(s) sur {invited} invité·es.', en: '**Results — {title}** (`{id}`): {completed} complete answer(s) out of {invited} invited.' },
  'results.suppressed': { fr: '_moins de {k} réponses : non affiché (anonymat)_', en: '_fewer than {k} answers: not shown (anonymity)_' },
  'results.irritants': { fr: '**Irritants prioritaires** (fréquence × durée × impact)', en: '**Priority irritants** (frequency × time × impact)' },
  'results.irritantsByModel': {
    fr: '_Regroupement des descriptions similaires proposé par une IA ; les scores sont calculés à partir des réponses._',
    en: '_Similar descriptions grouped by an AI; scores are computed from the answers._',
  },
  'export.done': { fr: 'Export {format} de `{id}` ({rows} ligne(s)), en pièce jointe.', en: '{format} export of `{id}` ({rows} row(s)), attached.' },
  'export.tooLarge': {
    fr: "L'export de `{id}` ({rows} lignes, {megabytes} Mo) est trop volumineux pour la discussion : utilisez `relais survey export {id} --format {format}` sur le serveur.",
    en: 'The export of `{id}` ({rows} rows, {megabytes} MB) is too large for chat: use `relais survey export {id} --format {format}` on the server.',
  },
  'status.open': { fr: 'ouverte', en: 'open' },
  'status.scheduled': { fr: 'programmée', en: 'scheduled' },
  'status.paused': { fr: 'en pause', en: 'paused' },
  'status.closed': { fr: 'close', en: 'closed' },
  'status.recurring': { fr: 'récurrente', en: 'recurring' },
  'audience.team': { fr: 'l’équipe « {team} » ({count} personnes)', en: 'team "{team}" ({count} person(s))' },
  'audience.channel': { fr: 'ce canal', en: 'this channel' },
  'team.usage': { fr: 'Utilisation : « equipe creer <nom> », « equipe ajouter @<équipe> <plateforme:id>… », « equipe retirer @<équipe> <plateforme:id>… », « equipe coordination @<équipe> <plateforme:id>… », « equipe voir @<équipe> », « equipe liste ».', en: 'Usage: "team create <name>", "team add @<team> <platform:id>…", "team remove @<team> <platform:id>…", "team coordinator @<team> <platform:id>…", "team show @<team>", "team list".' },
  'team.created': { fr: 'Équipe « {name} » créée (`@{id}`). Vous en êtes coordinateur·rice.', en: 'Team "{name}" created (`@{id}`). You coordinate it.' },
  'team.added': { fr: '{count} personne(s) ajoutée(s) à `@{id}` ({role}).', en: '{count} person(s) added to `@{id}` ({role}).' },
  'team.removed': { fr: '{count} personne(s) retirée(s) de `@{id}`.', en: '{count} person(s) removed from `@{id}`.' },
  'team.show': { fr: 'Équipe **{name}** (`@{id}`) — service : {service}, lot : {lot}, fuseau : {timezone}. Membres : {members}, coordination : {coordinators}.', en: 'Team **{name}** (`@{id}`) — department: {service}, lot: {lot}, time zone: {timezone}. Members: {members}, coordinators: {coordinators}.' },
  'team.list': { fr: 'Équipes : {teams}', en: 'Teams: {teams}' },
  'team.none': { fr: 'Aucune équipe.', en: 'No team.' },
  'team.notFound': { fr: 'Je ne connais pas l’équipe « {team} ».', en: 'I do not know team "{team}".' },
  'team.forbidden': { fr: 'Seule la coordination de l’équipe peut la modifier.', en: 'Only the team coordinators can change it.' },
  'team.exists': { fr: 'Une équipe « {team} » existe déjà.', en: 'A team "{team}" already exists.' },
  'team.badIdentity': { fr: '« {identity} » n’est pas une identité de la forme plateforme:identifiant (web, slack, teams, matrix).', en: '"{identity}" is not an identity of the form platform:id (web, slack, teams, matrix).' },
  'role.member': { fr: 'membres', en: 'members' },
  'role.coordinator': { fr: 'coordination', en: 'coordinators' },
  'help.survey': { fr: 'sondage — répondre (« sondage reprendre ») ; coordination : lancer, statut, résultats, export, pause, clore', en: 'survey — answer ("survey resume"); coordinators: launch, status, results, export, pause, close' },
  'help.team': { fr: 'equipe — gérer une équipe (coordination)', en: 'team — manage a team (coordinators)' },
  'none': { fr: 'aucun', en: 'none' },
} as const satisfies Record<string, Record<Locale, string>>;

export type SurveyTextKey = keyof typeof TEXTS;

export function st(locale: Locale, key: SurveyTextKey, vars: Record<string, string | number> = {}): string {
  return TEXTS[key][locale].replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** A date for people, in the audience's time zone ("lundi 14 décembre à 18:00"). */
export function formatDate(at: Date, locale: Locale, timezone: string): string {
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    timeZone: timezone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
}

/** A day for people, in the audience's time zone ("mercredi 30 juin 2027"). */
export function formatDay(at: Date, locale: Locale, timezone: string): string {
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: timezone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(at);
}
