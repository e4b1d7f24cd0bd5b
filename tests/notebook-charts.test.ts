// A chart shown in a notebook reaches the notebook as one display_data output that holds the SVG
// (image/svg+xml) and its text alternative (text/plain): proven in the real tslab kernel through the
// project's runner. tslab compiles with rootDir = the notebook's folder, so the fixture runs in a
// temporary folder under notebooks/ (git-ignored) beside a copy of the lab, as a course notebook does.
import { copyFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { formatFailure, runNotebook } from '../tools/notebook-runner';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(ROOT, 'notebooks/.tmp-chart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it(
  'showChart displays image/svg+xml with the title and description as text/plain',
  { timeout: 120_000 },
  async () => {
    cpSync(join(ROOT, 'notebooks/lab'), join(dir, 'lab'), {
      recursive: true,
      filter: (path) => !path.endsWith('.test.ts'),
    });
    const notebook = join(dir, 'shows-chart.ipynb');
    copyFileSync(join(ROOT, 'tests/fixtures/notebooks/shows-chart.ipynb'), notebook);

    const run = await runNotebook(notebook);

    expect(run.ok, run.failure && formatFailure(run.failure)).toBe(true);
    const [chart, svgOnly] = run.cells.map((cell) => cell.outputs);
    expect(chart).toHaveLength(1);
    expect(chart[0].output_type).toBe('display_data');
    const data = chart[0].output_type === 'display_data' ? chart[0].data : {};
    expect(Object.keys(data).sort()).toEqual(['image/svg+xml', 'text/plain']);
    expect(String(data['image/svg+xml'])).toMatch(/^<svg [^>]*viewBox="0 0 \d+ \d+"/);
    expect(String(data['image/svg+xml'])).toContain('<title id=');
    expect(data['text/plain']).toBe(
      'Writes lost per Redis setting\nBars of kill -9 (writes lost) for no persistence and ' +
        'appendfsync always: the highest is kill -9 for no persistence at 500 writes lost; ' +
        'the lowest is kill -9 for appendfsync always at 0 writes lost.',
    );
    // The check tells the two apart: tslab's display.svg gives the drawing with no text for it.
    const plain = svgOnly[0].output_type === 'display_data' ? svgOnly[0].data : {};
    expect(Object.keys(plain)).toEqual(['image/svg+xml']);
  },
);
