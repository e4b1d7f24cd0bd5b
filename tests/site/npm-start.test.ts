// The README's first command gives the reader the whole course. This test takes the README's route:
// it runs `npm start` itself (on a free port: `npm start -- --port N --no-open`), then, in Chromium:
// every notebook page shows the outputs of a real run, not the "No outputs on this page" box; every
// chapter that quotes measured figures (chapter 7 the most) shows them, not a placeholder; search
// finds "sticky" and a result opens its page; and the progress table shows what `npm run check`
// recorded (read from STATELAB_STATE, a folder of this test's own).
// `npm start` builds only when build/ is out of date with its sources (tools/site-inputs.ts), so in
// CI it serves the build .ci/run made before `npm test`. A stale build/ is built again first, into a
// folder of this test's own (STATELAB_SITE_BUILD), because other browser tests read build/ meanwhile.
// Needs /usr/bin/chromium: outside CI a missing one skips, saying so; CI fails.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { staleBecause } from '../../tools/site-inputs';
import { BUILD, launchChromium, ROOT, siteSuite } from './browser-env';

const suite = siteSuite('npm start in the browser', 'tests/site/npm-start.test.ts', 'chromium');

/** How long `npm start` may take to serve: a build when build/ is stale, minutes on a busy machine. */
const START_LIMIT_MS = 10 * 60_000;
const PAGE_LIMIT_MS = 30_000;

/** docs/notebooks/01-request-path.mdx → /docs/notebooks/request-path. */
const notebookRoutes = readdirSync(join(ROOT, 'docs/notebooks'))
  .filter((name) => name.endsWith('.mdx'))
  .map((name) => `/docs/notebooks/${basename(name, '.mdx').replace(/^\d+-/, '')}`)
  .sort();
/** Each chapter page that quotes a notebook's figures, with how many <FigureTable>s it has. */
const chaptersWithFigures = readdirSync(join(ROOT, 'docs'))
  .filter((name) => /^\d\d-.*\.mdx$/.test(name))
  .map((name) => ({ name, source: readFileSync(join(ROOT, 'docs', name), 'utf8') }))
  .filter(({ source }) => /<Figure(Table)?\b/.test(source))
  .map(({ name, source }) => ({
    route: `/docs/${basename(name, '.mdx').replace(/^\d+-/, '')}`,
    tables: source.match(/<FigureTable\b/g)?.length ?? 0,
  }));

/** A port the OS hands out now; `npm start` takes it a moment later. */
function freePort(): Promise<number> {
  const server = createServer();
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    }),
  );
}

suite.describe(
  'npm start, as the README says, in Chromium',
  { timeout: notebookRoutes.length * PAGE_LIMIT_MS + 120_000 },
  () => {
    const state = mkdtempSync(join(tmpdir(), 'statelab-npm-start-'));
    let npm: ChildProcess;
    let output = '';
    let base = '';
    let browser: Browser;

    /** Resolves once npm start serves (false), or exits saying `port` is taken (true). */
    function serving(npm: ChildProcess, port: number): Promise<boolean> {
      return new Promise<boolean>((resolve, reject) => {
        const deadline = setTimeout(
          () =>
            reject(new Error(`npm start did not serve within ${START_LIMIT_MS} ms:\n${output}`)),
          START_LIMIT_MS,
        );
        const collect = (chunk: Buffer) => {
          output += chunk;
          if (output.includes('Serving the course at')) {
            clearTimeout(deadline);
            resolve(false);
          }
        };
        npm.stdout!.on('data', collect);
        npm.stderr!.on('data', collect);
        // 'close', not 'exit': all it printed has arrived by then.
        npm.once('close', (code) => {
          clearTimeout(deadline);
          if (code === 1 && output.includes(`port ${port} is taken`)) resolve(true);
          else reject(new Error(`npm start exited (${code}) before serving:\n${output}`));
        });
      });
    }

    beforeAll(async () => {
      // What `npm run check` records when exercise 01 passes: the table must show it.
      const checked = {
        id: '01',
        chapter: '01',
        title: 'Serve one product from the database',
        state: 'done',
        passing: 4,
        total: 4,
        checkedAt: '2025-12-01T10:00:00.000Z',
      };
      writeFileSync(
        join(state, 'progress.json'),
        JSON.stringify({ version: 1, exercises: { '01': checked } }),
      );
      const stale = staleBecause(BUILD, ROOT);
      if (stale) console.log(`npm start builds the site first (${stale}): a minute or more`);
      const build = stale ? { STATELAB_SITE_BUILD: join(state, 'build') } : {};
      // The port is free when freePort() looks, but npm start takes it seconds later, and meanwhile
      // any other test's server (or a connection's local end) may be handed the same number. npm
      // start then says the port is taken and exits 1: that alone is tried again, on another port.
      for (let attempt = 1; !base; attempt += 1) {
        const port = await freePort();
        output = '';
        // Its own process group, so that stopping it stops npm, the shell and the server together.
        npm = spawn('npm', ['start', '--', '--port', String(port), '--no-open'], {
          cwd: ROOT,
          env: { ...process.env, STATELAB_STATE: state, ...build },
          detached: true,
        });
        const taken = await serving(npm, port);
        if (!taken) base = `http://localhost:${port}`;
        else if (attempt === 3) throw new Error(`npm start found 3 free ports taken:\n${output}`);
      }
      browser = await launchChromium();
    }, START_LIMIT_MS + 60_000);

    afterAll(async () => {
      await browser?.close();
      if (npm?.pid && npm.exitCode === null) {
        const exited = new Promise((resolve) => npm.once('exit', resolve));
        process.kill(-npm.pid, 'SIGINT'); // Ctrl-C, as a reader stops it
        const late = setTimeout(
          () => npm.exitCode === null && process.kill(-npm.pid!, 'SIGKILL'),
          10_000,
        );
        await exited;
        clearTimeout(late);
      }
      rmSync(state, { recursive: true, force: true });
    });

    /** A page of the running site, with the requests that failed and the errors it threw. */
    async function open(route: string): Promise<{ page: Page; problems: string[] }> {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(`${route}: page error: ${e.message}`));
      page.on('response', (r) => {
        if (r.status() >= 400) problems.push(`${route}: HTTP ${r.status()} ${r.url()}`);
      });
      await page.goto(base + route, { waitUntil: 'networkidle', timeout: PAGE_LIMIT_MS });
      return { page, problems };
    }

    it('every notebook page shows the outputs of a real run', async () => {
      expect(notebookRoutes.length).toBeGreaterThanOrEqual(7);
      const missing: string[] = [];
      const problems: string[] = [];
      for (const route of notebookRoutes) {
        const visit = await open(route);
        // textContent: as written, whatever the CSS does to it (admonition titles are upper case).
        const text = (await visit.page.locator('main').textContent()) ?? '';
        const outputs = await visit.page.locator('[aria-label="Output of the cell above"]').count();
        if (text.includes('No outputs on this page'))
          missing.push(`${route}: "No outputs on this page"`);
        else if (!text.includes('Where these outputs come from'))
          missing.push(`${route}: no run named`);
        if (outputs === 0) missing.push(`${route}: no cell output shown`);
        if (text.includes('This run failed')) missing.push(`${route}: its run failed`);
        problems.push(...visit.problems);
        await visit.page.close();
      }
      expect(missing, `pages without outputs; npm start printed:\n${output}`).toEqual([]);
      expect(problems).toEqual([]);
    });

    it('every chapter that quotes measured figures shows them, chapter 7 too', async () => {
      expect(chaptersWithFigures.map((c) => c.route)).toContain('/docs/price-of-statelessness');
      const missing: string[] = [];
      for (const { route, tables } of chaptersWithFigures) {
        const { page, problems } = await open(route);
        const placeholders = await page.locator('[data-figures-missing]').count();
        if (placeholders > 0) missing.push(`${route}: ${placeholders} figure placeholder(s)`);
        const shown = await page.locator('main table').count();
        if (shown < tables) missing.push(`${route}: ${shown} tables for ${tables} <FigureTable>s`);
        missing.push(...problems);
        await page.close();
      }
      expect(missing).toEqual([]);
    });

    it('search finds "sticky", and a result opens its page', async () => {
      const { page, problems } = await open('/docs/intro');
      // Typed once the page has hydrated: "network idle" does not wait for that, and on a busy
      // machine (CI) a word typed into the server's HTML searched nothing.
      await page.waitForSelector('button[data-color-mode-toggle][data-hydrated]', {
        state: 'attached',
        timeout: 20_000,
      });
      await page.locator('input.navbar__search-input').fill('sticky');
      const results = page.locator('[role="listbox"] [role="option"]');
      await results.first().waitFor({ state: 'visible', timeout: 20_000 });
      expect(await results.count()).toBeGreaterThan(0);
      expect((await results.first().innerText()).toLowerCase()).toContain('stick');
      await results.first().click();
      await page.waitForURL((url) => url.pathname !== '/docs/intro', { timeout: 20_000 });
      await page.locator('main h1').first().waitFor({ state: 'visible', timeout: 20_000 });
      expect(await page.title()).not.toMatch(/not found/i);
      expect((await page.locator('main').innerText()).toLowerCase()).toContain('stick');
      expect(problems).toEqual([]);
      await page.close();
    });

    it("the progress table shows what npm run check recorded (the local server's answer)", async () => {
      const { page, problems } = await open('/docs/intro');
      const firstRow = page.locator(
        'section[aria-labelledby="progress-summary-title"] tbody tr >> nth=0',
      );
      await expect
        .poll(() => firstRow.locator('td').last().innerText(), { timeout: 20_000 })
        .toMatch(/^done \(4 of 4 checks pass\)/);
      expect(problems).toEqual([]);
      await page.close();
    });
  },
);
