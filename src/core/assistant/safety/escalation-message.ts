/**
 * The message sent instead of a corpus answer when the distress check fires.
 *
 * Short, warm, no diagnosis and no judgement: its only job is to put human
 * help within reach. Written by hand (never generated) so its wording and its
 * phone numbers cannot drift; hence `aiGenerated: false` in the footer.
 *
 * Numbers: 3114 is the French national suicide prevention line (24/7, free);
 * 15 (SAMU) and 112 are the emergency numbers. Nightline is a listening line
 * run by and for students, open in the evening only; its number depends on the
 * city, so the message points to nightline.fr rather than quoting one.
 */
import type { OutboundMessage } from '../../messages/outbound.js';

export interface EscalationContacts {
  /** How to reach a human at the institution (always set; see ProductSettings). */
  humanContact: string;
  /** The institution's own support contacts (referent, student services), preferred when set. */
  institutionContacts?: string;
}

/** Nightline opens at 21:00 and closes at 02:30, local time. */
const NIGHTLINE_OPENS_AT = 21 * 60;
const NIGHTLINE_CLOSES_AT = 2 * 60 + 30;
/** Used when the configured time zone is unknown: a safety message must never throw. */
const FALLBACK_TIMEZONE = 'Europe/Paris';

function minutesOfDay(now: Date, timezone: string): number {
  const format = (zone: string): Intl.DateTimeFormatPart[] =>
    new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = format(timezone);
  } catch {
    parts = format(FALLBACK_TIMEZONE);
  }
  const part = (type: 'hour' | 'minute'): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return part('hour') * 60 + part('minute');
}

/** True from 21:00 (included) to 02:30 (excluded), in the given IANA time zone. */
export function isNightlineOpen(now: Date, timezone: string): boolean {
  const minutes = minutesOfDay(now, timezone);
  return minutes >= NIGHTLINE_OPENS_AT || minutes < NIGHTLINE_CLOSES_AT;
}

interface Texts {
  crisisIntro: string;
  notAPerson: string;
  line3114: string;
  emergency: string;
  nightline: string;
  institution: (contacts: string) => string;
  crisisClosing: string;
  concernIntro: string;
  concernPeople: (contacts: string) => string;
  concern3114: string;
  footer: string;
}

const TEXTS: Record<'fr' | 'en', Texts> = {
  fr: {
    crisisIntro: '**Merci de m’avoir écrit. Ce que vous traversez a l’air très lourd, et vous n’êtes pas seul·e.**',
    notAPerson: 'Je suis un assistant automatique : je ne peux pas vous aider comme une personne, mais des personnes peuvent le faire, maintenant.',
    line3114: '- **3114** : numéro national de prévention du suicide, 24h/24 et 7j/7, gratuit. Vous pouvez appeler pour vous-même.',
    emergency: '- En cas de danger immédiat : **15** (SAMU) ou **112**.',
    nightline: '- Nightline, ligne d’écoute par et pour les étudiant·es, ce soir jusqu’à 2h30 : le numéro de votre ville est sur nightline.fr.',
    institution: (contacts) => `- Votre établissement : ${contacts}.`,
    crisisClosing: 'Si vous le pouvez, ne restez pas seul·e : appelez l’un de ces numéros ou une personne en qui vous avez confiance.',
    concernIntro: '**Merci de m’en parler. Ce que vous vivez a l’air difficile, et cela mérite d’être entendu par quelqu’un.**',
    concernPeople: (contacts) =>
      `Plutôt que de vous répondre moi-même, je vous propose d’en parler à une personne : votre tuteur·rice ou votre référent·e de formation, ou votre établissement (${contacts}).`,
    concern3114: 'Si les choses deviennent plus lourdes, le **3114** (24h/24, 7j/7, gratuit) est là pour vous écouter.',
    footer: 'Message de sécurité automatique — Relais ne remplace pas une aide humaine',
  },
  en: {
    crisisIntro: '**Thank you for writing to me. What you are going through sounds very heavy, and you are not alone.**',
    notAPerson: 'I am an automated assistant: I cannot help you the way a person can, but people can, right now.',
    line3114: '- **3114**: the French national suicide prevention line, 24/7, free of charge. You can call for yourself.',
    emergency: '- In immediate danger: **15** (emergency medical service) or **112**.',
    nightline: '- Nightline, a listening line run by and for students, tonight until 2:30 am: your city’s number is on nightline.fr.',
    institution: (contacts) => `- Your school: ${contacts}.`,
    crisisClosing: 'If you can, do not stay alone: call one of these numbers or someone you trust.',
    concernIntro: '**Thank you for telling me. What you are living through sounds hard, and it deserves to be heard by someone.**',
    concernPeople: (contacts) =>
      `Rather than answering myself, I suggest you talk it over with a person: your placement tutor or your course referent, or your school (${contacts}).`,
    concern3114: 'If things get heavier, **3114** (24/7, free of charge) is there to listen.',
    footer: 'Automatic safety message — Relais does not replace human help',
  },
};

function crisisLines(texts: Texts, contacts: string, nightline: boolean): string[] {
  return [
    texts.crisisIntro,
    texts.notAPerson,
    [texts.line3114, texts.emergency, nightline ? texts.nightline : '', texts.institution(contacts)].filter(Boolean).join('\n'),
    texts.crisisClosing,
  ];
}

function concernLines(texts: Texts, contacts: string, nightline: boolean): string[] {
  return [texts.concernIntro, texts.concernPeople(contacts), [texts.concern3114, nightline ? texts.nightline : ''].filter(Boolean).join('\n')];
}

/**
 * Builds the escalation message in the user's language. `crisis` lists the
 * 3114, the emergency numbers, Nightline (only while it is open in
 * `timezone`) and the institution's contacts; `concern` points to the
 * student's tutor or referent and the school, with the 3114 if it gets worse.
 */
export function escalationMessage(
  locale: 'fr' | 'en',
  level: 'crisis' | 'concern',
  now: Date,
  timezone: string,
  contacts: EscalationContacts,
): OutboundMessage {
  const texts = TEXTS[locale];
  const who = contacts.institutionContacts?.trim() || contacts.humanContact;
  const nightline = isNightlineOpen(now, timezone);
  const lines = level === 'crisis' ? crisisLines(texts, who, nightline) : concernLines(texts, who, nightline);
  return {
    blocks: [{ type: 'text', markdown: lines.join('\n\n') }],
    footer: { text: texts.footer, aiGenerated: false },
    purpose: 'reply',
  };
}
