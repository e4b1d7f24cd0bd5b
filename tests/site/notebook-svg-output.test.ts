// @vitest-environment happy-dom
// A notebook page shows an SVG a run displayed (image/svg+xml) as an image of it, with the output's
// text alternative as its alt text; and whatever the SVG holds stays inside the image: a <script> or
// an onload="" in a recorded output never becomes part of the page (src/components/NotebookOutput/svg.ts).
import { act, createElement as h, type ReactElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chartBundle, groupedBars } from '../../notebooks/lab/core/charts';
import SvgOutput from '../../src/components/NotebookOutput/SvgOutput';
import { svgAlt, svgDataUrl, svgSize } from '../../src/components/NotebookOutput/svg';

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
  delete (window as { ran?: unknown }).ran;
});

const render = (element: ReactElement) => act(() => root.render(element));
const PREFIX = 'data:image/svg+xml;charset=utf-8,';

const HOSTILE =
  '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="window.ran = 1">' +
  '<script>window.ran = 1</script><rect width="10" height="10"/></svg>';

/** What of a recorded SVG output made it into the page as elements that can run. */
const live = () => ({
  scripts: container.querySelectorAll('script').length,
  handlers: Array.from(container.querySelectorAll('*')).filter((e) =>
    e.getAttributeNames().some((name) => name.startsWith('on')),
  ).length,
  ran: (window as { ran?: unknown }).ran,
});

describe('an image/svg+xml output on a notebook page', () => {
  it('is an <img> of the SVG, as wide and high as the SVG says, its alt the text alternative', () => {
    const chart = groupedBars({
      title: 'Latency with one slow server',
      unit: 'ms',
      series: ['p50', 'p99'],
      groups: [
        { label: 'round robin', values: [4, 210] },
        { label: 'least connections', values: [3, 30] },
      ],
    });
    const bundle = chartBundle(chart);
    render(h(SvgOutput, { svg: bundle['image/svg+xml'], plain: bundle['text/plain'] }));

    const images = container.querySelectorAll('img');
    expect(images).toHaveLength(1);
    const img = images[0];
    expect(img.getAttribute('src')!.startsWith(PREFIX)).toBe(true);
    expect(decodeURIComponent(img.getAttribute('src')!.slice(PREFIX.length))).toBe(chart.svg);
    expect(img.getAttribute('alt')).toBe(`${chart.title}. ${chart.description}`);
    expect([img.getAttribute('width'), img.getAttribute('height')]).toEqual(['640', '360']);
    expect(container.querySelector('svg')).toBeNull();
  });

  it('keeps a <script> and an onload="" of the SVG out of the page: nothing of it can run', () => {
    render(h(SvgOutput, { svg: HOSTILE, plain: 'A square' }));

    expect(live()).toEqual({ scripts: 0, handlers: 0, ran: undefined });
    expect(container.querySelector('img')?.getAttribute('alt')).toBe('A square.');
  });

  it('the check sees a script when the SVG is put into the page as markup (what it guards against)', () => {
    render(h('div', { dangerouslySetInnerHTML: { __html: HOSTILE } }));

    const found = live();
    expect(found.scripts).toBe(1);
    expect(found.handlers).toBe(1);
  });
});

describe('what the image is made of', () => {
  it('takes the size from width and height, else from the viewBox, else leaves it out', () => {
    expect(svgSize('<svg width="640" height="360" viewBox="0 0 1 1">')).toEqual({
      width: 640,
      height: 360,
    });
    expect(svgSize('<svg viewBox="0 0 320 180">')).toEqual({ width: 320, height: 180 });
    expect(svgSize('<svg width="100%">')).toEqual({ width: undefined, height: undefined });
  });

  it('says when an output came without a text alternative', () => {
    expect(svgAlt(undefined)).toBe('An image the notebook displayed, without a text alternative');
    expect(svgAlt('Title\nWhat it shows.')).toBe('Title. What it shows.');
  });

  it('encodes every character the SVG holds, so it reads back the same', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><text>a & b # 100% “é”</text></svg>';
    expect(decodeURIComponent(svgDataUrl(svg).slice(PREFIX.length))).toBe(svg);
  });
});
