// The home page's Read, Run and Do cards are links: a click anywhere on a card (here, on its text,
// not its title) opens the part of the course it describes, at a heading that exists there.
// Needs Chromium and build/; outside CI they skip, saying why; CI fails.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { openSite, siteSuite, type OpenSite } from './browser-env';

const suite = siteSuite('the home page', 'tests/site/home.test.ts');

suite.describe('the home page in Chromium', { timeout: 60_000 }, () => {
  let site: OpenSite;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    site = await openSite();
    ({ base, browser } = site);
  });
  afterAll(() => site?.close());

  it.each([
    ['Read', '/docs/intro', 'the-chapters'],
    ['Run', '/docs/setup', 'run-the-notebooks'],
    ['Do', '/docs/setup', 'run-the-exercises'],
  ])('the %s card leads to %s#%s', async (title, path, anchor) => {
    const page = await browser.newPage();
    try {
      await page.goto(base + '/', { waitUntil: 'networkidle' });
      const card = page.locator('section div', { has: page.getByRole('heading', { name: title }) });
      // A real click where the text is; whatever is on top there (the link) gets it.
      const text = (await card.last().locator('p').boundingBox())!;
      await page.mouse.click(text.x + text.width / 2, text.y + text.height / 2);
      await page.waitForURL(`**${path}#${anchor}`, { timeout: 20_000 });
      // The link changes the URL first, then renders the page it leads to.
      await page.waitForSelector(`h2[id="${anchor}"]`, { timeout: 20_000 });
      expect(await page.locator(`[id="${anchor}"]`).count()).toBe(1);
    } finally {
      await page.close();
    }
  });
});
