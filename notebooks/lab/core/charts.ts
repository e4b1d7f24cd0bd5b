// Charts drawn from a run's results: each is a Chart, {title, description, svg}, where the
// description is one sentence computed from the data (what a Mermaid accDescr says for a diagram),
// and the SVG carries both as <title> and <desc>, a viewBox with width and height, and colours that
// reach 4.5:1 for all its text (chart-svg.ts says how). ../node/show-chart.ts shows one in a notebook.
//
// Why hand-drawn SVG and not a chart library (measured 2026-12-02, Node 20.20.2, this 2-core machine):
//
// | candidate                     | in a tslab cell (TS 5.0.4 → CommonJS)    | install      | load   | a chart     | SVG     |
// | ----------------------------- | ---------------------------------------- | ------------ | ------ | ----------- | ------- |
// | vega 6 + vega-lite 6 (toSVG)  | fails: ERR_REQUIRE_ASYNC_MODULE (TLA)    | 25 MB, 79 p. | 244 ms | 30-110 ms   | 11.7 kB |
// | @observablehq/plot + linkedom | runs, but only via Node's require(esm)   | +5.9 MB, 7 p.| 379 ms | 41, then 3-8 ms | 4.5 kB |
// | this module (no package)      | runs on every Node the project supports  | 0            | 0      | 9, then 0.1-0.4 ms | 3.6 kB |
//
// (Install: vega in an empty folder; Plot counts only what this repo lacks, d3 comes with mermaid.
// Load, chart and SVG: the same 6-bar chart in plain Node, the first drawing then warm ones.)
//
// Both libraries are ESM-only ("type": "module", no CommonJS build). Vega cannot be required at all,
// and a notebook cannot import() it either: TypeScript compiles import() to require() for CommonJS.
// Plot can be required only because Node 20.19 began to load ES modules from require(); the project
// supports Node >= 20, and on 20.0-20.18 every notebook with a chart would stop at ERR_REQUIRE_ESM.
// Plot also needs a DOM (linkedom), draws its text in currentColor (black inside an <img> on a dark
// page) and has no <title>/<desc>: its SVG would be rewritten after drawing anyway. Two chart kinds
// in a page of code each, with every colour and every piece of text in our hands, cost less than that;
// and being platform-free, they are tested here like the rest of the core and could draw in a browser.
// This module's latency bars (6 bars) drew in 8.9 ms the first time (a cold JIT), then 0.1-0.4 ms,
// 3.6 kB of SVG; a 2-line chart with one event is 3.7 kB. Tests never assert speed.
import {
  AXIS_Y,
  CHART_COLOURS,
  HEIGHT,
  PLOT,
  PLOT_H,
  PLOT_W,
  SERIES_DASHES,
  WIDTH,
  escapeXml,
  fitText,
  formatNumber,
  frame,
  legend,
  listInWords,
  niceTicks,
  round,
  slug,
  svgDocument,
  svgLines,
  svgText,
  swatchLine,
  swatchRect,
  textWidth,
} from './chart-svg';

export interface Chart {
  /** What the chart is of, in a few words: the SVG's <title>, the first line of its text. */
  title: string;
  /** One sentence on what the data show, computed from the data: the SVG's <desc>. */
  description: string;
  /** A standalone SVG document (no script, no external reference). */
  svg: string;
}

export interface GroupedBarsInput {
  title: string;
  /** The unit of the values, said after each number: "ms", "writes lost". */
  unit: string;
  /** The bars in each group, in order (one colour each): ["p50", "p90", "p99"]. */
  series: readonly string[];
  /** One group of bars per label, one value per series: [{ label: "round robin", values: [3, 9, 40] }]. */
  groups: readonly { label: string; values: readonly number[] }[];
}

export interface LineChartInput {
  title: string;
  /** What the x values count: "round". */
  xLabel: string;
  /** The unit of the y values: "items lost". */
  unit: string;
  /** Each line: a name and its points, by increasing x. */
  series: readonly { name: string; points: readonly (readonly [x: number, y: number])[] }[];
  /** Moments marked across the chart: [{ x: 3, label: "server 1 killed" }]. */
  events?: readonly { x: number; label: string }[];
}

const MAX_DOTS = 60;

/** Bars side by side in groups: p50/p90/p99 per routing policy, writes lost per Redis setting. */
export function groupedBars(input: GroupedBarsInput): Chart {
  const { title, unit, series, groups } = input;
  if (series.length === 0 || groups.length === 0) throw new Error(`${title}: no bars to draw`);
  if (series.length > CHART_COLOURS.series.length)
    throw new Error(`${title}: at most ${CHART_COLOURS.series.length} series`);
  for (const group of groups) {
    if (group.values.length !== series.length)
      throw new Error(
        `${title}: "${group.label}" has ${group.values.length} values, not ${series.length}`,
      );
    if (group.values.some((v) => !Number.isFinite(v) || v < 0))
      throw new Error(`${title}: "${group.label}" has a value that is negative or not a number`);
  }

  const bars = groups.flatMap((g) => g.values.map((value, s) => ({ group: g.label, s, value })));
  const values = bars.map((bar) => bar.value);
  const [highest, lowest] = [Math.max(...values), Math.min(...values)];
  // Every bar at the extreme is named (up to 3, then how many more), so a tie is never told as if
  // one bar stood alone.
  const say = (value: number) => {
    const at = bars
      .filter((bar) => bar.value === value)
      .map((b) => `${series[b.s]} for ${b.group}`);
    const amount = `${formatNumber(value)} ${unit}`;
    if (at.length === 1) return `${at[0]} at ${amount}`;
    const named = at.length <= 3 ? at : [...at.slice(0, 2), `${at.length - 2} more`];
    return `${amount}, reached by ${at.length} bars: ${listInWords(named)}`;
  };
  const description =
    `Bars of ${listInWords([...series])} (${unit}) for ${listInWords(groups.map((g) => g.label))}: ` +
    (highest === lowest
      ? `all at ${formatNumber(highest)} ${unit}.`
      : `the highest is ${say(highest)}; the lowest is ${say(lowest)}.`);

  const ticks = niceTicks(0, highest, 5, values.every(Number.isInteger));
  const top = ticks[ticks.length - 1];
  const y = (value: number) => AXIS_Y - (value / top) * PLOT_H;
  const band = PLOT_W / groups.length;
  const barWidth = (band * 0.8) / series.length;
  const body = [
    ...frame(title, unit, ticks, y),
    ...groups.flatMap((g, i) => {
      const left = PLOT.left + i * band + band * 0.1;
      return [
        ...g.values.flatMap((value, s) => {
          const x = left + s * barWidth;
          return [
            `<rect x="${round(x + 1)}" y="${round(y(value))}" width="${round(barWidth - 2)}" height="${round(AXIS_Y - y(value))}" fill="${CHART_COLOURS.series[s]}"><title>${escapeXml(`${series[s]}, ${g.label}: ${formatNumber(value)} ${unit}`)}</title></rect>`,
            // A value wider than its bar's share of the group would overlap its neighbour's: the
            // bar's tooltip and the description still say it.
            textWidth(formatNumber(value), 11) <= band / series.length
              ? svgText(x + barWidth / 2, y(value) - 4, formatNumber(value), {
                  size: 11,
                  anchor: 'middle',
                })
              : '',
          ];
        }),
        svgLines(PLOT.left + i * band + band / 2, AXIS_Y + 18, g.label, {
          anchor: 'middle',
          maxWidth: band - 6,
          maxLines: 2,
        }),
      ];
    }),
    ...legend(series.map((name, s) => ({ name, swatch: swatchRect(s) }))),
  ];
  return {
    title,
    description,
    svg: svgDocument({ id: slug(title), width: WIDTH, height: HEIGHT, title, description, body }),
  };
}

/** Lines over x with marked moments: losses per round as servers die. */
export function lineChart(input: LineChartInput): Chart {
  const { title, xLabel, unit, series, events = [] } = input;
  if (series.length === 0 || series.some((s) => s.points.length === 0))
    throw new Error(`${title}: every line needs at least one point`);
  if (series.length > CHART_COLOURS.series.length)
    throw new Error(`${title}: at most ${CHART_COLOURS.series.length} lines`);
  const points = series.flatMap((s) => s.points);
  if (points.some(([x, v]) => !Number.isFinite(x) || !Number.isFinite(v)))
    throw new Error(`${title}: a point is not a number`);
  if (events.some((e) => !Number.isFinite(e.x)))
    throw new Error(`${title}: a marked moment is not at a number`);
  // "Ends at" means the last x: a line drawn back over itself would make the sentence untrue.
  for (const s of series)
    if (s.points.some(([px], j) => j > 0 && !(px > s.points[j - 1][0])))
      throw new Error(`${title}: the points of "${s.name}" are not in increasing x`);

  const xs = points.map(([x]) => x).concat(events.map((e) => e.x));
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  const values = points.map(([, v]) => v);
  const yTicks = niceTicks(
    Math.min(0, ...values),
    Math.max(...values),
    5,
    values.every(Number.isInteger),
  );
  const [yMin, yTop] = [yTicks[0], yTicks[yTicks.length - 1]];
  const x = (value: number) =>
    PLOT.left + (xMax === xMin ? PLOT_W / 2 : ((value - xMin) / (xMax - xMin)) * PLOT_W);
  const y = (value: number) => AXIS_Y - ((value - yMin) / (yTop - yMin)) * PLOT_H;
  const integerXs = xs.every(Number.isInteger) && xMax - xMin <= 12;
  const xTicks = integerXs
    ? Array.from({ length: xMax - xMin + 1 }, (_, i) => xMin + i)
    : niceTicks(xMin, xMax).filter((t) => t >= xMin && t <= xMax);

  const lines = series.map((s) => {
    const ys = s.points.map(([, py]) => py);
    const last = ys[ys.length - 1];
    const peak = Math.max(...ys);
    if (ys.every((py) => py === last)) return `${s.name} stays at ${formatNumber(last)}`;
    const peaks = s.points.filter(([, py]) => py === peak);
    const where = `${peaks.length > 1 ? 'first ' : ''}at ${xLabel} ${formatNumber(peaks[0][0])}`;
    return `${s.name} ends at ${formatNumber(last)} (highest ${formatNumber(peak)}, ${where})`;
  });
  const marked = events.length
    ? `; marked: ${listInWords(events.map((e) => `${e.label} at ${xLabel} ${formatNumber(e.x)}`))}`
    : '';
  const description = `Lines of ${unit} per ${xLabel} from ${formatNumber(xMin)} to ${formatNumber(xMax)}: ${listInWords(lines)}${marked}.`;

  const body = [
    ...frame(title, unit, yTicks, y),
    ...xTicks.map((t) =>
      svgText(x(t), AXIS_Y + 18, formatNumber(t), {
        fill: CHART_COLOURS.muted,
        size: 11,
        anchor: 'middle',
      }),
    ),
    svgText(PLOT.left + PLOT_W / 2, AXIS_Y + 36, xLabel, {
      fill: CHART_COLOURS.muted,
      anchor: 'middle',
      maxWidth: PLOT_W,
    }),
    // A marked moment's line runs under the data; its label is drawn after the data (below).
    ...events.map(
      (e) =>
        `<line x1="${round(x(e.x))}" y1="${PLOT.top}" x2="${round(x(e.x))}" y2="${AXIS_Y}" stroke="${CHART_COLOURS.muted}" stroke-dasharray="3 3"/>`,
    ),
    ...series.flatMap((s, i) => {
      const colour = CHART_COLOURS.series[i];
      const path = s.points
        .map(([px, py], j) => `${j ? 'L' : 'M'}${round(x(px))},${round(y(py))}`)
        .join(' ');
      const dash = SERIES_DASHES[i] ? ` stroke-dasharray="${SERIES_DASHES[i]}"` : '';
      return [
        `<path d="${path}" fill="none" stroke="${colour}" stroke-width="2.5"${dash}/>`,
        // A dot (with its value as a tooltip) per point while dots can be told apart; beyond
        // MAX_DOTS they would merge into a thick line and weigh a kilobyte per ten points.
        ...(s.points.length > MAX_DOTS ? [] : s.points).map(
          ([px, py]) =>
            `<circle cx="${round(x(px))}" cy="${round(y(py))}" r="3" fill="${colour}"><title>${escapeXml(`${s.name}, ${xLabel} ${formatNumber(px)}: ${formatNumber(py)} ${unit}`)}</title></circle>`,
        ),
      ];
    }),
    // The labels of the marked moments, over the lines, each on a patch of the panel: a label sits
    // near the top of the plot, where a run's highest points are (the losses right after a kill),
    // and a dot under it in a series colour left the ink at 3:1.
    ...events.flatMap((e, i) => {
      // Staggered, so the labels of two close events do not overlap; in the right half a label
      // runs to the left of its line, so that it stays inside the chart.
      const right = x(e.x) > PLOT.left + PLOT_W / 2;
      const [at, room] = right ? [x(e.x) - 3, x(e.x) - 19] : [x(e.x) + 3, WIDTH - x(e.x) - 19];
      const baseline = PLOT.top + 10 + (i % 3) * 13;
      const width = textWidth(fitText(e.label, room, 11), 11) + 4;
      return [
        `<rect x="${round(right ? at - width + 2 : at - 2)}" y="${round(baseline - 10)}" width="${round(width)}" height="13" fill="${CHART_COLOURS.panel}"/>`,
        svgText(at, baseline, e.label, {
          size: 11,
          anchor: right ? 'end' : 'start',
          maxWidth: room,
        }),
      ];
    }),
    ...legend(series.map((s, i) => ({ name: s.name, swatch: swatchLine(i) }))),
  ];
  return {
    title,
    description,
    svg: svgDocument({ id: slug(title), width: WIDTH, height: HEIGHT, title, description, body }),
  };
}

/**
 * A chart as a Jupyter display bundle: the drawing, and the text a reader gets without it (a screen
 * reader, a terminal, a notebook viewer that shows no SVG): the title, then the description.
 */
export function chartBundle(chart: Chart): { 'image/svg+xml': string; 'text/plain': string } {
  return { 'image/svg+xml': chart.svg, 'text/plain': `${chart.title}\n${chart.description}` };
}
