/**
 * Looks texts up in the user's locale. Catalogs are plain typed objects, so a
 * missing key or a wrong parameter is a compile error, not a runtime surprise.
 */
import { en } from './en.js';
import { fr, type Catalog } from './fr.js';
import type { Locale } from './locale.js';

const catalogs: Record<Locale, Catalog> = { fr, en };

export function catalog(locale: Locale): Catalog {
  return catalogs[locale];
}

/** Keys whose value is a plain string. */
export type TextKey = { [K in keyof Catalog]: Catalog[K] extends string ? K : never }[keyof Catalog];

/** A plain text, with `{name}` placeholders filled from `vars`. */
export function t(locale: Locale, key: TextKey, vars: Record<string, string | number> = {}): string {
  return catalogs[locale][key].replace(/\{(\w+)\}/g, (match, name: string) =>
    name in vars ? String(vars[name]) : match,
  );
}
