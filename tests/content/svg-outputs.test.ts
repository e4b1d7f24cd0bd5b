// Every SVG a recorded notebook run displayed (image/svg+xml, a chart of notebooks/lab/core/charts.ts
// shown with showChart) is fit for its notebook page: well-formed, sized, titled, readable on both
// site themes (tools/svg-problems.ts), and it comes with a text alternative (text/plain) that the
// page uses as the image's alt text. No kernel: it reads the committed records.
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/components/NotebookOutput/run';
import { chartBundle, groupedBars } from '../../notebooks/lab/core/charts';
import { notebookSlugs, readRecord } from '../../tools/recorded-runs';
import { svgProblems } from '../../tools/svg-problems';

/** What is wrong with the SVG outputs of one record, each naming the notebook and the cell. */
function svgOutputProblems(record: RunRecord): string[] {
  const problems: string[] = [];
  for (const [cell, { outputs }] of Object.entries(record.cells)) {
    for (const output of outputs) {
      if (output.output_type !== 'display_data' && output.output_type !== 'execute_result')
        continue;
      const svg = output.data['image/svg+xml'];
      if (svg === undefined) continue;
      const where = `${record.notebook}, cell ${cell}`;
      const plain = String(output.data['text/plain'] ?? '').trim();
      if (!plain) problems.push(`${where}: an SVG without a text alternative (text/plain)`);
      problems.push(...svgProblems([svg].flat().join('')).map((p) => `${where}: ${p}`));
    }
  }
  return problems;
}

const record = (data: Record<string, unknown>): RunRecord => ({
  notebook: '09-x',
  notebookSha256: '',
  labSha256: '',
  ok: true,
  ranAt: '',
  machine: { node: '', platform: '', arch: '', cpus: 1, cpuModel: '' },
  durationMs: 0,
  cells: { chart: { status: 'ok', outputs: [{ output_type: 'display_data', data }] } },
});

describe('the SVG outputs of the recorded runs', () => {
  // Every chapter notebook 2-7 shows a chart; 'the check itself' below shows what it catches.
  it('every one is well-formed, sized, titled, readable, with a text alternative', () => {
    const records = notebookSlugs().map((slug) => readRecord(slug));
    expect(records.filter(Boolean).length).toBeGreaterThan(0);
    expect(records.flatMap((r) => (r ? svgOutputProblems(r) : []))).toEqual([]);
  });
});

describe('the check itself', () => {
  const chart = groupedBars({
    title: 'Writes lost',
    unit: 'writes',
    series: ['kill -9'],
    groups: [{ label: 'no persistence', values: [5] }],
  });

  it('passes a chart as showChart displays it', () => {
    expect(svgOutputProblems(record(chartBundle(chart)))).toEqual([]);
  });

  it('fails an SVG without a text alternative, or without a title', () => {
    expect(svgOutputProblems(record({ 'image/svg+xml': chart.svg }))).toEqual([
      '09-x, cell chart: an SVG without a text alternative (text/plain)',
    ]);
    const untitled = chart.svg.replace(/<title id=[^>]*>[^<]*<\/title>/, '');
    expect(
      svgOutputProblems(record({ 'image/svg+xml': untitled, 'text/plain': 'Writes lost' })),
    ).toEqual(['09-x, cell chart: no <title> with text directly in the <svg>']);
  });
});
