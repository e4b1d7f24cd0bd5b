// Code blocks' copy and word-wrap buttons mount after the page loads, in idle moments, or at once
// when the reader reaches a block (src/theme/CodeBlock/Buttons), not all in one task as the page
// hydrates. Whatever the order, every block ends up with its buttons, and they work. A block far
// from the screen is not laid out (content-visibility), so it is measured for its word-wrap button
// only once it comes near.
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
  await page.waitForSelector('button[data-color-mode-toggle][data-hydrated]', {
    state: 'attached',
  });
  return page;
}

/** For each code block: whether it fits its column (measured laid out: a block far from the
 *  screen is not, and then its width says nothing), has a word-wrap button, and is on the screen
 *  or more than two screens away. */
function blocksNow(page: Page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('.theme-code-block pre'), (pre) => {
      const { top, bottom } = pre.parentElement!.getBoundingClientRect();
      pre.style.contentVisibility = 'visible';
      const fits = pre.scrollWidth <= pre.clientWidth;
      pre.style.contentVisibility = '';
      return {
        fits,
        wrap: pre.parentElement!.querySelector('button[aria-label="Toggle word wrap"]') !== null,
        onScreen: top >= 0 && bottom <= window.innerHeight,
        far: top > 2 * window.innerHeight,
      };
    }),
  );
}

/** Scrolls down the page one block at a time, as a reader would (no pointer), until each has its
 *  copy button, and its word-wrap button if and only if it does not fit its column. */
async function readThrough(page: Page): Promise<void> {
  const blocks = page.locator(BLOCKS);
  for (let i = 0; i < (await blocks.count()); i += 1) {
    await blocks.nth(i).evaluate((b) => b.scrollIntoView({ block: 'center' }));
    await expect
      .poll(() => blocks.nth(i).locator('button[aria-label="Copy code to clipboard"]').count(), {
        timeout: 10_000,
      })
      .toBe(1);
    // Whether it fits is measured again at each poll: on a busy machine the browser may not have
    // laid the block out yet when it first comes on the screen (content-visibility: auto).
    await expect
      .poll(() =>
        blocks.nth(i).evaluate((block) => {
          const pre = block.querySelector('pre')!;
          const fits = pre.scrollWidth <= pre.clientWidth;
          const wraps = block.querySelector('button[aria-label="Toggle word wrap"]') !== null;
          return { fits, wraps };
        }),
      )
      .toSatisfy(({ fits, wraps }) => wraps === !fits);
  }
}

suite.describe('code block buttons', { timeout: 90_000 }, () => {
  let site: OpenSite;
  beforeAll(async () => {
    site = await openSite();
  });
  afterAll(() => site?.close());

  it('every code block gets its copy button once the page is idle', async () => {
    const page = await open(site, true);
    try {
      const blocks = await page.locator(BLOCKS).count();
      expect(blocks).toBeGreaterThan(10);
      await expect.poll(() => page.locator(COPY).count(), { timeout: 20_000 }).toBe(blocks);
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
      await expect
        .poll(() => page.locator(COPY).count(), { timeout: 20_000 })
        .toBe(await blocks.count());
      // No pointer anywhere. With the first wide block on the screen, the wide blocks on the screen
      // get their word-wrap button; wide blocks more than two screens down do not yet: they have
      // not been measured, which would lay them out.
      const firstWide = (await blocksNow(page)).findIndex((b) => !b.fits);
      await blocks.nth(firstWide).evaluate((b) => b.scrollIntoView({ block: 'center' }));
      await expect
        .poll(async () =>
          (await blocksNow(page)).filter((b) => b.onScreen).every((b) => b.wrap === !b.fits),
        )
        .toBe(true);
      const now = await blocksNow(page);
      expect(now.filter((b) => b.onScreen && !b.fits).length).toBeGreaterThan(0);
      const farWide = now.filter((b) => b.far && !b.fits);
      expect(farWide.length).toBeGreaterThan(3);
      expect(farWide.map((b) => b.wrap)).toEqual(farWide.map(() => false));
      // Read down the page: each block, when on the screen, has a word-wrap button if it is wide.
      await readThrough(page);
      await page.evaluate(() => window.scrollTo(0, 0));

      const first = blocks.nth(0);
      await first.hover();
      await first.locator('button[aria-label="Copy code to clipboard"]').click();
      await expect.poll(() => first.locator('button[aria-label="Copied"]').count()).toBe(1);
      const copied = await page.evaluate(() => (window as unknown as { copied: string[] }).copied);
      expect(copied).toEqual([await first.locator('code').innerText()]);

      // A block wider than its column (at this width, most of this page's but the last two): its word-wrap button shows, and wraps it.
      const fits = (await blocksNow(page)).map((b) => b.fits);
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
