// Lighthouse on every page of a built site and on a peer, served with gzip as a static host
// serves them: mobile preset with simulated throttling (Lighthouse's default), one page at a time.
// The peer is a default Docusaurus classic site of the same version (tools/bench-peer.ts); its home
// and docs page run interleaved with StateLab's pages, round after round (round r runs every page
// once), so each StateLab page gets a ratio to the peer's docs page of the same round whatever the
// machine was doing then (as far as the load holds steady through a round: the CPU benchmark of
// each run, printed beside it, shows when it did not). Each page reports the median of its runs.
// Goal (issue 18, goalLines): above the peer's docs page in performance and below it in TBT;
// accessibility, best practices and SEO 100; performance >= 95 and TBT <= 200 ms in a run on a
// host fast enough to say (CPU benchmark >= 2500). For a page below 95 or 100 it names the audits
// that cost the points and the elements or scripts they blame.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PEER_DOCS_ROUTE, PEER_ROUTES, peerBuild } from './bench-peer';
import {
  CATEGORIES,
  type Category,
  cpuLines,
  goalLines,
  formatRow,
  type PageSummary,
  type RunScores,
  selectRoutes,
  summarisePage,
  TABLE_HEADER,
} from './bench-site-report';
import { serveBuild } from './static-server';

const LIGHTHOUSE = 'lighthouse@12.2.3'; // pinned: 13 needs Node 22
const CHROMIUM = '/usr/bin/chromium';
const CHROME_FLAGS = '--headless --no-sandbox --disable-gpu --disable-background-networking';
const GOAL: Record<Category, number> = {
  performance: 95,
  accessibility: 100,
  'best-practices': 100,
  seo: 100,
};
const RUN_TIMEOUT_MS = 4 * 60_000;

/** The parts of Lighthouse's JSON report (the LHR) read here. */
interface Report {
  runtimeError?: { code: string; message: string };
  environment?: { benchmarkIndex?: number };
  categories: Record<
    Category,
    { score: number | null; auditRefs: { id: string; weight: number }[] }
  >;
  audits: Record<string, Audit>;
}
interface Audit {
  id: string;
  title: string;
  score: number | null;
  scoreDisplayMode: string;
  displayValue?: string;
  numericValue?: number;
  metricSavings?: Record<string, number>;
  errorMessage?: string;
  details?: Details;
}
interface Details {
  type: string;
  items?: Record<string, unknown>[];
}

/** One run of one page: its numbers, and what cost it points (read from that run's report). */
interface RunResult extends RunScores {
  /** Audits that cost points, for each category below goal. */
  losses: { category: Category; audit: Audit }[];
  /** Audits Lighthouse could not run on this page, with why. */
  failedAudits: { id: string; why: string }[];
}

/** Every page of the build by its URL path ('' is the home page), 404 left out. */
export function siteRoutes(buildDir: string): string[] {
  return readdirSync(buildDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.html') && f !== '404.html')
    .map((f) => f.replace(/(^|\/)index\.html$/, '').replace(/\.html$/, ''))
    .sort();
}

/** One Lighthouse run through npx, in its own process group so a hung Chromium can be killed. */
function lighthouse(url: string, outputPath: string): Promise<Report> {
  const args = [
    '-y',
    LIGHTHOUSE,
    url,
    '--output=json',
    `--output-path=${outputPath}`,
    `--chrome-flags=${CHROME_FLAGS}`,
    `--only-categories=${CATEGORIES.join(',')}`,
    '--quiet',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('npx', args, {
      env: { ...process.env, CHROME_PATH: CHROMIUM },
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), RUN_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (existsSync(outputPath)) resolve(JSON.parse(readFileSync(outputPath, 'utf8')) as Report);
      else reject(new Error(`lighthouse exited ${code ?? signal}: ${stderr.trim().slice(-400)}`));
    });
  });
}

function resultOf(report: Report): RunResult {
  const scores = Object.fromEntries(
    CATEGORIES.map((c) => {
      const score = report.categories[c]?.score;
      return [c, score == null ? null : Math.round(score * 100)];
    }),
  ) as RunResult['scores'];
  const value = (id: string) => report.audits[id]?.numericValue;
  const losses = CATEGORIES.filter((c) => scores[c] !== null && scores[c]! < GOAL[c]).flatMap(
    (category) =>
      report.categories[category].auditRefs
        .map((ref) => ({ ref, audit: report.audits[ref.id] }))
        .filter(({ ref, audit }) => audit && costsPoints(category, ref.weight, audit))
        .map(({ audit }) => ({ category, audit })),
  );
  return {
    scores,
    metrics: {
      fcpMs: value('first-contentful-paint'),
      lcpMs: value('largest-contentful-paint'),
      tbtMs: value('total-blocking-time'),
      cls: value('cumulative-layout-shift'),
    },
    losses,
    failedAudits: Object.values(report.audits)
      .filter((a) => a.scoreDisplayMode === 'error')
      .map((a) => ({ id: a.id, why: a.errorMessage ?? '' })),
    benchmarkIndex: report.environment?.benchmarkIndex,
    error: report.runtimeError && `${report.runtimeError.code}: ${report.runtimeError.message}`,
  };
}

/**
 * A weighted audit below full score costs points directly. Performance points come only from its
 * metrics, so for performance the opportunities and diagnostics that Lighthouse says would save
 * metric time are listed too: they name the scripts, styles or elements that make a metric slow.
 */
function costsPoints(category: Category, weight: number, audit: Audit): boolean {
  if (audit.score === null || audit.score >= 1) return false;
  if (weight > 0) return true;
  return category === 'performance' && savings(audit) !== '';
}

/** "TBT 11400 ms, LCP 300 ms": what fixing the audit would save, by Lighthouse's estimate. */
function savings(audit: Audit): string {
  return Object.entries(audit.metricSavings ?? {})
    .filter(([, v]) => v > 0)
    .map(([metric, v]) =>
      metric === 'CLS' ? `CLS ${v.toFixed(3)}` : `${metric} ${Math.round(v)} ms`,
    )
    .join(', ');
}

/** One row of an audit's details: the element, script or URL, and its cost when there is one. */
function itemLabel(item: Record<string, unknown>): string | undefined {
  const values = Object.values(item) as { type?: string; [key: string]: unknown }[];
  const node = values.find((v) => v?.type === 'node');
  const source = values.find((v) => v?.type === 'source-location');
  const text = item.url ?? item.description ?? item.label ?? item.groupLabel;
  const what = node
    ? `${String(node.selector)}  ${String(node.snippet ?? '')}`
    : source
      ? `${String(source.url)}:${Number(source.line) + 1}`
      : typeof text === 'string'
        ? text
        : undefined;
  const cost =
    typeof item.wastedBytes === 'number'
      ? `${(item.wastedBytes / 1024).toFixed(0)} KiB to save`
      : (['wastedMs', 'total', 'duration'] as const)
          .map((key) => item[key])
          .filter((v): v is number => typeof v === 'number')
          .map((v) => `${Math.round(v)} ms`)[0];
  return what && (cost ? `${cost.padStart(14)}  ${what}` : what);
}

function detailLines(details: Details | undefined): string[] {
  if (!details?.items) return [];
  // A 'list' holds whole details objects (the LCP element audit: the element, then its phases).
  if (details.type === 'list')
    return details.items.flatMap((d) => detailLines(d as unknown as Details));
  return details.items.map(itemLabel).filter((s): s is string => !!s);
}

/** For each page, the audits that cost points in its median run by performance. */
function printLosses(pages: { route: string; run: RunResult }[]) {
  const below = pages.filter(({ run }) => run.losses.length > 0);
  if (below.length === 0) return console.log('\n  every page meets the goal');
  console.log("\n  what costs points (categories below goal, in each page's median run)");
  for (const { route, run } of below) {
    for (const category of CATEGORIES.filter((c) => run.losses.some((l) => l.category === c))) {
      console.log(`  /${route} · ${category} ${run.scores[category]}`);
      for (const { audit } of run.losses.filter((l) => l.category === category)) {
        const shown = [audit.displayValue, savings(audit) && `saves ${savings(audit)}`]
          .filter(Boolean)
          .join('; ');
        console.log(`    ${audit.id}: ${audit.title}${shown && ` (${shown})`}`);
        const lines = detailLines(audit.details);
        for (const line of lines.slice(0, 4)) console.log(`      ${line.slice(0, 150)}`);
        if (lines.length > 4) console.log(`      … ${lines.length - 4} more`);
      }
    }
  }
}

/** The run whose performance is the median of the page's runs (the lower middle for an even count). */
function medianRun(runs: RunResult[]): RunResult | undefined {
  const good = runs.filter((r) => !r.error);
  const sorted = [...good].sort(
    (a, b) => (a.scores.performance ?? 0) - (b.scores.performance ?? 0),
  );
  return sorted[(sorted.length - 1) >> 1];
}

/** A page to run: which site, its route, and the base URL of that site's server. */
interface Target {
  site: PageSummary['site'];
  route: string;
  base: string;
}

/**
 * Runs Lighthouse `runs` rounds over the StateLab pages of `buildDir` (all, or `pages`) and the
 * peer's home and docs page, prints each page's medians with its ratio to the peer's docs page,
 * the CPU benchmark of every run, then the audits that cost points. Without the peer (its build
 * failed) the ratios are left empty and the rest still runs. Returns undefined (after one line
 * saying why) when there is no Chromium.
 */
export async function lighthouseSite(
  buildDir: string,
  { runs = 1, pages }: { runs?: number; pages?: string[] } = {},
): Promise<PageSummary[] | undefined> {
  const rounds = runs > 1 ? `median of ${runs} interleaved runs` : 'one run';
  console.log(
    `\nLighthouse ${LIGHTHOUSE.split('@')[1]} · mobile, simulated throttling · ${rounds} a page`,
  );
  if (!existsSync(CHROMIUM)) {
    console.log(`  skipped: no ${CHROMIUM} (Debian: apt-get install chromium)`);
    return undefined;
  }
  let peerDir: string | undefined;
  try {
    peerDir = peerBuild();
  } catch (error) {
    console.log(`  peer: none, no ratios (${(error as Error).message.split('\n')[0]})`);
  }
  const started = performance.now();
  const ours = await serveBuild(buildDir);
  const peer = peerDir ? await serveBuild(peerDir) : undefined;
  const targets: Target[] = [
    ...(peer ? PEER_ROUTES.map((route) => ({ site: 'peer' as const, route, base: peer.url })) : []),
    ...selectRoutes(siteRoutes(buildDir), pages).map((route) => ({
      site: 'statelab' as const,
      route,
      base: ours.url,
    })),
  ];
  const dir = mkdtempSync(join(tmpdir(), 'statelab-lighthouse-'));
  const results = new Map<Target, RunResult[]>(targets.map((t) => [t, []]));
  try {
    for (let round = 1; round <= runs; round += 1) {
      console.log(`  round ${round} of ${runs}: ${targets.length} pages`);
      for (const target of targets) {
        const output = join(dir, 'report.json');
        const run = await lighthouse(`${target.base}/${target.route}`, output)
          .then(resultOf)
          .catch((error: Error): RunResult => ({
            scores: { performance: null, accessibility: null, 'best-practices': null, seo: null },
            metrics: {},
            losses: [],
            failedAudits: [],
            error: error.message,
          }));
        rmSync(output, { force: true });
        results.get(target)!.push(run);
      }
    }
  } finally {
    ours.server.close();
    peer?.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const peerDocs = targets.find((t) => t.site === 'peer' && t.route === PEER_DOCS_ROUTE);
  const summaries = targets.map((t) =>
    summarisePage(t.site, t.route, results.get(t)!, peerDocs && results.get(peerDocs)),
  );
  console.log(
    `\n  medians of each column; perf/pr and TBT/pr: the page's performance and TBT over the peer` +
      ` docs page's (/${PEER_DOCS_ROUTE}) in the same round, median over rounds`,
  );
  console.log(TABLE_HEADER);
  for (const summary of summaries) console.log(formatRow(summary));
  printLosses(
    targets
      .filter((t) => t.site === 'statelab')
      .flatMap((t) => {
        const run = medianRun(results.get(t)!);
        return run ? [{ route: t.route, run }] : [];
      }),
  );
  // Lighthouse 12 reads Chromium's trace format; a newer Chromium can break a few of its audits.
  const failed = new Map(
    [...results.values()].flat().flatMap((r) => r.failedAudits.map((a) => [a.id, a.why])),
  );
  if (failed.size > 0)
    console.log(
      `\n  audits Lighthouse could not run (no score lost, no advice from them): ${[...failed.keys()].join(', ')}` +
        `\n    first error: ${[...failed.values()][0].split('\n')[0].slice(0, 160)}`,
    );
  // Simulated throttling scales the main-thread time it observes, so a busy machine (2 shared
  // cores) inflates TBT and lowers performance: this says how busy it was.
  console.log('');
  for (const line of cpuLines(summaries)) console.log(line);
  console.log('');
  for (const line of goalLines(summaries)) console.log(line);
  console.log(`\n  Lighthouse took ${((performance.now() - started) / 60_000).toFixed(1)} min`);
  return summaries;
}
