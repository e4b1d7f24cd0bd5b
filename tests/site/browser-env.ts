// What the browser tests need, and the one place they get it: Debian's Chromium (tools/chromium.ts)
// and the built site (build/), served as a host would. Each suite passes through siteSuite(): outside
// CI a missing part skips the suite, and both the suite's name and a printed line say what is missing
// and how to run it; in CI a missing part is a failing test, not a skip.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  ARIAL_METRICS_PACKAGE,
  CHROMIUM,
  hasArialMetrics,
  hasChromium,
  launchChromium,
} from '../../tools/chromium';
import { serveBuild } from '../../tools/static-server';

export { CHROMIUM, launchChromium };
export const ROOT = join(__dirname, '../..');
/** build/ by default; STATELAB_SITE_BUILD points at another build (npx docusaurus build --out-dir DIR). */
export const BUILD = process.env.STATELAB_SITE_BUILD ?? join(ROOT, 'build');
const inCi = Boolean(process.env.CI);

/** What a suite needs: Chromium alone, or Chromium and the built site. */
export type Needs = 'chromium' | 'chromium and build';

/** The parts that are missing, each with how to get it; empty when the browser tests can run. */
export function missingForBrowserTests(needs: Needs = 'chromium and build'): string[] {
  const missing: string[] = [];
  if (!hasChromium()) missing.push(`${CHROMIUM} (Debian: apt-get install chromium)`);
  // Text is measured as readers see it: in Arial's widths, as the diagrams were laid out.
  if (!hasArialMetrics())
    missing.push(`a font of Arial's widths (Debian: apt-get install ${ARIAL_METRICS_PACKAGE})`);
  if (needs === 'chromium and build' && !existsSync(join(BUILD, 'index.html')))
    missing.push('the built site build/ (npm run build)');
  return missing;
}

/**
 * The gate of one browser test file (`file`, as tests/site/NAME.test.ts) whose suite is `what`:
 * registers the test that fails in CI when a part is missing, prints outside CI why the suite skips
 * and how to run it, and returns `ready` and a `describe` that skips with that reason in its name.
 */
export function siteSuite(what: string, file: string, needs: Needs = 'chromium and build') {
  const missing = missingForBrowserTests(needs);
  const ready = missing.length === 0;
  const parts = needs === 'chromium' ? 'Chromium' : 'Chromium and a built site';
  const why = `skipped: missing ${missing.join(' and ')}`;
  if (!ready && !inCi) {
    const build = needs === 'chromium' ? '' : ' npm run build;';
    console.log(
      `${what}: ${why}. To run: apt-get install chromium fonts-liberation;${build} npx vitest run ${file}`,
    );
  }
  it(`has ${parts} to test ${what} (required in CI)`, () => {
    if (inCi)
      expect(
        missing,
        `CI must install chromium and fonts-liberation, and build the site first`,
      ).toEqual([]);
  });
  return {
    ready,
    describe: (name: string, options: { timeout: number }, body: () => void) =>
      describe.skipIf(!ready)(ready ? name : `${name} (${why})`, options, body),
  };
}

/** The build served on 127.0.0.1 as a host would (gzip and all), and Chromium to read it with. */
export interface OpenSite {
  /** http://127.0.0.1:PORT, no trailing slash. */
  base: string;
  browser: Browser;
  /** Closes the browser and stops serving. */
  close(): Promise<void>;
}

/** Serves BUILD and launches Chromium (with `extraArgs` besides the usual ones). */
export async function openSite(extraArgs: string[] = []): Promise<OpenSite> {
  const { url, server } = await serveBuild(BUILD);
  const browser = await launchChromium(extraArgs).catch((error: unknown) => {
    server.close();
    throw error;
  });
  return {
    base: url,
    browser,
    async close() {
      await browser.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Every page of the build as a route: build/docs/intro.html → /docs/intro, build/index.html → /. */
export function routesInBuild(): string[] {
  return readdirSync(BUILD, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.html'))
    .map(
      (f) =>
        `/${f
          .replace(/\\/g, '/')
          .replace(/(^|\/)index\.html$/, '')
          .replace(/\.html$/, '')}`,
    )
    .sort();
}

/** Mermaid fences per docs route, from the page sources: docs/03-stateful-servers.mdx → /docs/stateful-servers. */
export function mermaidFencesByRoute(): Map<string, number> {
  const counts = new Map<string, number>();
  const docs = join(ROOT, 'docs');
  for (const file of readdirSync(docs, { recursive: true, encoding: 'utf8' })) {
    if (!/\.mdx?$/.test(file)) continue;
    const id = relative(docs, join(docs, file))
      .replace(/\\/g, '/')
      .replace(/\.mdx?$/, '')
      .replace(/(^|\/)\d+-/g, '$1');
    const fences = readFileSync(join(docs, file), 'utf8').match(/^\s*```mermaid\b/gm)?.length ?? 0;
    counts.set(`/docs/${id}`, fences);
  }
  return counts;
}

/**
 * Scrolls to every diagram, as a reader reading down the page, until each one's drawing has loaded
 * (they load as the reader comes near them: loading="lazy"), then back to the top. How many there
 * are; throws when a drawing has not loaded within `timeout` ms of being reached.
 */
export async function reachEveryDiagram(page: Page, timeout = 20_000): Promise<number> {
  const figures = await page.locator('figure[data-diagram]').all();
  for (const [i, figure] of figures.entries()) {
    await figure.scrollIntoViewIfNeeded();
    // The drawing shown: the other colour mode's, if still in the page, is display: none.
    await page
      .waitForFunction(
        (f) => {
          const shown = Array.from(f!.querySelectorAll<HTMLImageElement>(':scope > img')).filter(
            (img) => img.getClientRects().length > 0,
          );
          return shown.length > 0 && shown.every((img) => img.complete && img.naturalWidth > 0);
        },
        await figure.elementHandle(),
        { timeout },
      )
      .catch(async () => {
        const srcs = await figure
          .locator(':scope > img')
          .evaluateAll((imgs) =>
            imgs.map(
              (img) => (img as HTMLImageElement).currentSrc || (img as HTMLImageElement).src,
            ),
          );
        throw new Error(
          `diagram ${i + 1} of ${figures.length}: no drawing shown and loaded within ${timeout} ms ` +
            `of reaching it (${srcs.join(', ') || 'no <img>'})`,
        );
      });
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  return figures.length;
}

/** Waits for the page's next two frames: what changed before is laid out and painted by then. */
export async function twoFrames(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise((frame) => requestAnimationFrame(() => requestAnimationFrame(frame))),
  );
}

/** Waits until the page has hydrated: the colour mode button says so once React runs it. */
export async function hydrated(page: Page): Promise<void> {
  await page.waitForSelector('button[data-color-mode-toggle][data-hydrated]', {
    state: 'attached',
  });
}

/**
 * Waits until the page's article, if it has one, is all laid out: its prose far down is laid out in
 * idle moments after load (src/theme/lay-out-prose.ts), and a check of the whole page (axe, a
 * heading's final place) is to see the page as it then is. Throws after `timeout` ms.
 */
export async function articleLaidOut(page: Page, timeout = 20_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const article = document.querySelector('.theme-doc-markdown');
      return !article || article.getAttribute('data-laid-out') === 'all';
    },
    null,
    { timeout },
  );
}
