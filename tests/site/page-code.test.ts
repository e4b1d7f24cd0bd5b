// Page weight: a chapter page that shows a region of a lab file (<CodeRegion file region />) loads that
// region and not the rest of the file. Each page is opened in Chromium from the build, and every script
// it loads is searched for the file's lines outside the regions the page shows. Once every such page
// bundled each whole file (imported with raw-loader) and cut the region at render time: 25 KiB of
// source on chapter 4 for about 3 KiB shown. src/components/CodeRegion/remark-code-regions.ts now
// cuts it at build time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { extractRegion } from '../../src/components/CodeRegion/region';
import { codeRegionUses, listDocs } from '../content/docs';
import { BUILD, openSite, ROOT, siteSuite, type OpenSite } from './browser-env';

/** A line that a minifier writes into a JS string as it is: no quote, backslash or non-ASCII. */
const verbatim = (line: string) =>
  line.length >= 30 && /^[\x20-\x7e]+$/.test(line) && !/['"`\\]/.test(line);

/** Each chapter page that shows code, with the lines it shows and the lines of those files it does not. */
function pages() {
  return listDocs()
    .map((doc) => {
      const uses = codeRegionUses(doc.text);
      const shown = new Set<string>();
      const files = new Set<string>();
      for (const { file, region } of uses) {
        files.add(file);
        const source = readFileSync(join(ROOT, file), 'utf8');
        const code = region === undefined ? source : extractRegion(source, region);
        for (const line of code.split('\n')) shown.add(line.trim());
      }
      const hidden = [...files].flatMap((file) =>
        readFileSync(join(ROOT, file), 'utf8')
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => verbatim(line) && !shown.has(line) && !/#(end)?region/.test(line))
          .map((line) => ({ file, line })),
      );
      const route = `/docs/${doc.id}`;
      return { route, shown: [...shown].filter(verbatim), hidden };
    })
    .filter((page) => page.shown.length > 0);
}

const suite = siteSuite('the code each page loads', 'tests/site/page-code.test.ts');

suite.describe('the lab code a built chapter page loads', { timeout: 180_000 }, () => {
  let site: OpenSite;
  beforeAll(async () => {
    site = await openSite();
  });
  afterAll(() => site?.close());

  it('loads the regions it shows, and no other line of their files', async () => {
    const all = pages();
    expect(all.length).toBeGreaterThan(5);
    const wrong: string[] = [];
    for (const { route, shown, hidden } of all) {
      const page = await site.browser.newPage();
      await page.goto(`${site.base}${route}`, { waitUntil: 'networkidle' });
      // Hydrated: every chunk of the route has arrived (the colour mode toggle waits for it).
      await page.waitForSelector('button[data-color-mode-toggle][data-hydrated]');
      const urls = await page.evaluate(() =>
        (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
          .filter((e) => e.initiatorType === 'script')
          .map((e) => new URL(e.name).pathname),
      );
      await page.close();
      const js = urls.map((path) => readFileSync(join(BUILD, path), 'utf8')).join('\n');
      // The shown code is there (so a miss below is not a script this test failed to read).
      const missing = shown.filter((line) => !js.includes(line));
      if (missing.length > 0)
        wrong.push(`${route}: does not load the line it shows "${missing[0]}"`);
      const extra = hidden.filter(({ line }) => js.includes(line));
      if (extra.length > 0)
        wrong.push(
          `${route}: loads ${extra.length} lines it does not show, e.g. ${extra[0].file}: "${extra[0].line}"`,
        );
    }
    expect(wrong).toEqual([]);
  });
});
