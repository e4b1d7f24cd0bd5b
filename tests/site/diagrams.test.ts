// The site's Mermaid diagrams are drawn ahead of time (npm run diagrams) into static/diagrams.
// These tests check that every diagram has an up-to-date drawing that an <img> can show, that the
// text in every drawing is readable (WCAG AA) in its theme, and what the renderer does with a
// broken diagram, and that a build whose diagrams are all drawn carries no Mermaid. The Chromium and
// build parts skip outside CI without Chromium or a build, and fail in CI.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { drawingFile } from '../../src/diagrams/config';
import { drawingStatus, drawingsDir } from '../../tools/diagrams/fences';
import { standalone, withRenderer } from '../../tools/diagrams/render';
import { lowContrasts, textContrasts } from '../../tools/diagrams/contrast';
import { BUILD, launchChromium, siteSuite } from './browser-env';

const status = drawingStatus();
const drawings = status.fences.flatMap((f) =>
  (['light', 'dark'] as const).map((theme) => ({
    where: f.where,
    theme,
    file: join(drawingsDir(), drawingFile(f.key, theme)),
  })),
);

describe('diagram drawings in static/diagrams', () => {
  it('exist for every ```mermaid fence in docs/, and none is left over', () => {
    expect(status.fences.length).toBeGreaterThan(10);
    const hint = 'run `npm run diagrams` and commit static/diagrams';
    expect(
      status.missing.map((f) => f.where),
      `diagrams with no drawing: ${hint}`,
    ).toEqual([]);
    expect(status.orphans, `drawings no page uses: ${hint}`).toEqual([]);
  });

  it('are standalone SVG an <img> can show: sized, no HTML labels, no error', () => {
    const problems: string[] = [];
    for (const { where, theme, file } of status.missing.length ? [] : drawings) {
      const svg = readFileSync(file, 'utf8');
      const open = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
      if (!/\swidth="\d+"/.test(open) || !/\sheight="\d+"/.test(open))
        problems.push(`${where} (${theme}): no width and height`);
      if (!open.includes('xmlns="http://www.w3.org/2000/svg"'))
        problems.push(`${where} (${theme}): no SVG namespace`);
      if (/<foreignObject/i.test(svg)) problems.push(`${where} (${theme}): HTML labels`);
      if (/Syntax error/i.test(svg)) problems.push(`${where} (${theme}): Mermaid's error drawing`);
    }
    expect(problems).toEqual([]);
  });

  it('standalone() sizes a Mermaid SVG by its viewBox', () => {
    const { svg, width, height } = standalone(
      '<svg id="d" width="100%" style="max-width: 300.5px;" viewBox="0 -0.5 300.5 120.2"><g/></svg>',
    );
    expect([width, height]).toEqual([301, 121]);
    expect(svg).toContain('<svg width="301" height="121" id="d" viewBox="0 -0.5 300.5 120.2">');
    expect(() => standalone('<svg><g/></svg>')).toThrow(/viewBox/);
  });
});

const suite = siteSuite(
  'diagram contrast and the renderer',
  'tests/site/diagrams.test.ts',
  'chromium',
);

suite.describe('diagram drawings in Chromium', { timeout: 120_000 }, () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
  });
  afterAll(() => browser?.close());

  it('every text in every drawing reaches 4.5:1 contrast on its theme (WCAG AA)', async () => {
    const { measured, low } = await lowContrasts(
      page,
      drawings.map(({ where, theme, file }) => ({ where, theme, svg: readFileSync(file, 'utf8') })),
    );
    expect(measured.reduce((a, b) => a + b, 0)).toBeGreaterThan(drawings.length);
    expect(low).toEqual([]);
  });

  it('the contrast check sees grey text on a grey box', async () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50"><rect width="200" height="50" fill="#777"/><text x="10" y="30" fill="#888">faint</text></svg>';
    const [faint] = await textContrasts(page, svg, 'rgb(255, 255, 255)');
    expect(faint.text).toBe('faint');
    expect(faint.ratio).toBeLessThan(1.5);
  });

  it('the renderer draws a diagram in both themes, and names the place of a broken one', async () => {
    await withRenderer(async (render) => {
      const drawing = await render(
        'sequenceDiagram\n  accTitle: t\n  accDescr: d\n  Browser->>App: GET /cart',
        'test.mdx:1',
      );
      expect(drawing.width).toBeGreaterThan(0);
      expect(drawing.light).toContain('GET /cart');
      expect(drawing.dark).not.toBe(drawing.light);
      await expect(render('flowchart LR\n  A -->', 'docs/broken.mdx:12')).rejects.toThrow(
        /docs\/broken\.mdx:12: Mermaid cannot draw this diagram:[\s\S]*Parse error/,
      );
    });
  });
});

const built = siteSuite('the Mermaid a build carries', 'tests/site/diagrams.test.ts');

built.describe('the built site', { timeout: 60_000 }, () => {
  it('carries no Mermaid while every diagram has a drawing (only a page that draws one imports it)', () => {
    expect(
      status.missing.map((f) => f.where),
      'diagrams drawn in the browser',
    ).toEqual([]);
    const dir = join(BUILD, 'assets/js');
    // Mermaid's error text, which is in no other package the site uses (tests/site/browser.test.ts).
    const mermaid = readdirSync(dir).filter((file) =>
      readFileSync(join(dir, file), 'utf8').includes('Syntax error in text'),
    );
    expect(mermaid, 'scripts that hold Mermaid').toEqual([]);
  });
});
