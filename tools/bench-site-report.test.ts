import { describe, expect, it } from 'vitest';
import {
  cpuLines,
  formatRow,
  goalLines,
  median,
  ratio,
  type RunScores,
  selectRoutes,
  SLOW_MACHINE_WARNING,
  summarisePage,
  TABLE_HEADER,
} from './bench-site-report';

/** A run with the given performance, TBT and CPU benchmark; the other numbers fixed. */
const run = (performance: number, tbtMs: number, benchmarkIndex = 3000): RunScores => ({
  scores: { performance, accessibility: 100, 'best-practices': 100, seo: 100 },
  metrics: { fcpMs: 1200, lcpMs: 2400, tbtMs, cls: 0.001 },
  benchmarkIndex,
});
const failed = (error: string): RunScores => ({
  scores: { performance: null, accessibility: null, 'best-practices': null, seo: null },
  metrics: {},
  error,
});

describe('median', () => {
  it('is the middle value of an odd count, whatever the order', () => {
    expect(median([90, 70, 80])).toBe(80);
    expect(median([5])).toBe(5);
  });

  it('is the mean of the two middle values of an even count', () => {
    expect(median([10, 40, 20, 30])).toBe(25);
  });

  it('is undefined for no values, and leaves out what is not a number', () => {
    expect(median([])).toBeUndefined();
    expect(median([NaN, Infinity, 3])).toBe(3);
  });
});

describe('ratio', () => {
  it('divides when both sides are known and the divisor is not 0', () => {
    expect(ratio(80, 100)).toBe(0.8);
    expect(ratio(0, 5)).toBe(0);
    expect(ratio(5, 0)).toBeUndefined();
    expect(ratio(null, 5)).toBeUndefined();
    expect(ratio(5, undefined)).toBeUndefined();
  });
});

describe('summarisePage', () => {
  it('takes the median of each number on its own, over the runs', () => {
    const s = summarisePage('statelab', 'docs/intro', [run(90, 300), run(70, 100), run(80, 900)]);
    // The median performance (80) came with TBT 900, but the median TBT is 300.
    expect(s.scores.performance).toBe(80);
    expect(s.metrics.tbtMs).toBe(300);
    expect(s.scores.seo).toBe(100);
    expect(s.ok).toBe(3);
  });

  it('takes ratios to the peer docs page within each round, then their median', () => {
    // Round 2 ran on a busier machine: both pages slowed, and the ratio holds.
    const page = [run(90, 100), run(45, 400), run(88, 120)];
    const peer = [run(100, 200), run(50, 800), run(80, 100)];
    const s = summarisePage('statelab', '', page, peer);
    // Per round: 0.9, 0.9, 1.1 → median 0.9; TBT: 0.5, 0.5, 1.2 → median 0.5.
    expect(s.vsPeer.performance).toBeCloseTo(0.9);
    expect(s.vsPeer.tbt).toBeCloseTo(0.5);
    // Not the ratio of the medians (88/80 = 1.1 and 120/200 = 0.6).
    expect(s.vsPeer.performance).not.toBeCloseTo(88 / 80);
  });

  it('leaves out a failed run, and a round whose peer run failed, from medians and ratios', () => {
    const page = [run(90, 100, 2000), failed('NO_FCP: no paint'), run(60, 300, 2200)];
    const peer = [run(100, 200), run(100, 200), failed('timeout')];
    const s = summarisePage('statelab', '', page, peer);
    expect(s.ok).toBe(2);
    expect(s.tried).toBe(3);
    expect(s.scores.performance).toBe(75);
    expect(s.vsPeer.performance).toBeCloseTo(0.9);
    expect(s.benchmarkIndex).toEqual([2000, undefined, 2200]);
    expect(s.errors).toEqual(['NO_FCP: no paint']);
  });

  it('has no ratio without a peer', () => {
    expect(summarisePage('statelab', '', [run(90, 100)]).vsPeer).toEqual({
      performance: undefined,
      tbt: undefined,
    });
  });
});

describe('formatRow', () => {
  it('prints the medians, the two ratios and the CPU benchmark of each run, under the header', () => {
    const page = [run(82, 610, 1301.6), run(80, 640, 1250), run(78, 700, 1400)];
    const peer = [run(82, 780), run(100, 780), run(78, 780)];
    const row = formatRow(summarisePage('statelab', 'docs/notebooks/04-x', page, peer));
    expect(row).toMatch(/^ {2}\/docs\/notebooks\/04-x +80 +100 +100 +100 +1\.2 s +2\.4 s +640 ms/);
    expect(row).toContain('0.001');
    expect(row).toMatch(/1\.00× +0\.82× +1302 1250 1400$/);
    expect(TABLE_HEADER).toMatch(/perf\/pr +TBT\/pr +CPU benchmark by run$/);
    // The ratio columns sit under their headers.
    expect(row.indexOf('0.82×') + 5).toBe(TABLE_HEADER.indexOf('TBT/pr') + 6);
  });

  it('marks the peer rows and gives them no ratio', () => {
    const row = formatRow(summarisePage('peer', 'docs/intro', [run(78, 780)], [run(78, 780)]));
    expect(row).toMatch(/^ {2}peer \/docs\/intro /);
    expect(row).not.toContain('×');
  });

  it('says how many runs failed and why, with a dash for missing numbers', () => {
    const row = formatRow(summarisePage('statelab', '', [failed('NO_FCP: no paint'), run(90, 1)]));
    expect(row).toContain('1/2 runs failed: NO_FCP: no paint');
    expect(row).toMatch(/ – 3000/);
    expect(formatRow(summarisePage('statelab', '', [failed('x')]))).toMatch(/^ {2}\/ +– +– +– +–/);
  });
});

describe('cpuLines', () => {
  const page = (...indexes: number[]) =>
    summarisePage(
      'statelab',
      '',
      indexes.map((b) => run(90, 100, b)),
    );

  it('prints the median and range of benchmarkIndex over every run of every page', () => {
    const [line, ...rest] = cpuLines([page(3000, 2600), page(4000)]);
    expect(line).toContain('median 3000, 2600–4000 over 3 runs');
    expect(rest).toEqual([]);
  });

  it('warns when the median is below 2500: the ratio is what compares', () => {
    const lines = cpuLines([page(1300, 1350), page(2600)]);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(SLOW_MACHINE_WARNING);
    expect(SLOW_MACHINE_WARNING).toBe(
      'busy or slow machine: absolute scores are not comparable; the ratio is',
    );
    expect(cpuLines([page(2499, 2501)])).toHaveLength(1); // median 2500: not below
  });

  it('says nothing when no run reported a benchmark', () => {
    expect(cpuLines([summarisePage('statelab', '', [failed('x')])])).toEqual([]);
  });
});

describe('selectRoutes', () => {
  const all = ['', 'docs/intro', 'docs/01-state', 'search'];

  it('is every route without a filter, and the asked ones in site order with one', () => {
    expect(selectRoutes(all)).toEqual(all);
    expect(selectRoutes(all, ['/docs/intro/', '/'])).toEqual(['', 'docs/intro']);
  });

  it('refuses a page the build does not have, naming the ones it has', () => {
    expect(() => selectRoutes(all, ['/docs/nope'])).toThrow(
      'no page /docs/nope in the build; there are /, /docs/intro, /docs/01-state, /search',
    );
  });
});

describe('goalLines', () => {
  const peer = [run(80, 500, 2000), run(82, 450, 2600), run(81, 480, 2700)];
  const page = (route: string, runs: RunScores[]) => summarisePage('statelab', route, runs, peer);

  it('passes a page above the peer docs page, with a fast run at goal', () => {
    const lines = goalLines([
      summarisePage('peer', 'docs/intro', peer),
      page('a', [run(90, 300, 2000), run(96, 150, 2600), run(97, 120, 2700)]),
    ]);
    expect(lines.join('\n')).toContain(
      'above the peer docs page (perf/pr > 1, TBT/pr < 1): 1 of 1 pages',
    );
    expect(lines.join('\n')).toContain('perf >= 95 and TBT <= 200 ms: 2 of 2 runs');
    expect(lines.join('\n')).toContain('accessibility, best practices and SEO 100: 1 of 1 pages');
    expect(lines.join('\n')).not.toContain('not:');
  });

  it('names a page whose TBT is not below the peer, and a fast run below goal', () => {
    const lines = goalLines([
      page('a', [run(90, 300, 2000), run(96, 150, 2600), run(97, 120, 2700)]),
      page('b', [run(85, 600, 2000), run(94, 460, 2600), run(90, 500, 2700)]),
    ]).join('\n');
    expect(lines).toContain('1 of 2 pages');
    expect(lines).toMatch(/not: \/b \(perf 1\.\d\d×, TBT 1\.\d\d×\)/);
    expect(lines).toContain('perf >= 95 and TBT <= 200 ms: 2 of 4 runs');
    expect(lines).toContain('/b round 2 (perf 94, TBT 460 ms, CPU 2600)');
  });

  it("counts a category below 100 in a page's median, and says when no run was fast", () => {
    const slow = {
      ...run(96, 100, 1800),
      scores: { performance: 96, accessibility: 93, 'best-practices': 100, seo: 100 },
    };
    const lines = goalLines([page('c', [slow, slow, slow])]).join('\n');
    expect(lines).toContain(
      'accessibility, best practices and SEO 100: 0 of 1 pages; not: /c (accessibility 93)',
    );
    expect(lines).toContain('no run at CPU benchmark >= 2500');
  });
});
