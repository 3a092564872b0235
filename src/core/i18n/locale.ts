/** Interface languages. French is the default everywhere; English is available. */
export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Maps a platform or browser hint ("en-GB", "fr_FR", "English") to a supported locale. */
export function localeFromHint(hint: string | undefined): Locale | undefined {
  if (!hint) return undefined;
  const primary = hint.trim().toLowerCase().slice(0, 2);
  return isLocale(primary) ? primary : undefined;
}
