// src/components/Figures/remark-records.ts: each component that quotes a recorded run gets its own
// chapter's record at build time (a require of that one file), so a page bundles no other chapter's.
// tests/site/page-records.test.ts checks what the built pages really load.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile } from '@mdx-js/mdx';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import remarkRecords from '../../src/components/Figures/remark-records';

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
    for (const node of nodes)
      expect(attrs(node).record).toBe(
        'require("@site/src/components/Figures/runs/03-stateful-servers.json")',
      );
  });

  it('gives <NotebookOutputs> and <NotebookRunInfo> the run with outputs, <Constant> the constants', () => {
    const [outputs, info, constant] = transform(
      element('NotebookOutputs', { notebook: '03-stateful-servers', sha256: 'x', cell: 'c' }),
      element('NotebookRunInfo', { notebook: '03-stateful-servers', sha256: 'x' }),
      element('Constant', { chapter: '07-price', name: 'TTL_MS' }),
    );
    const run = 'require("@site/src/components/NotebookOutput/runs/03-stateful-servers.json")';
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
    expect(attrs(quiz).record).toBe(
      'require("@site/src/components/Figures/runs/03-stateful-servers.json")',
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
      /chapter: "03-stateful-servers",\s*path: "lost",\s*record: require\("@site\/src\/components\/Figures\/runs\/03-stateful-servers\.json"\)/,
    );
  });
});
