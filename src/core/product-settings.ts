/**
 * Instance settings the core needs to speak for the deploying institution.
 * Built from the configuration by the composition root.
 */
import type { Locale } from './i18n/locale.js';

export interface ProductSettings {
  /** Relais version shown in "à propos". */
  version: string;
  /** Interface language for people who did not choose one (default "fr"). */
  defaultLocale: Locale;
  /** IANA time zone used for schedules and dates (default "Europe/Paris"). */
  timezone: string;
  /** How to reach a human, shown in the AI disclosure (AI Act art. 50). */
  humanContact: string;
  /** Data protection contact (DPO), shown when set. */
  privacyContact?: string;
  /** EU co-funding sentence (FSE+, FEDER) shown in "à propos", when set. */
  fundingNotice?: string;
  /** Days a conversation message is kept before the purge job deletes it. */
  messageRetentionDays: number;
  /** Longest accepted inbound text, in characters. */
  maxInboundTextLength: number;
}
