// How a notebook page shows an SVG a run displayed (image/svg+xml, e.g. a chart from
// notebooks/lab/core/charts.ts): as an <img> whose src is a data: URL. An image never runs what it
// holds, so a <script> or an onload="" in a recorded SVG stays inert, and the SVG's ids and styles
// cannot collide with the page's. Its alt text is the output's text/plain (a chart's title and its
// description); the width and height come from the SVG, so the page does not jump as it loads.

/** An SVG as a file of the build (../Figures/record-loader.cjs): its address and declared size. */
export interface SvgFile {
  src: string;
  width?: number;
  height?: number;
}

/** Whether an output's image/svg+xml is such a file. */
export const isSvgFile = (value: unknown): value is SvgFile =>
  typeof value === 'object' && value !== null && typeof (value as SvgFile).src === 'string';

/** The SVG as a data: URL (percent-encoded UTF-8: works the same in Node at build time and in a browser). */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** The width and height the root <svg> declares, else its viewBox's; undefined when it says neither. */
export function svgSize(svg: string): { width?: number; height?: number } {
  const root = /<svg\b[^>]*>/i.exec(svg)?.[0] ?? '';
  const attribute = (name: string) => new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(root)?.[1];
  const number = (value: string | undefined) => {
    const n = Number(value?.trim().replace(/px$/, '') || NaN);
    return Number.isFinite(n) && n > 0 ? n : undefined;
  };
  const box = attribute('viewBox')
    ?.trim()
    .split(/[\s,]+/);
  return {
    width: number(attribute('width')) ?? number(box?.[2]),
    height: number(attribute('height')) ?? number(box?.[3]),
  };
}

/** An output's text/plain as one line of alt text: "Title. The description." */
export function svgAlt(plain: unknown): string {
  const lines = String(plain ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  if (lines.length === 0) return 'An image the notebook displayed, without a text alternative';
  return lines.map((line) => (/[.:;!?]$/.test(line) ? line : `${line}.`)).join(' ');
}
