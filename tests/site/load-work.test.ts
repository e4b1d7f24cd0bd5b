// Work a page must not do as it loads, because on a phone each is a long task the reader waits on
// (issue 18). Each case here failed before the change it names.
// - No localeCompare: the first one loads the browser's collation tables (over 100 ms on
//   Lighthouse's phone). Docusaurus called it from useShallowMemoObject on every doc page; the
//   browser's bundle has src/theme/react-utils.tsx instead (src/plugins/stand-ins.ts).
// - No code block buttons in the render that follows hydration: they mount in idle moments
//   (src/theme/CodeBlock/Buttons; tests/site/code-buttons.test.ts checks they all arrive).
// - No layout of code blocks far from the screen (content-visibility, src/css/custom.css), even
//   once their buttons are there; printing lays them all out.
// - No layout of a notebook page's printed tables far from the screen (the same, for tables:
//   src/components/NotebookOutput/styles.module.css), each the height of its estimated rows until
//   it comes within a screen of the viewport.
// - No diagram drawing fetched far from the screen, nor in the colour mode not shown: each is an
//   SVG of about 30 KB that the page parses on its main thread (src/components/Diagram,
//   loading="lazy"). Eager, every diagram's light and dark drawings were preloaded and parsed.
// Needs Chromium and build/; outside CI they skip, saying why; CI fails.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openSite, reachEveryDiagram, siteSuite, twoFrames, type OpenSite } from './browser-env';

const suite = siteSuite('work a page does as it loads', 'tests/site/load-work.test.ts');

const PAGES = ['/docs/intro', '/docs/state-that-remains', '/docs/notebooks/many-servers', '/'];

suite.describe('work a page does as it loads', { timeout: 90_000 }, () => {
  let site: OpenSite;
  beforeAll(async () => {
    site = await openSite();
  });
  afterAll(() => site?.close());

  it.each(PAGES)(
    '%s: no localeCompare; code block buttons in an idle moment; far blocks not laid out',
    async (route) => {
      const context = await site.browser.newContext({
        viewport: { width: 412, height: 823 },
        isMobile: true,
        hasTouch: true,
      });
      // Count localeCompare calls, and keep idle callbacks from running until the test says so.
      await context.addInitScript(() => {
        const w = window as unknown as { compares: string[]; idle: (() => void)[] };
        w.compares = [];
        const original = String.prototype.localeCompare;
        String.prototype.localeCompare = function (this: string, ...args) {
          w.compares.push(new Error().stack ?? '');
          return original.apply(this, args as Parameters<typeof original>);
        } as typeof original;
        w.idle = [];
        window.requestIdleCallback = (run: IdleRequestCallback) => {
          w.idle.push(() => run({ didTimeout: false, timeRemaining: () => 50 }));
          return w.idle.length;
        };
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      try {
        await page.goto(`${site.base}${route}`, { waitUntil: 'networkidle' });
        await page.waitForSelector('button[data-color-mode-toggle][data-hydrated]', {
          state: 'attached',
        });
        await page.waitForTimeout(300);
        const blocks = await page.locator('.theme-code-block').count();
        expect(await page.locator('.theme-code-block button').count()).toBe(0);
        expect(
          await page.evaluate(() => (window as unknown as { compares: string[] }).compares),
        ).toEqual([]);
        // Now the idle moments come: every block gets its buttons. Blocks more than two screens
        // down are still not laid out.
        const state = () =>
          page.evaluate(() => {
            const w = window as unknown as { idle: (() => void)[] };
            for (const run of w.idle.splice(0)) run();
            return Array.from(document.querySelectorAll('.theme-code-block pre'), (pre) => ({
              copy: !!pre.parentElement!.querySelector(
                'button[aria-label="Copy code to clipboard"]',
              ),
              far: pre.parentElement!.getBoundingClientRect().top > 2 * window.innerHeight,
              laidOut: pre.querySelector('code')!.checkVisibility({ contentVisibilityAuto: true }),
            }));
          });
        await expect
          .poll(async () => (await state()).every((b) => b.copy), { timeout: 20_000 })
          .toBe(true);
        const far = (await state()).filter((b) => b.far);
        expect(far.map((b) => b.laidOut)).toEqual(far.map(() => false));
        if (blocks > 3) expect(far.length).toBeGreaterThan(0);
        // Printed, every block is laid out.
        const visibility = () =>
          page.$$eval('.theme-code-block pre', (pres) =>
            pres.map((pre) => getComputedStyle(pre).contentVisibility),
          );
        expect(new Set(await visibility())).toEqual(new Set(blocks ? ['auto'] : []));
        await page.emulateMedia({ media: 'print' });
        expect(new Set(await visibility())).toEqual(new Set(blocks ? ['visible'] : []));
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    },
  );

  it('a notebook page: far printed tables not laid out, and about as tall as they will be', async () => {
    const TABLES = '.markdown table[tabindex]';
    const context = await site.browser.newContext({
      viewport: { width: 412, height: 823 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    try {
      await page.goto(`${site.base}/docs/notebooks/stateless-servers`, {
        waitUntil: 'networkidle',
      });
      const tables = () =>
        page.$$eval(TABLES, (all) =>
          all.map((table) => ({
            far: table.getBoundingClientRect().top > 2 * window.innerHeight,
            // A skipped table's own box is laid out; what is inside it is not.
            laidOut: table.querySelector('td')!.checkVisibility({ contentVisibilityAuto: true }),
            height: table.getBoundingClientRect().height,
          })),
        );
      const before = await tables();
      const far = before.filter((t) => t.far);
      expect(far.length).toBeGreaterThan(3);
      expect(far.map((t) => t.laidOut)).toEqual(far.map(() => false));
      // Each comes near the screen in turn: laid out, at about the height it was given.
      for (const [i, t] of before.entries()) {
        await page.locator(TABLES).nth(i).scrollIntoViewIfNeeded();
        await twoFrames(page);
        const now = (await tables())[i];
        expect(now.laidOut, `#${i}`).toBe(true);
        if (!t.far) continue;
        const given = `#${i}: real height ${now.height} px, given ${t.height} px`;
        expect(now.height / t.height, given).toBeGreaterThan(0.5);
        expect(now.height / t.height, given).toBeLessThan(2);
      }
      // Printed, every one is laid out.
      await page.emulateMedia({ media: 'print' });
      expect(
        new Set(
          await page.$$eval(TABLES, (all) =>
            all.map((table) => getComputedStyle(table).contentVisibility),
          ),
        ),
      ).toEqual(new Set(['visible']));
    } finally {
      await context.close();
    }
  });

  it.each(['light', 'dark'] as const)(
    'diagram drawings load as the reader reaches them, in the colour mode shown only (%s)',
    async (mode) => {
      const other = mode === 'light' ? 'dark' : 'light';
      const context = await site.browser.newContext({
        viewport: { width: 412, height: 823 },
        isMobile: true,
        hasTouch: true,
        colorScheme: mode,
      });
      try {
        const page = await context.newPage();
        const drawings: string[] = [];
        page.on('request', (r) => {
          if (r.url().includes('/diagrams/')) drawings.push(new URL(r.url()).pathname);
        });
        await page.goto(`${site.base}/docs/stateful-servers`, { waitUntil: 'networkidle' });
        await page.waitForTimeout(500);
        const figures = await page.locator('figure[data-diagram]').count();
        expect(figures).toBeGreaterThan(2);
        // At the top of the page: not every diagram's drawing, and never the other mode's.
        expect(drawings.length).toBeLessThan(figures);
        expect(drawings.filter((d) => d.endsWith(`-${other}.svg`))).toEqual([]);
        // Read down the page: each one's drawing in this mode arrives, once; still none of the other.
        expect(await reachEveryDiagram(page)).toBe(figures);
        expect(drawings.length).toBe(figures);
        expect(new Set(drawings).size).toBe(figures);
        expect(drawings.every((d) => d.endsWith(`-${mode}.svg`))).toBe(true);
      } finally {
        await context.close();
      }
    },
  );
});
