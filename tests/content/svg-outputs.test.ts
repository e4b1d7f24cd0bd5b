// Every SVG a recorded notebook run displayed (image/svg+xml, a chart of notebooks/lab/core/charts.ts
// shown with showChart) is fit for its notebook page: well-formed, sized, titled, readable on both
// site themes (tools/svg-problems.ts), and it comes with a text alternative (text/plain) that the
// page uses as the image's alt text. Every chapter 2-7 notebook displays at least one, and its
// chapter page shows one with <FigureChart> (tests/content/recorded-runs.test.ts checks that each
// one it names was drawn by the run). No kernel: it reads the committed records.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/components/NotebookOutput/run';
import { chartBundle, groupedBars } from '../../notebooks/lab/core/charts';
import { notebookSlugs, readRecord } from '../../tools/recorded-runs';
import { svgName, svgOutputs, svgProblems } from '../../tools/svg-problems';

/** What is wrong with the SVG outputs of one record, each naming the notebook and the cell. */
function svgOutputProblems(record: RunRecord): string[] {
  return svgOutputs(record).flatMap(({ cell, svg, plain }) => {
    const where = `${record.notebook}, cell ${cell}`;
    return [
      ...(plain ? [] : [`${where}: an SVG without a text alternative (text/plain)`]),
      // The text a reader gets instead of the drawing says what the drawing's own <title> and
      // <desc> say (chartBundle), not something written apart from it.
      ...(plain && plain !== svgName(svg)
        ? [`${where}: its text/plain is not the SVG's <title> and <desc>`]
        : []),
      ...svgProblems(svg).map((p) => `${where}: ${p}`),
    ];
  });
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

/** The chapters that teach with a chart (issue 15): 2 to 7. */
const CHARTED = /^0[2-7]-/;

describe('the SVG outputs of the recorded runs', () => {
  const slugs = notebookSlugs().filter((slug) => CHARTED.test(slug));

  it('come from every chapter 2-7 notebook: at least one chart each', () => {
    expect(slugs).toHaveLength(6);
    const without = slugs.filter((slug) => {
      const record = readRecord(slug);
      return !record || svgOutputs(record).length === 0;
    });
    expect(without, 'notebooks whose recorded run displayed no chart').toEqual([]);
  });

  it('are shown on every chapter 2-7 page too, with <FigureChart> of its own notebook', () => {
    const without = slugs.filter((slug) => {
      const page = readFileSync(join(__dirname, '../../docs', `${slug}.mdx`), 'utf8');
      return !new RegExp(`<FigureChart\\s[^>]*chapter="${slug}"`).test(page);
    });
    expect(without, 'chapter pages that show no chart of their run').toEqual([]);
  });

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

  it('fails a text alternative that is not the chart’s own title and description', () => {
    const other = groupedBars({
      title: 'Writes lost',
      unit: 'writes',
      series: ['kill -9'],
      groups: [{ label: 'no persistence', values: [6] }],
    });
    const swapped = { 'image/svg+xml': chart.svg, 'text/plain': chartBundle(other)['text/plain'] };
    expect(svgOutputProblems(record(swapped))).toEqual([
      "09-x, cell chart: its text/plain is not the SVG's <title> and <desc>",
    ]);
  });

  it('fails an SVG without a text alternative, or without a title', () => {
    expect(svgOutputProblems(record({ 'image/svg+xml': chart.svg }))).toEqual([
      '09-x, cell chart: an SVG without a text alternative (text/plain)',
    ]);
    const untitled = chart.svg.replace(/<title id=[^>]*>[^<]*<\/title>/, '');
    expect(
      svgOutputProblems(record({ 'image/svg+xml': untitled, 'text/plain': 'Writes lost' })),
    ).toEqual([
      "09-x, cell chart: its text/plain is not the SVG's <title> and <desc>",
      '09-x, cell chart: no <title> with text directly in the <svg>',
    ]);
  });
});
