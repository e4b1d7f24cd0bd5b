// src/components/Figures/remark-records.ts: each component that quotes a recorded run gets its own
// chapter's record at build time (a require of that one file), so a page bundles no other chapter's,
// and through record-loader.cjs only what the page renders of it: a chapter page the figures its
// components name, a notebook page its outputs. tests/site/page-records.test.ts checks what the built
// pages really load.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile } from '@mdx-js/mdx';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import remarkRecords from '../../src/components/Figures/remark-records';

const LOADER = join(__dirname, '../../src/components/Figures/record-loader.cjs');
const sliced = (path: string, query: string) => `require("!!${LOADER}!@site/${path}${query}")`;

type Attribute = { type: string; name: string; value?: unknown };
type Node = { type: string; name?: string; attributes?: Attribute[]; children?: Node[] };

const element = (name: string, attributes: Record<string, string>): Node => ({
  type: 'mdxJsxFlowElement',
  name,
  attributes: Object.entries(attributes).map(([n, value]) => ({
    type: 'mdxJsxAttribute',
    name: n,
    value,
  })),
  children: [],
});
/** The source of an attribute's value: a string as it is, an expression as its code. */
const attrs = (node: Node) =>
  Object.fromEntries(
    (node.attributes ?? []).map((a) => [
      a.name,
      typeof a.value === 'string' ? a.value : (a.value as { value: string }).value,
    ]),
  );

let site: string;
beforeEach(() => {
  site = mkdtempSync(join(tmpdir(), 'statelab-records-'));
  for (const dir of ['Figures/runs', 'Figures/constants', 'NotebookOutput/runs'])
    mkdirSync(join(site, 'src/components', dir), { recursive: true });
  writeFileSync(join(site, 'src/components/Figures/runs/03-stateful-servers.json'), '{}');
  writeFileSync(join(site, 'src/components/Figures/constants/07-price.json'), '{}');
  writeFileSync(join(site, 'src/components/NotebookOutput/runs/03-stateful-servers.json'), '{}');
});
afterEach(() => rmSync(site, { recursive: true, force: true }));

function transform(...nodes: Node[]): Node[] {
  const tree: Node = { type: 'root', children: [{ type: 'paragraph', children: nodes }] };
  remarkRecords({ siteDir: site })(tree as never, { path: join(site, 'docs/page.mdx') });
  return nodes;
}

describe('remark-records', () => {
  it("gives <Figure>, <FigureTable> and <FigureChart> their chapter's figures file, and only it", () => {
    const nodes = transform(
      element('Figure', { chapter: '03-stateful-servers', path: 'a.b' }),
      element('FigureTable', { chapter: '03-stateful-servers', rows: 'rows' }),
      element('FigureChart', { chapter: '03-stateful-servers', name: 'chart' }),
    );
    // One slice of the file for the whole page: the figures every component on it names.
    for (const node of nodes)
      expect(attrs(node).record).toBe(
        sliced('src/components/Figures/runs/03-stateful-servers.json', '?figures=a.b,chart,rows'),
      );
  });

  it('gives <NotebookOutputs> and <NotebookRunInfo> the run with outputs, <Constant> the constants', () => {
    const [outputs, info, constant] = transform(
      element('NotebookOutputs', { notebook: '03-stateful-servers', sha256: 'x', cell: 'c' }),
      element('NotebookRunInfo', { notebook: '03-stateful-servers', sha256: 'x' }),
      element('Constant', { chapter: '07-price', name: 'TTL_MS' }),
    );
    const run = sliced('src/components/NotebookOutput/runs/03-stateful-servers.json', '?outputs');
    expect(attrs(outputs).record).toBe(run);
    expect(attrs(info).record).toBe(run);
    expect(attrs(constant).constants).toBe(
      'require("@site/src/components/Figures/constants/07-price.json")',
    );
  });

  it('gives <NotebookOutputs> drawInBrowser, and its page the import, only when the run has a diagram with no drawing', () => {
    const diagram = 'flowchart LR\n  A --> B';
    const record = (drawings: object[]) =>
      JSON.stringify({
        cells: {
          c: {
            status: 'ok',
            outputs: [
              {
                output_type: 'display_data',
                data: { 'text/markdown': `\`\`\`mermaid\n${diagram}\n\`\`\`` },
              },
            ],
          },
        },
        drawings,
      });
    const page = () => {
      const nodes = [
        element('NotebookOutputs', { notebook: '03-stateful-servers', sha256: 'x', cell: 'c' }),
        element('NotebookOutputs', { notebook: '03-stateful-servers', sha256: 'x', cell: 'd' }),
        element('NotebookRunInfo', { notebook: '03-stateful-servers', sha256: 'x' }),
      ];
      const tree: Node = { type: 'root', children: [...nodes] };
      remarkRecords({ siteDir: site })(tree as never, { path: join(site, 'docs/page.mdx') });
      const imports = tree.children!.filter((n) => n.type === 'mdxjsEsm');
      return { draws: nodes.map((n) => attrs(n).drawInBrowser), imports };
    };
    const file = join(site, 'src/components/NotebookOutput/runs/03-stateful-servers.json');
    writeFileSync(file, record([]));
    const undrawn = page();
    expect(undrawn.draws).toEqual(['DiagramInBrowser', 'DiagramInBrowser', undefined]);
    expect(undrawn.imports).toHaveLength(1);
    writeFileSync(file, record([{ source: diagram, key: 'k', width: 10, height: 10 }]));
    expect(page()).toEqual({ draws: [undefined, undefined, undefined], imports: [] });
  });

  it('gives a <Quiz chapter="NN"> its chapter\'s figures (its output questions quote them)', () => {
    const [quiz, none] = transform(
      element('Quiz', { chapter: '03' }),
      element('Quiz', { chapter: '05' }),
    );
    // A quiz whose questions this plugin cannot read gets the whole record.
    expect(attrs(quiz).record).toBe(
      sliced('src/components/Figures/runs/03-stateful-servers.json', ''),
    );
    expect(attrs(none).record).toBe('null');
    expect(() => transform(element('Quiz', { chapter: '3' }))).toThrow(/chapter="NN"/);
  });

  it('gives null where the chapter has no record yet (the placeholder), never another file', () => {
    const [figure, outputs] = transform(
      element('Figure', { chapter: '05-where-state-lives', path: 'a' }),
      element('NotebookOutputs', { notebook: '05-where-state-lives', sha256: 'x', cell: 'c' }),
    );
    expect(attrs(figure).record).toBe('null');
    expect(attrs(outputs).record).toBe('null');
  });

  it('leaves other elements alone', () => {
    const [details] = transform(element('Details', { chapter: '03-stateful-servers' }));
    expect(attrs(details)).toEqual({ chapter: '03-stateful-servers' });
  });

  it('fails the build on a chapter it cannot read, or a record the page sets itself', () => {
    const expression = element('Figure', { path: 'a' });
    expression.attributes!.push({
      type: 'mdxJsxAttribute',
      name: 'chapter',
      value: { type: 'mdxJsxAttributeValueExpression', value: 'slug' },
    });
    expect(() => transform(expression)).toThrow(
      /docs\/page\.mdx:\?: <Figure> needs chapter="NN-slug" as a plain string/,
    );
    expect(() => transform(element('Figure', { chapter: '../secrets', path: 'a' }))).toThrow(
      /needs chapter="NN-slug"/,
    );
    expect(() =>
      transform(element('Figure', { chapter: '03-stateful-servers', path: 'a', record: 'x' })),
    ).toThrow(/gets its record from the build/);
  });

  it('makes MDX that compiles to a require of the one file, beside the props the page wrote', async () => {
    const page = [
      "import { Figure } from '@site/src/components/Figures';",
      '',
      'Users lost: <Figure chapter="03-stateful-servers" path="lost" />.',
    ].join('\n');
    const code = String(
      await compile(
        { value: page, path: join(site, 'docs/page.mdx') },
        { remarkPlugins: [[remarkRecords, { siteDir: site }]] },
      ),
    );
    expect(code).toMatch(
      /chapter: "03-stateful-servers",\s*path: "lost",\s*record: require\("!!.*record-loader\.cjs!@site\/src\/components\/Figures\/runs\/03-stateful-servers\.json\?figures=lost"\)/,
    );
  });

  it("keeps of a page's record the figures its quiz's output questions show, beside the others", async () => {
    const page = [
      '<Figure chapter="03-stateful-servers" path="kill.lost" />',
      '',
      '<Quiz chapter="03" questions={[',
      '  { prompt: "p", options: [] },',
      '  { prompt: "q", output: { label: "l", path: "sticky.share", digits: 1 }, options: [] },',
      ']} />',
    ].join('\n');
    const code = String(
      await compile(
        { value: page, path: join(site, 'docs/page.mdx') },
        { remarkPlugins: [[remarkRecords, { siteDir: site }]] },
      ),
    );
    const requires = [...code.matchAll(/record: require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(requires).toHaveLength(2);
    for (const request of requires) expect(request).toMatch(/\?figures=kill\.lost,sticky\.share$/);
  });
});

describe('record-loader', () => {
  const loader = createRequire(__filename)(LOADER) as (this: object, source: string) => string;
  const record = {
    notebook: '03-stateful-servers',
    ranAt: '2026-12-01T13:38:00.000Z',
    labSha256: 'lab',
    figures: { kill: { lost: 3, logins: 4 }, rows: [{ a: 1 }, { a: 2 }], chart: { svg: '<svg/>' } },
    cells: { c: { status: 'ok', outputs: [] } },
  };
  const load = (query: string) =>
    JSON.parse(loader.call({ resourceQuery: query }, JSON.stringify(record))) as Record<
      string,
      unknown
    >;

  it('keeps the figures at the paths a chapter page names, and where and when the run happened', () => {
    expect(load('?figures=kill.lost,rows')).toEqual({
      ...record,
      figures: { kill: { lost: 3 }, rows: [{ a: 1 }, { a: 2 }] },
    });
    // A path the run did not record is left out: the component then fails the build, naming it.
    expect(load('?figures=nothing').figures).toEqual({});
  });

  it("keeps a notebook page's outputs and drops the chapter's figures", () => {
    const { figures, labSha256, ...rest } = record;
    expect([figures, labSha256]).toBeTruthy();
    expect(load('?outputs')).toEqual(rest);
  });

  it('turns each SVG the page shows into a file of the build, keeping its address and size', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="200"></svg>';
    const emitted: [string, string][] = [];
    const context = {
      emitFile: (name: string, content: string) => emitted.push([name, content]),
      _compiler: { options: { output: { publicPath: '/course/' } } },
    };
    const withSvg = {
      ...record,
      figures: { chart: { title: 'T', description: 'D', svg } },
      cells: {
        c: {
          status: 'ok',
          outputs: [{ output_type: 'display_data', data: { 'image/svg+xml': svg } }],
        },
      },
    };
    const run = (query: string) =>
      JSON.parse(
        loader.call({ ...context, resourceQuery: query }, JSON.stringify(withSvg)),
      ) as typeof withSvg;
    const file = {
      src: expect.stringMatching(/^\/course\/assets\/svg\/[0-9a-f]{16}\.svg$/),
      width: 320,
      height: 200,
    };
    expect(run('?figures=chart').figures.chart).toEqual({ title: 'T', description: 'D', ...file });
    expect(run('?outputs').cells.c.outputs[0].data['image/svg+xml']).toEqual(file);
    expect(emitted.map(([, content]) => content)).toEqual([svg, svg]);
  });

  it('keeps all of it without a query', () => {
    expect(load('')).toEqual(record);
  });
});
