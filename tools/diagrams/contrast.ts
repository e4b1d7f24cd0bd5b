// The contrast of every piece of text in a drawing against what lies behind it (WCAG ratio), as a
// browser sees it: behind = the topmost filled shape under the text's centre, else the page.
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
        const [x, y] = [box.left + box.width / 2, box.top + box.height / 2];
        const before = t.style.visibility;
        t.style.visibility = 'hidden';
        const under = document
          .elementsFromPoint(x, y)
          .filter((e) => e !== t && !t.contains(e) && e instanceof SVGGeometryElement)
          .map((e) => getComputedStyle(e).fill)
          .find(opaque);
        t.style.visibility = before;
        // Sequence diagrams colour the <tspan>, and give the <text> the box's fill.
        const colour = getComputedStyle(t.querySelector('tspan') ?? t).fill;
        return {
          text: (t.textContent ?? '').trim(),
          ratio: ratio(colour, under ?? pageBackground),
        };
      });
  }, background);
}
