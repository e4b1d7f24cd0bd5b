// A click on the colour-mode button before the page has hydrated is answered, not lost
// (src/theme/ColorModeToggle, src/plugins/early-colour-mode.ts). Docusaurus disables the button
// until then, and a browser sends no click to a disabled button. The test holds back every script
// of the app with route interception, clicks and presses Enter on the server's HTML, then lets the
// scripts through: the mode chosen stays, React's state agrees with it (the button's label, the
// next step from there), one click after hydration is one step, not two, and a reload keeps it.
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import type { Page } from 'playwright-core';
import { openSite, siteSuite, type OpenSite } from './browser-env';

const suite = siteSuite(
  'the colour-mode button before hydration',
  'tests/site/colour-mode-early.test.ts',
);

suite.describe('the colour-mode button before the page hydrates', { timeout: 120_000 }, () => {
  let site: OpenSite;
  beforeAll(async () => {
    site = await openSite();
  });
  afterAll(() => site?.close());

  /** What the page shows and keeps: its data-theme, its data-theme-choice, the stored choice. */
  const mode = (page: Page) =>
    page.evaluate(() => {
      const root = document.documentElement;
      const stored = Object.keys(localStorage).filter((key) => key.startsWith('theme'));
      return {
        shown: root.getAttribute('data-theme'),
        choice: root.getAttribute('data-theme-choice'),
        stored: stored.map((key) => localStorage.getItem(key)).join(',') || 'nothing',
      };
    });

  it('clicks and a key press made before the scripts run are kept, and counted once', async () => {
    const context = await site.browser.newContext({
      viewport: { width: 1000, height: 800 },
      colorScheme: 'light',
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    onTestFinished(async () => {
      release();
      await page.unrouteAll({ behavior: 'ignoreErrors' });
      await context.close();
    });
    await page.route('**/*.js', async (route) => {
      await released;
      await route.continue();
    });
    await page.goto(`${site.base}/docs/stateful-servers`, { waitUntil: 'commit' });
    const button = page.locator('.navbar button[data-color-mode-toggle]');
    await button.waitFor({ state: 'visible' });
    expect(await mode(page)).toEqual({ shown: 'light', choice: 'system', stored: 'nothing' });
    expect(await button.evaluate((b) => b.hasAttribute('data-hydrated'))).toBe(false);

    await button.click(); // system → light
    expect(await mode(page)).toEqual({ shown: 'light', choice: 'light', stored: 'light' });
    await button.focus();
    await page.keyboard.press('Enter'); // light → dark, by keyboard
    expect(await mode(page)).toEqual({ shown: 'dark', choice: 'dark', stored: 'dark' });
    // Still nothing of the app has run: the page's own script answered both.
    expect(await button.evaluate((b) => b.hasAttribute('data-hydrated'))).toBe(false);

    release();
    await page.waitForSelector('.navbar button[data-color-mode-toggle][data-hydrated]');
    expect(await mode(page)).toEqual({ shown: 'dark', choice: 'dark', stored: 'dark' });
    // React's state is the page's: the label names the mode, and the next click goes on from it.
    await expect.poll(() => button.getAttribute('title')).toBe('dark mode');
    await button.click(); // dark → system, once (not twice: the early script steps aside)
    expect(await mode(page)).toEqual({ shown: 'light', choice: 'system', stored: 'nothing' });
    await expect.poll(() => button.getAttribute('title')).toBe('system mode');
    await button.click(); // system → light
    expect(await mode(page)).toEqual({ shown: 'light', choice: 'light', stored: 'light' });
    await button.click(); // light → dark
    await page.reload();
    await page.waitForSelector('.navbar button[data-color-mode-toggle][data-hydrated]');
    expect(await mode(page)).toEqual({ shown: 'dark', choice: 'dark', stored: 'dark' });
    expect(problems).toEqual([]);
  });

  it('is not shown without JavaScript, where nothing could answer it', async () => {
    const context = await site.browser.newContext({ javaScriptEnabled: false });
    onTestFinished(() => context.close());
    const page = await context.newPage();
    await page.goto(`${site.base}/docs/stateful-servers`);
    expect(await page.locator('button[data-color-mode-toggle]').first().isHidden()).toBe(true);
    expect(await page.locator('.navbar__title').first().isVisible()).toBe(true);
  });
});
