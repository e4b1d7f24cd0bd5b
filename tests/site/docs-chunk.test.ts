// A docs page starts with two chunks besides main.js: the docs' frame (layout routes, DocItem, the
// sidebar, the code they share: src/plugins/docs-chunk.ts) and the page's own. Docusaurus's own
// split asked for nine, each a <script> added while the page loads (issue 18). A page outside the
// docs (home, search, the 404 page) does not ask for the docs' frame at all; the home page prefetches
// it once idle, for its links to the course, and a page opened from a link inside the app works.
// Needs Chromium and build/; outside CI they skip, saying why; CI fails.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openSite, siteSuite, type OpenSite } from './browser-env';

const suite = siteSuite('the chunks a page starts with', 'tests/site/docs-chunk.test.ts');

/** The scripts (<script> elements, not prefetches) a page asks for until it has hydrated. */
async function scriptsAtStart(site: OpenSite, route: string) {
  const page = await site.browser.newPage({ viewport: { width: 412, height: 823 } });
  const scripts: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname.split('/').pop()!);
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(`${site.base}${route}`);
    await page.waitForSelector('button[data-color-mode-toggle][data-hydrated]', {
      state: 'attached',
      timeout: 30_000,
    });
    return { page, scripts: [...scripts], errors };
  } catch (error) {
    await page.close();
    throw error;
  }
}

/** The chunks among `scripts`: all but webpack's runtime and main.js. */
const chunksOf = (scripts: string[]) =>
  scripts.filter((name) => !/^(runtime~main|main)\.[0-9a-f]+\.js$/.test(name));

suite.describe('the chunks a page starts with', { timeout: 90_000 }, () => {
  let site: OpenSite;
  beforeAll(async () => {
    site = await openSite();
  });
  afterAll(() => site?.close());

  it.each(['/docs/intro', '/docs/state-that-remains', '/docs/notebooks/stateless-servers'])(
    '%s asks for the docs frame and its own chunk, nothing else, and hydrates',
    async (route) => {
      const { page, scripts, errors } = await scriptsAtStart(site, route);
      await page.close();
      const chunks = chunksOf(scripts);
      expect(chunks.filter((name) => /^docs\.[0-9a-f]+\.js$/.test(name))).toHaveLength(1);
      expect(chunks).toHaveLength(2);
      expect(errors).toEqual([]);
    },
  );

  it.each(['/search', '/no-such-page'])('%s does not ask for the docs frame', async (route) => {
    const { page, scripts, errors } = await scriptsAtStart(site, route);
    await page.close();
    expect(chunksOf(scripts).filter((name) => name.startsWith('docs.'))).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('the home page: no docs frame at start, prefetched once idle; its link opens a docs page in place', async () => {
    const { page, scripts, errors } = await scriptsAtStart(site, '/');
    try {
      expect(chunksOf(scripts).filter((name) => name.startsWith('docs.'))).toEqual([]);
      await expect
        .poll(() => page.locator('link[rel="prefetch"][href*="/assets/js/docs."]').count(), {
          timeout: 15_000,
        })
        .toBe(1);
      await page.evaluate(() => ((window as unknown as { same: boolean }).same = true));
      await page.getByRole('link', { name: 'Start the course' }).click();
      await page.waitForURL('**/docs/intro');
      await page.waitForSelector('article h1', { state: 'attached' });
      expect(await page.evaluate(() => 'same' in window)).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
