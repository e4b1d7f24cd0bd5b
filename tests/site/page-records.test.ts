// Page weight: a chapter page and a notebook page load their own chapter's recorded run and no other
// chapter's. Each page is opened in Chromium from the build, and every script it loads is searched for
// each record's marker (its ranAt, the instant that run was recorded, which the figures and the
// outputs of one run share). Once every page carried every chapter's record (+6–7 KiB gzipped);
// src/components/Figures/remark-records.ts now gives each page its own.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BUILD, openSite, ROOT, routesInBuild, siteSuite, type OpenSite } from './browser-env';

const RUN_DIRS = ['src/components/Figures/runs', 'src/components/NotebookOutput/runs'];

/** NN-slug → the ranAt of its recorded run (the same in its figures and its outputs). */
function markers(): Map<string, string> {
  const found = new Map<string, string>();
  for (const dir of RUN_DIRS)
    for (const file of readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.json'))) {
      const { ranAt } = JSON.parse(readFileSync(join(ROOT, dir, file), 'utf8')) as {
        ranAt: string;
      };
      found.set(file.replace(/\.json$/, ''), ranAt);
    }
  return found;
}

/** Every docs page by route, with the chapters its source quotes (chapter="…" or notebook="…"). */
function pages(): { route: string; quotes: string[] }[] {
  const docs = join(ROOT, 'docs');
  const figureRuns = readdirSync(join(ROOT, 'src/components/Figures/runs'))
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.replace(/\.json$/, ''));
  return readdirSync(docs, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.mdx?$/.test(f))
    .map((file) => {
      const source = readFileSync(join(docs, file), 'utf8');
      const quotes = [...source.matchAll(/\s(?:chapter|notebook)="(\d\d-[a-z0-9-]+)"/g)].map(
        (m) => m[1],
      );
      // <Quiz chapter="NN">: its read-this-output questions quote that chapter's run.
      for (const [, number] of source.matchAll(/<Quiz\s+chapter="(\d\d)"/g))
        quotes.push(...figureRuns.filter((slug) => slug.startsWith(`${number}-`)));
      const id = relative(docs, join(docs, file))
        .replace(/\\/g, '/')
        .replace(/\.mdx?$/, '')
        .replace(/(^|\/)\d+-/g, '$1');
      return { route: `/docs/${id}`, quotes: [...new Set(quotes)].sort() };
    })
    .sort((a, b) => a.route.localeCompare(b.route));
}

const suite = siteSuite('the records each page loads', 'tests/site/page-records.test.ts');

suite.describe('the recorded runs a built page loads', { timeout: 180_000 }, () => {
  let site: OpenSite;
  beforeAll(async () => {
    site = await openSite();
  });
  afterAll(() => site?.close());

  it("loads its own chapter's record on every chapter and notebook page, and no other chapter's", async () => {
    const ranAt = markers();
    const all = pages();
    expect(ranAt.size).toBeGreaterThan(5);
    expect(all.filter((p) => p.quotes.length > 0).length).toBeGreaterThan(10);
    expect(routesInBuild()).toEqual(expect.arrayContaining(all.map((p) => p.route)));

    const wrong: string[] = [];
    for (const { route, quotes } of all) {
      const page = await site.browser.newPage();
      await page.goto(`${site.base}${route}`, { waitUntil: 'networkidle' });
      // React hydrates a page only once every chunk of its route has arrived; the colour mode
      // toggle is disabled until then. A page that loaded its own record late would show here as
      // "loads none", so a miss fails rather than passes.
      await page.waitForSelector('button[data-color-mode-toggle][data-hydrated]');
      const urls = await page.evaluate(() =>
        // Scripts the page ran ('script'), not the chunks of linked pages it prefetched ('link').
        (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
          .filter((e) => e.initiatorType === 'script')
          .map((e) => new URL(e.name).pathname),
      );
      await page.close();
      // The scripts as the build wrote them (what the server sent, before gzip).
      const js = urls.map((path) => readFileSync(join(BUILD, path), 'utf8')).join('\n');
      expect(urls.length).toBeGreaterThan(2);
      const loaded = [...ranAt].filter(([, at]) => js.includes(at)).map(([slug]) => slug);
      const expected = quotes.filter((slug) => ranAt.has(slug));
      if (loaded.join() !== expected.join())
        wrong.push(
          `${route}: loads ${loaded.join(', ') || 'none'}; quotes ${expected.join(', ') || 'none'}`,
        );
    }
    expect(wrong).toEqual([]);
  });
});
