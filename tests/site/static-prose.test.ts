// A page's plain prose is written by the server and not shipped as JavaScript
// (src/prose/rehype-static-prose.ts, src/prose/client.ts): the first load reads it back from the
// page, a client-side navigation fetches it and shows the same words, coming back shows them again,
// and a link into the site inside it still routes in the page. Code blocks likewise: a page from the
// server loads no Prism, and one a navigation renders highlights its code as the server did.
// Needs Chromium and build/; outside CI they skip, saying why; CI fails.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openSite, routesInBuild, siteSuite, type OpenSite } from './browser-env';

const suite = siteSuite('prose as static HTML', 'tests/site/static-prose.test.ts');

const CHAPTER = '/docs/state-that-remains';
const BEFORE = '/docs/where-state-lives';

/** Waits until React has hydrated the page: the colour mode toggle says so (data-hydrated). */
const hydrated = (page: Page) =>
  page.waitForSelector('button[data-color-mode-toggle][data-hydrated]');

/** Each prose block's key and HTML, and whether React made anything inside it. */
function blocks(page: Page) {
  return page.$$eval('[data-prose]', (els) =>
    els.map((el) => ({
      key: el.getAttribute('data-prose')!,
      html: el.innerHTML,
      fiberInside: Array.from(el.querySelectorAll('*')).some((c) =>
        Object.keys(c).some((k) => k.startsWith('__reactFiber$')),
      ),
    })),
  );
}

/** Marks the document, so a later check can tell whether the browser loaded another one. */
const mark = (page: Page) =>
  page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
const sameDocument = (page: Page) => page.evaluate(() => 'sameDocument' in window);

suite.describe('prose the server wrote', { timeout: 90_000 }, () => {
  let site: OpenSite;

  beforeAll(async () => {
    site = await openSite();
  });
  afterAll(() => site?.close());

  /** A page from the server, hydrated, with every script it loaded and every error it logged. */
  async function load(route: string) {
    const page = await site.browser.newPage();
    const errors: string[] = [];
    const scripts: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('response', (r) => {
      if (r.request().resourceType() === 'script') scripts.push(r.url()); // read after load: a body is gone once the page closes
    });
    await page.goto(`${site.base}${route}`, { waitUntil: 'networkidle' });
    await hydrated(page);
    return { page, errors, scripts };
  }

  it("the first load reads the prose from the server's page: no script carries it, and React makes nothing inside it", async () => {
    const { page, errors, scripts } = await load(CHAPTER);
    try {
      const prose = await blocks(page);
      expect(prose.length).toBeGreaterThan(30);
      expect(prose.some((b) => b.fiberInside)).toBe(false);
      // The block elements themselves are React's, hydrated each as one element; but for those in a
      // note or a <details> of plain prose, which React takes back whole (src/theme/plain-prose.ts).
      const notHydrated = await page.$$eval('[data-prose]', (els) =>
        els
          .filter((el) => !Object.keys(el).some((k) => k.startsWith('__reactFiber$')))
          .map((el) => !!el.closest('.theme-admonition, details')),
      );
      expect(prose.length - notHydrated.length).toBeGreaterThan(20);
      expect(notHydrated.filter((inBox) => !inBox)).toEqual([]);
      // A sentence of every block's text is in no script the page loaded.
      const bodies = await Promise.all(
        scripts.map((url) => page.evaluate((u) => fetch(u).then((r) => r.text()), url)),
      );
      const texts = await page.$$eval('[data-prose]', (els) =>
        els.map((el) => (el.textContent ?? '').trim().slice(0, 40)).filter((t) => t.length >= 20),
      );
      expect(texts.length).toBeGreaterThan(20);
      const carried = texts.filter((t) => bodies.some((b) => b.includes(t)));
      expect(carried).toEqual([]);
      // Its code blocks are the server's HTML too: the page loads no Prism (src/theme/CodeBlock/prism).
      expect(await page.locator('.theme-code-block .token').count()).toBeGreaterThan(50);
      expect(bodies.filter((b) => b.includes('DFS:function'))).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('a client-side navigation shows the same prose, and coming back shows the first page again', async () => {
    const server = await load(CHAPTER);
    const expected = await blocks(server.page);
    const code = (page: Page) =>
      page.$$eval('.theme-code-block code', (els) => els.map((el) => el.innerHTML));
    const expectedCode = await code(server.page);
    await server.page.close();
    const before = await load(BEFORE);
    const { page, errors } = before;
    try {
      const first = await blocks(page);
      await mark(page);
      await page.click('a.pagination-nav__link--next');
      await page.waitForURL(`**${CHAPTER}`);
      await page.waitForFunction(
        (n) => document.querySelectorAll('[data-prose]').length === n,
        expected.length,
      );
      expect(await sameDocument(page)).toBe(true);
      const after = await blocks(page);
      expect(after.map((b) => b.key)).toEqual(expected.map((b) => b.key));
      // The same words and markup (a browser may write an entity or an attribute differently).
      const text = (html: string) =>
        page.evaluate((h) => {
          const el = document.createElement('div');
          el.innerHTML = h;
          return el.innerHTML;
        }, html);
      for (let i = 0; i < after.length; i++)
        expect(await text(after[i]!.html)).toBe(await text(expected[i]!.html));
      // The code blocks, highlighted in the browser (Prism loaded for it), as the server did.
      expect(expectedCode.length).toBeGreaterThan(3);
      expect(await code(page)).toEqual(expectedCode);
      // Back: the first page's prose, from what was read while it hydrated.
      await page.goBack();
      await page.waitForURL(`**${BEFORE}`);
      await page.waitForFunction(
        (n) => document.querySelectorAll('[data-prose]').length === n,
        first.length,
      );
      expect((await blocks(page)).map((b) => b.html)).toEqual(first.map((b) => b.html));
      expect(await sameDocument(page)).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('a link into the site inside the prose routes in the page; a modified click is left to the browser', async () => {
    const { page, errors } = await load(CHAPTER);
    try {
      const link = page.locator('[data-prose] a[href^="/docs/"]').first();
      const href = (await link.getAttribute('href'))!;
      await mark(page);
      await link.click();
      await page.waitForURL(`**${href.split('#')[0]}*`);
      expect(await sameDocument(page)).toBe(true);
      await page.waitForSelector('article h1');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
    // Ctrl-click: the browser's to handle (a new tab), not routed in this page.
    const second = await load(CHAPTER);
    try {
      await mark(second.page);
      const link = second.page.locator('[data-prose] a[href^="/docs/"]').first();
      const tab = second.page.context().waitForEvent('page', { timeout: 10_000 });
      await link.click({ modifiers: ['Control'] });
      await (await tab).close();
      expect(new URL(second.page.url()).pathname).toBe(CHAPTER);
      expect(await sameDocument(second.page)).toBe(true);
    } finally {
      await second.page.close();
    }
  });

  it('without JavaScript, every page shows its prose where the server wrote it, none held back for a script', async () => {
    // A Suspense boundary around a large part of a page makes React's server write that part after
    // the page, hidden, for an inline script to move in: without JavaScript the page is empty.
    const context = await site.browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      const held: string[] = [];
      let blocksSeen = 0;
      for (const route of routesInBuild()) {
        await page.goto(`${site.base}${route}`);
        const { blocks, hidden, deferred } = await page.evaluate(() => ({
          blocks: document.querySelectorAll('[data-prose]').length,
          hidden: document.querySelectorAll('[hidden] [data-prose]').length,
          deferred: document.querySelectorAll('template[id^="B:"], [hidden][id^="S:"]').length,
        }));
        blocksSeen += blocks;
        if (hidden > 0 || deferred > 0)
          held.push(`${route}: ${hidden} blocks hidden, ${deferred} deferred parts`);
      }
      expect(held).toEqual([]);
      expect(blocksSeen).toBeGreaterThan(100);
    } finally {
      await context.close();
    }
  });
});
