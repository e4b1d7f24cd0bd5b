// @vitest-environment happy-dom
// <FigureChart> on a chapter page: the chart the notebook's run drew, as an image with its title and
// description as alt text and the line that says which run measured it; the placeholder when the
// build has no run; the notebook's reason when that run could not draw it. The record the component
// reads is given by the build (src/components/Figures/remark-records.ts adds record={…}), so here it
// is given as a prop.
import { act, createElement as h, type ReactElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { groupedBars } from '../../notebooks/lab/core/charts';
import { FigureChart } from '../../src/components/Figures';
import type { FigureRecord } from '../../src/components/Figures/figures';

const chart = groupedBars({
  title: 'Latency with app-3 slow',
  unit: 'ms',
  series: ['p50', 'p99'],
  groups: [
    { label: 'round robin', values: [3, 205] },
    { label: 'least connections', values: [4, 30] },
  ],
});

const run = (notebook: string, figures: Record<string, unknown>): FigureRecord => ({
  notebook,
  notebookSha256: 'sha',
  ok: true,
  ranAt: '2026-12-01T13:38:00.000Z',
  machine: { node: 'v20', platform: 'linux', arch: 'x64', cpus: 2, cpuModel: 'Test CPU' },
  figures,
});
const records: Record<string, FigureRecord | null> = {
  '02-many-servers': run('02-many-servers', { latencyChart: chart }),
  '04-stateless-servers': null, // no run of it in this build
  '06-state-that-remains': run('06-state-that-remains', {
    lostChart: '(not measured in this run: no redis-server)',
  }),
};
/** <FigureChart> as the build renders it: with its chapter's record (null when there is none). */
const chartOf = (chapter: string, name: string) =>
  h(FigureChart, { chapter, name, record: records[chapter] });

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLElement;
let root: Root;
beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});
afterEach(() => {
  act(() => root.unmount());
  container.remove();
});
const render = (element: ReactElement) => act(() => root.render(element));

describe('<FigureChart> on a chapter page', () => {
  it("is the run's chart as an image, its alt the title and description, with the run it came from", () => {
    render(chartOf('02-many-servers', 'latencyChart'));

    const img = container.querySelector('figure img')!;
    const src = img.getAttribute('src')!;
    expect(src.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    expect(decodeURIComponent(src.slice(src.indexOf(',') + 1))).toBe(chart.svg);
    expect(img.getAttribute('alt')).toBe(`${chart.title}. ${chart.description}`);
    expect([img.getAttribute('width'), img.getAttribute('height')]).toEqual(['640', '360']);
    expect(container.querySelector('figcaption')?.textContent).toMatch(
      /^Measured by one run of notebooks\/02-many-servers\.ipynb .* 2 CPU cores \(Test CPU\)\.$/,
    );
    expect(container.querySelector('svg')).toBeNull(); // never inlined: nothing in it can run
    expect(container.querySelector('[data-figures-missing]')).toBeNull();
  });

  it('is the same image when the build gives the chart as a file (Figures/record-loader.cjs)', () => {
    const { svg: _svg, ...rest } = chart;
    const file = { ...rest, src: '/assets/svg/0123456789abcdef.svg', width: 640, height: 360 };
    render(
      h(FigureChart, {
        chapter: '02-many-servers',
        name: 'latencyChart',
        record: run('02-many-servers', { latencyChart: file }),
      }),
    );

    const img = container.querySelector('figure img')!;
    expect(img.getAttribute('src')).toBe(file.src);
    expect(img.getAttribute('alt')).toBe(`${chart.title}. ${chart.description}`);
    expect([img.getAttribute('width'), img.getAttribute('height')]).toEqual(['640', '360']);
  });

  it('shows the placeholder, as a FigureTable does, when the build has no run of the notebook', () => {
    render(chartOf('04-stateless-servers', 'chaosChart'));

    expect(container.querySelector('img')).toBeNull();
    const note = container.querySelector('[data-figures-missing]');
    expect(note?.textContent).toMatch(/No run of notebooks\/04-stateless-servers\.ipynb/);
  });

  it('says why there is no chart when the notebook recorded a reason instead', () => {
    render(chartOf('06-state-that-remains', 'lostChart'));

    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toBe(
      'No chart here: (not measured in this run: no redis-server)',
    );
  });

  it('fails to render (and so fails the build) on a chart the run did not record', () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(() => render(chartOf('02-many-servers', 'p99Chart'))).toThrow(
        /recorded no "p99Chart"/,
      );
    } finally {
      quiet.mockRestore();
    }
  });

  it('fails to render on a page the build did not give its record, rather than say "no run"', () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(() =>
        render(h(FigureChart, { chapter: '02-many-servers', name: 'latencyChart' })),
      ).toThrow(/the build gives it its chapter's record/);
    } finally {
      quiet.mockRestore();
    }
  });
});
