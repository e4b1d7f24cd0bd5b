// The phone's navbar drawer is built in an idle moment after the page loads, or at once when the
// reader opens it first (src/theme/Navbar/MobileSidebar), not in the render that follows hydration.
// Either way it opens, lists the course's pages and takes the reader to one.
// Needs Chromium and build/; outside CI they skip, saying why; CI fails.
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
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
  await page.waitForSelector('button[data-color-mode-toggle][data-hydrated]', {
    state: 'attached',
  });
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

  // The window's size, once the page is mounted, comes in a transition (src/theme/use-window-size.ts):
  // a tap before it commits must still open a drawer with its links (it opened empty for 0.7 s,
  // found in review), and the colour-mode button must work (it was still disabled).
  it('tapped the moment the page is hydrated, on a slow phone, it opens with its links at once', async () => {
    const context = await site.browser.newContext({
      viewport: { width: 412, height: 823 },
      isMobile: true,
      hasTouch: true,
    });
    onTestFinished(() => context.close());
    await context.addInitScript(() => (window.requestIdleCallback = () => 0));
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 6 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${site.base}/docs/stateful-servers`, { waitUntil: 'commit' });
    // Hydrated: React has attached itself to the button.
    await page.waitForFunction(
      () => {
        const button = document.querySelector('button.navbar__toggle');
        return !!button && Object.keys(button).some((key) => key.startsWith('__reactFiber'));
      },
      null,
      { polling: 'raf', timeout: 30_000 },
    );
    // What the reader sees is each commit React makes: record, at the first one that shows the
    // drawer, how many links it holds. (Counting right after tap() raced the click a phone makes
    // from the tap, which a busy machine can deliver later; this waits for it, however late.)
    await page.evaluate(() => {
      const seen = window as unknown as { linksWhenShown?: number };
      const observer = new MutationObserver(() => {
        if (!document.querySelector('.navbar-sidebar--show')) return;
        seen.linksWhenShown = document.querySelectorAll(
          '.navbar-sidebar--show .navbar-sidebar .menu__link',
        ).length;
        observer.disconnect();
      });
      observer.observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await page.locator('button.navbar__toggle').tap();
    await expect
      .poll(
        () =>
          page.evaluate(
            () => (window as unknown as { linksWhenShown?: number }).linksWhenShown ?? null,
          ),
        { timeout: 30_000 },
      )
      .not.toBeNull();
    const links = await page.evaluate(
      () => (window as unknown as { linksWhenShown?: number }).linksWhenShown,
    );
    expect(links, 'links in the drawer the moment it is shown').toBeGreaterThan(5);
    expect(errors).toEqual([]);
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
