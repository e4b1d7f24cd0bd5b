// The charts' text contrast as a browser sees it: tools/svg-problems.ts reads colours from the
// markup and cannot see geometry (a label over a bar); here Chromium measures each text against what
// lies under it (tools/diagrams/contrast.ts, the diagrams' check), on both site themes. The chart is
// shown as a page shows it, as an image's SVG, so its own panel is what lies behind it or not.
// Skips outside CI without Chromium, and fails in CI.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { groupedBars, lineChart } from '../../notebooks/lab/core/charts';
import { textContrasts } from '../../tools/diagrams/contrast';
import { PAGE_BACKGROUNDS } from '../../tools/svg-problems';
import { launchChromium, siteSuite } from './browser-env';
const BACKGROUNDS = {
  light: 'rgb(255, 255, 255)',
  dark: 'rgb(27, 27, 29)',
} as const satisfies Record<keyof typeof PAGE_BACKGROUNDS, string>;

const charts = [
  groupedBars({
    title: 'Latency with one slow server',
    unit: 'ms',
    series: ['p50', 'p90', 'p99'],
    groups: [
      { label: 'round robin', values: [4, 40, 210] },
      { label: 'least connections', values: [3, 8, 30.5] },
    ],
  }),
  lineChart({
    title: 'Items lost per round as servers die',
    xLabel: 'round',
    unit: 'items lost',
    series: [
      {
        name: 'stateful',
        points: [
          [1, 0],
          [2, 0],
          [3, 5],
          [4, 9],
          [5, 14],
        ],
      },
      {
        name: 'stateless',
        points: [
          [1, 0],
          [2, 0],
          [3, 0],
          [4, 0],
          [5, 0],
        ],
      },
    ],
    events: [
      { x: 3, label: 'server 1 killed' },
      { x: 4, label: 'server 2 killed' },
    ],
  }),
];

const suite = siteSuite(
  'the charts’ text contrast',
  'tests/site/chart-contrast.test.ts',
  'chromium',
);

suite.describe('chart text in Chromium', { timeout: 120_000 }, () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
  });
  afterAll(() => browser?.close());

  it('every text of every chart reaches 4.5:1 on both themes (WCAG AA)', async () => {
    const low: string[] = [];
    for (const chart of charts) {
      const texts = (chart.svg.match(/<text\b/g) ?? []).length;
      for (const [theme, background] of Object.entries(BACKGROUNDS)) {
        const contrasts = await textContrasts(page, chart.svg, background);
        expect(contrasts, `${chart.title} (${theme}): every text measured`).toHaveLength(texts);
        for (const c of contrasts.filter((c) => c.ratio < 4.5))
          low.push(`${chart.title} (${theme}): "${c.text}" ${c.ratio.toFixed(2)}:1`);
      }
    }
    expect(low).toEqual([]);
  });

  it('the check sees a chart without its panel fail on the dark page', async () => {
    const bare = charts[0].svg.replace(/<rect width="640" height="360"[^>]*\/>/, '');
    const dark = await textContrasts(page, bare, BACKGROUNDS.dark);
    const light = await textContrasts(page, bare, BACKGROUNDS.light);
    expect(dark.every((c) => c.ratio < 4.5)).toBe(true);
    expect(light.every((c) => c.ratio >= 4.5)).toBe(true);
  });
});
