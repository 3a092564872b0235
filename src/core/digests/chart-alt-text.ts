/**
 * Text alternative of a chart (WCAG 1.1.1): what a screen-reader user or a
 * platform that cannot show images needs to get the same information — the
 * title, and every series with its values in order. Hidden values (fewer
 * than k answers) are said as such, never guessed.
 */
import type { ChartSpec } from '../ports/chart-renderer.js';

const WORDS = {
  fr: { line: 'Graphique en courbes', bar: 'Graphique en barres', hidden: 'masqué', empty: 'aucune donnée', series: 'Série' },
  en: { line: 'Line chart', bar: 'Bar chart', hidden: 'hidden', empty: 'no data', series: 'Series' },
} as const;

export function formatChartNumber(value: number, locale: 'fr' | 'en'): string {
  return new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 })
    .format(value)
    .replace(/\u202f/g, '\u00a0');
}

export function chartAltText(spec: ChartSpec): string {
  const locale = spec.locale ?? 'fr';
  const words = WORDS[locale];
  const quote = (text: string): string => (locale === 'fr' ? `« ${text} »` : `“${text}”`);
  const sep = locale === 'fr' ? ' : ' : ': ';
  const parts = [`${words[spec.kind]} ${quote(spec.title)}.`];
  if (spec.yLabel) parts.push(`${spec.yLabel}${spec.xLabel ? ` / ${spec.xLabel}` : ''}.`);
  const series = spec.series.filter((s) => s.points.length > 0);
  if (series.length === 0) parts.push(`${words.empty}.`);
  for (const s of series) {
    const values = s.points
      .map((p) => `${p.x}${sep}${p.y === null ? words.hidden : formatChartNumber(p.y, locale)}`)
      .join(' ; ');
    parts.push(`${words.series} ${quote(s.name)}${sep}${values}.`);
  }
  return parts.join(' ');
}
