// A page's scripts are fetched after its first paint (src/ssg-template.ts): the reader sees the
// page from its HTML and CSS alone, and the code that makes it interactive comes right after, in
// order, and runs. Checked on every page of the build (each names its scripts, and they exist; no
// script in the head, no "did not load properly" banner), in Chromium on a phone (each script
// requested after the first contentful paint, the page hydrated), and where no paint comes or is
// reported (a tab the reader is not looking at, a browser without paint timing): the scripts load
// anyway, at once, as the tab is hidden, or after a wait. A page the browser places the reader on
// (opened at a heading, reloaded, reached by Back) loads them at once; far-code.test.ts and
// prose-layout.test.ts check a linked heading stays where it belongs.
// Needs Chromium and build/; outside CI they skip, saying why; CI fails.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PAINT_WAIT_MS } from '../../src/ssg-template';
import { builtHtml } from '../../tools/static-server';
import { BUILD, openSite, routesInBuild, siteSuite, type OpenSite } from './browser-env';

const suite = siteSuite(
  'scripts fetched after the first paint',
  'tests/site/scripts-after-paint.test.ts',
);

/** The built HTML of a route. */
const html = (route: string) => builtHtml(BUILD, route);

/** The scripts the loader at the end of the page's body adds, in order. */
function scriptsOf(page: string): string[] | undefined {
  const call = /\}\((\[[^\]]*\])\)<\/script><\/body>/.exec(page);
  return call ? (JSON.parse(call[1]) as string[]) : undefined;
}

/** Hydrated: the colour mode toggle carries data-hydrated once React runs. */
const hydrated = (page: Page) =>
  page.waitForSelector('button[data-color-mode-toggle][data-hydrated]', {
    state: 'attached',
    timeout: 30_000,
  });

suite.describe('scripts fetched after the first paint', { timeout: 120_000 }, () => {
  let site: OpenSite;
  beforeAll(async () => {
    site = await openSite();
  });
  afterAll(() => site?.close());

  it('every page adds the runtime, then main, both built, and has no script in its head', () => {
    const routes = routesInBuild();
    expect(routes.length).toBeGreaterThan(20);
    const wrong: string[] = [];
    for (const route of routes) {
      const page = html(route);
      const scripts = scriptsOf(page);
      const head = page.slice(0, page.indexOf('</head>'));
      if (!scripts) wrong.push(`${route}: no loader at the end of the body`);
      else if (
        !/runtime~main\.[0-9a-f]+\.js$/.test(scripts[0] ?? '') ||
        !/\/main\.[0-9a-f]+\.js$/.test(scripts[1] ?? '')
      )
        wrong.push(`${route}: scripts ${JSON.stringify(scripts)}, not the runtime then main`);
      else if (scripts.some((s) => !existsSync(join(BUILD, s))))
        wrong.push(`${route}: a script that is not in the build: ${JSON.stringify(scripts)}`);
      if (/<script[^>]*\bsrc=/.test(head)) wrong.push(`${route}: a script with src in the head`);
      if (page.includes('did not load properly'))
        wrong.push(`${route}: Docusaurus's base URL banner`);
    }
    expect(wrong).toEqual([]);
  });

  it.each(['/docs/intro', '/docs/notebooks/stateless-servers', '/', '/search'])(
    '%s on a phone: each script is requested after the first contentful paint, and the page hydrates',
    async (route) => {
      const context = await site.browser.newContext({
        viewport: { width: 412, height: 823 },
        isMobile: true,
        hasTouch: true,
      });
      try {
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`${site.base}${route}`);
        await hydrated(page);
        const { paint, scripts } = await page.evaluate(() => ({
          paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
          scripts: performance
            .getEntriesByType('resource')
            .filter((e) => /\/assets\/js\/(runtime~)?main\./.test(e.name))
            .map((e) => ({ name: e.name, start: e.startTime })),
        }));
        expect(paint).toBeGreaterThan(0);
        expect(scripts.map((s) => s.name.replace(/^.*\/|\.[0-9a-f]+\.js$/g, ''))).toEqual([
          'runtime~main',
          'main',
        ]);
        for (const s of scripts) expect(s.start, s.name).toBeGreaterThan(paint!);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    },
  );

  /** Opens /docs/intro in a browser where no paint is reported and no animation frame comes (as
   *  in a tab the reader is not looking at), the tab `visibility` at first; `hide()` hides it.
   *  `frames`: animation frames do come. `wait`: the loader's wait for a paint ends (PAINT_WAIT_MS);
   *  without it that timer never fires, so only what the test names can add the scripts. */
  async function openUnpainted(
    visibility: 'hidden' | 'visible',
    { hash = '', frames = false, wait = false } = {},
  ) {
    const context = await site.browser.newContext();
    await context.addInitScript(
      ([visibility, frames, wait, waitMs]) => {
        let shown = visibility;
        Object.defineProperty(document, 'visibilityState', { get: () => shown });
        if (!frames) window.requestAnimationFrame = () => 0;
        Object.defineProperty(PerformanceObserver, 'supportedEntryTypes', { get: () => [] });
        const setTimer = window.setTimeout;
        if (!wait)
          window.setTimeout = ((handler: TimerHandler, ms?: number, ...rest: unknown[]) =>
            ms === waitMs ? 0 : setTimer(handler, ms, ...rest)) as typeof window.setTimeout;
        (window as unknown as { hide: () => void }).hide = () => {
          shown = 'hidden';
          document.dispatchEvent(new Event('visibilitychange'));
        };
      },
      [visibility, frames, wait, PAINT_WAIT_MS] as const,
    );
    const page = await context.newPage();
    await page.goto(`${site.base}/docs/intro${hash}`, { waitUntil: 'domcontentloaded' });
    return { context, page };
  }
  /** Runs `body` on a page openUnpainted() opened, and closes its browser context after. */
  async function withUnpainted(
    visibility: 'hidden' | 'visible',
    options: Parameters<typeof openUnpainted>[1],
    body: (page: Page) => Promise<void>,
  ) {
    const { context, page } = await openUnpainted(visibility, options);
    try {
      await body(page);
    } finally {
      await context.close();
    }
  }
  const scriptsAdded = (page: Page) =>
    page.evaluate(() => document.querySelectorAll('script[src*="main."]').length);

  it('a page in a tab hidden from the start adds its scripts at once, and hydrates', async () => {
    await withUnpainted('hidden', {}, async (page) => {
      expect(await scriptsAdded(page)).toBe(2);
      await hydrated(page);
    });
  });

  it('a page hidden before its first paint adds its scripts as it is hidden, and hydrates', async () => {
    await withUnpainted('visible', {}, async (page) => {
      expect(await scriptsAdded(page)).toBe(0);
      // In one task: hidden, and the scripts are there.
      expect(
        await page.evaluate(() => {
          (window as unknown as { hide: () => void }).hide();
          return document.querySelectorAll('script[src*="main."]').length;
        }),
      ).toBe(2);
      await hydrated(page);
    });
  });

  it('a browser without paint timing adds the scripts after a frame, and hydrates', async () => {
    await withUnpainted('visible', { frames: true }, async (page) => {
      await hydrated(page);
    });
  });

  it('a page whose paint is never reported adds its scripts after a wait, and hydrates', async () => {
    await withUnpainted('visible', { wait: true }, async (page) => {
      await hydrated(page);
    });
  });

  // The browser keeps the reader's place only until the load event (src/ssg-template.ts).
  it('a page opened at a heading adds its scripts at once, not after a paint', async () => {
    await withUnpainted('visible', { hash: '#who-it-is-for' }, async (page) => {
      expect(await scriptsAdded(page)).toBe(2);
      await hydrated(page);
    });
  });

  it('a page reloaded, or reached by Back, adds its scripts at once', async () => {
    await withUnpainted('visible', {}, async (page) => {
      expect(await scriptsAdded(page)).toBe(0);
      await page.reload({ waitUntil: 'domcontentloaded' });
      expect(await scriptsAdded(page)).toBe(2);
      await page.goto(`${site.base}/docs/setup`, { waitUntil: 'domcontentloaded' });
      await page.goBack({ waitUntil: 'domcontentloaded' });
      expect(await page.evaluate(() => location.pathname)).toBe('/docs/intro');
      expect(await scriptsAdded(page)).toBe(2);
      await hydrated(page);
    });
  });

  it("the home page shows no 'did not load properly' banner while its scripts are on the way", async () => {
    await withUnpainted('visible', {}, async (page) => {
      await page.goto(`${site.base}/`, { waitUntil: 'load' });
      expect(await scriptsAdded(page)).toBe(0);
      expect(await page.content()).not.toContain('did not load properly');
    });
  });
});
