/**
 * Draws charts for digests. The core describes a chart with a small neutral
 * `ChartSpec` (kind, series, labels, title); an adapter turns it into pixels
 * (`adapters/charts/vega-chart-renderer.ts`: Vega-Lite → SVG → PNG). The core
 * never sees a Vega type.
 */

/** One point of a series: `x` is a category label (e.g. a week "2027-03-08"), `y` the value. */
export interface ChartPoint {
  x: string;
  /** `null` leaves a gap (e.g. a week hidden because fewer than k people answered). */
  y: number | null;
}

/** A named series (a line, or one colour of bars). */
export interface ChartSeries {
  name: string;
  points: ChartPoint[];
}

export interface ChartSpec {
  /** `line` for trends over time, `bar` for comparisons (grouped bars when several series). */
  kind: 'line' | 'bar';
  /** Shown above the chart; also the start of the text alternative. */
  title: string;
  series: ChartSeries[];
  /** Axis titles. */
  xLabel?: string;
  yLabel?: string;
  /** Fixed y domain, e.g. `[1, 5]` for a 1–5 scale; automatic (from 0) otherwise. */
  yDomain?: [number, number];
  /** Order of x categories; defaults to their first appearance across series. */
  xOrder?: string[];
  /** Pixel size of the image (defaults: 640 × 360). */
  width?: number;
  height?: number;
  /** Locale for the text alternative's number formatting (default `fr`). */
  locale?: 'fr' | 'en';
}

export interface RenderedChart {
  /** PNG bytes. */
  png: Uint8Array;
  /** Pixel size of the PNG. */
  width: number;
  height: number;
  /** Text alternative describing the chart (title, series, values). */
  alt: string;
}

export interface ChartRenderer {
  /** Renders `spec` as a PNG; throws a coded `chart.render_failed` error on failure. */
  renderPng(spec: ChartSpec): Promise<RenderedChart>;
}
