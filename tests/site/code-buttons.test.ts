// Code blocks' copy and word-wrap buttons mount after the page loads, in idle moments once a block is
// on or near the screen, or at once when the reader reaches a block (src/theme/CodeBlock/Buttons),
// not all in one task as the page hydrates. Whatever the order, every block the reader comes to
// has its buttons, and they work.
// Needs Chromium and build/; outside CI they skip, saying why; CI fails.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openSite, siteSuite, type OpenSite } from './browser-env';

const suite = siteSuite('code block buttons', 'tests/site/code-buttons.test.ts');

const BLOCKS = '.theme-code-block';
const COPY = `${BLOCKS} button[aria-label="Copy code to clipboard"]`;
const PAGE = '/docs/notebooks/many-servers';

const pageErrors = new WeakMap<Page, string[]>();

/** Closes the page's context, and fails on any error the page threw. */
async function done(page: Page): Promise<void> {
  await page.context().close();
  expect(pageErrors.get(page)).toEqual([]);
}

/** A page whose idle callbacks never run, when idle is false: only reaching a block shows its buttons. */
async function open(site: OpenSite, idle: boolean, width = 412): Promise<Page> {
  const context = await site.browser.newContext({
    viewport: { width, height: 800 },
    hasTouch: true,
  });
  if (!idle) await context.addInitScript(() => (window.requestIdleCallback = () => 0));
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  pageErrors.set(page, errors);
  await page.goto(`${site.base}${PAGE}`, { waitUntil: 'networkidle' });
  // Hydrated: the colour mode toggle is enabled (on a phone, the navbar's copy of it is hidden).
  await page.waitForSelector('button[title$="mode"]:not([disabled])', { state: 'attached' });
  return page;
}

/** For each code block: whether it has its copy button, and whether it is on or near the screen
 *  (a quarter of a screen above or below: src/theme/near-screen.ts). */
function blocksNow(page: Page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('.theme-code-block'), (block) => {
      const { top, bottom } = block.getBoundingClientRect();
      const margin = window.innerHeight / 4;
      return {
        copy: block.querySelector('button[aria-label="Copy code to clipboard"]') !== null,
        // A block in a tab not shown has no box, and is not near.
        near:
          block.getClientRects().length > 0 &&
          bottom >= -margin &&
          top <= window.innerHeight + margin,
      };
    }),
  );
}

/** Scrolls down the page one block at a time, as a reader would, until each had its buttons. */
async function readThrough(page: Page): Promise<void> {
  const blocks = page.locator(BLOCKS);
  for (let i = 0; i < (await blocks.count()); i += 1) {
    await blocks.nth(i).evaluate((b) => b.scrollIntoView({ block: 'center' }));
    await expect
      .poll(() => blocks.nth(i).locator('button[aria-label="Copy code to clipboard"]').count(), {
        timeout: 10_000,
      })
      .toBe(1);
  }
}

suite.describe('code block buttons', { timeout: 90_000 }, () => {
  let site: OpenSite;
  beforeAll(async () => {
    site = await openSite();
  });
  afterAll(() => site?.close());

  it('a code block gets its buttons once it is near the screen, and one far below when scrolled to', async () => {
    const page = await open(site, true);
    try {
      const count = await page.locator(BLOCKS).count();
      expect(count).toBeGreaterThan(10);
      // Those on or near the screen get theirs; no other does, however long we wait. (This page's
      // first screen has none: so also halfway down, where some are near.)
      const settled = async () => {
        await expect
          .poll(async () => (await blocksNow(page)).every((b) => b.copy === b.near), {
            timeout: 20_000,
          })
          .toBe(true);
        await page.waitForTimeout(1000);
        const now = await blocksNow(page);
        expect(now.every((b) => b.copy === b.near)).toBe(true);
        return now;
      };
      await settled();
      await page
        .locator(BLOCKS)
        .nth(Math.floor(count / 2))
        .evaluate((b) => b.scrollIntoView());
      const halfway = await settled();
      expect(halfway.filter((b) => b.copy).length).toBeGreaterThan(0);
      expect(halfway.filter((b) => !b.copy).length).toBeGreaterThan(5);
      // Read down the page: every block has its buttons by the time it is on the screen.
      await readThrough(page);
      expect(await page.locator(COPY).count()).toBe(count);
    } finally {
      await done(page);
    }
  });

  it('with no idle moment, a block gets its buttons when the pointer, a tap or the keyboard reaches it', async () => {
    const page = await open(site, false, 1280);
    try {
      await page.waitForTimeout(500);
      expect(await page.locator(COPY).count()).toBe(0); // none mounted as the page loaded
      const blocks = page.locator(BLOCKS);

      await blocks.nth(0).hover();
      await expect
        .poll(() => blocks.nth(0).locator('button[aria-label="Copy code to clipboard"]').count())
        .toBe(1);

      // A touch alone (no pointer or focus event), as a phone's first tap may be.
      await blocks.nth(1).locator('pre').dispatchEvent('touchstart');
      await expect
        .poll(() => blocks.nth(1).locator('button[aria-label="Copy code to clipboard"]').count())
        .toBe(1);

      // Keyboard: focus the block's code, then Tab reaches its copy button.
      await blocks.nth(2).locator('pre').focus();
      await expect
        .poll(() => blocks.nth(2).locator('button[aria-label="Copy code to clipboard"]').count())
        .toBe(1);
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => ({
        label: document.activeElement?.getAttribute('aria-label'),
        inBlock:
          document.activeElement?.closest('.theme-code-block') ===
          document.querySelectorAll('.theme-code-block')[2],
      }));
      expect(focused).toEqual({
        label: expect.stringMatching(/^(Copy code to clipboard|Toggle word wrap)$/),
        inBlock: true,
      });
      expect(await page.locator(COPY).count()).toBe(3); // and no other block's
    } finally {
      await done(page);
    }
  });

  it('the copy button copies the block and says so; the word-wrap button shows on a block that scrolls sideways, and wraps it', async () => {
    const page = await open(site, true, 1600);
    try {
      await page.evaluate(() => {
        const copied: string[] = [];
        (window as unknown as { copied: string[] }).copied = copied;
        Object.defineProperty(navigator, 'clipboard', {
          value: { writeText: async (text: string) => void copied.push(text) },
        });
      });
      const blocks = page.locator(BLOCKS);
      await readThrough(page);
      await page.evaluate(() => window.scrollTo(0, 0));

      const first = blocks.nth(0);
      await first.hover();
      await first.locator('button[aria-label="Copy code to clipboard"]').click();
      await expect.poll(() => first.locator('button[aria-label="Copied"]').count()).toBe(1);
      const copied = await page.evaluate(() => (window as unknown as { copied: string[] }).copied);
      expect(copied).toEqual([await first.locator('code').innerText()]);

      // A block wider than its column (at this width, most of this page's but the last two): its word-wrap button shows, and wraps it.
      // Each block's width, laid out: a block far from the screen is not (content-visibility),
      // and then its width says nothing.
      const fits = await page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLElement>('.theme-code-block pre'), (pre) => {
          pre.style.contentVisibility = 'visible';
          const fit = pre.scrollWidth <= pre.clientWidth;
          pre.style.contentVisibility = '';
          return fit;
        }),
      );
      const wide = fits.indexOf(false);
      expect(wide).toBeGreaterThanOrEqual(0);
      // And one that fits (found before any block wraps).
      const narrow = fits.indexOf(true);
      const block = blocks.nth(wide);
      await block.hover();
      const wrap = block.locator('button[aria-label="Toggle word wrap"]');
      await expect.poll(() => wrap.count()).toBe(1);
      await wrap.click();
      await expect
        .poll(() => block.locator('pre').evaluate((pre) => pre.scrollWidth > pre.clientWidth))
        .toBe(false);
      expect(narrow).toBeGreaterThanOrEqual(0);
      await blocks.nth(narrow).hover();
      await expect
        .poll(() => blocks.nth(narrow).locator('button[aria-label="Toggle word wrap"]').count())
        .toBe(0);
    } finally {
      await done(page);
    }
  });
});
