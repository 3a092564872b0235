/**
 * `ChartRenderer` that draws nothing: a fixed 1 × 1 white PNG with the real
 * text alternative. For unit tests and benchmarks of digest composition,
 * where rasterising is not what is being measured; it records the specs it
 * was given so tests can check what would have been drawn.
 */
import type { ChartRenderer, ChartSpec, RenderedChart } from '../../core/ports/chart-renderer.js';
import { chartAltText } from '../../core/digests/chart-alt-text.js';

/** A valid 1 × 1 white PNG. */
const WHITE_PIXEL = Uint8Array.from(
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC', 'base64'),
);

export class PlaceholderChartRenderer implements ChartRenderer {
  readonly rendered: ChartSpec[] = [];

  async renderPng(spec: ChartSpec): Promise<RenderedChart> {
    this.rendered.push(spec);
    return { png: WHITE_PIXEL.slice(), width: 1, height: 1, alt: chartAltText(spec) };
  }
}
