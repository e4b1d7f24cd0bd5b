// The pieces every chart is drawn with: the layout, the colours (and the contrast rule they keep),
// escaping and fitting text into SVG, numbers as a reader sees them, axis ticks at round values, the
// frame and the legend. Platform-free: strings only.

/**
 * Every chart draws on its own opaque panel, so what lies behind its text is the panel, whatever the
 * page: Docusaurus light (#ffffff), Docusaurus dark (#1b1b1d), JupyterLab or GitHub in either theme.
 * No single text colour reaches 4.5:1 on both #ffffff and #1b1b1d (the best possible is about
 * 4.1:1), so a transparent chart could not be readable on both; a light panel is, on both.
 */
export const CHART_COLOURS = {
  panel: '#ffffff',
  /** Titles, labels and values: 16.7:1 on the panel. */
  ink: '#1c1e21',
  /** Axis ticks and the legend: 5.7:1 on the panel. */
  muted: '#606770',
  /** Grid lines and the panel's edge: lines, not text (they only need to be seen as faint). */
  grid: '#d8dde3',
  /** Series colours (Okabe-Ito hues darkened): each at least 4.5:1 on the panel, so a series
   * colour passes as text too, and bars and lines pass the 3:1 WCAG asks of graphics. */
  series: ['#0072b2', '#b35000', '#007a5a', '#a8437f', '#5e4fa2', '#8a6d00'],
} as const;

/** Line styles that tell series apart without colour (colour-blind readers, greyscale prints). */
export const SERIES_DASHES = ['', '6 3', '2 3', '8 3 2 3', '1 2', '10 4'] as const;

/** The WCAG relative luminance of a #rrggbb colour. */
export function luminance(hex: string): number {
  const match = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!match) throw new Error(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = [0, 2, 4].map((i) => {
    const s = parseInt(match[1].slice(i, i + 2), 16) / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The WCAG contrast ratio of two #rrggbb colours: 1 (none) to 21 (black on white). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The characters XML 1.0 cannot hold at all, escaped or not: control characters other than tab,
 * line feed and carriage return, U+FFFE and U+FFFF, and a surrogate without its other half.
 */
export const NOT_XML =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Text as SVG character data or an attribute value: the five characters XML reserves, escaped, and
 * the characters XML 1.0 cannot hold at all (NOT_XML) replaced by U+FFFD, so no label from the data can make the SVG malformed.
 */
export function escapeXml(text: string): string {
  return text
    .replace(new RegExp(NOT_XML, 'g'), '\uFFFD')
    .replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
    );
}

/**
 * A number as a label: integers as they are; from 100 up, to the nearest whole number (1234.5 is
 * 1235, never 1230: a label must not lose digits the reader can see are whole); below, to 3
 * significant digits (0.0123, 4.57, 30.5).
 */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  if (Math.abs(value) >= 100) return String(Math.round(value));
  return String(Number(value.toPrecision(3)));
}

/** About how wide a text is drawn, in px: an average character of a sans-serif is about 0.6 em. */
export function textWidth(text: string, size: number): number {
  return [...text].length * size * 0.6;
}

/**
 * The text, cut with "…" to fit `maxWidth` px at `size` (as textWidth() estimates it): a label
 * from the data may be of any length, and a drawing has edges. The whole text stays in the chart's
 * <desc> and in the tooltip of what it labels.
 */
export function fitText(text: string, maxWidth: number, size: number): string {
  // A hair of tolerance: a width computed as (a + b + c) − b − c can come out a rounding error below
  // the text's own, and "p50" was cut to "p…" by that alone.
  if (textWidth(text, size) <= maxWidth + 1e-6) return text;
  const keep = Math.max(0, Math.floor(maxWidth / (size * 0.6)) - 1);
  return `${[...text].slice(0, keep).join('').trimEnd()}…`;
}

/**
 * The text in at most `maxLines` lines of `maxWidth` px, broken between words: "sticky + kill app-1"
 * under a narrow group reads whole on two lines, where one line would cut it to "sticky + kill app…".
 * What still does not fit is cut with "…" (fitText).
 */
export function wrapText(text: string, maxWidth: number, size: number, maxLines: number): string[] {
  if (textWidth(text, size) <= maxWidth + 1e-6 || maxLines <= 1)
    return [fitText(text, maxWidth, size)];
  const lines: string[] = [];
  let rest = text.trim().split(/\s+/);
  while (rest.length > 0 && lines.length < maxLines - 1) {
    // The most words that fit; at least one, which fitText cuts if it alone is too long.
    let take = 1;
    while (
      take < rest.length &&
      textWidth(rest.slice(0, take + 1).join(' '), size) <= maxWidth + 1e-6
    )
      take++;
    lines.push(fitText(rest.slice(0, take).join(' '), maxWidth, size));
    rest = rest.slice(take);
  }
  if (rest.length > 0) lines.push(fitText(rest.join(' '), maxWidth, size));
  return lines;
}

/** A list as a sentence says it: "a", "a and b", "a, b and c". */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * Round tick values from `min` to at least `max`: steps of 1, 2 or 5 times a power of ten. For
 * whole-number data (`whole`: users, writes, logins) a step is at least 1: no tick says 0.2 users.
 */
export function niceTicks(min: number, max: number, count = 5, whole = false): number[] {
  if (!(max > min)) max = min + 1;
  const raw = Math.max((max - min) / count, whole ? 1 : 0);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const first = Math.floor(min / step) * step;
  const ticks: number[] = [];
  // Bounded: at most count + 2 steps cover [min, max] with a step of at least (max - min) / count.
  for (let i = 0; i <= count + 2; i++) {
    const tick = Number((first + i * step).toPrecision(12));
    ticks.push(tick);
    if (tick >= max) break;
  }
  return ticks;
}

/** A chart's outer frame: the <svg> root, sized, named by its <title> and <desc>, on its panel. */
export function svgDocument(options: {
  id: string;
  width: number;
  height: number;
  title: string;
  description: string;
  body: string[];
}): string {
  const { id, width, height, title, description, body } = options;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif">`,
    `<title id="${id}-title">${escapeXml(title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(description)}</desc>`,
    `<rect width="${width}" height="${height}" rx="6" fill="${CHART_COLOURS.panel}" stroke="${CHART_COLOURS.grid}"/>`,
    ...body,
    '</svg>',
  ].join('\n');
}

/** A <text> element; its fill is always explicit, so its contrast can be checked from the markup. */
export function svgText(
  x: number,
  y: number,
  text: string,
  options: {
    fill?: string;
    size?: number;
    anchor?: 'start' | 'middle' | 'end';
    weight?: string;
    /** The most px the text may take: longer text is cut with "…" (fitText). */
    maxWidth?: number;
  } = {},
): string {
  const { fill = CHART_COLOURS.ink, size = 12, anchor = 'start', weight, maxWidth } = options;
  const bold = weight ? ` font-weight="${weight}"` : '';
  const shown = maxWidth === undefined ? text : fitText(text, maxWidth, size);
  return `<text x="${round(x)}" y="${round(y)}" font-size="${size}" text-anchor="${anchor}" fill="${fill}"${bold}>${escapeXml(shown)}</text>`;
}

/** Like svgText, in lines `lineHeight` px apart (wrapText): one <text>, a <tspan> per line. */
export function svgLines(
  x: number,
  y: number,
  text: string,
  options: {
    size?: number;
    anchor?: 'start' | 'middle' | 'end';
    maxWidth: number;
    maxLines: number;
  },
): string {
  const { size = 12, anchor = 'start', maxWidth, maxLines } = options;
  const lines = wrapText(text, maxWidth, size, maxLines);
  if (lines.length === 1) return svgText(x, y, text, { size, anchor, maxWidth });
  const spans = lines
    .map(
      (line, i) =>
        `<tspan x="${round(x)}" dy="${i === 0 ? 0 : round(size * 1.2)}">${escapeXml(line)}</tspan>`,
    )
    .join('');
  return `<text x="${round(x)}" y="${round(y)}" font-size="${size}" text-anchor="${anchor}" fill="${CHART_COLOURS.ink}">${spans}</text>`;
}

/** Coordinates to 0.1 px: enough for the eye, and the SVG stays small. */
export function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** A fragment for ids: "Latency by policy" → "latency-by-policy". */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'chart'
  );
}

/** Every chart's size and the plot area inside it, in px: room above for the title and the unit,
 *  below for the x labels and the legend. */
export const WIDTH = 640;
export const HEIGHT = 360;
export const PLOT = { left: 64, right: 20, top: 64, bottom: 84 };
export const PLOT_W = WIDTH - PLOT.left - PLOT.right;
export const PLOT_H = HEIGHT - PLOT.top - PLOT.bottom;
export const AXIS_Y = PLOT.top + PLOT_H;

/** The title, the unit over the y axis, the horizontal grid lines with their values, the x axis. */
export function frame(
  title: string,
  unit: string,
  ticks: number[],
  y: (v: number) => number,
): string[] {
  return [
    svgText(16, 28, title, { size: 16, weight: '600', maxWidth: WIDTH - 32 }),
    svgText(PLOT.left - 8, PLOT.top - 14, unit, {
      fill: CHART_COLOURS.muted,
      size: 11,
      anchor: 'start',
      maxWidth: WIDTH - PLOT.left - 8,
    }),
    ...ticks.flatMap((t) => [
      `<line x1="${PLOT.left}" y1="${round(y(t))}" x2="${PLOT.left + PLOT_W}" y2="${round(y(t))}" stroke="${CHART_COLOURS.grid}"/>`,
      svgText(PLOT.left - 8, y(t) + 4, formatNumber(t), {
        fill: CHART_COLOURS.muted,
        size: 11,
        anchor: 'end',
      }),
    ]),
    `<line x1="${PLOT.left}" y1="${AXIS_Y}" x2="${PLOT.left + PLOT_W}" y2="${AXIS_Y}" stroke="${CHART_COLOURS.muted}"/>`,
  ];
}

/**
 * The legend under the chart: a swatch and the series name for each, in one row, or two when one
 * cannot hold them (the x axis's label sits above). When two rows cannot either, each entry gets
 * an equal share of two rows and its name is cut to fit.
 */
export function legend(
  entries: { name: string; swatch: (x: number, y: number) => string }[],
): string[] {
  const [swatchAndGap, between, rowHeight] = [26, 18, 16];
  const room = WIDTH - 16 - PLOT.left;
  const natural = entries.map(({ name }) => swatchAndGap + textWidth(name, 12) + between);
  // Greedy rows: each entry goes on the current row while it fits there.
  const rows: number[][] = [[]];
  let used = 0;
  natural.forEach((width, i) => {
    if (used + width > room && rows[rows.length - 1].length > 0) {
      rows.push([]);
      used = 0;
    }
    rows[rows.length - 1].push(i);
    used += width;
  });
  const fits = rows.length <= 2 && natural.every((width) => width <= room);
  const perRow = Math.ceil(entries.length / 2);
  const all = entries.map((_, i) => i);
  const layout = fits ? rows : [all.slice(0, perRow), all.slice(perRow)].filter((r) => r.length);
  const share = room / perRow;
  return layout.flatMap((row, r) => {
    const y = HEIGHT - 20 - (layout.length - 1 - r) * rowHeight;
    let x = PLOT.left;
    return row.flatMap((i) => {
      const width = fits ? natural[i] : share;
      const at = x;
      x += width;
      return [
        entries[i].swatch(at, y - 9),
        svgText(at + swatchAndGap, y, entries[i].name, {
          fill: CHART_COLOURS.ink,
          maxWidth: width - swatchAndGap - between,
        }),
      ];
    });
  });
}

export function swatchRect(s: number) {
  return (x: number, y: number) =>
    `<rect x="${x}" y="${y}" width="18" height="10" fill="${CHART_COLOURS.series[s]}"/>`;
}

export function swatchLine(s: number) {
  const dash = SERIES_DASHES[s] ? ` stroke-dasharray="${SERIES_DASHES[s]}"` : '';
  return (x: number, y: number) =>
    `<line x1="${x}" y1="${y + 5}" x2="${x + 20}" y2="${y + 5}" stroke="${CHART_COLOURS.series[s]}" stroke-width="2.5"${dash}/>`;
}
