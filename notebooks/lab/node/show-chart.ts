// Shows a chart (../core/charts.ts) in a notebook: one display_data output holding the SVG as
// image/svg+xml and its text alternative as text/plain, so every front end picks what it can show.
// tslab's public display API sends one MIME type per output (display.svg drops the text); its
// kernel's own writer, which display.* calls, takes a whole bundle, so this module calls that.
import * as jupyter from 'tslab/dist/jupyter';
import { chartBundle, type Chart } from '../core/charts';

/** Displays the chart under the running cell; throws outside a tslab kernel, where nothing shows it. */
export function showChart(chart: Chart): void {
  const write = jupyter.lastWriteDisplayData;
  if (typeof write !== 'function') {
    throw new Error(
      `showChart("${chart.title}"): no tslab kernel to display in (run it in a notebook)`,
    );
  }
  write({ data: chartBundle(chart), metadata: {}, transient: {} }, false);
}
