// `npm run bench`: figures, not assertions. Site build time, JS/CSS bytes per page, Lighthouse per
// page, notebook run time, exercise check latency. Repeated figures are medians; compare figures
// from one run only.
//   --build-dir=DIR       measure an existing build instead of building into build/
//   --lighthouse-only     only Lighthouse (on build/ or --build-dir), nothing else
//   --weights-only        only the JS and CSS each page loads (on build/ or --build-dir), in seconds
//   --site-only           only the site: build time, page weight, Lighthouse
//   --lighthouse-runs=N   N rounds of Lighthouse over every page and the peer (a default Docusaurus
//                         classic site of the same version, built or reused from .statelab/bench-peer/),
//                         interleaved; each page's medians, its ratio to the peer's docs page in the
//                         same round, and the CPU benchmark of each run (default 1)
//   --pages=/,/docs/intro Lighthouse on these StateLab pages only (the peer's two pages always run)
//   --lost-updates-only   only the lost updates with users in two tabs, per store (bench-two-tabs.ts)
//   --lb-only             only the load balancer: its overhead and the load it holds (a minute or so)
//   --checks-only         only exercise check latency: cold, and a watch re-run after a save
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadExercises, ROOT } from './checks/manifest';
import { runChecks } from './checks/run-checks';
import { reportCheckLatency } from './bench-checks';
import { runNotebook } from './notebook-runner';
import { reportLoadBalancer } from './bench-lb';
import { reportStoreCosts } from './bench-stores';
import { reportLostUpdates } from './bench-two-tabs';
import { lighthouseSite } from './bench-site';
import { builtHtml, serveBuild } from './static-server';

const LOST_UPDATES =
  'lost updates: acknowledged adds in neither an order nor the cart, cart written with update() vs a get then a set';
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

function buildSite(): number {
  const started = performance.now();
  const build = spawnSync('npx', ['docusaurus', 'build'], { cwd: ROOT, stdio: 'ignore' });
  if (build.status !== 0)
    throw new Error('docusaurus build failed: run `npm run build` to see why');
  return performance.now() - started;
}

const CHROMIUM = '/usr/bin/chromium';

/**
 * JS and CSS bytes a page really loads in Chromium (lazy route chunks included), as transferred
 * with gzip and as decoded. Needs Debian's chromium; without it the figure is skipped, with a word.
 */
async function pageWeights(buildDir: string, routes: string[]) {
  if (!existsSync(CHROMIUM)) return undefined;
  const { chromium } = await import('playwright-core');
  const { url, server } = await serveBuild(buildDir);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const weights = [];
  try {
    for (const route of routes) {
      const page = await browser.newPage();
      const seen: Promise<{ type: string; raw: number; sent: number }>[] = [];
      page.on('requestfinished', (request) => {
        const type = request.resourceType();
        if (type !== 'script' && type !== 'stylesheet') return;
        seen.push(
          Promise.all([request.sizes(), request.response().then((r) => r?.body())]).then(
            ([sizes, body]) => ({
              type,
              raw: body?.length ?? 0,
              sent: sizes.responseBodySize,
            }),
          ),
        );
      });
      await page.goto(`${url}/${route}`, { waitUntil: 'networkidle' });
      // Hydrated, so every chunk of the route has arrived: on a busy machine "network idle" came
      // first now and then, and a page counted a chunk short (the colour mode toggle is enabled once
      // React runs). An island the reader has not come near is not loaded, and not counted.
      await page.waitForSelector('button[data-color-mode-toggle][data-hydrated]', {
        state: 'attached',
      });
      const assets = await Promise.all(seen);
      const sum = (type: string, key: 'raw' | 'sent') =>
        assets.filter((a) => a.type === type).reduce((n, a) => n + a[key], 0);
      weights.push({
        route,
        js: { raw: sum('script', 'raw'), gzip: sum('script', 'sent') },
        css: { raw: sum('stylesheet', 'raw'), gzip: sum('stylesheet', 'sent') },
      });
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  return weights;
}

function listHtml(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.html'))
    .map((f) => f.replace(/(\/index)?\.html$/, ''))
    .sort();
}

function options(args: string[]) {
  const value = (name: string) =>
    args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const known =
    /^--(build-dir=.+|lighthouse-only|weights-only|site-only|lost-updates-only|lb-only|checks-only|lighthouse-runs=[1-9]\d*|pages=.+)$/;
  const unknown = args.filter((a) => !known.test(a));
  if (unknown.length > 0)
    throw new Error(
      `unknown option ${unknown.join(' ')}: use --build-dir=DIR, --lighthouse-only, --weights-only, --site-only, --lost-updates-only, --lb-only, --checks-only, --lighthouse-runs=N, --pages=/,/docs/intro`,
    );
  return {
    buildDir: value('build-dir'),
    lighthouseOnly: args.includes('--lighthouse-only'),
    weightsOnly: args.includes('--weights-only'),
    siteOnly: args.includes('--site-only'),
    lostUpdatesOnly: args.includes('--lost-updates-only'),
    lbOnly: args.includes('--lb-only'),
    checksOnly: args.includes('--checks-only'),
    lighthouseRuns: Number(value('lighthouse-runs') ?? 1),
    pages: value('pages')?.split(','),
  };
}

async function main() {
  const {
    buildDir: given,
    lighthouseOnly,
    weightsOnly,
    siteOnly,
    lostUpdatesOnly,
    lbOnly,
    checksOnly,
    lighthouseRuns,
    pages,
  } = options(process.argv.slice(2));
  const buildDir = resolve(given ?? join(ROOT, 'build'));
  console.log(`StateLab bench · node ${process.version} · ${new Date().toISOString()}\n`);

  if (lbOnly) {
    await reportLoadBalancer();
    return;
  }
  if (checksOnly) {
    await reportCheckLatency();
    return;
  }
  if (lostUpdatesOnly) {
    console.log(LOST_UPDATES);
    await reportLostUpdates();
    return;
  }

  if (lighthouseOnly) {
    if (!existsSync(join(buildDir, 'index.html')))
      throw new Error(`no site in ${buildDir}: build it first (npm run build) or pass --build-dir`);
    await lighthouseSite(buildDir, { runs: lighthouseRuns, pages });
    return;
  }

  if (weightsOnly && !existsSync(join(buildDir, 'index.html')))
    throw new Error(`no site in ${buildDir}: build it first (npm run build) or pass --build-dir`);
  if (given || weightsOnly) console.log(`site build: not built, measuring ${buildDir}`);
  else console.log(`site build (docusaurus build):  ${seconds(buildSite())}`);
  // Every page of the course: the landing page and every doc, by the route the build gave it.
  const routes = ['', ...listHtml(join(buildDir, 'docs')).map((r) => `docs/${r}`)];
  console.log('\npage weight in Chromium (JS / CSS: decoded → sent with gzip)');
  const weights = await pageWeights(buildDir, routes);
  if (!weights) console.log(`  skipped: no ${CHROMIUM} (Debian: apt-get install chromium)`);
  for (const { route, js, css } of weights ?? []) {
    console.log(
      `  /${route.padEnd(24)} JS ${kib(js.raw)} → ${kib(js.gzip)}   CSS ${kib(css.raw)} → ${kib(css.gzip)}`,
    );
  }
  // Goal: a page with diagrams weighs no more than 1.1× a plain page. Compared like with like:
  // chapters with the intro, notebook pages with the lightest notebook page that has no diagram.
  if (weights) {
    const drawn = (route: string) => /<img[^>]*\/diagrams\//.test(builtHtml(buildDir, route));
    const kinds = [
      ['chapter', (r: string) => r.startsWith('docs/') && !r.startsWith('docs/notebooks/')],
      ['notebook page', (r: string) => r.startsWith('docs/notebooks/')],
    ] as const;
    for (const [kind, isKind] of kinds) {
      const pages = weights.filter((w) => isKind(w.route));
      const plain = pages.filter((w) => !drawn(w.route)).sort((a, b) => a.js.raw - b.js.raw)[0];
      const heaviest = pages.filter((w) => drawn(w.route)).sort((a, b) => b.js.raw - a.js.raw)[0];
      if (plain && heaviest) {
        // Three decimals: 1.102 is over the goal, and two would print it as 1.10.
        const ratio = heaviest.js.raw / plain.js.raw;
        console.log(
          `  heaviest ${kind} with diagrams: /${heaviest.route}, JS ${ratio.toFixed(3)}× /${plain.route} (goal ≤ 1.100×${ratio > 1.1 ? ': over it' : ''})`,
        );
      }
    }
  }
  if (weightsOnly) return;
  await lighthouseSite(buildDir, { runs: lighthouseRuns, pages });
  if (siteOnly) return;

  console.log('\nnotebooks (real tslab kernel; kernel start included)');
  const notebooks = readdirSync(join(ROOT, 'notebooks')).filter((f) => f.endsWith('.ipynb'));
  for (const name of notebooks) {
    const run = await runNotebook(join(ROOT, 'notebooks', name));
    const status = run.ok ? '' : '  FAILED';
    console.log(
      `  ${name.padEnd(30)} ${seconds(run.durationMs)} (kernel start ${seconds(run.kernelStartMs)})${status}`,
    );
  }

  console.log('');
  await reportCheckLatency();

  console.log('');
  await reportLoadBalancer();

  console.log(
    '\nwhere state lives, and what it costs: POST /cart + GET /cart, one shop server (median of 3 rounds)',
  );
  await reportStoreCosts();

  console.log(`\n${LOST_UPDATES}`);
  await reportLostUpdates();

  // How long a reader waits for the verdict on broken code (the promise is: within 10 s).
  console.log('\ntime to a verdict on broken reader code (tests/fixtures/exercises, exercise 01)');
  const [first] = loadExercises();
  const fixtures = join(ROOT, 'tests/fixtures/exercises');
  for (const name of readdirSync(fixtures).filter((d) =>
    existsSync(join(fixtures, d, `${first.slug}.ts`)),
  )) {
    const started = performance.now();
    await runChecks([first], join(fixtures, name));
    console.log(`  ${name.padEnd(16)} ${seconds(performance.now() - started)}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
