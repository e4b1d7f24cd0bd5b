// The contrast of every piece of text in a drawing against what lies behind it (WCAG ratio), as a
// browser sees it: behind = the topmost filled shape, else the page, under the text's middle and
// under both its ends (the lowest of the three counts). A line crossing a text is not behind it.
import type { Page } from 'playwright-core';

export interface TextContrast {
  text: string;
  ratio: number;
}

/** Opens an SVG drawing on a page of the given background colour and measures its text. */
export async function textContrasts(
  page: Page,
  svg: string,
  background: string,
): Promise<TextContrast[]> {
  await page.setContent(
    `<!doctype html><html><body style="margin:0;background:${background}">${svg.replace(/^<\?xml[^>]*>\s*/, '')}</body></html>`,
  );
  // tsx (esbuild keepNames) wraps named functions in __name(), which a page does not have.
  await page.addScriptTag({ content: 'window.__name = window.__name || ((f) => f);' });
  return page.evaluate((pageBackground) => {
    const rgba = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = (c: string) => {
      const [r, g, b] = rgba(c)
        .slice(0, 3)
        .map((v) => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a: string, b: string) => {
      const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
      return (hi + 0.05) / (lo + 0.05);
    };
    const opaque = (c: string) => c.startsWith('rgb') && (rgba(c)[3] ?? 1) > 0.5;
    const texts = Array.from(document.querySelectorAll('svg text')) as SVGTextElement[];
    return texts
      .filter((t) => (t.textContent ?? '').trim() !== '' && t.getBBox().width > 0)
      .map((t) => {
        const box = t.getBoundingClientRect();
        const y = box.top + box.height / 2;
        // Its middle and both ends (a label that spills over a neighbouring bar), at mid-height.
        const xs = [box.left + box.width / 2, box.left + 1, box.right - 1];
        const before = t.style.visibility;
        t.style.visibility = 'hidden';
        const behind = xs.map(
          (x) =>
            document
              .elementsFromPoint(x, y)
              // A <line> is a stroke across the text, not what lies behind it: its fill (black, by
              // default) is never painted.
              .filter(
                (e) =>
                  e !== t &&
                  !t.contains(e) &&
                  e instanceof SVGGeometryElement &&
                  !(e instanceof SVGLineElement),
              )
              .map((e) => getComputedStyle(e).fill)
              .find(opaque) ?? pageBackground,
        );
        t.style.visibility = before;
        // Sequence diagrams colour the <tspan>, and give the <text> the box's fill.
        const colour = getComputedStyle(t.querySelector('tspan') ?? t).fill;
        return {
          text: (t.textContent ?? '').trim(),
          ratio: Math.min(...behind.map((under) => ratio(colour, under))),
        };
      });
  }, background);
}

/** The page background of each site theme, as CSS: Docusaurus's light (#ffffff) and dark (#1b1b1d). */
export const THEME_BACKGROUNDS = {
  light: 'rgb(255, 255, 255)',
  dark: 'rgb(27, 27, 29)',
} as const;
export type SiteTheme = keyof typeof THEME_BACKGROUNDS;

/** WCAG AA for text. */
export const MIN_CONTRAST = 4.5;

/**
 * Measures every drawing on the page background of its theme: how many texts each one has
 * (`measured`, in order), and each text below 4.5:1 as `where: "text" ratio:1` (`low`). The one loop
 * the diagram and chart tests share.
 */
export async function lowContrasts(
  page: Page,
  drawings: readonly { where: string; svg: string; theme: SiteTheme }[],
): Promise<{ measured: number[]; low: string[] }> {
  const measured: number[] = [];
  const low: string[] = [];
  for (const { where, svg, theme } of drawings) {
    const contrasts = await textContrasts(page, svg, THEME_BACKGROUNDS[theme]);
    measured.push(contrasts.length);
    for (const c of contrasts.filter((c) => c.ratio < MIN_CONTRAST))
      low.push(`${where} (${theme}): "${c.text}" ${c.ratio.toFixed(2)}:1`);
  }
  return { measured, low };
}
