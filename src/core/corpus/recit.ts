/**
 * A récit: the story of a former student, a social worker or a trainer,
 * told with their consent and anonymised, that the reflective assistant
 * draws on. One Markdown file with YAML front matter per récit
 * (docs/corpus.md).
 */

export const AUTHOR_ROLES = ['ancien-etudiant', 'travailleur-social', 'formateur', 'autre'] as const;
export type AuthorRole = (typeof AUTHOR_ROLES)[number];

export const CONSENT_SCOPES = ['rag', 'citation'] as const;
/** rag: may be retrieved to ground answers; citation: excerpts may be quoted to users. */
export type ConsentScope = (typeof CONSENT_SCOPES)[number];

export interface ConsentRecord {
  status: 'granted' | 'withdrawn';
  /** ISO date (YYYY-MM-DD) the consent was given or withdrawn. */
  date: string;
  scope: ConsentScope[];
  /** Where the signed consent is kept (file number, register entry). */
  reference: string;
}

export interface RecitMetadata {
  /** Stable id, lowercase letters, digits and hyphens (e.g. "recit-012-premier-stage"). */
  id: string;
  title: string;
  authorRole: AuthorRole;
  /** Field of practice, e.g. "protection de l'enfance". */
  sector: string;
  year: number;
  themes: string[];
  /** BCP 47 primary language, e.g. "fr". */
  language: string;
  consent: ConsentRecord;
  anonymized: boolean;
  fictional: boolean;
}

export interface Recit extends RecitMetadata {
  /** Markdown body after the front matter. */
  body: string;
}

/** Whether the récit may be used to ground answers at all. */
export function isRetrievable(meta: Pick<RecitMetadata, 'consent' | 'anonymized'>): boolean {
  return meta.consent.status === 'granted' && meta.consent.scope.includes('rag') && meta.anonymized;
}

/** Whether excerpts of the récit may be shown to users. */
export function isQuotable(meta: Pick<RecitMetadata, 'consent'>): boolean {
  return meta.consent.status === 'granted' && meta.consent.scope.includes('citation');
}
