// Lighthouse on every page of a built site, served with gzip as a static host serves it: mobile
// preset with simulated throttling (Lighthouse's default), one page at a time. Goal: performance
// >= 95, accessibility, best practices and SEO 100; for a page below goal it names the audits that
// cost the points and the elements or scripts they blame.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveBuild } from './static-server';

const LIGHTHOUSE = 'lighthouse@12.2.3'; // pinned: 13 needs Node 22
const CHROMIUM = '/usr/bin/chromium';
const CHROME_FLAGS = '--headless --no-sandbox --disable-gpu --disable-background-networking';
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
const GOAL: Record<Category, number> = {
  performance: 95,
  accessibility: 100,
  'best-practices': 100,
  seo: 100,
};
const RUN_TIMEOUT_MS = 4 * 60_000;

type Category = (typeof CATEGORIES)[number];

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

export interface PageResult {
  route: string;
  /** 0–100 per category; null when Lighthouse could not score it. */
  scores: Record<Category, number | null>;
  metrics: { fcpMs?: number; lcpMs?: number; tbtMs?: number; cls?: number };
  /** Performance of every run, when there were several (the report is the median run's). */
  performanceRuns: number[];
  /** Audits that cost points, for each category below goal. */
  losses: { category: Category; audit: Audit }[];
  /** Audits Lighthouse could not run on this page, with why. */
  failedAudits: { id: string; why: string }[];
  /** Lighthouse's CPU benchmark at the time: lower is a slower or busier machine. */
  benchmarkIndex?: number;
  error?: string;
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

function resultOf(route: string, report: Report, performanceRuns: number[]): PageResult {
  const scores = Object.fromEntries(
    CATEGORIES.map((c) => {
      const score = report.categories[c]?.score;
      return [c, score == null ? null : Math.round(score * 100)];
    }),
  ) as PageResult['scores'];
  const value = (id: string) => report.audits[id]?.numericValue;
  const losses = CATEGORIES.filter((c) => scores[c] !== null && scores[c]! < GOAL[c]).flatMap(
    (category) =>
      report.categories[category].auditRefs
        .map((ref) => ({ ref, audit: report.audits[ref.id] }))
        .filter(({ ref, audit }) => audit && costsPoints(category, ref.weight, audit))
        .map(({ audit }) => ({ category, audit })),
  );
  return {
    route,
    scores,
    metrics: {
      fcpMs: value('first-contentful-paint'),
      lcpMs: value('largest-contentful-paint'),
      tbtMs: value('total-blocking-time'),
      cls: value('cumulative-layout-shift'),
    },
    performanceRuns,
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

async function runPage(baseUrl: string, route: string, runs: number, dir: string) {
  const reports: Report[] = [];
  for (let i = 0; i < runs; i += 1) {
    reports.push(await lighthouse(`${baseUrl}/${route}`, join(dir, `${reports.length}.json`)));
    rmSync(join(dir, `${reports.length - 1}.json`));
  }
  const perfScore = (r: Report) => r.categories.performance?.score ?? 0;
  const byPerformance = [...reports].sort((a, b) => perfScore(a) - perfScore(b));
  const median = byPerformance[byPerformance.length >> 1];
  return resultOf(
    route,
    median,
    reports.map((r) => Math.round(perfScore(r) * 100)),
  );
}

const ms = (v?: number) =>
  v === undefined ? '–' : v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`;
const score = (v: number | null) => String(v ?? '–').padStart(4);

function printRow(r: PageResult) {
  const { fcpMs, lcpMs, tbtMs, cls } = r.metrics;
  const spread =
    r.performanceRuns.length > 1 ? `  (perf runs ${r.performanceRuns.join(', ')})` : '';
  console.log(
    `  ${`/${r.route}`.padEnd(40)}${CATEGORIES.map((c) => score(r.scores[c])).join('')}` +
      `  ${ms(fcpMs).padStart(7)} ${ms(lcpMs).padStart(7)} ${ms(tbtMs).padStart(7)} ` +
      `${cls === undefined ? '–' : cls.toFixed(3).padStart(6)}${spread}${r.error ? `  ${r.error}` : ''}`,
  );
}

function printLosses(results: PageResult[]) {
  const below = results.filter((r) => r.losses.length > 0);
  if (below.length === 0) return console.log('\n  every page meets the goal');
  console.log('\n  what costs points (categories below goal)');
  for (const r of below) {
    for (const category of CATEGORIES.filter((c) => r.losses.some((l) => l.category === c))) {
      console.log(`  /${r.route} · ${category} ${r.scores[category]}`);
      for (const { audit } of r.losses.filter((l) => l.category === category)) {
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

/**
 * Runs Lighthouse on every page of `buildDir` and prints a table of scores and headline metrics,
 * then the audits that cost points. `runs` > 1 reports each page's median run by performance.
 * Returns undefined (after one line saying why) when there is no Chromium.
 */
export async function lighthouseSite(
  buildDir: string,
  { runs = 1 }: { runs?: number } = {},
): Promise<PageResult[] | undefined> {
  const times = runs > 1 ? `median of ${runs} runs by performance` : 'one run';
  console.log(
    `\nLighthouse ${LIGHTHOUSE.split('@')[1]} · mobile, simulated throttling · ${times} a page`,
  );
  if (!existsSync(CHROMIUM)) {
    console.log(`  skipped: no ${CHROMIUM} (Debian: apt-get install chromium)`);
    return undefined;
  }
  const started = performance.now();
  const { url, server } = await serveBuild(buildDir);
  const dir = mkdtempSync(join(tmpdir(), 'statelab-lighthouse-'));
  const results: PageResult[] = [];
  console.log(`  ${'page'.padEnd(40)}perf a11y  BP  SEO      FCP     LCP     TBT    CLS`);
  try {
    for (const route of siteRoutes(buildDir)) {
      const result = await runPage(url, route, runs, dir).catch((error: Error): PageResult => ({
        route,
        scores: { performance: null, accessibility: null, 'best-practices': null, seo: null },
        metrics: {},
        performanceRuns: [],
        losses: [],
        failedAudits: [],
        error: error.message,
      }));
      printRow(result);
      results.push(result);
    }
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  printLosses(results);
  // Lighthouse 12 reads Chromium's trace format; a newer Chromium can break a few of its audits.
  const failed = new Map(results.flatMap((r) => r.failedAudits).map((a) => [a.id, a.why]));
  if (failed.size > 0)
    console.log(
      `\n  audits Lighthouse could not run (no score lost, no advice from them): ${[...failed.keys()].join(', ')}` +
        `\n    first error: ${[...failed.values()][0].split('\n')[0].slice(0, 160)}`,
    );
  // Simulated throttling scales the main-thread time it observes, so a busy machine (2 shared
  // cores) inflates TBT and lowers performance: this says how busy it was.
  const cpu = results.flatMap((r) => r.benchmarkIndex ?? []).sort((a, b) => a - b);
  if (cpu.length > 0)
    console.log(
      `\n  Lighthouse CPU benchmark (benchmarkIndex): median ${Math.round(cpu[cpu.length >> 1])}, ` +
        `${Math.round(cpu[0])}–${Math.round(cpu[cpu.length - 1])}; lower means a busier machine and a higher TBT`,
    );
  console.log(`\n  Lighthouse took ${((performance.now() - started) / 60_000).toFixed(1)} min`);
  return results;
}
