// Code blocks highlighted to static HTML (src/theme/CodeBlock/Content) have their dark colours
// from the first paint, before the page's JavaScript runs: their tokens are coloured by CSS keyed
// on the theme, and so is the block's background. (It was a React style: until hydration, dracula's
// tokens sat on github's light background, about 2:1, and axe failed a slow dark load.)
// Needs Chromium and build/; outside CI they skip, saying why; CI fails.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { openSite, siteSuite, type OpenSite } from './browser-env';

const suite = siteSuite('code colours', 'tests/site/code-colours.test.ts');

suite.describe('static code blocks before hydration', { timeout: 60_000 }, () => {
  let site: OpenSite;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    site = await openSite();
    ({ base, browser } = site);
  });
  afterAll(() => site?.close());

  it('a dark page shows dark code, background and tokens alike, with no JavaScript loaded', async () => {
    const context = await browser.newContext({ colorScheme: 'dark' });
    try {
      await context.addInitScript(() => localStorage.setItem('theme', 'dark'));
      const page = await context.newPage();
      // The page's own inline script still sets data-theme; its bundles (React) never arrive.
      await page.route(/\/assets\/js\//, (route) => route.abort());
      await page.goto(`${base}/docs/request-path`, { waitUntil: 'load' });
      const seen = await page.evaluate(() => {
        const pre = document.querySelector<HTMLElement>('pre.static-tokens')!;
        const keyword = pre.querySelector('.token.keyword')!;
        return {
          theme: document.documentElement.dataset.theme,
          background: getComputedStyle(pre).backgroundColor,
          keyword: getComputedStyle(keyword).color,
        };
      });
      // prism-react-renderer's dracula, the site's dark theme: background and keyword colour.
      expect(seen).toEqual({
        theme: 'dark',
        background: 'rgb(40, 42, 54)',
        keyword: 'rgb(189, 147, 249)',
      });
    } finally {
      await context.close();
    }
  });
});
