/**
 * Result of the AI Act self-assessment (`auto-diagnostic-ia-act`): a risk
 * level with the obligations that follow and next steps. An orientation
 * aid under Regulation (EU) 2024/1689, not legal advice — the message says so.
 *
 * Expected question ids and option values (see `surveys/auto-diagnostic-ia-act.yaml`):
 * - `is_ai_system` (art. 3(1)): `oui` | `non` | `incertain`
 * - `role` (art. 3(3)–(4)): `fournisseur` | `deployeur` | `les_deux`
 * - `prohibited` (art. 5): `aucune` or practices
 * - `annex_iii` (art. 6(2), Annex III): `aucun` or areas
 * - `annex_iii_exception` (art. 6(3)): `oui` | `non` (optional)
 * - `transparency` (art. 50): `aucune` or situations
 */
import type { Locale } from '../i18n/locale.js';
import type { Answers } from './answer-rules.js';

export type AiActRiskLevel = 'out_of_scope' | 'to_qualify' | 'prohibited' | 'high' | 'limited' | 'minimal';

export interface AiActResult {
  level: AiActRiskLevel;
  role: 'provider' | 'deployer' | 'both' | 'unknown';
  /** Why this level: the answers that decided it. */
  reasons: string[];
  obligations: string[];
  nextSteps: string[];
}

const list = (answers: Answers, id: string): string[] => {
  const value = answers[id];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [String(value)]).filter((v) => v !== 'aucune' && v !== 'aucun');
};

type Texts = Record<string, { fr: string; en: string }>;

const T: Texts = {
  notAi: { fr: 'Le système n’est pas un système d’IA au sens de l’article 3(1) : le règlement ne s’applique pas à lui.', en: 'The system is not an AI system under Article 3(1): the Regulation does not apply to it.' },
  unsure: { fr: 'La qualification comme système d’IA (article 3(1)) reste à établir.', en: 'Whether this is an AI system (Article 3(1)) is still to be established.' },
  prohibited: { fr: 'Au moins une pratique interdite par l’article 5 a été cochée.', en: 'At least one practice prohibited by Article 5 was selected.' },
  annex: { fr: 'Usage dans un domaine de l’annexe III (article 6(2)).', en: 'Use in an Annex III area (Article 6(2)).' },
  annexException: { fr: 'Domaine de l’annexe III, mais dérogation de l’article 6(3) revendiquée : à documenter avant la mise sur le marché ou en service.', en: 'Annex III area, but the Article 6(3) derogation is claimed: document it before placing on the market or putting into service.' },
  transparency: { fr: 'Situations relevant des obligations de transparence de l’article 50.', en: 'Situations under the transparency obligations of Article 50.' },
  minimal: { fr: 'Aucune pratique interdite, aucun domaine à haut risque, aucune obligation de transparence cochée.', en: 'No prohibited practice, no high-risk area, no transparency duty selected.' },

  oStop: { fr: 'Cesser ou ne pas déployer la pratique interdite (article 5, applicable depuis le 2 février 2025).', en: 'Stop or do not deploy the prohibited practice (Article 5, applicable since 2 February 2025).' },
  oLiteracy: { fr: 'Maîtrise de l’IA : former les personnes qui utilisent ou font fonctionner le système (article 4).', en: 'AI literacy: train the people who use or operate the system (Article 4).' },
  oProviderHigh: { fr: 'Fournisseur : système de gestion des risques (art. 9), gouvernance des données (art. 10), documentation technique (art. 11, annexe IV), journalisation (art. 12), notice d’utilisation (art. 13), contrôle humain (art. 14), exactitude et robustesse (art. 15), système qualité (art. 17), évaluation de la conformité, marquage CE et enregistrement dans la base de l’UE (art. 43, 48, 49).', en: 'Provider: risk management (Art. 9), data governance (Art. 10), technical documentation (Art. 11, Annex IV), logging (Art. 12), instructions for use (Art. 13), human oversight (Art. 14), accuracy and robustness (Art. 15), quality management (Art. 17), conformity assessment, CE marking and EU database registration (Arts. 43, 48, 49).' },
  oDeployerHigh: { fr: 'Déployeur : utiliser selon la notice, contrôle humain par des personnes compétentes, surveillance et conservation des journaux au moins six mois, information des personnes concernées et des représentants du personnel (art. 26) ; analyse d’impact sur les droits fondamentaux pour les organismes publics (art. 27).', en: 'Deployer: use according to the instructions, human oversight by competent people, monitoring and keeping logs for at least six months, informing affected people and workers’ representatives (Art. 26); fundamental rights impact assessment for public bodies (Art. 27).' },
  oTransparency: { fr: 'Informer les personnes qu’elles interagissent avec une IA, marquer les contenus générés ou manipulés, signaler la reconnaissance des émotions (article 50).', en: 'Tell people they are interacting with an AI, mark generated or manipulated content, disclose emotion recognition (Article 50).' },
  oVoluntary: { fr: 'Pas d’obligation spécifique au-delà de la maîtrise de l’IA ; codes de conduite volontaires encouragés (article 95).', en: 'No specific obligation beyond AI literacy; voluntary codes of conduct encouraged (Article 95).' },
  oNone: { fr: 'Aucune obligation au titre du règlement sur l’IA (le RGPD et les autres règles restent applicables).', en: 'No obligation under the AI Act (the GDPR and other rules still apply).' },

  sQualify: { fr: 'Décrire le fonctionnement du système (apprentissage, inférence, autonomie) et le confronter à la définition de l’article 3(1) et aux lignes directrices de la Commission.', en: 'Describe how the system works (learning, inference, autonomy) and compare it with Article 3(1) and the Commission guidelines.' },
  sLegal: { fr: 'Consulter sans attendre votre délégué·e à la protection des données et un·e juriste.', en: 'Consult your data protection officer and a lawyer without delay.' },
  sInventory: { fr: 'Inscrire le système dans l’inventaire des usages d’IA de l’établissement.', en: 'Record the system in the institution’s inventory of AI uses.' },
  sHighPlan: { fr: 'Établir un plan de mise en conformité (lot 3 : formations-actions) avec un calendrier aligné sur le 2 août 2026.', en: 'Draw up a compliance plan (lot 3: training-actions) with a timeline aligned with 2 August 2026.' },
  sTransparency: { fr: 'Rédiger les mentions d’information et vérifier qu’elles s’affichent au premier contact.', en: 'Write the information notices and check they appear at first contact.' },
  sReview: { fr: 'Refaire ce diagnostic à chaque changement d’usage ou de fournisseur.', en: 'Run this assessment again whenever the use or the supplier changes.' },
};

export function assessAiAct(answers: Answers, locale: Locale): AiActResult {
  const say = (key: string): string => T[key]![locale];
  const roleAnswer = answers.role;
  const role = roleAnswer === 'fournisseur' ? 'provider' : roleAnswer === 'deployeur' ? 'deployer' : roleAnswer === 'les_deux' ? 'both' : 'unknown';
  const isAi = answers.is_ai_system;
  if (isAi === 'non') {
    return { level: 'out_of_scope', role, reasons: [say('notAi')], obligations: [say('oNone')], nextSteps: [say('sInventory'), say('sReview')] };
  }
  const prohibited = list(answers, 'prohibited');
  const annex = list(answers, 'annex_iii');
  const transparency = list(answers, 'transparency');
  const reasons: string[] = isAi === 'incertain' ? [say('unsure')] : [];
  const nextSteps: string[] = isAi === 'incertain' ? [say('sQualify')] : [];

  if (prohibited.length > 0) {
    return { level: 'prohibited', role, reasons: [...reasons, say('prohibited')], obligations: [say('oStop')], nextSteps: [...nextSteps, say('sLegal'), say('sInventory')] };
  }
  const obligations: string[] = [say('oLiteracy')];
  let level: AiActRiskLevel;
  if (annex.length > 0 && answers.annex_iii_exception !== 'oui') {
    level = 'high';
    reasons.push(say('annex'));
    if (role === 'provider' || role === 'both' || role === 'unknown') obligations.push(say('oProviderHigh'));
    if (role === 'deployer' || role === 'both' || role === 'unknown') obligations.push(say('oDeployerHigh'));
    nextSteps.push(say('sLegal'), say('sHighPlan'));
  } else if (transparency.length > 0) {
    level = 'limited';
    if (annex.length > 0) reasons.push(say('annexException'));
    reasons.push(say('transparency'));
    nextSteps.push(say('sTransparency'));
  } else {
    level = 'minimal';
    reasons.push(annex.length > 0 ? say('annexException') : say('minimal'));
    obligations.push(say('oVoluntary'));
  }
  if (transparency.length > 0 && level !== 'limited') reasons.push(say('transparency'));
  if (transparency.length > 0) obligations.push(say('oTransparency'));
  if (isAi === 'incertain' && level === 'minimal') level = 'to_qualify';
  nextSteps.push(say('sInventory'), say('sReview'));
  return { level, role, reasons, obligations, nextSteps };
}

const LEVEL_LABEL: Record<AiActRiskLevel, { fr: string; en: string }> = {
  out_of_scope: { fr: 'hors champ du règlement', en: 'outside the Regulation' },
  to_qualify: { fr: 'à qualifier (risque minimal si c’est un système d’IA)', en: 'to be qualified (minimal risk if it is an AI system)' },
  prohibited: { fr: 'pratique interdite', en: 'prohibited practice' },
  high: { fr: 'haut risque', en: 'high risk' },
  limited: { fr: 'risque limité (transparence)', en: 'limited risk (transparency)' },
  minimal: { fr: 'risque minimal', en: 'minimal risk' },
};

/** The result as markdown, with the "not legal advice" caveat. */
export function formatAiActResult(result: AiActResult, locale: Locale): string {
  const fr = locale === 'fr';
  const bullets = (items: string[]): string => items.map((i) => `- ${i}`).join('\n');
  return [
    `**${fr ? 'Niveau de risque estimé :' : 'Estimated risk level:'} ${LEVEL_LABEL[result.level][locale]}**`,
    bullets(result.reasons),
    `**${fr ? 'Obligations' : 'Obligations'}**`,
    bullets(result.obligations),
    `**${fr ? 'Prochaines étapes' : 'Next steps'}**`,
    bullets(result.nextSteps),
    fr
      ? '_Ce résultat est une aide à l’orientation (règlement (UE) 2024/1689), pas un avis juridique._'
      : '_This result is an orientation aid (Regulation (EU) 2024/1689), not legal advice._',
  ].join('\n\n');
}
