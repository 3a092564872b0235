/**
 * Irritants written for the tests (fictional, university administration
 * teams). `topic` is the grouping a human would make; near-duplicates are
 * phrased differently on purpose (verb vs noun, plural, accents missing,
 * synonyms such as mail / courriel).
 */
export interface IrritantFixture {
  topic: string;
  text: string;
  frequence: string;
  duree: number;
  impact: number;
}

export const IRRITANTS: IrritantFixture[] = [
  { topic: 'notes', text: 'Saisie des notes dans Apogée', frequence: 'hebdomadaire', duree: 90, impact: 4 },
  { topic: 'notes', text: 'Ressaisir à la main les notes des étudiants dans Apogée', frequence: 'hebdomadaire', duree: 120, impact: 5 },
  { topic: 'notes', text: 'saisie des notes apogee', frequence: 'mensuelle', duree: 60, impact: 3 },
  { topic: 'notes', text: 'Recopier les notes des enseignants depuis leurs fichiers Excel vers Apogée', frequence: 'hebdomadaire', duree: 75, impact: 4 },
  { topic: 'notes', text: 'Saisir les notes du jury dans Apogée après chaque session', frequence: 'mensuelle', duree: 180, impact: 4 },
  { topic: 'conventions', text: 'Relances des conventions de stage', frequence: 'quotidienne', duree: 20, impact: 3 },
  { topic: 'conventions', text: 'Relancer les entreprises pour les conventions de stage non signées', frequence: 'quotidienne', duree: 30, impact: 4 },
  { topic: 'conventions', text: 'relance des tuteurs pour signer les conventions de stages', frequence: 'hebdomadaire', duree: 45, impact: 3 },
  { topic: 'conventions', text: 'Suivi et relances des conventions de stage en attente de signature', frequence: 'quotidienne', duree: 25, impact: 4 },
  { topic: 'conventions', text: 'Conventions de stage : relancer les étudiants qui n’ont pas rendu la convention signée', frequence: 'hebdomadaire', duree: 40, impact: 3 },
  { topic: 'mails', text: 'Répondre aux mails des étudiants sur les inscriptions', frequence: 'plusieurs_par_jour', duree: 10, impact: 3 },
  { topic: 'mails', text: 'Réponses aux courriels répétitifs des étudiants sur leur inscription', frequence: 'quotidienne', duree: 60, impact: 3 },
  { topic: 'mails', text: 'répondre toujours aux mêmes questions des étudiants par mail sur l’inscription administrative', frequence: 'plusieurs_par_jour', duree: 15, impact: 4 },
  { topic: 'mails', text: 'Les emails d’étudiants sur les inscriptions : toujours les mêmes réponses', frequence: 'quotidienne', duree: 45, impact: 2 },
  { topic: 'bourses', text: 'Vérification des pièces justificatives des dossiers de bourse', frequence: 'hebdomadaire', duree: 120, impact: 4 },
  { topic: 'bourses', text: 'Vérifier les justificatifs des dossiers de bourses un par un', frequence: 'hebdomadaire', duree: 150, impact: 4 },
  { topic: 'bourses', text: 'verification des justificatifs pour les bourses', frequence: 'mensuelle', duree: 240, impact: 3 },
  { topic: 'planning', text: 'Mise à jour de l’emploi du temps après chaque changement de salle', frequence: 'quotidienne', duree: 30, impact: 3 },
  { topic: 'planning', text: 'Mettre à jour les plannings quand une salle change', frequence: 'quotidienne', duree: 20, impact: 2 },
  { topic: 'planning', text: 'Modifier l’emploi du temps et prévenir tout le monde des changements de salle', frequence: 'hebdomadaire', duree: 60, impact: 4 },
  { topic: 'attestations', text: 'Édition des attestations de réussite à la demande', frequence: 'quotidienne', duree: 15, impact: 2 },
  { topic: 'attestations', text: 'Éditer des attestations de réussite pour les étudiants qui les demandent', frequence: 'quotidienne', duree: 10, impact: 2 },
  { topic: 'attestations', text: 'Attestations de réussite éditées une par une', frequence: 'hebdomadaire', duree: 45, impact: 3 },
  { topic: 'frais', text: 'Saisie des ordres de mission et des états de frais de déplacement', frequence: 'hebdomadaire', duree: 60, impact: 3 },
  { topic: 'frais', text: 'Remboursement des frais de déplacement : saisir les états de frais', frequence: 'mensuelle', duree: 120, impact: 3 },
  { topic: 'frais', text: 'Ordres de mission et frais de déplacement à saisir', frequence: 'hebdomadaire', duree: 50, impact: 2 },
  { topic: 'absences', text: 'Compter les absences des étudiants à partir des feuilles d’émargement papier', frequence: 'hebdomadaire', duree: 90, impact: 4 },
  { topic: 'absences', text: 'Reporter les feuilles d’émargement dans le tableur des absences', frequence: 'hebdomadaire', duree: 60, impact: 3 },
  { topic: 'absences', text: 'Saisie des absences à partir des feuilles d’émargement', frequence: 'hebdomadaire', duree: 80, impact: 4 },
  { topic: 'jurys', text: 'Préparation des procès-verbaux de jury', frequence: 'mensuelle', duree: 240, impact: 5 },
  { topic: 'jurys', text: 'Préparer les PV de jury et les faire signer', frequence: 'mensuelle', duree: 300, impact: 5 },
  { topic: 'jurys', text: 'procès verbaux des jurys à préparer', frequence: 'ponctuelle', duree: 480, impact: 5 },
  { topic: 'vacataires', text: 'Recrutement des vacataires : collecte des pièces du dossier administratif', frequence: 'ponctuelle', duree: 600, impact: 4 },
  { topic: 'vacataires', text: 'Collecter les pièces des dossiers des vacataires', frequence: 'mensuelle', duree: 120, impact: 3 },
  { topic: 'vacataires', text: 'Dossiers de recrutement des vacataires incomplets', frequence: 'mensuelle', duree: 90, impact: 4 },
  { topic: 'salles', text: 'Réservation des salles pour les examens', frequence: 'mensuelle', duree: 120, impact: 3 },
  { topic: 'salles', text: 'Réserver les salles d’examen une par une dans ADE', frequence: 'mensuelle', duree: 90, impact: 3 },
  { topic: 'telephone', text: 'Appels téléphoniques des parents pendant les inscriptions', frequence: 'plusieurs_par_jour', duree: 10, impact: 3 },
  { topic: 'telephone', text: 'Répondre au téléphone aux parents d’étudiants', frequence: 'quotidienne', duree: 30, impact: 2 },
  { topic: 'parapheur', text: 'Faire circuler le parapheur papier pour les signatures', frequence: 'hebdomadaire', duree: 30, impact: 2 },
  { topic: 'archivage', text: 'Archivage et numérisation des dossiers étudiants', frequence: 'mensuelle', duree: 180, impact: 2 },
  { topic: 'stats', text: 'Produire les statistiques de réussite pour le conseil de perfectionnement', frequence: 'ponctuelle', duree: 480, impact: 3 },
  { topic: 'diplomes', text: 'Édition et envoi des diplômes par courrier', frequence: 'ponctuelle', duree: 300, impact: 2 },
  { topic: 'badges', text: 'Créer les comptes et badges des nouveaux arrivants', frequence: 'mensuelle', duree: 45, impact: 2 },
];
