// Every chart kind, drawn from the sample data of charts.samples.ts (the notebooks' kind, and data
// chosen to be hard to draw): its SVG is well-formed, sized, titled with a description computed
// from its own data, its text inside the drawing and at 4.5:1 on both site themes
// (tools/svg-problems.ts). The checks are shown to fail, one broken SVG each.
import { Window } from 'happy-dom';
import { afterAll, describe, expect, it } from 'vitest';
import { svgProblems } from '../../../tools/svg-problems';
import {
  CHART_COLOURS,
  contrastRatio,
  escapeXml,
  formatNumber,
  listInWords,
  niceTicks,
} from './chart-svg';
import { chartBundle, groupedBars, lineChart } from './charts';
import {
  SAMPLE_CHARTS,
  chaos,
  latency,
  longLabels,
  manyPoints,
  throughput,
  writesLost,
} from './charts.samples';

const window = new Window();
afterAll(() => window.happyDOM.close());
const parse = (svg: string) =>
  new window.DOMParser().parseFromString(svg, 'image/svg+xml') as unknown as Document;
const own = (svg: string, name: string) =>
  Array.from(parse(svg).documentElement.children).find((c) => c.localName === name)?.textContent;

describe.each(SAMPLE_CHARTS)('%s', (_name, chart) => {
  it('is well-formed, sized, titled, and its text passes 4.5:1 on both themes', () => {
    expect(svgProblems(chart.svg)).toEqual([]);
  });

  it('carries its title and description as the SVG’s <title> and <desc>', () => {
    expect(own(chart.svg, 'title')).toBe(chart.title);
    expect(own(chart.svg, 'desc')).toBe(chart.description);
    expect(chartBundle(chart)).toEqual({
      'image/svg+xml': chart.svg,
      'text/plain': `${chart.title}\n${chart.description}`,
    });
  });

  it('is self-contained: no script, no link, no CSS', () => {
    expect(chart.svg).not.toMatch(/<script|<a\b|href=|<style|url\(|<foreignObject/i);
  });
});

describe('the descriptions, computed from the data', () => {
  it('say which bar is highest and which lowest', () => {
    expect(latency.description).toBe(
      'Bars of p50, p90 and p99 (ms) for round robin and least connections: the highest is ' +
        'p99 for round robin at 210 ms; the lowest is p50 for least connections at 3 ms.',
    );
    expect(writesLost.description).toBe(
      'Bars of kill -9 and failover (writes lost) for no persistence, everysec and always + WAIT: ' +
        'the highest is kill -9 for no persistence at 500 writes lost; the lowest is 0 writes lost, ' +
        'reached by 2 bars: kill -9 for always + WAIT and failover for always + WAIT.',
    );
  });

  it('say where each line ends and peaks, and the marked moments', () => {
    expect(chaos.description).toBe(
      'Lines of items lost per round from 1 to 5: stateful ends at 14 (highest 14, at round 5) ' +
        'and stateless stays at 0; marked: server 1 killed at round 3 and server 2 killed at round 4.',
    );
    expect(throughput.description).toBe(
      'Lines of requests/s per processes from 1 to 4: Redis store ends at 5900 (highest 5900, at processes 4).',
    );
  });

  it('follow the data: other values, another description', () => {
    const other = groupedBars({
      title: 'Latency with one slow server',
      unit: 'ms',
      series: ['p50', 'p90', 'p99'],
      groups: [
        { label: 'round robin', values: [5, 6, 7] },
        { label: 'least connections', values: [9, 12, 80] },
      ],
    });
    expect(other.description).toContain('the highest is p99 for least connections at 80 ms');
    expect(other.description).not.toBe(latency.description);
    expect(own(other.svg, 'desc')).toBe(other.description);
  });

  it('name every bar that ties for highest or lowest, not one as if it stood alone', () => {
    const tied = (values: number[][]) =>
      groupedBars({
        title: 'T',
        unit: 'users',
        series: ['a', 'b'],
        groups: values.map((v, i) => ({ label: `g${i + 1}`, values: v })),
      }).description;
    expect(
      tied([
        [9, 0],
        [9, 1],
      ]),
    ).toBe(
      'Bars of a and b (users) for g1 and g2: the highest is 9 users, reached by 2 bars: a for g1 ' +
        'and a for g2; the lowest is b for g1 at 0 users.',
    );
    expect(
      tied([
        [5, 0],
        [5, 5],
        [5, 5],
      ]),
    ).toContain(
      'the highest is 5 users, reached by 5 bars: a for g1, a for g2 and 3 more; the lowest is b for g1 at 0 users.',
    );
    expect(tied([[3, 3]])).toBe('Bars of a and b (users) for g1: all at 3 users.');
  });

  it('say a line that never changes stays, and which peak comes first', () => {
    const line = (ys: number[]) =>
      lineChart({
        title: 'T',
        xLabel: 'round',
        unit: 'u',
        series: [{ name: 'a', points: ys.map((y, i) => [i + 1, y] as const) }],
      }).description;
    expect(line([2, 2, 2])).toBe('Lines of u per round from 1 to 3: a stays at 2.');
    expect(line([7])).toBe('Lines of u per round from 1 to 1: a stays at 7.');
    expect(line([1, 4, 2, 4, 0])).toBe(
      'Lines of u per round from 1 to 5: a ends at 0 (highest 4, first at round 2).',
    );
    expect(line([-5, -1])).toBe(
      'Lines of u per round from 1 to 2: a ends at -1 (highest -1, at round 2).',
    );
  });
});

describe('the drawing', () => {
  const bars = (svg: string) =>
    Array.from(parse(svg).querySelectorAll('rect > title')).map((t) => ({
      name: t.textContent,
      height: Number(t.parentElement!.getAttribute('height')),
    }));

  it('draws one bar per value, as tall as its value', () => {
    const drawn = bars(latency.svg);
    expect(drawn.map((b) => b.name)).toEqual([
      'p50, round robin: 4 ms',
      'p90, round robin: 40 ms',
      'p99, round robin: 210 ms',
      'p50, least connections: 3 ms',
      'p90, least connections: 8 ms',
      'p99, least connections: 30.5 ms',
    ]);
    // Heights are proportional to the values (to the 0.1 px the SVG keeps).
    const pxPerMs = drawn[2].height / 210;
    for (const [i, value] of [4, 40, 210, 3, 8, 30.5].entries())
      expect(Math.abs(drawn[i].height - value * pxPerMs)).toBeLessThan(0.2);
  });

  it('draws a point per value and a dashed line per marked moment', () => {
    const document = parse(chaos.svg);
    expect(document.querySelectorAll('circle')).toHaveLength(10);
    expect(document.querySelectorAll('path')).toHaveLength(2);
    expect(document.querySelector('circle > title')?.textContent).toBe(
      'stateful, round 1: 0 items lost',
    );
    const texts = Array.from(document.querySelectorAll('text')).map((t) => t.textContent);
    expect(texts).toContain('server 1 killed');
  });

  it('escapes what the data says, so any label keeps the SVG well-formed', () => {
    const chart = groupedBars({
      title: 'Cart <A & B> ]]>',
      unit: '"ms"',
      series: ["O'Brien"],
      groups: [{ label: '<script>alert(1)</script>', values: [1] }],
    });
    expect(svgProblems(chart.svg)).toEqual([]);
    expect(chart.svg).not.toContain('<script>');
    expect(own(chart.svg, 'title')).toBe('Cart <A & B> ]]>');
  });

  it('replaces what XML cannot hold at all: control characters, a lone surrogate', () => {
    const chart = groupedBars({
      title: 'bell\u0007 escape\u001b',
      unit: 'ms',
      series: ['half \ud83d'],
      groups: [{ label: 'nul\u0000', values: [1] }],
    });
    expect(svgProblems(chart.svg)).toEqual([]);
    expect(own(chart.svg, 'title')).toBe('bell\ufffd escape\ufffd');
  });

  it('cuts labels too long for their place with "…", keeping them whole in the tooltips', () => {
    const texts = Array.from(parse(longLabels.svg).querySelectorAll('text')).map(
      (t) => t.textContent ?? '',
    );
    expect(texts.filter((t) => t.endsWith('…')).length).toBeGreaterThanOrEqual(1 + 1 + 5 + 6);
    expect(own(longLabels.svg, 'title')).toBe(longLabels.title);
    expect(parse(longLabels.svg).querySelector('rect > title')?.textContent).toBe(
      `series 1 with a long name & more, group 1: ${'a label longer than its place '.repeat(3)}: 1235 ${'operations that a user can no longer find '}${'anywhere '.repeat(10)}`,
    );
    // The values do not fit over bars this thin, so none is drawn (the tooltips say them).
    expect(texts).not.toContain('1235');
  });

  it('puts a legend too long for one row on two, whole, before it cuts a name', () => {
    const names = [
      'stateful: forced logins',
      'stateful: cart items lost',
      'stateless: forced logins',
    ];
    const chart = lineChart({
      title: 'T',
      xLabel: 'round',
      unit: 'losses',
      series: [...names, 'stateless: cart items lost'].map((name) => ({ name, points: [[0, 1]] })),
    });
    const legend = Array.from(parse(chart.svg).querySelectorAll('text'))
      .filter((t) => t.textContent!.startsWith('state'))
      .map((t) => [t.textContent, Number(t.getAttribute('y'))]);
    expect(legend).toEqual([
      [names[0], 324],
      [names[1], 324],
      [names[2], 340],
      ['stateless: cart items lost', 340],
    ]);
    expect(svgProblems(chart.svg)).toEqual([]);
  });

  it('never cuts a legend name that fits, whatever its length (no rounding error cuts "p50")', () => {
    for (let length = 1; length <= 30; length++) {
      const names = ['p', 'q'].map((c) => c.repeat(length));
      const chart = groupedBars({
        title: 'T',
        unit: 'ms',
        series: names,
        groups: [{ label: 'g', values: [1, 2] }],
      });
      const shown = Array.from(parse(chart.svg).querySelectorAll('text')).map((t) => t.textContent);
      expect(shown.filter((t) => t!.endsWith('…'))).toEqual([]);
      expect(shown).toEqual(expect.arrayContaining(names));
    }
  });

  it('breaks a group label too wide for its place onto a second line before it cuts one', () => {
    const labels = ['round robin', 'sticky', 'sticky + kill app-1', 'sticky + deploy'];
    const chart = groupedBars({
      title: 'T',
      unit: 'users',
      series: ['forced to log in again'],
      groups: labels.map((label) => ({ label, values: [1] })),
    });
    const texts = Array.from(parse(chart.svg).querySelectorAll('text'));
    const killed = texts.find((t) => t.textContent!.startsWith('sticky + kill'))!;
    expect(Array.from(killed.querySelectorAll('tspan')).map((t) => t.textContent)).toEqual([
      'sticky + kill',
      'app-1',
    ]);
    expect(texts.map((t) => t.textContent).filter((t) => t!.includes('…'))).toEqual([]);
    expect(svgProblems(chart.svg)).toEqual([]);
  });

  it('labels the axis of whole-number data with whole numbers only, even at zero', () => {
    const nobody = groupedBars({
      title: 'Users who lost their cart',
      unit: 'users',
      series: ['kill'],
      groups: [{ label: 'shared store', values: [0] }],
    });
    const texts = Array.from(parse(nobody.svg).querySelectorAll('text')).map((t) => t.textContent);
    expect(texts.filter((t) => /^[\d.]+$/.test(t!))).toEqual(['0', '1', '0']);
  });

  it('draws a thousand points as a line, without a dot for each', () => {
    const document = parse(manyPoints.svg);
    expect(document.querySelectorAll('path')).toHaveLength(1);
    expect(document.querySelectorAll('circle')).toHaveLength(0);
    expect(document.querySelector('path')!.getAttribute('d')!.split('L')).toHaveLength(1000);
    expect(manyPoints.svg.length).toBeLessThan(20_000);
  });

  it('refuses data it cannot draw honestly, saying which', () => {
    const bad = (values: number[]) =>
      groupedBars({ title: 'T', unit: 'ms', series: ['a', 'b'], groups: [{ label: 'g', values }] });
    expect(() => bad([1])).toThrow('"g" has 1 values, not 2');
    expect(() => bad([1, -2])).toThrow('negative or not a number');
    expect(() => bad([1, NaN])).toThrow('negative or not a number');
    expect(() => bad([1, Infinity])).toThrow('negative or not a number');
    const line = (points: [number, number][], events?: { x: number; label: string }[]) =>
      lineChart({ title: 'T', xLabel: 'x', unit: 'u', series: [{ name: 'a', points }], events });
    expect(() => lineChart({ title: 'T', xLabel: 'x', unit: 'u', series: [] })).toThrow(
      'at least one point',
    );
    expect(() => line([])).toThrow('at least one point');
    expect(() => line([[1, NaN]])).toThrow('a point is not a number');
    expect(() => line([[-Infinity, 1]])).toThrow('a point is not a number');
    expect(() => line([[1, 1]], [{ x: NaN, label: 'k' }])).toThrow(
      'a marked moment is not at a number',
    );
    expect(() => line([[1, 1]], [{ x: Infinity, label: 'k' }])).toThrow('a marked moment');
    // "Ends at" is said of the last point: out of order, it would not be the last x.
    expect(() =>
      line([
        [3, 1],
        [1, 5],
        [2, 0],
      ]),
    ).toThrow('"a" are not in increasing x');
    expect(() =>
      line([
        [1, 1],
        [1, 2],
      ]),
    ).toThrow('not in increasing x');
  });
});

describe('the SVG checks can fail', () => {
  const svg = latency.svg;

  it('a chart without a title or a description', () => {
    expect(svgProblems(svg.replace(/<title id=[^>]*>[^<]*<\/title>/, ''))).toEqual([
      'no <title> with text directly in the <svg>',
    ]);
    expect(svgProblems(svg.replace(/(<desc[^>]*>)[^<]*/, '$1 '))).toEqual([
      'no <desc> with text directly in the <svg>',
    ]);
  });

  it('a chart without a size', () => {
    expect(svgProblems(svg.replace(/ viewBox="[^"]*"/, ''))).toEqual([
      'no usable viewBox (got "")',
    ]);
    expect(svgProblems(svg.replace(/ width="640"/, ' width="100%"'))).toEqual([
      'no width in pixels (got "100%")',
    ]);
  });

  it('malformed XML: an unclosed element, a bare ampersand', () => {
    expect(svgProblems(svg.replace('</svg>', ''))[0]).toMatch(/^not well-formed XML/);
    expect(svgProblems(svg.replace('round robin', 'round & robin'))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^not well-formed XML: a bare "&"/)]),
    );
  });

  it('a low-contrast text colour', () => {
    const grey = svg.replace(`fill="${CHART_COLOURS.muted}"`, 'fill="#999999"');
    expect(svgProblems(grey)).toEqual([
      '"ms": #999999 on #ffffff (light page, on the panel) is 2.85:1, below 4.5:1',
      '"ms": #999999 on #ffffff (dark page, on the panel) is 2.85:1, below 4.5:1',
    ]);
  });

  it('a chart without its panel: dark ink vanishes on the dark page', () => {
    const bare = svg.replace(/<rect width="640" height="360"[^>]*\/>/, '');
    const problems = svgProblems(bare);
    expect(problems.length).toBeGreaterThan(10);
    expect(problems.every((p) => p.includes('(dark page)'))).toBe(true);
  });

  it('a number that is not one, a character XML forbids', () => {
    expect(svgProblems(svg.replace(/ y="[\d.]+"/, ' y="NaN"'))).toEqual([
      'y="…NaN…": a number that is not one',
    ]);
    expect(
      svgProblems(
        svg.replace(/(<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height=")[\d.]+/, '$1Infinity'),
      ),
    ).toEqual(['height="…Infinity…": a number that is not one']);
    expect(svgProblems(svg.replace('round robin', 'round\u0001robin'))).toEqual([
      expect.stringMatching(/^not well-formed XML: the character U\+0001 at character \d+$/),
    ]);
  });

  it('a text that runs past the edge of the drawing', () => {
    const past = svg.replace('>round robin<', `>${'round robin '.repeat(20)}<`);
    expect(svgProblems(past)).toEqual([expect.stringMatching(/past the edge \(0 to 640\)$/)]);
    const offLeft = svg.replace(/<text x="16"/, '<text x="-40"');
    expect(svgProblems(offLeft)).toEqual([
      expect.stringMatching(/^"Latency with one slow server": drawn from x -40/),
    ]);
  });

  it('a colour the markup does not fix: currentColor, CSS', () => {
    expect(svgProblems(svg.replace(`fill="${CHART_COLOURS.ink}"`, 'fill="currentColor"'))).toEqual([
      expect.stringContaining('fill "currentColor" is not a colour the markup fixes'),
    ]);
    expect(svgProblems(svg.replace('</svg>', '<style>text{fill:#999}</style></svg>'))).toEqual([
      'colours set by CSS (<style>, style="" or class=""): set fill="" on each element',
    ]);
  });
});

describe('the colours and the pieces', () => {
  it('every text colour and every series colour reaches 4.5:1 on the panel', () => {
    const colours = [CHART_COLOURS.ink, CHART_COLOURS.muted, ...CHART_COLOURS.series];
    for (const colour of colours)
      expect(contrastRatio(colour, CHART_COLOURS.panel), colour).toBeGreaterThanOrEqual(4.5);
  });

  it('measures contrast as WCAG does', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
  });

  it('ticks at round values that reach the highest value', () => {
    expect(niceTicks(0, 210)).toEqual([0, 50, 100, 150, 200, 250]);
    expect(niceTicks(0, 14)).toEqual([0, 5, 10, 15]);
    expect(niceTicks(0, 0)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 0.03)).toEqual([0, 0.01, 0.02, 0.03]);
    // Whole-number data (users, logins): no tick between two whole numbers.
    expect(niceTicks(0, 0, 5, true)).toEqual([0, 1]);
    expect(niceTicks(0, 3, 5, true)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(0, 210, 5, true)).toEqual(niceTicks(0, 210));
  });

  it('numbers, lists and escaping as a reader sees them', () => {
    expect(
      [1800, 30.5, 1800.4, 0.012345, 1234.5, 12345.6, 99.95, -2.345, -0].map(formatNumber),
    ).toEqual(['1800', '30.5', '1800', '0.0123', '1235', '12346', '100', '-2.35', '0']);
    expect([[], ['a'], ['a', 'b'], ['a', 'b', 'c']].map(listInWords)).toEqual([
      '',
      'a',
      'a and b',
      'a, b and c',
    ]);
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;',
    );
  });
});
