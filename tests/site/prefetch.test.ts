// Docusaurus prefetches the code of the pages that links on screen lead to; the site moves that work
// to idle moments (src/theme/prefetch-when-idle.ts) rather than do it in one task as the page loads.
// The pages are still prefetched, and a link still opens its page in place.
// Needs Chromium and build/; outside CI they skip, saying why; CI fails.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openSite, siteSuite, type OpenSite } from './browser-env';

const suite = siteSuite('prefetching linked pages', 'tests/site/prefetch.test.ts');

suite.describe('prefetching', { timeout: 60_000 }, () => {
  let site: OpenSite;
  beforeAll(async () => {
    site = await openSite();
  });
  afterAll(() => site?.close());

  it('the pages the sidebar links to are prefetched once the page is idle, and a link opens its page in place', async () => {
    const page = await site.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await page.goto(`${site.base}/docs/intro`, { waitUntil: 'networkidle' });
      await page.waitForSelector('button[data-color-mode-toggle][data-hydrated]');
      expect(
        await page.evaluate(
          () => (window.docusaurus.prefetch as { whenIdle?: boolean }).whenIdle === true,
        ),
      ).toBe(true);
      // The sidebar's links to the chapters are on screen: their pages' code gets prefetched.
      await expect
        .poll(() => page.locator('link[rel="prefetch"][href$=".js"]').count(), { timeout: 15_000 })
        .toBeGreaterThan(10);
      // This page has loaded the docs' frame (src/plugins/docs-chunk.ts): it does not prefetch it.
      expect(await page.locator('link[rel="prefetch"][href*="/assets/js/docs."]').count()).toBe(0);
      await page.evaluate(() => ((window as unknown as { same: boolean }).same = true));
      await page.locator('.theme-doc-sidebar-menu a[href="/docs/setup"]').click();
      await page.waitForURL('**/docs/setup');
      await page.waitForSelector('article h1');
      expect(await page.evaluate(() => 'same' in window)).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
