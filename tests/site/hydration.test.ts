// What React hydrates on the heaviest pages, and what it leaves as the server's HTML
// (src/theme/server-html.ts): a notebook page's printed tables, every code block, every heading,
// and the notes and <details> that hold plain prose are static HTML, in the server's page and in the
// hydrated one alike, with no React fiber behind each cell, token or icon (that hydration was most of their Total Blocking Time). A client-side navigation,
// which has no server HTML to take back, still renders them in full.
// Needs Chromium and build/; outside CI they skip, saying why; CI fails.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openSite, siteSuite, type OpenSite } from './browser-env';

const suite = siteSuite('hydration of static HTML', 'tests/site/hydration.test.ts');

/** Elements under `selector` (itself excluded), and how many of them React hydrated or made. */
function census(page: Page, selector: string) {
  return page.evaluate((sel) => {
    const roots = Array.from(document.querySelectorAll(sel));
    const inside = roots.flatMap((root) => Array.from(root.querySelectorAll('*')));
    const hasFiber = (el: Element) => Object.keys(el).some((k) => k.startsWith('__reactFiber$'));
    return {
      roots: roots.length,
      elements: inside.length,
      withFiber: inside.filter(hasFiber).length,
      text: roots.map((r) => r.textContent ?? '').join('\n'),
    };
  }, selector);
}

/** Waits until React has hydrated the page: the colour mode toggle says so (data-hydrated). */
const hydrated = (page: Page) =>
  page.waitForSelector('button[data-color-mode-toggle][data-hydrated]');

const OUTPUTS = '[aria-label="Output of the cell above"]';
const NGINX = 'pre.language-nginx code';

suite.describe('static HTML on the heaviest pages', { timeout: 90_000 }, () => {
  let site: OpenSite;

  beforeAll(async () => {
    site = await openSite();
  });
  afterAll(() => site?.close());

  /** The page loaded from the server and hydrated, and the errors React or the page logged. */
  async function load(route: string) {
    const page = await site.browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${site.base}${route}`, { waitUntil: 'networkidle' });
    await hydrated(page);
    return { page, errors };
  }

  /** What `selector` holds in the page the server sent, read with JavaScript off. */
  async function serverCensus(route: string, selector: string) {
    const context = await site.browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`${site.base}${route}`, { waitUntil: 'load' });
      return await census(page, selector);
    } finally {
      await context.close();
    }
  }

  it("a notebook page's printed tables are in the server's HTML and are not hydrated cell by cell", async () => {
    // Every output the run printed is in the page the server sent, read without JavaScript...
    const server = await serverCensus('/docs/notebooks/stateless-servers', OUTPUTS);
    expect(server.roots).toBeGreaterThan(10);
    expect(server.elements).toBeGreaterThan(500);
    const { page, errors } = await load('/docs/notebooks/stateless-servers');
    try {
      // ...the hydrated page shows the same...
      const outputs = await census(page, OUTPUTS);
      expect(outputs.text).toBe(server.text);
      expect(outputs.elements).toBe(server.elements);
      // ...and none of its tables' cells, nor anything else in the outputs, has a React fiber.
      expect(outputs.withFiber).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("chapter 6's nginx blocks are highlighted static HTML, with no fiber per token", async () => {
    const server = await serverCensus('/docs/state-that-remains', NGINX);
    expect(server.roots).toBe(2);
    expect(server.elements).toBeGreaterThan(100);
    expect(server.text).toContain('upstream');
    const { page, errors } = await load('/docs/state-that-remains');
    try {
      const nginx = await census(page, NGINX);
      expect(nginx.text).toBe(server.text);
      expect(nginx.elements).toBe(server.elements);
      expect(nginx.withFiber).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('static code draws punctuation and operators as plain text, with no span each', async () => {
    // The site's themes colour them as plain text (src/theme/CodeBlock/Content/tokens.ts), so a
    // span each only cost elements: on this page 3,360 of its code's 5,778 spans.
    const { page } = await load('/docs/notebooks/stateless-servers');
    try {
      const count = (selector: string) =>
        page.$$eval(`pre.static-tokens ${selector}`, (spans) => spans.length);
      expect(await count('.token.keyword')).toBeGreaterThan(100);
      expect(await count('span[class="token punctuation"], span[class="token operator"]')).toBe(0);
    } finally {
      await page.close();
    }
  });

  it("headings, and notes and <details> of plain prose, take back the server's HTML; a <details> still opens", async () => {
    const route = '/docs/notebooks/stateless-servers';
    const { page, errors } = await load(route);
    try {
      // The page's notes ("Predict") and tip, not the run's "info" note, which shows the run's
      // date and machine through components.
      const notes = '.theme-admonition-note, .theme-admonition-tip';
      for (const selector of ['article h2.anchor', notes, 'article details']) {
        const server = await serverCensus(route, selector);
        expect(server.roots, selector).toBeGreaterThan(5);
        const hydrated = await census(page, selector);
        expect(hydrated.text, selector).toBe(server.text);
        expect(hydrated.elements, selector).toBe(server.elements);
        // Nothing inside any of them is React's: the "#" link, the icon, the summary, the prose.
        expect(hydrated.withFiber, selector).toBe(0);
      }
      // The browser's own <details>: it opens and shows what it holds, and closes again.
      const details = page.locator('article details').first();
      const inside = details.locator('summary ~ *').first();
      await details.scrollIntoViewIfNeeded();
      expect(await inside.isVisible()).toBe(false);
      await details.locator('summary').click();
      await expect.poll(() => inside.isVisible()).toBe(true);
      expect(await details.getAttribute('open')).toBe('');
      await details.locator('summary').click();
      await expect.poll(() => inside.isVisible()).toBe(false);
      // A heading's "#" link still puts its anchor in the address.
      const heading = page.locator('article h2.anchor').nth(1);
      const id = await heading.getAttribute('id');
      await heading.hover();
      await heading.locator('a.hash-link').click();
      await expect.poll(() => page.evaluate(() => location.hash)).toBe(`#${id}`);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("chapter 5's tables of recorded figures take back the server's HTML", async () => {
    const route = '/docs/where-state-lives';
    const server = await serverCensus(route, 'article table');
    expect(server.elements).toBeGreaterThan(50);
    const { page, errors } = await load(route);
    try {
      const tables = await census(page, 'article table');
      expect(tables.text).toBe(server.text);
      expect(tables.elements).toBe(server.elements);
      expect(tables.withFiber).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('a client-side navigation renders the same outputs and code in full', async () => {
    for (const [from, to, selector] of [
      ['/docs/notebooks/stateful-servers', '/docs/notebooks/stateless-servers', OUTPUTS],
      ['/docs/where-state-lives', '/docs/state-that-remains', NGINX],
      [
        '/docs/notebooks/stateful-servers',
        '/docs/notebooks/stateless-servers',
        '.theme-admonition-note',
      ],
      ['/docs/notebooks/stateful-servers', '/docs/notebooks/stateless-servers', 'article details'],
      [
        '/docs/notebooks/stateful-servers',
        '/docs/notebooks/stateless-servers',
        'article h2.anchor',
      ],
    ]) {
      const server = await serverCensus(to, selector);
      const { page, errors } = await load(from);
      try {
        // The docs' "Next" link: React Router renders the page in the browser, no server HTML.
        await page.evaluate(() => ((window as unknown as { before: boolean }).before = true));
        await page.click('a.pagination-nav__link--next');
        await page.waitForURL(`**${to}`);
        // Still the same document: no server page was loaded.
        expect(await page.evaluate(() => 'before' in window)).toBe(true);
        await page.waitForFunction(([sel, n]) => document.querySelectorAll(sel).length === n, [
          selector,
          server.roots,
        ] as const);
        const client = await census(page, selector);
        expect(client.text).toBe(server.text);
        expect(client.elements).toBe(server.elements);
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    }
  });
});
