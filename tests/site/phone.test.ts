// The built site on a phone, 390 CSS px wide (an iPhone 12 to 15), in Chromium: on every page,
// every diagram opens full size, where no text of it renders smaller than MIN_TEXT_PX, and no code
// block or notebook output hides part of a line behind a sideways scroll. Plus the full-size view
// by keyboard alone. Needs /usr/bin/chromium and build/; outside CI they skip, saying so; CI fails.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  BUILD,
  mermaidFencesByRoute,
  openSite,
  reachEveryDiagram,
  routesInBuild,
  siteSuite,
  type OpenSite,
} from './browser-env';
import { hiddenCode, smallestSvgText } from './phone-measures';

/**
 * The smallest text a reader must be able to read in a diagram's full-size view, in CSS px: the
 * size below which Lighthouse's "legible font sizes" audit calls mobile text too small.
 */
const MIN_TEXT_PX = 12;
const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
};
const OPEN = /^Open full size/;
/** How long a step the page takes (a view opening or closing) may take on a busy machine. */
const WAIT_MS = 20_000;

const suite = siteSuite('the site at phone width', 'tests/site/phone.test.ts');
const ready = suite.ready;

const axeSource = readFileSync(createRequire(__filename).resolve('axe-core/axe.min.js'), 'utf8');

// As tests/site/browser.test.ts: a limit per page, so that only a page that hangs reaches it.
const PAGE_LIMIT_MS = 30_000;
const timeout = Math.max(120_000, (ready ? routesInBuild().length : 0) * PAGE_LIMIT_MS);

suite.describe('the built site at 390 px', { timeout }, () => {
  let site: OpenSite;
  let browser: Browser;
  let base: string;
  let phone: BrowserContext;
  /** A page of its own for measuring drawings, so the page under test is left as it is. */
  let scratch: Page;
  const routes = ready ? routesInBuild() : [];
  const fences = mermaidFencesByRoute();
  /** The smallest text of each drawing at its own size (scale 1), by URL path. */
  const naturalSmallest = new Map<string, number>();

  beforeAll(async () => {
    site = await openSite();
    ({ base, browser } = site);
    phone = await browser.newContext(PHONE);
    scratch = await browser.newPage();
  });
  afterAll(() => site?.close());

  async function visit(route: string, context = phone): Promise<Page> {
    const page = await context.newPage();
    await page.goto(base + (route === '/404' ? '/404.html' : route), { waitUntil: 'networkidle' });
    // Drawings loaded (each as the reader reaches it), and the page hydrated: a diagram's control
    // is disabled until then.
    await reachEveryDiagram(page);
    await page.waitForFunction(
      () => document.querySelectorAll('figure[data-diagram] button:disabled').length === 0,
      undefined,
      { timeout: 20_000 },
    );
    return page;
  }

  /** The smallest text of a drawing file of the build at scale 1, measured once per file. */
  async function smallestAtScaleOne(src: string): Promise<number> {
    const path = decodeURIComponent(new URL(src).pathname);
    if (!naturalSmallest.has(path)) {
      const svg = readFileSync(join(BUILD, path), 'utf8').replace(/^<\?xml[^>]*>\s*/, '');
      await scratch.setContent(`<!doctype html><body style="margin:0">${svg}</body>`);
      naturalSmallest.set(path, await scratch.locator('body').evaluate(smallestSvgText));
    }
    return naturalSmallest.get(path)!;
  }

  /** Opens one diagram's full-size view by tapping its control; the smallest text there, in px. */
  async function fullSizeSmallestText(page: Page, figure: number): Promise<number> {
    const control = page
      .locator('figure[data-diagram]')
      .nth(figure)
      .getByRole('button', { name: OPEN });
    if ((await control.count()) !== 1) throw new Error('no "Open full size" control');
    await control.tap();
    const dialog = page.locator('dialog[open]');
    // The click a phone makes from the tap, and the render that opens the view, come when a busy
    // machine gets to them: a generous limit, which only a view that never opens reaches.
    await dialog.waitFor({ timeout: WAIT_MS });
    // Its drawing decoded first: an image not yet loaded has no natural width to scale by.
    if ((await dialog.locator('img').count()) > 0)
      await dialog.locator('img').evaluate((img: HTMLImageElement) => img.decode());
    const view = await dialog.evaluate((d) => {
      const img = d.querySelector('img');
      const box = d.getBoundingClientRect();
      return {
        inViewport: box.left >= 0 && box.right <= window.innerWidth + 0.5,
        img: img && {
          src: img.currentSrc,
          scale: img.getBoundingClientRect().width / img.naturalWidth,
        },
      };
    });
    if (!view.inViewport) throw new Error('the full-size view is wider than the screen');
    let smallest: number;
    if (view.img) {
      smallest = (await smallestAtScaleOne(view.img.src)) * view.img.scale;
    } else {
      // A diagram drawn in the browser (it has no drawing yet): its <svg> is in the view itself.
      smallest = await dialog.evaluate(smallestSvgText);
    }
    await page.keyboard.press('Escape');
    // Closed is not yet gone: the view leaves the page when the reader's focus is back.
    await page.locator('dialog').waitFor({ state: 'detached', timeout: WAIT_MS });
    return smallest;
  }

  it('every page: each diagram opens full size with text >= 12 px, and no code line is hidden', async () => {
    const small: string[] = [];
    const hidden: string[] = [];
    let opened = 0;
    let smallestInline = Infinity;
    let smallestFull = Infinity;
    for (const route of routes) {
      const page = await visit(route);
      try {
        const figures = await page.locator('figure[data-diagram]').count();
        if (figures < (fences.get(route) ?? 0))
          small.push(`${route}: ${figures} diagrams shown of ${fences.get(route)}`);
        // How small the text is in the page itself, for the record (a drawing shrunk to fit).
        const inline = await page.$$eval('figure[data-diagram] > img', (imgs) =>
          (imgs as HTMLImageElement[])
            // Each figure's other theme's drawing, if still in the page, is not shown.
            .filter((img) => img.getClientRects().length > 0)
            .map((img) => ({
              src: img.currentSrc,
              scale: img.getBoundingClientRect().width / img.naturalWidth,
            })),
        );
        for (const { src, scale } of inline)
          smallestInline = Math.min(smallestInline, (await smallestAtScaleOne(src)) * scale);
        for (let i = 0; i < figures; i += 1) {
          try {
            const px = await fullSizeSmallestText(page, i);
            smallestFull = Math.min(smallestFull, px);
            opened += 1;
            if (!(px >= MIN_TEXT_PX))
              small.push(`${route} diagram ${i + 1}: smallest text ${px.toFixed(1)} px`);
          } catch (error) {
            small.push(`${route} diagram ${i + 1}: ${(error as Error).message.split('\n')[0]}`);
          }
        }
        for (const h of await page.evaluate(hiddenCode)) hidden.push(`${route}: ${h}`);
      } finally {
        await page.close();
      }
    }
    console.log(
      `phone: ${opened} diagrams opened full size; smallest text ${smallestInline.toFixed(1)} px ` +
        `in the page, ${smallestFull.toFixed(1)} px full size`,
    );
    expect.soft(small, `diagram text below ${MIN_TEXT_PX} px in the full-size view`).toEqual([]);
    expect.soft(opened, 'diagrams opened full size').toBeGreaterThan(0);
    expect(hidden, 'code lines hidden behind a sideways scroll').toEqual([]);
  });

  it("by keyboard: Tab reaches a diagram's control, Enter and Space open it, Escape closes it and focus returns", async () => {
    const page = await visit('/docs/request-path');
    try {
      const control = page.getByRole('button', { name: OPEN }).first();
      const label = (await control.getAttribute('aria-label')) ?? '';
      const title = label.replace(/^Open full size:\s*/, '');
      expect(title, 'the control names its diagram').not.toBe('');
      const focused = () => control.evaluate((el) => el === document.activeElement);
      // Tab from the page's title, as a reader who has started reading. Not from the top: focus
      // on the search box starts loading its index, and once loaded the search plugin focuses
      // the box again, wherever Tab has got to by then.
      await page.locator('article h1').click();
      for (let i = 0; i < 300 && !(await focused()); i += 1) await page.keyboard.press('Tab');
      expect(await focused(), 'Tab reaches the control').toBe(true);
      const dialog = page.getByRole('dialog', { name: title });
      for (const key of ['Enter', 'Space']) {
        await page.keyboard.press(key);
        await dialog.waitFor({ timeout: WAIT_MS });
        expect(
          await dialog.evaluate((d) => d.contains(document.activeElement)),
          `${key}: focus moves into the full-size view`,
        ).toBe(true);
        await page.keyboard.press('Escape');
        await page.locator('dialog').waitFor({ state: 'detached', timeout: WAIT_MS });
        expect(await focused(), `${key}, then Escape: focus is back on the control`).toBe(true);
      }
    } finally {
      await page.close();
    }
  });

  // axe runs on every page in tests/site/browser.test.ts, where no full-size view is open.
  it('the open full-size view passes axe-core, light and dark', async () => {
    const violations: string[] = [];
    for (const mode of ['light', 'dark'] as const) {
      const context = await browser.newContext({ ...PHONE, colorScheme: mode });
      await context.addInitScript((m) => localStorage.setItem('theme', m), mode);
      const page = await visit('/docs/stateful-servers', context);
      await page.getByRole('button', { name: OPEN }).first().tap();
      await page.locator('dialog[open] img').evaluate((img: HTMLImageElement) => img.decode());
      await page.addScriptTag({ content: axeSource });
      const found = await page.evaluate(async () => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const result = await (window as any).axe.run(document, { resultTypes: ['violations'] });
        return (result.violations as { id: string; nodes: { target: string[] }[] }[]).map(
          (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`,
        );
      });
      violations.push(...found.map((v) => `${mode}: ${v}`));
      await context.close();
    }
    expect(violations).toEqual([]);
  });
});
