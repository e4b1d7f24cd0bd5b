// The phone's navbar drawer is built in an idle moment after the page loads, or at once when the
// reader opens it first (src/theme/Navbar/MobileSidebar), not in the render that follows hydration.
// Either way it opens, lists the course's pages and takes the reader to one.
// Needs Chromium and build/; outside CI they skip, saying why; CI fails.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openSite, siteSuite, type OpenSite } from './browser-env';

const suite = siteSuite('the phone navbar drawer', 'tests/site/mobile-drawer.test.ts');

/** A phone page, hydrated; with idle false, its idle callbacks never run. */
async function phone(site: OpenSite, idle: boolean): Promise<{ page: Page; errors: string[] }> {
  const context = await site.browser.newContext({
    viewport: { width: 412, height: 823 },
    isMobile: true,
    hasTouch: true,
  });
  if (!idle) await context.addInitScript(() => (window.requestIdleCallback = () => 0));
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${site.base}/docs/intro`, { waitUntil: 'networkidle' });
  await page.waitForSelector('button[title$="mode"]:not([disabled])', { state: 'attached' });
  return { page, errors };
}

/** Opens the drawer and follows its link to the setup page, in place (no full page load). */
async function openAndFollow(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { same: boolean }).same = true));
  await page.locator('button.navbar__toggle').tap();
  await page.waitForSelector('.navbar-sidebar--show .navbar-sidebar a[href="/docs/setup"]', {
    state: 'visible',
  });
  await page.locator('.navbar-sidebar a[href="/docs/setup"]').tap();
  await page.waitForURL('**/docs/setup');
  await page.waitForSelector('article h1');
  expect(await page.evaluate(() => 'same' in window)).toBe(true);
}

suite.describe('the phone navbar drawer', { timeout: 90_000 }, () => {
  let site: OpenSite;
  beforeAll(async () => {
    site = await openSite();
  });
  afterAll(() => site?.close());

  it('is built in an idle moment, and then opens and takes the reader to a page', async () => {
    const { page, errors } = await phone(site, true);
    try {
      await expect.poll(() => page.locator('.navbar-sidebar').count(), { timeout: 20_000 }).toBe(1);
      await openAndFollow(page);
      expect(errors).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  it('with no idle moment, it is not built as the page loads, and opening it builds it', async () => {
    const { page, errors } = await phone(site, false);
    try {
      await page.waitForTimeout(500);
      expect(await page.locator('.navbar-sidebar').count()).toBe(0);
      await openAndFollow(page);
      expect(errors).toEqual([]);
    } finally {
      await page.context().close();
    }
  });
});
