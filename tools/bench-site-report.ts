// What `npm run bench` makes of interleaved Lighthouse runs: each page's medians over its runs,
// its ratio to the peer's docs page of the same round, and the table that prints them. Pure
// functions over numbers already read from Lighthouse's reports (tools/bench-site.ts runs it).

export const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
export type Category = (typeof CATEGORIES)[number];

/** Below this Lighthouse CPU benchmark the host is busy or slow (issue 18 draws the line here):
 *  simulated throttling scales what it observes, so the scores there say more of the host. */
export const SLOW_BENCHMARK_INDEX = 2500;
export const SLOW_MACHINE_WARNING =
  'busy or slow machine: absolute scores are not comparable; the ratio is';

/** One Lighthouse run of one page; `error` instead of numbers when the run failed. */
export interface RunScores {
  /** 0–100 per category; null when Lighthouse could not score it. */
  scores: Record<Category, number | null>;
  metrics: { fcpMs?: number; lcpMs?: number; tbtMs?: number; cls?: number };
  /** Lighthouse's CPU benchmark during the run: lower is a slower or busier machine. */
  benchmarkIndex?: number;
  error?: string;
}

export interface PageSummary {
  /** 'peer' for the default Docusaurus site, 'statelab' for the course. */
  site: 'statelab' | 'peer';
  route: string;
  /** Runs that gave numbers, of all the runs tried. */
  ok: number;
  tried: number;
  /** The median of each score and metric over the runs, each on its own. */
  scores: Record<Category, number | undefined>;
  metrics: { fcpMs?: number; lcpMs?: number; tbtMs?: number; cls?: number };
  /** benchmarkIndex of each run, in round order (undefined for a failed run). */
  benchmarkIndex: (number | undefined)[];
  /** Each run's performance and TBT, in round order (undefined for a failed run). */
  perRun: ({ performance?: number; tbtMs?: number } | undefined)[];
  /** Median over rounds of this page's value divided by the peer docs page's in the same round. */
  vsPeer: { performance?: number; tbt?: number };
  errors: string[];
}

/**
 * The routes `--pages=/,/docs/intro` asks for, in the site's order, from every route of the build
 * ('' is the home page; a leading or trailing slash is optional). All of them without a filter;
 * an unknown page throws, naming the pages there are, rather than measuring fewer than asked.
 */
export function selectRoutes(all: readonly string[], wanted?: readonly string[]): string[] {
  if (!wanted) return [...all];
  const asked = new Set(wanted.map((p) => p.trim().replace(/^\/+|\/+$/g, '')));
  const unknown = [...asked].filter((r) => !all.includes(r));
  if (unknown.length > 0)
    throw new Error(
      `no page ${unknown.map((r) => `/${r}`).join(', ')} in the build; there are ${all.map((r) => `/${r}`).join(', ')}`,
    );
  return all.filter((r) => asked.has(r));
}

/** The middle value, or the mean of the two middle ones; undefined for no values. */
export function median(values: readonly number[]): number | undefined {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** a / b when both are known and b is not 0 (a ratio to nothing says nothing). */
export function ratio(a: number | null | undefined, b: number | null | undefined) {
  return a == null || b == null || b === 0 ? undefined : a / b;
}

const present = <T>(values: (T | null | undefined)[]) =>
  values.filter((v): v is T => v !== null && v !== undefined);

/**
 * A page's runs, one a round, summed up: medians of its own numbers and medians of its per-round
 * ratios to `peerDocs`, the peer docs page's runs in the same rounds (runs[i] with peerDocs[i]).
 * A ratio is taken within a round only, so a round on a busier machine moves both sides of it.
 */
export function summarisePage(
  site: PageSummary['site'],
  route: string,
  runs: readonly RunScores[],
  peerDocs: readonly RunScores[] = [],
): PageSummary {
  const good = runs.filter((r) => !r.error);
  const metric = (key: keyof RunScores['metrics']) =>
    median(present(good.map((r) => r.metrics[key])));
  const scores = Object.fromEntries(
    CATEGORIES.map((c) => [c, median(present(good.map((r) => r.scores[c])))]),
  ) as PageSummary['scores'];
  const sameRound = runs.flatMap((run, i) =>
    !run.error && peerDocs[i] && !peerDocs[i].error ? [[run, peerDocs[i]] as const] : [],
  );
  return {
    site,
    route,
    ok: good.length,
    tried: runs.length,
    scores,
    metrics: {
      fcpMs: metric('fcpMs'),
      lcpMs: metric('lcpMs'),
      tbtMs: metric('tbtMs'),
      cls: metric('cls'),
    },
    benchmarkIndex: runs.map((r) => (r.error ? undefined : r.benchmarkIndex)),
    perRun: runs.map((r) =>
      r.error
        ? undefined
        : { performance: r.scores.performance ?? undefined, tbtMs: r.metrics.tbtMs },
    ),
    vsPeer: {
      performance: median(
        present(sameRound.map(([p, q]) => ratio(p.scores.performance, q.scores.performance))),
      ),
      tbt: median(present(sameRound.map(([p, q]) => ratio(p.metrics.tbtMs, q.metrics.tbtMs)))),
    },
    errors: runs.flatMap((r) => r.error ?? []),
  };
}

const ms = (v?: number) =>
  v === undefined ? '–' : v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`;
const score = (v?: number) => (v === undefined ? '–' : String(Math.round(v))).padStart(5);
const times = (v?: number) => (v === undefined ? '–' : `${v.toFixed(2)}×`).padStart(9);
const label = (s: PageSummary) => `${s.site === 'peer' ? 'peer ' : ''}/${s.route}`;

/** The table's header, padded as formatRow pads each column so that they line up. */
export const TABLE_HEADER =
  `  ${'page'.padEnd(40)}${['perf', 'a11y', 'BP', 'SEO'].map((h) => h.padStart(5)).join(' ')}` +
  `  ${'FCP'.padStart(7)} ${'LCP'.padStart(7)} ${'TBT'.padStart(7)} ${'CLS'.padStart(6)}` +
  `${'perf/pr'.padStart(9)}${'TBT/pr'.padStart(9)}  CPU benchmark by run`;

/**
 * One line of the table: medians, the two ratios to the peer docs page ("/pr"; none on the
 * peer's own rows), the benchmarkIndex of each run, and how many runs failed with the first error.
 */
export function formatRow(s: PageSummary): string {
  const { fcpMs, lcpMs, tbtMs, cls } = s.metrics;
  const cpu = s.benchmarkIndex.map((b) => (b === undefined ? '–' : String(Math.round(b))));
  const failed = s.ok < s.tried ? `  ${s.tried - s.ok}/${s.tried} runs failed: ${s.errors[0]}` : '';
  const vs =
    s.site === 'peer' ? ' '.repeat(18) : `${times(s.vsPeer.performance)}${times(s.vsPeer.tbt)}`;
  return (
    `  ${label(s).padEnd(40)}${CATEGORIES.map((c) => score(s.scores[c])).join(' ')}` +
    `  ${ms(fcpMs).padStart(7)} ${ms(lcpMs).padStart(7)} ${ms(tbtMs).padStart(7)} ` +
    `${(cls === undefined ? '–' : cls.toFixed(3)).padStart(6)}${vs}  ${cpu.join(' ')}${failed}`
  );
}

/**
 * The machine's CPU benchmark over every run, and the warning when its median is below
 * SLOW_BENCHMARK_INDEX: then the absolute scores say more about the host than the page.
 */
export function cpuLines(summaries: readonly PageSummary[]): string[] {
  const all = present(summaries.flatMap((s) => s.benchmarkIndex)).sort((a, b) => a - b);
  const mid = median(all);
  if (mid === undefined) return [];
  const lines = [
    `  Lighthouse CPU benchmark (benchmarkIndex): median ${Math.round(mid)}, ` +
      `${Math.round(all[0])}–${Math.round(all[all.length - 1])} over ${all.length} runs; ` +
      'lower means a busier machine and a higher TBT',
  ];
  if (mid < SLOW_BENCHMARK_INDEX)
    lines.push(
      `  WARNING: ${SLOW_MACHINE_WARNING} (median benchmarkIndex < ${SLOW_BENCHMARK_INDEX})`,
    );
  return lines;
}

/** Issue 18's goal at a fast host: performance and TBT of a run whose CPU benchmark is at least
 *  SLOW_BENCHMARK_INDEX. */
export const FAST_GOAL = { performance: 95, tbtMs: 200 };

/**
 * Whether StateLab's pages meet issue 18's goal, each clause on its own line with the pages or runs
 * that do not: each page's median performance above the peer docs page's and its TBT below
 * (perf/pr > 1, TBT/pr < 1); accessibility, best practices and SEO 100; and every run made at a
 * CPU benchmark of SLOW_BENCHMARK_INDEX or more at FAST_GOAL (a busy host's runs cannot say).
 */
export function goalLines(summaries: readonly PageSummary[]): string[] {
  const pages = summaries.filter((s) => s.site === 'statelab');
  const list = (not: string[]) => (not.length ? `; not: ${not.join(', ')}` : '');
  const x = (v?: number) => (v === undefined ? '–' : `${v.toFixed(2)}×`);
  const behind = pages
    .filter((s) => !((s.vsPeer.performance ?? 0) > 1 && (s.vsPeer.tbt ?? Infinity) < 1))
    .map((s) => `${label(s)} (perf ${x(s.vsPeer.performance)}, TBT ${x(s.vsPeer.tbt)})`);
  const others = CATEGORIES.filter((c) => c !== 'performance');
  const below = pages.flatMap((s) => {
    const low = others.filter((c) => s.scores[c] !== 100);
    return low.length
      ? [`${label(s)} (${low.map((c) => `${c} ${score(s.scores[c]).trim()}`).join(', ')})`]
      : [];
  });
  const fast = pages.flatMap((s) =>
    s.perRun.flatMap((r, i) => {
      const cpu = s.benchmarkIndex[i];
      return r && cpu !== undefined && cpu >= SLOW_BENCHMARK_INDEX
        ? [{ s, r, cpu, round: i + 1 }]
        : [];
    }),
  );
  const short = fast
    .filter(
      ({ r }) =>
        !(
          (r.performance ?? 0) >= FAST_GOAL.performance && (r.tbtMs ?? Infinity) <= FAST_GOAL.tbtMs
        ),
    )
    .map(
      ({ s, r, cpu, round }) =>
        `${label(s)} round ${round} (perf ${score(r.performance).trim()}, TBT ${ms(r.tbtMs)}, CPU ${Math.round(cpu)})`,
    );
  return [
    '  goal (issue 18)',
    `    above the peer docs page (perf/pr > 1, TBT/pr < 1): ${pages.length - behind.length} of ${pages.length} pages${list(behind)}`,
    `    accessibility, best practices and SEO 100: ${pages.length - below.length} of ${pages.length} pages${list(below)}`,
    fast.length
      ? `    runs at CPU benchmark >= ${SLOW_BENCHMARK_INDEX} with perf >= ${FAST_GOAL.performance} and TBT <= ${FAST_GOAL.tbtMs} ms: ${fast.length - short.length} of ${fast.length} runs${list(short)}`
      : `    no run at CPU benchmark >= ${SLOW_BENCHMARK_INDEX}: the goal of perf >= ${FAST_GOAL.performance} and TBT <= ${FAST_GOAL.tbtMs} ms there is not measured`,
  ];
}
