// A search result opens its page with the searched words highlighted (the search plugin's
// `?_highlight=` and mark.js), and the highlights go when the URL no longer asks for them. The site
// gives the plugin src/search/mark.ts, whose unmark() skips a page with nothing highlighted; this
// checks that highlighting still works both ways in a real browser.
// Needs Chromium and build/; outside CI they skip, saying why; CI fails.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openSite, siteSuite, type OpenSite } from './browser-env';

const suite = siteSuite('search highlights on the page', 'tests/site/search-highlight.test.ts');

/** Moves the page's router to `url` without a new document (as a Back button would). */
const route = (page: Page, url: string) =>
  page.evaluate((u) => {
    history.pushState(null, '', u);
    dispatchEvent(new PopStateEvent('popstate'));
  }, url);

const marks = (page: Page) =>
  page.$$eval('article mark[data-markjs]', (els) => els.map((el) => el.textContent!.toLowerCase()));

suite.describe('search highlights', { timeout: 60_000 }, () => {
  let site: OpenSite;
  beforeAll(async () => {
    site = await openSite();
  });
  afterAll(() => site?.close());

  it('a page opened with ?_highlight= marks the word; without it again, the marks go and the text stays', async () => {
    const page = await site.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await page.goto(`${site.base}/docs/stateful-servers`, { waitUntil: 'networkidle' });
      await page.waitForSelector('button[title$="mode"]:not([disabled])');
      const text = await page.locator('article').innerText();
      expect(await marks(page)).toEqual([]);

      await route(page, '/docs/stateful-servers?_highlight=sticky');
      await expect.poll(() => marks(page)).not.toEqual([]);
      expect(new Set(await marks(page))).toEqual(new Set(['sticky']));

      await route(page, '/docs/stateful-servers');
      await expect.poll(() => marks(page)).toEqual([]);
      expect(await page.locator('article').innerText()).toBe(text);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
