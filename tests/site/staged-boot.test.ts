// The site starts in tasks of its own after the first paint (src/boot/staged-entry.ts): Docusaurus's
// client entry runs in a later task than the one that evaluated main.js, so no single task does all
// of the start. Where the browser places the reader (a heading in the address, a reload, Back), it
// starts in main.js's own task, as Docusaurus's entry would, so the page's chunks are asked for
// before the load event. Each page hydrates either way, with no error.
//
// How a test can tell the two apart without a clock: Docusaurus's entry sets window.docusaurus, and
// while main.js's script is being evaluated document.currentScript is that script; in a timer's task
// it is null.
// Needs Chromium and build/; outside CI they skip, saying why; CI fails.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { openSite, siteSuite, type OpenSite } from './browser-env';

const suite = siteSuite('the site starts in tasks', 'tests/site/staged-boot.test.ts');

/** Records, in the page, which script (if any) was running when window.docusaurus was set. */
const RECORD_START = () => {
  let value: unknown;
  Object.defineProperty(window, 'docusaurus', {
    configurable: true,
    get: () => value,
    set(next: unknown) {
      if (value === undefined) {
        const script = document.currentScript as HTMLScriptElement | null;
        (window as unknown as { startedIn: string }).startedIn = script ? script.src : 'a task';
      }
      value = next;
    },
  });
};

suite.describe('the site starts in tasks', { timeout: 90_000 }, () => {
  let site: OpenSite;
  let context: BrowserContext;
  beforeAll(async () => {
    // No back-forward cache: a page Back brings must load again, not come back as it was.
    site = await openSite(['--disable-features=BackForwardCache']);
    context = await site.browser.newContext({ viewport: { width: 412, height: 823 } });
    await context.addInitScript(RECORD_START);
  });
  afterAll(async () => {
    await context?.close();
    await site?.close();
  });

  /** Opens `address`; then reloads it, or goes to another page and comes Back, if asked. */
  async function open(address: string, then?: 'reload' | 'back') {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${site.base}${address}`);
    if (then === 'reload') await page.reload();
    if (then === 'back') {
      await page.goto(`${site.base}/docs/glossary`);
      await page.goBack();
    }
    await page.waitForSelector('button[data-color-mode-toggle][data-hydrated]', {
      state: 'attached',
      timeout: 30_000,
    });
    const startedIn = await page.evaluate(() => (window as { startedIn?: string }).startedIn);
    await page.close();
    return { startedIn, errors };
  }

  it.each(['/docs/state-that-remains', '/docs/notebooks/stateless-servers', '/'])(
    '%s opened from a link: the client entry runs in a task after main.js, and the page hydrates',
    async (route) => {
      const { startedIn, errors } = await open(route);
      expect(startedIn).toBe('a task');
      expect(errors).toEqual([]);
    },
  );

  it('a page opened at a heading starts in main.js itself, and hydrates', async () => {
    const { startedIn, errors } = await open('/docs/state-that-remains#what-is-left-in-your-head');
    expect(startedIn).toMatch(/\/assets\/js\/main\.[0-9a-f]+\.js$/);
    expect(errors).toEqual([]);
  });

  it('a page reached by Back starts in main.js itself, and hydrates', async () => {
    const { startedIn, errors } = await open('/docs/where-state-lives', 'back');
    expect(startedIn).toMatch(/\/assets\/js\/main\.[0-9a-f]+\.js$/);
    expect(errors).toEqual([]);
  });

  it('a reloaded page starts in main.js itself, and hydrates', async () => {
    const { startedIn, errors } = await open('/docs/setup', 'reload');
    expect(startedIn).toMatch(/\/assets\/js\/main\.[0-9a-f]+\.js$/);
    expect(errors).toEqual([]);
  });
});
