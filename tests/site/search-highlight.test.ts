// A search result opens its page with the searched words highlighted (the search plugin's
// `?_highlight=` and mark.js), and the highlights go when the URL no longer asks for them. The site
// gives the plugin src/search/mark.ts, whose unmark() skips a page with nothing highlighted and
// which loads mark.js (its chunk, mark.<hash>.js) only when there is something to mark; this checks
// that highlighting still works both ways in a real browser, and that a page opened without a
// highlight never fetches mark.js.
// Needs Chromium and build/; outside CI they skip, saying why; CI fails.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { articleLaidOut, openSite, siteSuite, type OpenSite } from './browser-env';

const suite = siteSuite('search highlights on the page', 'tests/site/search-highlight.test.ts');

/** Moves the page's router to `url` without a new document (as a Back button would). */
const route = (page: Page, url: string) =>
  page.evaluate((u) => {
    history.pushState(null, '', u);
    dispatchEvent(new PopStateEvent('popstate'));
  }, url);

/** Every request the page makes for mark.js's chunk. */
function markJsRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    if (/\/assets\/js\/mark\.[0-9a-f]+\.js$/.test(new URL(request.url()).pathname))
      seen.push(request.url());
  });
  return seen;
}

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
    const markJs = markJsRequests(page);
    try {
      await page.goto(`${site.base}/docs/stateful-servers`, { waitUntil: 'networkidle' });
      await page.waitForSelector('button[data-color-mode-toggle][data-hydrated]');
      // The text as the reader reads it once the page has settled: innerText leaves out what is
      // not laid out yet, and the article's far prose is laid out in idle moments after load (on a
      // busy machine, after this point; the text read before it then differed from the one after).
      await articleLaidOut(page);
      const text = await page.locator('article').innerText();
      expect(await marks(page)).toEqual([]);
      // The plugin's unmark() has run (a task after the page knew it was in a browser): with
      // nothing to unmark, mark.js was not needed.
      await page.waitForTimeout(500);
      expect(markJs).toEqual([]);

      await route(page, '/docs/stateful-servers?_highlight=sticky');
      await expect.poll(() => marks(page)).not.toEqual([]);
      expect(new Set(await marks(page))).toEqual(new Set(['sticky']));
      expect(markJs).toHaveLength(1);

      await route(page, '/docs/stateful-servers');
      await expect.poll(() => marks(page)).toEqual([]);
      expect(await page.locator('article').innerText()).toBe(text);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('a page opened from a search result, a new document with ?_highlight=, loads mark.js and marks the word', async () => {
    const page = await site.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const markJs = markJsRequests(page);
    try {
      await page.goto(`${site.base}/docs/notebooks/stateful-servers?_highlight=sticky`);
      await expect.poll(() => marks(page), { timeout: 20_000 }).not.toEqual([]);
      expect(new Set(await marks(page))).toEqual(new Set(['sticky']));
      expect(markJs).toHaveLength(1);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('a highlight cleared before mark.js has arrived leaves nothing marked', async () => {
    const page = await site.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    // mark.js arrives late (a slow connection): the reader clears the search first, which is what
    // the search box's clear button does (the same page, without ?_highlight=).
    let release = () => {};
    const arrived = new Promise<void>((resolve) => (release = resolve));
    let asked = 0;
    await page.route(/\/assets\/js\/mark\.[0-9a-f]+\.js$/, async (r) => {
      asked += 1;
      await arrived;
      await r.continue();
    });
    try {
      await page.goto(`${site.base}/docs/stateful-servers?_highlight=sticky`);
      await page.waitForSelector('button[data-color-mode-toggle][data-hydrated]', {
        state: 'attached',
      });
      // The plugin's mark() is on its way: it has asked for mark.js, which is held back. (A fixed
      // 300 ms wait, on a busy machine, could clear the search before mark() had asked at all.)
      await expect.poll(() => asked, { timeout: 20_000 }).toBeGreaterThan(0);
      await route(page, '/docs/stateful-servers');
      await page.waitForTimeout(300);
      const response = page.waitForResponse(/\/assets\/js\/mark\./, { timeout: 20_000 });
      release();
      await response;
      await page.waitForTimeout(1000);
      expect(await marks(page)).toEqual([]);
      // And a new search still highlights.
      await route(page, '/docs/stateful-servers?_highlight=session');
      await expect.poll(() => marks(page)).not.toEqual([]);
      expect(new Set(await marks(page))).toEqual(new Set(['session']));
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
