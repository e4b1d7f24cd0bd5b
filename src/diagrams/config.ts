// How the site draws Mermaid diagrams, shared by the build-time renderer (tools/diagrams) and the
// browser fallback (src/components/Diagram). Pure: no Node, no DOM.
//
// Diagrams are drawn once, ahead of time, into SVG files under static/diagrams/ (`npm run
// diagrams`), so a page with a diagram loads no Mermaid JavaScript at all. A diagram without a
// drawing (you just edited it) is drawn in the browser instead, and the tests say which is missing.

export type DiagramTheme = 'light' | 'dark';

/** Bump when the drawing settings below change: every diagram's file name changes with it. */
export const DRAWING_VERSION = 1;

/** Where drawings live in the repo, and the URL the site serves them from. */
export const DIAGRAMS_DIR = 'static/diagrams';
export const DIAGRAMS_URL = '/diagrams';

/**
 * Liberation Sans has the same letter widths as Arial, so a diagram laid out here fits its boxes
 * on Windows and macOS (Arial) as well as on Linux.
 */
const FONT = 'Arial, "Liberation Sans", Helvetica, sans-serif';

/** Mermaid's settings for one theme: labels as SVG text, so the drawing works as an <img>. */
export function mermaidConfig(theme: DiagramTheme) {
  return {
    startOnLoad: false,
    securityLevel: 'strict' as const,
    theme: theme === 'light' ? ('neutral' as const) : ('dark' as const),
    fontFamily: FONT,
    htmlLabels: false,
    flowchart: { htmlLabels: false },
    // In the dark theme, note and edge-label text reached only 4.4:1 on its background; WCAG AA asks 4.5.
    themeVariables:
      theme === 'light'
        ? { fontFamily: FONT }
        : { fontFamily: FONT, noteTextColor: '#e8e8e8', edgeLabelBackground: '#2e2e2e' },
  };
}

/** A diagram's text alternative, from its `accTitle:` and `accDescr:` lines. */
export function diagramAlt(source: string): { title: string; description: string } {
  const line = (name: string) =>
    new RegExp(`^\\s*${name}\\s*:\\s*(.+?)\\s*$`, 'm').exec(source)?.[1] ?? '';
  const block = /^\s*accDescr\s*\{([\s\S]*?)\}/m.exec(source)?.[1];
  return {
    title: line('accTitle'),
    description: (block ?? line('accDescr')).replace(/\s+/g, ' ').trim(),
  };
}

/**
 * Mermaid sizes its SVG to its container (width="100%", a max-width style). Sized here by its
 * viewBox instead: the size it was drawn at, as an <img> needs it and as the full-size view shows it.
 */
export function sizedByViewBox(svg: string): { svg: string; width: number; height: number } {
  const open = /^<svg\b[^>]*>/.exec(svg)?.[0];
  const box = open && /viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"/.exec(open);
  if (!open || !box) throw new Error('Mermaid returned an SVG without a viewBox');
  const [width, height] = [Math.ceil(Number(box[1])), Math.ceil(Number(box[2]))];
  const sized = open
    .replace(/\swidth="[^"]*"/, '')
    .replace(/\sheight="[^"]*"/, '')
    .replace(/\sstyle="[^"]*"/, '')
    .replace(/^<svg/, `<svg width="${width}" height="${height}"`);
  return { svg: sized + svg.slice(open.length), width, height };
}

/** The drawing's files for a diagram key: /diagrams/<key>-light.svg and -dark.svg. */
export const drawingFile = (key: string, theme: DiagramTheme) => `${key}-${theme}.svg`;
