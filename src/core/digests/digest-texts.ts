/**
 * The digest's words, French by default, English available. Kept beside the
 * digest (not in the shared catalogs) so the digest can evolve alone; same
 * conventions: formal register, French typography (narrow no-break spaces
 * are left to the number formatter).
 */
import type { Locale } from '../i18n/locale.js';

export interface DigestTexts {
  title: (team: string) => string;
  period: (from: string, to: string) => string;
  summaryTitle: string;
  participationTitle: string;
  participationLine: (survey: string, responded: number, invited: number | null, percent: string | null) => string;
  participationNone: string;
  indicatorsTitle: string;
  indicatorLine: (label: string, latest: string, delta: string | null) => string;
  indicatorNoData: (label: string, k: number) => string;
  latest: (value: string, week: string, n: number) => string;
  delta: (value: string) => string;
  indicatorsNone: string;
  hiddenWeeks: (k: number) => string;
  chartTitle: (label: string, team: string) => string;
  chartX: string;
  allTeams: string;
  irritantsTitle: string;
  irritantLine: (label: string, count: number, hoursPerMonth: string, impact: string) => string;
  irritantsHidden: (k: number) => string;
  irritantsNone: string;
  commentsTitle: string;
  commentsHidden: (k: number) => string;
  commentsNone: string;
  footerModel: (model: string) => string;
  footerExtractive: string;
  extractive: {
    participation: (responded: number, invited: number | null, percent: string | null) => string;
    indicator: (label: string, value: string, delta: string | null) => string;
    topIrritant: (label: string, count: number) => string;
    nothing: string;
  };
  modelInstructions: string;
  baselineWord: string;
  followUpWord: string;
}

const fr: DigestTexts = {
  title: (team) => `**Synthèse de l’expérimentation — ${team}**`,
  period: (from, to) => `_Période du ${from} au ${to}_`,
  summaryTitle: '**En bref**',
  participationTitle: '**Participation**',
  participationLine: (survey, responded, invited, percent) =>
    invited === null ? `- ${survey} : ${responded} réponse${responded > 1 ? 's' : ''}` : `- ${survey} : ${responded} réponse${responded > 1 ? 's' : ''} sur ${invited} personne${invited > 1 ? 's' : ''} invitée${invited > 1 ? 's' : ''}${percent ? ` (${percent})` : ''}`,
  participationNone: 'Aucune campagne en cours sur la période.',
  indicatorsTitle: '**Indicateurs (points hebdomadaires)**',
  indicatorLine: (label, latest, delta) => `- ${label} : ${latest}${delta ? ` ; ${delta}` : ''}`,
  indicatorNoData: (label, k) => `- ${label} : pas encore assez de réponses (moins de ${k} par semaine)`,
  latest: (value, week, n) => `${value} en moyenne la semaine du ${week} (${n} réponses)`,
  delta: (value) => `${value} entre la référence et le suivi`,
  indicatorsNone: 'Pas encore de point hebdomadaire.',
  hiddenWeeks: (k) => `Les semaines comptant moins de ${k} réponses ne sont pas affichées, pour préserver l’anonymat.`,
  chartTitle: (label, team) => `${label} — ${team}`,
  chartX: 'semaine du',
  allTeams: 'Toutes les équipes',
  irritantsTitle: '**Irritants prioritaires**',
  irritantLine: (label, count, hours, impact) =>
    `${label} — ${count} signalement${count > 1 ? 's' : ''}, environ ${hours} h par mois, impact moyen ${impact}/5`,
  irritantsHidden: (k) => `Moins de ${k} irritants signalés : le classement s’affichera à partir de ${k} réponses.`,
  irritantsNone: 'Aucun irritant signalé pour l’instant.',
  commentsTitle: '**Commentaires marquants** (anonymisés)',
  commentsHidden: (k) => `Commentaires non affichés : moins de ${k} réponses sur la période.`,
  commentsNone: 'Aucun commentaire sur la période.',
  footerModel: (model) => `Synthèse « En bref » rédigée par un modèle d’IA (${model}) à partir des chiffres ci-dessus : à vérifier. Relais · assistant automatisé (IA)`,
  footerExtractive: 'Synthèse produite automatiquement par Relais (assistant IA) à partir des réponses, sans rédaction libre. Relais · assistant automatisé (IA)',
  extractive: {
    participation: (responded, invited, percent) =>
      invited === null ? `${responded} réponse${responded > 1 ? 's' : ''} sur la période.` : `${responded} réponse${responded > 1 ? 's' : ''} pour ${invited} personne${invited > 1 ? 's' : ''} invitée${invited > 1 ? 's' : ''}${percent ? ` (${percent})` : ''}.`,
    indicator: (label, value, delta) => `${label} : ${value}${delta ? ` (${delta})` : ''}.`,
    topIrritant: (label, count) => `Irritant prioritaire : « ${label} » (${count} signalement${count > 1 ? 's' : ''}).`,
    nothing: 'Pas encore assez de réponses pour dégager une tendance.',
  },
  modelInstructions: [
    'Tu rédiges le paragraphe « En bref » d’une synthèse hebdomadaire pour les coordinateurs d’une équipe administrative universitaire qui expérimente des outils d’IA.',
    'Écris en français, 3 à 4 phrases, ton factuel et bienveillant. Utilise uniquement les faits fournis : n’invente aucun chiffre, ne cite aucune personne, ne devine pas qui a répondu.',
    'Signale une tendance seulement si les chiffres la montrent. Pas de titre, pas de liste, pas de Markdown.',
  ].join('\n'),
  baselineWord: 'référence',
  followUpWord: 'suivi',
};

const en: DigestTexts = {
  title: (team) => `**Experimentation digest — ${team}**`,
  period: (from, to) => `_From ${from} to ${to}_`,
  summaryTitle: '**In short**',
  participationTitle: '**Participation**',
  participationLine: (survey, responded, invited, percent) =>
    invited === null ? `- ${survey}: ${responded} answer${responded === 1 ? '' : 's'}` : `- ${survey}: ${responded} answer${responded === 1 ? '' : 's'} from ${invited} ${invited === 1 ? 'person' : 'people'} invited${percent ? ` (${percent})` : ''}`,
  participationNone: 'No campaign during this period.',
  indicatorsTitle: '**Indicators (weekly check-ins)**',
  indicatorLine: (label, latest, delta) => `- ${label}: ${latest}${delta ? `; ${delta}` : ''}`,
  indicatorNoData: (label, k) => `- ${label}: not enough answers yet (fewer than ${k} a week)`,
  latest: (value, week, n) => `${value} on average in the week of ${week} (${n} answers)`,
  delta: (value) => `${value} from baseline to follow-up`,
  indicatorsNone: 'No weekly check-in yet.',
  hiddenWeeks: (k) => `Weeks with fewer than ${k} answers are not shown, to protect anonymity.`,
  chartTitle: (label, team) => `${label} — ${team}`,
  chartX: 'week of',
  allTeams: 'All teams',
  irritantsTitle: '**Top irritants**',
  irritantLine: (label, count, hours, impact) => `${label} — ${count} report${count === 1 ? '' : 's'}, about ${hours} h a month, mean impact ${impact}/5`,
  irritantsHidden: (k) => `Fewer than ${k} irritants reported: the ranking appears from ${k} answers on.`,
  irritantsNone: 'No irritant reported yet.',
  commentsTitle: '**Notable comments** (anonymised)',
  commentsHidden: (k) => `Comments not shown: fewer than ${k} answers during the period.`,
  commentsNone: 'No comment during the period.',
  footerModel: (model) => `“In short” written by an AI model (${model}) from the figures above: please check. Relais · automated assistant (AI)`,
  footerExtractive: 'Digest produced automatically by Relais (AI assistant) from the answers, without free writing. Relais · automated assistant (AI)',
  extractive: {
    participation: (responded, invited, percent) =>
      invited === null ? `${responded} answer${responded === 1 ? '' : 's'} during the period.` : `${responded} answer${responded === 1 ? '' : 's'} from ${invited} ${invited === 1 ? 'person' : 'people'} invited${percent ? ` (${percent})` : ''}.`,
    indicator: (label, value, delta) => `${label}: ${value}${delta ? ` (${delta})` : ''}.`,
    topIrritant: (label, count) => `Top irritant: “${label}” (${count} report${count === 1 ? '' : 's'}).`,
    nothing: 'Not enough answers yet to see a trend.',
  },
  modelInstructions: [
    'You write the “In short” paragraph of a weekly digest for the coordinators of a university administrative team trying out AI tools.',
    'Write in English, 3 to 4 sentences, factual and kind. Use only the facts given: invent no figure, name nobody, never guess who answered.',
    'Point out a trend only if the figures show it. No title, no list, no Markdown.',
  ].join('\n'),
  baselineWord: 'baseline',
  followUpWord: 'follow-up',
};

export const DIGEST_TEXTS: Readonly<Record<Locale, DigestTexts>> = { fr, en };
