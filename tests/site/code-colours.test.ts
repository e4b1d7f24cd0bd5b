// Code blocks highlighted to static HTML (src/theme/CodeBlock/Content) have their dark colours
// from the first paint, before the page's JavaScript runs: their tokens are coloured by CSS keyed
// on the theme, and so is the block's background. (It was a React style: until hydration, dracula's
// tokens sat on github's light background, about 2:1, and axe failed a slow dark load.)
// Needs Chromium and build/, as tests/site/browser.test.ts does (which says how to get them).
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { serveBuild } from '../../tools/static-server';
import { BUILD, CHROMIUM, CHROMIUM_ARGS, missingForBrowserTests } from './browser-env';

const ready = missingForBrowserTests().length === 0;

describe.skipIf(!ready)('static code blocks before hydration', { timeout: 60_000 }, () => {
  let browser: Browser;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    ({ url: base, server } = await serveBuild(BUILD));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

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
