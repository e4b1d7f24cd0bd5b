// <Figure>, <FigureTable> and <FigureChart>'s pure parts, without a bundler: which run a chapter quotes, looking a
// path up, formatting, a table's cells, and the errors that fail the build on a typo.
import { describe, expect, it } from 'vitest';
import { groupedBars } from '../../notebooks/lab/core/charts';
import {
  chapterRun,
  chartFigure,
  figureText,
  formatFigure,
  lookup,
  measuredOn,
  tableCells,
  type ChapterRun,
} from '../../src/components/Figures/figures';
import type { RunRecord } from '../../src/components/NotebookOutput/run';

const record = (notebook: string, figures?: Record<string, unknown>): RunRecord => ({
  notebook,
  notebookSha256: 'sha',
  labSha256: 'lab',
  ok: true,
  ranAt: '2025-12-01T13:38:00.000Z',
  machine: { node: 'v20', platform: 'linux', arch: 'x64', cpus: 2, cpuModel: 'Test CPU' },
  durationMs: 1,
  cells: {},
  ...(figures ? { figures } : {}),
});

const figures = {
  staleness: { staleForMs: 734.256, ttlMs: 1000, verdict: 'never longer than the TTL' },
  stores: [
    { store: 'memory', p50: 0.5, perSecond: 2000.4 },
    { store: 'redis', p50: 1.25, perSecond: 1000 },
  ],
};
const run: ChapterRun = chapterRun([record('07-price', figures)], '07-price')!;

describe('which run a chapter page quotes', () => {
  it("finds the run of the chapter's notebook", () => {
    const other = record('06-other', { x: 1 });
    expect(chapterRun([other, record('07-price', figures)], '07-price')?.figures).toBe(figures);
  });

  it('has none when the notebook has no run, or its run recorded no figures', () => {
    expect(chapterRun([], '07-price')).toBeUndefined();
    expect(chapterRun([record('07-price')], '07-price')).toBeUndefined();
  });
});

describe('looking a figure up', () => {
  it('follows a dotted path through objects and arrays', () => {
    expect(lookup(figures, 'staleness.ttlMs')).toBe(1000);
    expect(lookup(figures, 'stores.1.store')).toBe('redis');
  });

  it('is undefined where the path ends early, and never reads inherited properties', () => {
    expect(lookup(figures, 'staleness.ttl')).toBeUndefined();
    expect(lookup(figures, 'staleness.ttlMs.more')).toBeUndefined();
    expect(lookup(figures, 'stores.length')).toBe(2); // an array's own length
    expect(lookup(figures, 'staleness.toString')).toBeUndefined();
  });
});

describe('formatting one figure', () => {
  it('gives a number its decimals (0 by default) and its unit after a no-break space', () => {
    expect(formatFigure(734.256, {})).toBe('734');
    expect(formatFigure(734.256, { digits: 1, unit: 'ms' })).toBe('734.3\u00a0ms');
    expect(formatFigure(12.5, { digits: 1, unit: '%' })).toBe('12.5%');
  });

  it('gives one space before a unit, whatever space the page put in it', () => {
    expect(formatFigure(734.256, { digits: 1, unit: ' ms' })).toBe('734.3\u00a0ms');
    expect(formatFigure(12.5, { digits: 1, unit: ' %' })).toBe('12.5%');
  });

  it('shows a string as it is', () => {
    expect(formatFigure('fewer', { digits: 2, unit: 'ms' })).toBe('fewer');
  });

  it('renders <Figure> from the run', () => {
    expect(figureText(run, 'staleness.staleForMs', { digits: 0, unit: 'ms' })).toBe('734\u00a0ms');
    expect(figureText(run, 'staleness.verdict')).toBe('never longer than the TTL');
  });

  it('fails (and so fails the build) on a path the run did not record, naming what it did record', () => {
    expect(() => figureText(run, 'staleness.staleMs')).toThrow(
      /recorded no "staleness.staleMs" \(at "staleness" it recorded: staleForMs, ttlMs, verdict\)/,
    );
    expect(() => figureText(run, 'stores')).toThrow(/a figure is a number or a string/);
  });
});

describe('a figure table', () => {
  const columns = [
    { label: 'store', key: 'store' },
    { label: 'p50', key: 'p50', digits: 2, unit: 'ms' },
    { label: 'req/s', key: 'perSecond' },
    { label: 'p50 × first', key: 'p50', ratioToFirst: true },
    { label: 'req/s × first', key: 'perSecond', ratioToFirst: true, digits: 1 },
  ];

  it('renders one row of cells per recorded row, in column order', () => {
    expect(tableCells(run, 'stores', columns)).toEqual([
      ['memory', '0.50\u00a0ms', '2000', '×1.00', '×1.0'],
      ['redis', '1.25\u00a0ms', '1000', '×2.50', '×0.5'],
    ]);
  });

  it('fails on a key a row does not have, so a typo in a column cannot pass', () => {
    expect(() => tableCells(run, 'stores', [{ label: 'p99', key: 'p99' }])).toThrow(
      /row 0 of "stores" .*key "p99": no such key \(the row has store, p50, perSecond\)/,
    );
  });

  it('fails on rows that are not there or not an array of rows', () => {
    expect(() => tableCells(run, 'store', columns)).toThrow(/recorded no "store"/);
    expect(() => tableCells(run, 'staleness', columns)).toThrow(/not an array of row objects/);
  });

  it('says which machine measured the table, and when', () => {
    expect(measuredOn(run)).toBe(
      'Measured by one run of notebooks/07-price.ipynb (the run its notebook page shows), recorded ' +
        'Mon, 01 Dec 2025 13:38:00 GMT on a machine with 2 CPU cores (Test CPU).',
    );
    expect(measuredOn({ ...run, ok: false })).toMatch(/That run failed/);
  });
});

describe('a recorded chart', () => {
  const chart = groupedBars({
    title: 'Latency with a slow server',
    unit: 'ms',
    series: ['p50', 'p99'],
    groups: [{ label: 'round robin', values: [3, 200] }],
  });
  // As recordFigures writes it: JSON, so the page gets a copy, not the notebook's object.
  const charted = chapterRun(
    [
      record(
        '02-many',
        JSON.parse(
          JSON.stringify({
            latencyChart: chart,
            redisChart: '(not measured in this run: no redis-server)',
            p50: 3,
            half: { title: 'no svg', description: 'x' },
            notSvg: { ...chart, svg: '<div>not a drawing</div>' },
          }),
        ) as Record<string, unknown>,
      ),
    ],
    '02-many',
  )!;

  it('is the chart the notebook drew: its title, description and SVG', () => {
    expect(chartFigure(charted, 'latencyChart')).toEqual(chart);
  });

  it("is the notebook's reason, as it is, when that run could not draw it", () => {
    expect(chartFigure(charted, 'redisChart')).toBe('(not measured in this run: no redis-server)');
  });

  it('fails (and so fails the build) on a name the run did not record, naming what it did', () => {
    expect(() => chartFigure(charted, 'latencychart')).toThrow(
      /FigureChart: the run of notebooks\/02-many.ipynb recorded no "latencychart" .*latencyChart, redisChart/,
    );
  });

  it('fails on a figure that is not a chart', () => {
    expect(() => chartFigure(charted, 'p50')).toThrow(/is 3, not a chart/);
    expect(() => chartFigure(charted, 'half')).toThrow(/has no svg/);
    expect(() => chartFigure(charted, 'notSvg')).toThrow(/not an SVG document/);
  });
});
