/**
 * The Vega renderer produces real PNGs offline: signature, size, ink on the
 * page, accented French text drawn with the bundled font (not tofu boxes),
 * and a text alternative that carries the values.
 */
import { describe, expect, it } from '@jest/globals';
import { Resvg } from '@resvg/resvg-js';
import { findChartFonts, toVegaLite, VegaChartRenderer } from '../../src/adapters/charts/vega-chart-renderer.js';
import type { ChartSpec } from '../../src/core/ports/chart-renderer.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const trend: ChartSpec = {
  kind: 'line',
  title: 'Minutes gagnées par semaine — équipe Scolarité',
  xLabel: 'semaine du',
  yLabel: 'minutes (moyenne)',
  series: [
    { name: 'Scolarité', points: [{ x: '02/03', y: 12 }, { x: '09/03', y: null }, { x: '16/03', y: 35 }, { x: '23/03', y: 41.5 }] },
    { name: 'Toutes équipes', points: [{ x: '02/03', y: 10 }, { x: '09/03', y: 20 }, { x: '16/03', y: 28 }, { x: '23/03', y: 33 }] },
  ],
};

/** Decodes a PNG back to RGBA through resvg (an <image> in an SVG), then counts non-white pixels. */
function inkRatio(png: Uint8Array, width: number, height: number): number {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><image width="${width}" height="${height}" href="data:image/png;base64,${Buffer.from(png).toString('base64')}"/></svg>`;
  const pixels = new Resvg(svg).render().pixels;
  let ink = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    if (pixels[i]! < 200 || pixels[i + 1]! < 200 || pixels[i + 2]! < 200) ink++;
  }
  return ink / (pixels.length / 4);
}

describe('VegaChartRenderer', () => {
  const renderer = new VegaChartRenderer();

  it('renders a line chart as a PNG with a sensible size, ink and a text alternative', async () => {
    const chart = await renderer.renderPng(trend);
    expect([...chart.png.slice(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(chart.width).toBeGreaterThanOrEqual(800);
    expect(chart.width).toBeLessThanOrEqual(2000);
    expect(chart.height).toBeGreaterThanOrEqual(400);
    // IHDR carries the same size as reported.
    const ihdr = Buffer.from(chart.png.slice(16, 24));
    expect(ihdr.readUInt32BE(0)).toBe(chart.width);
    expect(ihdr.readUInt32BE(4)).toBe(chart.height);
    const ratio = inkRatio(chart.png, chart.width, chart.height);
    expect(ratio).toBeGreaterThan(0.01);
    expect(ratio).toBeLessThan(0.6);
    expect(chart.alt).toContain('Graphique en courbes « Minutes gagnées par semaine — équipe Scolarité »');
    expect(chart.alt).toContain('23/03 : 41,5');
    expect(chart.alt).toContain('09/03 : masqué');
  });

  it('renders a bar chart with several series, and an English alternative', async () => {
    const chart = await renderer.renderPng({
      kind: 'bar',
      title: 'Well-being, baseline vs follow-up',
      yDomain: [0, 5],
      locale: 'en',
      series: [
        { name: 'Baseline', points: [{ x: 'Scolarité', y: 3.1 }, { x: 'Stages', y: 2.8 }] },
        { name: 'Follow-up', points: [{ x: 'Scolarité', y: 3.9 }, { x: 'Stages', y: 3.4 }] },
      ],
      width: 480,
      height: 300,
    });
    expect([...chart.png.slice(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(chart.width).toBe(960);
    expect(inkRatio(chart.png, chart.width, chart.height)).toBeGreaterThan(0.01);
    expect(chart.alt).toBe(
      'Bar chart “Well-being, baseline vs follow-up”. Series “Baseline”: Scolarité: 3.1 ; Stages: 2.8. Series “Follow-up”: Scolarité: 3.9 ; Stages: 3.4.',
    );
  });

  it('draws accented French text with the font files (glyphs differ from the unaccented word)', async () => {
    if (!findChartFonts()) return; // CI installs fonts-dejavu-core; without any font file there is nothing to compare.
    const plain = await renderer.renderPng({ kind: 'bar', title: 'Eee', series: [{ name: 's', points: [{ x: 'a', y: 1 }] }] });
    const accented = await renderer.renderPng({ kind: 'bar', title: 'Ééè', series: [{ name: 's', points: [{ x: 'a', y: 1 }] }] });
    const blank = await renderer.renderPng({ kind: 'bar', title: ' ', series: [{ name: 's', points: [{ x: 'a', y: 1 }] }] });
    const plainInk = inkRatio(plain.png, plain.width, plain.height);
    const accentedInk = inkRatio(accented.png, accented.width, accented.height);
    const blankInk = inkRatio(blank.png, blank.width, blank.height);
    // A title was drawn at all, and the accents added ink above the letters (a missing glyph would draw the same box thrice).
    expect(plainInk).toBeGreaterThan(blankInk);
    expect(accentedInk).toBeGreaterThan(plainInk);
    expect(Buffer.from(accented.png).equals(Buffer.from(plain.png))).toBe(false);
  });

  it('keeps the core ignorant of Vega: the neutral spec maps to a Vega-Lite spec with the data and fixed domain', () => {
    const vl = toVegaLite({ ...trend, yDomain: [1, 5] }, 'DejaVu Sans') as unknown as {
      data: { values: unknown[] };
      encoding: { y: { scale: unknown } };
      config: { font: string };
    };
    expect(vl.data.values).toHaveLength(8);
    // First series last (drawn on top), gaps kept as null.
    expect(vl.data.values[5]).toEqual({ series: 'Scolarité', x: '09/03', y: null });
    expect(vl.data.values[0]).toEqual({ series: 'Toutes équipes', x: '02/03', y: 10 });
    expect(vl.encoding.y.scale).toEqual({ domain: [1, 5], zero: false });
    expect(vl.config.font).toBe('DejaVu Sans');
  });

  it('formats axis numbers in the chart locale (decimal comma in French)', async () => {
    const spec: ChartSpec = { kind: 'bar', title: 'Bien-être', yDomain: [1, 5], series: [{ name: 's', points: [{ x: 'a', y: 3.5 }] }] };
    const fr = await renderer.renderPng({ ...spec, locale: 'fr' });
    const en = await renderer.renderPng({ ...spec, locale: 'en' });
    // Same drawing except the tick labels ("1,5" vs "1.5"): the images differ, the sizes do not.
    expect(fr.width).toBe(en.width);
    expect(Buffer.from(fr.png).equals(Buffer.from(en.png))).toBe(false);
  });

  it('shows an empty chart rather than failing when there is no data', async () => {
    const chart = await renderer.renderPng({ kind: 'line', title: 'Rien encore', series: [] });
    expect([...chart.png.slice(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(chart.alt).toContain('aucune donnée');
  });
});
