// The built site in a real browser (Chromium via playwright-core), served with gzip as a host
// would: every page loads cleanly, every Mermaid diagram renders, search finds chapters, dark mode
// works and keeps diagrams readable, and axe-core finds no accessibility violation, light or dark.
// Needs /usr/bin/chromium and build/ (npm run build); outside CI they skip, saying so; CI fails.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  mermaidFencesByRoute,
  openSite,
  reachEveryDiagram,
  routesInBuild,
  siteSuite,
  type OpenSite,
  articleLaidOut,
} from './browser-env';

// Its one test that always runs: in CI a missing Chromium or build is a failure, not a skip.
const suite = siteSuite('the built site', 'tests/site/browser.test.ts');
const ready = suite.ready;

/** A host name that is not this machine's; Chromium is told it means 127.0.0.1. */
const HOSTED = 'statelab.test';

const axeSource = readFileSync(createRequire(__filename).resolve('axe-core/axe.min.js'), 'utf8');

// The every-page tests visit each page of the build, and a busy machine takes seconds for each
// (loading, drawings, axe): their limit is per page, so only a page that hangs can reach it.
const PAGE_LIMIT_MS = 30_000;
const timeout = Math.max(120_000, (ready ? routesInBuild().length : 0) * PAGE_LIMIT_MS);

suite.describe('the built site in Chromium', { timeout }, () => {
  let site: OpenSite;
  let browser: Browser;
  let base: string;
  const routes = ready ? routesInBuild() : [];
  const fences = mermaidFencesByRoute();

  beforeAll(async () => {
    // statelab.test: the site under a name that is not this machine's, as a hosted copy is.
    site = await openSite([`--host-resolver-rules=MAP ${HOSTED} 127.0.0.1`]);
    ({ base, browser } = site);
  });
  afterAll(() => site?.close());

  /** A fresh page in the given colour mode, recording console errors and failed requests. */
  async function open(route: string, mode: 'light' | 'dark' = 'light', origin = base) {
    const context = await browser.newContext({ colorScheme: mode });
    await context.addInitScript((m) => localStorage.setItem('theme', m), mode);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
    const scripts: Promise<string>[] = [];
    page.on('response', (r) => {
      // 404.html is served as a 404 only for unknown paths; a page route must answer 200.
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
      else if (r.request().resourceType() === 'script') scripts.push(r.text().catch(() => ''));
    });
    // The not-found page, asked for by name, is served with 200 like any page.
    await page.goto(origin + (route === '/404' ? '/404.html' : route), {
      waitUntil: 'networkidle',
    });
    // The server renders code in the light Prism colours; a dark page recolours it once React has
    // hydrated, which "network idle" does not wait for (on a busy machine axe saw light tokens on a
    // dark page). Wait until every code block shows its mode's background; one that never does is
    // a problem of the page.
    const background = mode === 'dark' ? 'rgb(40, 42, 54)' : 'rgb(246, 248, 250)'; // dracula, github
    await page
      .waitForFunction(
        (want) =>
          Array.from(document.querySelectorAll('pre.prism-code')).every(
            (pre) => getComputedStyle(pre).backgroundColor === want,
          ),
        background,
        { timeout: 20_000 },
      )
      .catch(() => problems.push(`code blocks never took the ${mode} Prism colours`));
    // An article's prose far down is laid out in idle moments after load (src/theme/lay-out-prose.ts):
    // axe, as Lighthouse's, is to see the page as it then is.
    await articleLaidOut(page).catch(() => problems.push('its article was never all laid out'));
    /** Whether any script the page loaded is Mermaid's: its parser error text is in nothing else. */
    const loadedMermaid = async () =>
      (await Promise.all(scripts)).some((code) => code.includes('Syntax error in text'));
    return { page, problems, loadedMermaid, close: () => context.close() };
  }

  /**
   * Reads down the page until every diagram's drawing has loaded (they load as the reader comes near
   * them), and checks the page shows as many as its source has Mermaid fences.
   */
  async function diagramsRendered(page: Page, route: string) {
    const expected = fences.get(route) ?? 0;
    if (expected > 0 && (await reachEveryDiagram(page)) < expected)
      throw new Error(`fewer than ${expected} diagrams`);
    return expected;
  }

  async function axeViolations(page: Page) {
    await page.addScriptTag({ content: axeSource });
    return page.evaluate(async () => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const axe = (window as any).axe;
      const result = await axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map(
        (v: { id: string; help: string; nodes: { target: string[] }[] }) =>
          `${v.id} (${v.help}): ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join(' | ')}`,
      ) as string[];
    });
  }

  it('finds the pages of the course in the build', () => {
    expect(routes).toContain('/');
    expect(routes).toContain('/docs/intro');
    expect(routes.length).toBeGreaterThan(5);
  });

  // One visit per page and colour mode checks everything a reader would meet there.
  for (const mode of ['light', 'dark'] as const) {
    it(`every page (${mode}): loads cleanly, shows every diagram's drawing (no Mermaid code), and passes axe-core`, async () => {
      const loading: string[] = [];
      const diagrams: string[] = [];
      const axe: string[] = [];
      let rendered = 0;
      for (const route of routes) {
        const { page, problems, loadedMermaid, close } = await open(route, mode);
        try {
          rendered += await diagramsRendered(page, route);
        } catch {
          diagrams.push(`${route}: fewer than ${fences.get(route)} diagram drawings shown`);
        }
        // Drawn ahead of time (npm run diagrams): no diagram is left for the browser to draw.
        if (
          (await page.locator('figure[data-diagram="browser"]').count()) > 0 ||
          (await loadedMermaid())
        )
          diagrams.push(`${route}: draws a diagram in the browser (Mermaid loaded)`);
        if ((await page.locator('body').innerText()).includes('Syntax error in text'))
          diagrams.push(`${route}: Mermaid says "Syntax error in text"`);
        expect(await page.getAttribute('html', 'data-theme'), route).toBe(mode);
        for (const v of await axeViolations(page)) axe.push(`${route}: ${v}`);
        loading.push(...problems.map((p) => `${route}: ${p}`));
        await close();
      }
      expect.soft(loading, 'console errors and failed requests').toEqual([]);
      expect.soft(diagrams, 'Mermaid diagrams').toEqual([]);
      expect.soft(rendered, 'diagrams rendered on the site').toBeGreaterThan(0);
      expect(axe, 'axe-core violations').toEqual([]);
    });
  }

  // Exercise verdicts come from `npm run check` on the reader's machine, which only the reader's own
  // server has (npm start: tests/site/npm-start.test.ts shows them); a copy of the site hosted
  // elsewhere must say so, and ask for nothing.
  it('hosted elsewhere, the progress table says how to see exercise results, and asks no server', async () => {
    const hosted = base.replace('127.0.0.1', HOSTED);
    const { page, problems, close } = await open('/docs/intro', 'light', hosted);
    const table = page.locator('section[aria-labelledby="progress-summary-title"] table');
    expect(await table.locator('thead th').last().innerText()).toBe('Exercise checks');
    // The server's page says it is reading the results; the page says where they come from once
    // it knows its address, in a render after hydration: polled, not read at one moment.
    await expect
      .poll(() => table.locator('td[rowspan]').innerText(), { timeout: 20_000 })
      .toMatch(/Run the site locally with npm start, then npm run check/);
    const asked = await page.evaluate(() =>
      performance.getEntriesByType('resource').filter((e) => e.name.includes('/__statelab/')),
    );
    await close();
    expect(asked).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('local search finds a chapter by a word from its body', async () => {
    const { page, close } = await open('/docs/intro');
    await page.locator('input.navbar__search-input').fill('idempotency');
    const hit = page.locator('a[href*="/docs/state-that-remains"]').first();
    // The search index is fetched and parsed, then searched: CPU work, slow on a busy machine.
    await hit.waitFor({ state: 'visible', timeout: 20_000 });
    await close();
  });

  it('toggles dark mode, and every diagram switches to its dark drawing', async () => {
    const route = '/docs/request-path';
    const { page, problems, close } = await open(route, 'light');
    const expected = await diagramsRendered(page, route);
    expect(expected).toBeGreaterThan(0);
    const sources = () =>
      page.$$eval('figure[data-diagram] img', (imgs) =>
        imgs.map((img) => ({
          src: (img as HTMLImageElement).currentSrc,
          loaded: (img as HTMLImageElement).naturalWidth > 0,
          shown: getComputedStyle(img).display !== 'none',
        })),
      );
    const shown = async () => (await sources()).filter((s) => s.shown);
    expect((await shown()).map((s) => s.src)).toEqual(
      expect.arrayContaining([expect.stringMatching(/-light\.svg$/)]),
    );
    expect((await shown()).every((s) => s.src.endsWith('-light.svg'))).toBe(true);
    // The toggle may pass through "system" (light here) before dark: click until dark, at most 3 times.
    const toggle = page.getByRole('button', { name: /dark and light mode/i }).first();
    for (let i = 0; i < 3 && (await page.getAttribute('html', 'data-theme')) !== 'dark'; i += 1) {
      await toggle.click();
      await page.waitForTimeout(200);
    }
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    await reachEveryDiagram(page); // the dark drawings load as the reader comes near them
    await page.waitForFunction(
      (n) =>
        Array.from(document.querySelectorAll<HTMLImageElement>('figure[data-diagram] img')).filter(
          (img) =>
            getComputedStyle(img).display !== 'none' &&
            img.currentSrc.endsWith('-dark.svg') &&
            img.naturalWidth > 0,
        ).length >= n,
      expected,
    );
    // Readable in dark: tests/site/diagrams.test.ts measures the contrast of every dark drawing.
    expect((await shown()).every((s) => s.src.endsWith('-dark.svg') && s.loaded)).toBe(true);
    await close();
    expect(problems).toEqual([]);
  });

  // src/theme/CodeBlock remounts code blocks only in dark mode: code must still switch colours.
  it('code blocks take the dark Prism colours, on a dark load and on a toggle', async () => {
    const route = '/docs/request-path';
    // The code's background, and its block's (behind a title and the buttons): a block the server
    // wrote keeps the server's light style, and CSS gives it the mode's colours.
    const codeBackgrounds = (page: Page) =>
      page.$$eval('pre.prism-code', (pres) => [
        ...new Set(
          pres.flatMap((pre) => [
            getComputedStyle(pre).backgroundColor,
            getComputedStyle(pre.closest('.theme-code-block')!).backgroundColor,
          ]),
        ),
      ]);
    const tokenColours = (page: Page) =>
      page.$$eval('pre.prism-code .token', (tokens) =>
        [...new Set(tokens.map((t) => getComputedStyle(t).color))].sort().join(' '),
      );
    const dracula = 'rgb(40, 42, 54)'; // prism-react-renderer's dracula, the site's dark theme
    const github = 'rgb(246, 248, 250)'; // its github theme, the light one
    const dark = await open(route, 'dark');
    expect(await codeBackgrounds(dark.page)).toEqual([dracula]);
    const darkTokens = await tokenColours(dark.page);
    await dark.close();
    const light = await open(route, 'light');
    expect(await codeBackgrounds(light.page)).toEqual([github]);
    expect(await tokenColours(light.page)).not.toBe(darkTokens);
    const toggle = light.page.getByRole('button', { name: /dark and light mode/i }).first();
    for (
      let i = 0;
      i < 3 && (await light.page.getAttribute('html', 'data-theme')) !== 'dark';
      i += 1
    ) {
      await toggle.click();
      await light.page.waitForTimeout(200);
    }
    expect(await codeBackgrounds(light.page)).toEqual([dracula]);
    expect(await tokenColours(light.page)).toBe(darkTokens);
    await light.close();
    expect([...dark.problems, ...light.problems]).toEqual([]);
  });

  /**
   * The page's simulator, scrolled to and running. It is an island: its code loads once it is near,
   * and until then its buttons are the server's HTML, whose clicks are replayed when the code
   * arrives (tests/site/island-input.test.ts). These tests read its counters after each click, so
   * they wait for the live component; on a busy machine the chunk came after the first clicks.
   */
  async function liveSimulator(page: Page) {
    const sim = page.getByTestId('cluster-simulator').first();
    await sim.scrollIntoViewIfNeeded();
    await page.waitForSelector('[data-island="cluster-simulator"][data-island-ready]');
    return sim;
  }

  it('the cluster simulator: killing a server loses carts when stateful, and no one when stateless', async () => {
    const { page, problems, close } = await open('/docs/stateful-servers');
    const sim = await liveSimulator(page);
    const count = async (id: string) => Number(await sim.getByTestId(id).innerText());
    const run = async (architecture: string) => {
      await sim.getByTestId('sim-architecture').selectOption(architecture);
      await sim.getByTestId('sim-reset').click();
      if ((await sim.getByTestId('sim-play').innerText()) === 'Pause')
        await sim.getByTestId('sim-play').click();
      for (let i = 0; i < 8; i += 1) await sim.getByTestId('sim-step').click();
      const before = {
        logins: await count('sim-forced-logins'),
        items: await count('sim-lost-items'),
      };
      await sim.getByTestId('sim-toggle-app-1').click();
      expect(await sim.getByTestId('sim-server-app-1').getAttribute('data-state')).toBe('down');
      for (let i = 0; i < 12; i += 1) await sim.getByTestId('sim-step').click();
      return {
        logins: (await count('sim-forced-logins')) - before.logins,
        items: (await count('sim-lost-items')) - before.items,
      };
    };
    const stateful = await run('stateful');
    const stateless = await run('stateless');
    await close();
    expect(stateful.logins + stateful.items).toBeGreaterThan(0);
    expect(stateful.items).toBeGreaterThan(0);
    expect(stateless).toEqual({ logins: 0, items: 0 });
    expect(problems).toEqual([]);
  });

  it('the cluster simulator with two tabs: a get then a set loses items on the shared store, never on a sticky server', async () => {
    const { page, problems, close } = await open('/docs/stateless-servers');
    const sim = await liveSimulator(page);
    if ((await sim.getByTestId('sim-play').innerText()) === 'Pause')
      await sim.getByTestId('sim-play').click();
    await sim.getByTestId('sim-tabs').check();
    const lost = async (architecture: string, cartWrites: string) => {
      await sim.getByTestId('sim-architecture').selectOption(architecture);
      await sim.getByTestId('sim-cart-writes').selectOption(cartWrites);
      for (let i = 0; i < 12; i += 1) await sim.getByTestId('sim-step').click();
      return Number(await sim.getByTestId('sim-lost-items').innerText());
    };
    const naiveShared = await lost('stateless', 'get-then-set');
    const atomicShared = await lost('stateless', 'update');
    const naiveSticky = await lost('sticky', 'get-then-set');
    await close();
    expect(naiveShared).toBeGreaterThan(0);
    expect([atomicShared, naiveSticky]).toEqual([0, 0]);
    expect(problems).toEqual([]);
  });
});
