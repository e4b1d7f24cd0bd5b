// Draws Mermaid diagrams to standalone SVG with Mermaid itself, in Debian's Chromium: the same
// layout a reader's browser would compute, done once, ahead of time.
import { dirname, join } from 'node:path';
import { mermaidConfig, sizedByViewBox, type DiagramTheme } from '../../src/diagrams/config';
import { diagramKey } from '../../src/diagrams/key';
import {
  ARIAL_METRICS_PACKAGE,
  CHROMIUM,
  hasArialMetrics,
  hasChromium,
  launchChromium,
} from '../chromium';

export { CHROMIUM };
const MERMAID = join(dirname(require.resolve('mermaid')), 'mermaid.min.js');

export interface Drawing {
  /** Standalone SVG documents, sized by width and height, for an <img>. */
  light: string;
  dark: string;
  width: number;
  height: number;
}

/** Draws one diagram; `where` (file:line) names it in errors. */
export type Render = (source: string, where: string) => Promise<Drawing>;

export const canRender = () => hasChromium() && hasArialMetrics();

/** A drawing as a standalone SVG file: sized by its viewBox (an <img> needs a size), with a prolog. */
export function standalone(svg: string): { svg: string; width: number; height: number } {
  const sized = sizedByViewBox(svg);
  return { ...sized, svg: `<?xml version="1.0" encoding="UTF-8"?>\n${sized.svg}\n` };
}

/** Opens Chromium with Mermaid loaded, lets `use` draw any number of diagrams, then closes it. */
export async function withRenderer<T>(use: (render: Render) => Promise<T>): Promise<T> {
  if (!canRender())
    throw new Error(
      `drawing diagrams needs ${CHROMIUM} and a font of Arial's widths (apt-get install chromium ${ARIAL_METRICS_PACKAGE})`,
    );
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ path: MERMAID });
    const draw = async (source: string, theme: DiagramTheme, where: string) => {
      try {
        return await page.evaluate(
          async ({ source, config, id }) => {
            const mermaid = (globalThis as unknown as { mermaid: MermaidApi }).mermaid;
            mermaid.initialize(config);
            return (await mermaid.render(id, source)).svg;
          },
          { source, config: mermaidConfig(theme), id: `diagram-${diagramKey(source)}-${theme}` },
        );
      } catch (error) {
        const message = String((error as Error).message).replace(/^page\.evaluate: /, '');
        throw new Error(
          `${where}: Mermaid cannot draw this diagram:\n${message.split('\n').slice(0, 6).join('\n')}`,
          { cause: error },
        );
      }
    };
    return await use(async (source, where) => {
      const light = standalone(await draw(source, 'light', where));
      const dark = standalone(await draw(source, 'dark', where));
      if (/<foreignObject/i.test(light.svg + dark.svg))
        throw new Error(
          `${where}: the drawing has HTML labels (foreignObject), which an <img> may not show`,
        );
      return { light: light.svg, dark: dark.svg, width: light.width, height: light.height };
    });
  } finally {
    await browser.close();
  }
}

interface MermaidApi {
  initialize(config: unknown): void;
  render(id: string, text: string): Promise<{ svg: string }>;
}
