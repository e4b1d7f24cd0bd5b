// What is wrong with an SVG a notebook displays (a chart of notebooks/lab/core/charts.ts, or any
// image/svg+xml output): it must be well-formed XML, sized (viewBox, width and height), named
// (a non-empty <title> and <desc>) and readable: every text's fill reaches 4.5:1 (WCAG AA) against
// what lies behind it on both site themes. Read from the markup, without a browser:
// - behind a text is the SVG's panel (a first <rect> as large as the viewBox, opaquely filled) when it
//   has one, else the page, so a chart without a panel must be readable on both page backgrounds;
// - a colour the markup does not state (CSS, currentColor, a fill on a <tspan>) or a see-through text
//   is a problem too, since its contrast depends on where it is shown;
// - a number that is not one (NaN, Infinity) in an attribute draws nothing where it should draw;
// - a text that, at about 0.6 em a character (chart-svg.ts's textWidth), runs past the drawing's
//   left or right edge is cut off. Chromium measures it exactly in tests/site/chart-contrast.test.ts.
// Text drawn over a coloured shape inside the panel is beyond this reading (it takes the geometry):
// tools/diagrams/contrast.ts measures that in Chromium; tests/site/chart-contrast.test.ts applies it.
import { Window } from 'happy-dom';
import { NOT_XML, contrastRatio, textWidth } from '../notebooks/lab/core/chart-svg';
import type { RunRecord } from '../src/components/NotebookOutput/run';

/** The page backgrounds of Docusaurus's light and dark themes. */
export const PAGE_BACKGROUNDS = { light: '#ffffff', dark: '#1b1b1d' } as const;
export const MIN_TEXT_CONTRAST = 4.5;

const SVG_NS = 'http://www.w3.org/2000/svg';
const NAMED: Record<string, string> = { white: '#ffffff', black: '#000000' };

/** The text of the root's <title> and <desc>, a line each: what a chart's text/plain says. */
export function svgName(svg: string): string {
  const window = new Window();
  try {
    const root = new window.DOMParser().parseFromString(svg, 'image/svg+xml').documentElement;
    const own = (name: string) =>
      Array.from(root.children)
        .find((c) => c.localName === name)
        ?.textContent?.trim() ?? '';
    return `${own('title')}\n${own('desc')}`;
  } finally {
    void window.happyDOM.close();
  }
}

/** Every problem of the SVG, each a sentence naming what is wrong; empty when it has none. */
export function svgProblems(svg: string): string[] {
  const problems: string[] = [];
  // An "&" that starts no entity is malformed XML, which happy-dom's parser lets through.
  const bareAmpersand = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.exec(svg);
  if (bareAmpersand)
    problems.push(`not well-formed XML: a bare "&" at character ${bareAmpersand.index}`);
  // XML 1.0 has no place for these at all, escaped or not; happy-dom lets them through too.
  const control = NOT_XML.exec(svg);
  if (control)
    problems.push(
      `not well-formed XML: the character U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at character ${control.index}`,
    );
  const notANumber = /\s([\w:-]+)="[^"]*\b(NaN|-?Infinity)\b[^"]*"/.exec(svg);
  if (notANumber) problems.push(`${notANumber[1]}="…${notANumber[2]}…": a number that is not one`);
  const window = new Window();
  try {
    const document = new window.DOMParser().parseFromString(svg, 'image/svg+xml');
    const error = document.querySelector('parsererror');
    if (error)
      return [...problems, `not well-formed XML: ${error.textContent.trim().split('\n')[0]}`];
    const root = document.documentElement as unknown as Element;
    if (root.localName !== 'svg' || root.namespaceURI !== SVG_NS)
      return [
        ...problems,
        `the root is <${root.localName}> in ${root.namespaceURI}, not an SVG <svg>`,
      ];
    problems.push(
      ...sizeProblems(root),
      ...nameProblems(root),
      ...contrastProblems(root),
      ...edgeProblems(root),
    );
  } finally {
    void window.happyDOM.close();
  }
  return problems;
}

function sizeProblems(root: Element): string[] {
  const problems: string[] = [];
  const box = (root.getAttribute('viewBox') ?? '')
    .trim()
    .split(/[\s,]+/)
    .map(Number);
  if (box.length !== 4 || !box.every(Number.isFinite) || !(box[2] > 0 && box[3] > 0))
    problems.push(`no usable viewBox (got "${root.getAttribute('viewBox') ?? ''}")`);
  for (const side of ['width', 'height']) {
    const value = Number(root.getAttribute(side));
    if (!(value > 0))
      problems.push(`no ${side} in pixels (got "${root.getAttribute(side) ?? ''}")`);
  }
  return problems;
}

function nameProblems(root: Element): string[] {
  const child = (name: string) => Array.from(root.children).find((c) => c.localName === name);
  const problems: string[] = [];
  for (const name of ['title', 'desc']) {
    const text = child(name)?.textContent?.trim() ?? '';
    if (!text) problems.push(`no <${name}> with text directly in the <svg>`);
  }
  return problems;
}

function contrastProblems(root: Element): string[] {
  const problems: string[] = [];
  if (root.querySelector('style') || root.querySelector('[style], [class]'))
    problems.push(
      'colours set by CSS (<style>, style="" or class=""): set fill="" on each element',
    );
  const panel = panelFill(root);
  const backgrounds = panel
    ? { light: panel, dark: panel }
    : { light: PAGE_BACKGROUNDS.light, dark: PAGE_BACKGROUNDS.dark };
  for (const text of Array.from(root.querySelectorAll('text'))) {
    const words = text.textContent?.trim() ?? '';
    if (!words) continue;
    if (text.querySelector('[fill]')) problems.push(`"${words}": a fill inside the <text>`);
    const fill = inherited(text, 'fill') ?? '#000000';
    const colour = hexColour(fill);
    if (!colour) {
      problems.push(`"${words}": fill "${fill}" is not a colour the markup fixes (#rrggbb, #rgb)`);
      continue;
    }
    for (const attribute of ['opacity', 'fill-opacity'])
      if (Number(inherited(text, attribute) ?? 1) < 1)
        problems.push(`"${words}": ${attribute} below 1, so its colour depends on the page`);
    for (const [theme, background] of Object.entries(backgrounds)) {
      const ratio = contrastRatio(colour, background);
      if (ratio < MIN_TEXT_CONTRAST)
        problems.push(
          `"${words}": ${colour} on ${background} (${theme} page${panel ? ', on the panel' : ''}) is ${ratio.toFixed(2)}:1, below ${MIN_TEXT_CONTRAST}:1`,
        );
    }
  }
  return problems;
}

/** Texts that run past the left or right edge of the viewBox, by textWidth()'s estimate. */
function edgeProblems(root: Element): string[] {
  const box = (root.getAttribute('viewBox') ?? '')
    .trim()
    .split(/[\s,]+/)
    .map(Number);
  if (box.length !== 4 || !box.every(Number.isFinite)) return [];
  const [left, right] = [box[0], box[0] + box[2]];
  const problems: string[] = [];
  for (const text of Array.from(root.querySelectorAll('text'))) {
    // A text in lines (svgLines): each <tspan x=""> is a line of its own.
    const spans = Array.from(text.querySelectorAll('tspan[x]'));
    const lines = spans.length > 0 ? spans : [text];
    for (const line of lines) {
      const words = line.textContent?.trim() ?? '';
      const x = Number(line.getAttribute('x') ?? 0);
      const width = textWidth(words, Number(inherited(text, 'font-size') ?? 16));
      const anchor = inherited(text, 'text-anchor') ?? 'start';
      const start = anchor === 'middle' ? x - width / 2 : anchor === 'end' ? x - width : x;
      if (words && (start < left - 0.5 || start + width > right + 0.5))
        problems.push(
          `"${words}": drawn from x ${start.toFixed(0)} to ${(start + width).toFixed(0)}, past the edge (${left} to ${right})`,
        );
    }
  }
  return problems;
}

/** The fill of the first drawn <rect>, if it covers the whole viewBox and is opaque. */
function panelFill(root: Element): string | undefined {
  const first = Array.from(root.children).find(
    (c) => !['title', 'desc', 'defs'].includes(c.localName),
  );
  if (first?.localName !== 'rect') return undefined;
  // The area the SVG shows: its viewBox, else 0 0 width height.
  const size = ['width', 'height'].map((side) => Number(root.getAttribute(side)));
  const viewBox = (root.getAttribute('viewBox') ?? '')
    .trim()
    .split(/[\s,]+/)
    .map(Number);
  const box = viewBox.length === 4 && viewBox.every(Number.isFinite) ? viewBox : [0, 0, ...size];
  const covers =
    Number(first.getAttribute('x') ?? 0) <= box[0] &&
    Number(first.getAttribute('y') ?? 0) <= box[1] &&
    Number(first.getAttribute('width')) >= box[2] &&
    Number(first.getAttribute('height')) >= box[3];
  const opaque = ['opacity', 'fill-opacity'].every((a) => Number(first.getAttribute(a) ?? 1) === 1);
  const fill = hexColour(first.getAttribute('fill') ?? '#000000');
  return covers && opaque ? fill : undefined;
}

/** An attribute as SVG inherits it: from the element or its nearest ancestor that sets it. */
function inherited(element: Element, name: string): string | undefined {
  for (let e: Element | null = element; e; e = e.parentElement) {
    const value = e.getAttribute(name);
    if (value !== null) return value.trim();
  }
  return undefined;
}

/** #rrggbb for #rrggbb, #rgb, white and black; undefined for anything else (none, currentColor, url()). */
function hexColour(value: string): string | undefined {
  const v = value.toLowerCase();
  if (/^#[0-9a-f]{6}$/.test(v)) return v;
  if (/^#[0-9a-f]{3}$/.test(v)) return `#${[...v.slice(1)].map((c) => c + c).join('')}`;
  return NAMED[v];
}

/** The SVG outputs of one record, with the text that comes with each. */
export function svgOutputs(record: RunRecord): { cell: string; svg: string; plain: string }[] {
  return Object.entries(record.cells).flatMap(([cell, { outputs }]) =>
    outputs.flatMap((output) => {
      if (output.output_type !== 'display_data' && output.output_type !== 'execute_result')
        return [];
      const svg = output.data['image/svg+xml'];
      if (svg === undefined) return [];
      const plain = String(output.data['text/plain'] ?? '').trim();
      return [{ cell, svg: [svg].flat().join(''), plain }];
    }),
  );
}
