/**
 * `ChartRenderer` with Vega-Lite → Vega → SVG → PNG, fully offline:
 * the neutral `ChartSpec` becomes a Vega-Lite spec, compiled to Vega, drawn
 * headless (`renderer: 'none'`, `toSVG()`), then rasterised by resvg with
 * fonts read from files — never fetched, never dependent on what fontconfig
 * happens to know. DejaVu Sans covers French accents, « », and the narrow
 * no-break spaces of French number formatting.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { parse as parseVega, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { RelaisError } from '../../core/errors.js';
import type { ChartRenderer, ChartSpec, RenderedChart } from '../../core/ports/chart-renderer.js';
import { chartAltText } from '../../core/digests/chart-alt-text.js';

export interface VegaChartRendererOptions {
  /** Font files given to resvg; default: DejaVu Sans (regular + bold) or Liberation Sans, whichever exists. */
  fontFiles?: string[];
  /** Font family name used in the chart (must be one of the loaded fonts); default from the fonts found. */
  fontFamily?: string;
  /** Also let resvg load system fonts (slower, less predictable); default: only when no font file was found. */
  loadSystemFonts?: boolean;
  /** Device pixel ratio of the PNG (default 2, sharp on high-density screens). */
  scale?: number;
}

const FONT_CANDIDATES: Array<{ family: string; dir: string; files: string[] }> = [
  { family: 'DejaVu Sans', dir: '/usr/share/fonts/truetype/dejavu', files: ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'] },
  { family: 'Liberation Sans', dir: '/usr/share/fonts/truetype/liberation', files: ['LiberationSans-Regular.ttf', 'LiberationSans-Bold.ttf'] },
];

/** The first installed font family among the known candidates, with its files. */
export function findChartFonts(): { family: string; files: string[] } | undefined {
  for (const candidate of FONT_CANDIDATES) {
    const files = candidate.files.map((file) => join(candidate.dir, file)).filter((path) => existsSync(path));
    if (files.length > 0) return { family: candidate.family, files };
  }
  return undefined;
}

const FRENCH_NUMBERS = { decimal: ',', thousands: '\u00a0', grouping: [3], currency: ['', '\u00a0€'] };

/** Accessible, colour-blind-safe palette (Okabe–Ito). */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

/** Neutral chart description → Vega-Lite (exported for tests and debugging). */
export function toVegaLite(spec: ChartSpec, fontFamily: string): TopLevelSpec {
  // Data of the first series last, so its line is drawn on top of the comparison lines.
  const values = [...spec.series].reverse().flatMap((series) =>
    series.points.map((point) => ({ series: series.name, x: point.x, y: point.y })),
  );
  const names = spec.series.map((s) => s.name);
  const order = spec.xOrder ?? [...new Set(values.map((v) => v.x))];
  const multi = spec.series.length > 1;
  const x = { field: 'x', type: 'ordinal' as const, sort: order, title: spec.xLabel ?? null, axis: { labelAngle: 0 } };
  const y = {
    field: 'y',
    type: 'quantitative' as const,
    title: spec.yLabel ?? null,
    scale: spec.yDomain ? { domain: spec.yDomain, zero: false } : { zero: true },
  };
  const color = { field: 'series', type: 'nominal' as const, title: null, sort: names, scale: { range: PALETTE }, legend: multi ? { orient: 'bottom' as const } : null };
  // Solid first series, dashed comparisons: still readable in grey scale and for colour-blind readers.
  const strokeDash = { field: 'series', type: 'nominal' as const, sort: names, title: null, scale: { range: [[1, 0], [6, 4], [2, 3], [8, 3, 2, 3]] }, legend: multi ? { orient: 'bottom' as const } : null };
  const encoding =
    spec.kind === 'bar'
      ? { x, y, color, ...(multi ? { xOffset: { field: 'series', type: 'nominal' as const } } : {}) }
      : { x, y, color, ...(multi ? { strokeDash } : {}) };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: spec.title, anchor: 'start', fontSize: 15 },
    // 'fit' + 'padding': the whole image (axes, title, legend included) is exactly width × height.
    width: spec.width ?? 640,
    height: spec.height ?? 360,
    autosize: { type: 'fit', contains: 'padding' },
    background: 'white',
    padding: 12,
    data: { values },
    mark: spec.kind === 'bar' ? { type: 'bar' } : { type: 'line', point: { size: 50 }, strokeWidth: 2.5 },
    encoding,
    config: { font: fontFamily, axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 11 }, view: { stroke: null } },
  } as TopLevelSpec;
}

export class VegaChartRenderer implements ChartRenderer {
  private readonly fontFiles: string[];
  private readonly fontFamily: string;
  private readonly loadSystemFonts: boolean;
  private readonly scale: number;

  constructor(options: VegaChartRendererOptions = {}) {
    const found = options.fontFiles ? undefined : findChartFonts();
    this.fontFiles = options.fontFiles ?? found?.files ?? [];
    this.fontFamily = options.fontFamily ?? found?.family ?? 'sans-serif';
    this.loadSystemFonts = options.loadSystemFonts ?? this.fontFiles.length === 0;
    this.scale = options.scale ?? 2;
  }

  async renderPng(spec: ChartSpec): Promise<RenderedChart> {
    try {
      const vegaSpec = compile(toVegaLite(spec, this.fontFamily)).spec;
      // renderer 'none': no canvas, no DOM; toSVG() builds the markup from the scenegraph.
      // Number locale per view (not vega's global one): French axes read "4,5" and "1 200", like the text alternative.
      const locale = (spec.locale ?? 'fr') === 'fr' ? { number: FRENCH_NUMBERS } : undefined;
      const view = new View(parseVega(vegaSpec), { renderer: 'none', ...(locale ? { locale } : {}) } as ConstructorParameters<typeof View>[1]);
      const svg = await view.toSVG();
      view.finalize();
      const resvg = new Resvg(svg, {
        fitTo: { mode: 'zoom', value: this.scale },
        background: 'white',
        font: { fontFiles: this.fontFiles, loadSystemFonts: this.loadSystemFonts, defaultFontFamily: this.fontFamily },
      });
      const image = resvg.render();
      const png = new Uint8Array(image.asPng());
      return { png, width: image.width, height: image.height, alt: chartAltText(spec) };
    } catch (error) {
      throw new RelaisError('chart.render_failed', `chart rendering failed: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
        transient: false,
      });
    }
  }
}
