// showChart outside a tslab kernel: nothing could show the chart, so it says so instead of losing it.
// Inside the kernel it is proven by tests/notebook-charts.test.ts (a real notebook run).
import { expect, it } from 'vitest';
import { groupedBars } from '../core/charts';
import { showChart } from './show-chart';

it('throws outside a tslab kernel, naming the chart', () => {
  const chart = groupedBars({
    title: 'Writes lost',
    unit: 'writes',
    series: ['kill -9'],
    groups: [{ label: 'no persistence', values: [5] }],
  });
  expect(() => showChart(chart)).toThrow('showChart("Writes lost"): no tslab kernel to display in');
});
