// Sample charts for the tests that judge every chart kind: charts.test.ts (the markup) and
// tests/site/chart-contrast.test.ts (Chromium). Kept here, beside charts.ts, so both judge the same
// drawings: the data of the kind the notebooks draw, and data chosen to be hard to draw.
import { groupedBars, lineChart, type Chart } from './charts';

const rounds = (values: number[]) => values.map((v, i) => [i + 1, v] as const);

export const latency = groupedBars({
  title: 'Latency with one slow server',
  unit: 'ms',
  series: ['p50', 'p90', 'p99'],
  groups: [
    { label: 'round robin', values: [4, 40, 210] },
    { label: 'least connections', values: [3, 8, 30.5] },
  ],
});

export const writesLost = groupedBars({
  title: 'Acknowledged writes lost per Redis setting',
  unit: 'writes lost',
  series: ['kill -9', 'failover'],
  groups: [
    { label: 'no persistence', values: [500, 120] },
    { label: 'everysec', values: [37, 120] },
    { label: 'always + WAIT', values: [0, 0] },
  ],
});

export const chaos = lineChart({
  title: 'Items lost per round as servers die',
  xLabel: 'round',
  unit: 'items lost',
  series: [
    { name: 'stateful', points: rounds([0, 0, 5, 9, 14]) },
    { name: 'stateless', points: rounds([0, 0, 0, 0, 0]) },
  ],
  events: [
    { x: 3, label: 'server 1 killed' },
    { x: 4, label: 'server 2 killed' },
  ],
});

export const throughput = lineChart({
  title: 'Throughput per number of processes',
  xLabel: 'processes',
  unit: 'requests/s',
  series: [
    {
      name: 'Redis store',
      points: [
        [1, 1800.4],
        [2, 3400],
        [4, 5900],
      ],
    },
  ],
});

/** Every label too long for its place, six series, and the characters XML reserves. */
export const longLabels = groupedBars({
  title: `A title that goes on and on, <about> "everything" & 'more', ${'far '.repeat(30)}`,
  unit: `operations that a user can no longer find ${'anywhere '.repeat(10)}`,
  series: Array.from({ length: 6 }, (_, i) => `series ${i + 1} with a long name & more`),
  groups: Array.from({ length: 5 }, (_, g) => ({
    label: `group ${g + 1}: ${'a label longer than its place '.repeat(3)}`,
    values: Array.from({ length: 6 }, (_, s) => 1234.5 * (g + 1) + s),
  })),
});

/** A thousand points, negative values, and marked moments at both edges with long labels. */
export const manyPoints = lineChart({
  title: 'A thousand rounds',
  xLabel: 'round',
  unit: 'change',
  series: [
    {
      name: 'wave',
      points: Array.from(
        { length: 1000 },
        (_, i) => [i, Math.round(Math.sin(i / 50) * 40)] as const,
      ),
    },
  ],
  events: [
    { x: 0, label: `the first moment, ${'with a long story '.repeat(4)}` },
    { x: 999, label: `the last moment, ${'with a long story '.repeat(4)}` },
  ],
});

/**
 * Eight groups of a short bar beside a tall one, each value nearly as wide as its bar: a value that
 * spilled over its neighbour would stand on that bar's colour. The 4.5s sit across the grid line of
 * the tick 5 (CI once measured such a value against the line's unpainted black fill).
 */
export const tightBars = groupedBars({
  title: 'Bars too narrow for their values',
  unit: 'ms',
  series: ['p50', 'p99'],
  groups: Array.from({ length: 8 }, (_, g) => ({
    label: `home ${g + 1}`,
    values: g % 2 === 0 ? [0.854, 9.95] : [12.5, 4.5],
  })),
});

/** Every sample, by what it shows. */
export const SAMPLE_CHARTS: readonly (readonly [string, Chart])[] = [
  ['grouped bars: latency', latency],
  ['grouped bars: writes lost, with ties', writesLost],
  ['line: chaos run', chaos],
  ['line: throughput', throughput],
  ['grouped bars: long labels', longLabels],
  ['line: 1000 points', manyPoints],
  ['grouped bars: values wider than their bars', tightBars],
];
