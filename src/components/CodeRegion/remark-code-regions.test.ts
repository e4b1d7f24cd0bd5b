// The build gives each <CodeRegion> its region, cut by the bundler's loader (region-loader.cjs), and
// fails on a file or region that does not exist, naming the page and its line.
// tests/site/page-code.test.ts checks what the built pages really load.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import remarkCodeRegions from './remark-code-regions';

type Attribute = { type: string; name: string; value?: unknown };
type Node = {
  type: string;
  name?: string;
  attributes?: Attribute[];
  children?: Node[];
  position?: { start: { line: number } };
};

const element = (attributes: Record<string, string>): Node => ({
  type: 'mdxJsxFlowElement',
  name: 'CodeRegion',
  attributes: Object.entries(attributes).map(([name, value]) => ({
    type: 'mdxJsxAttribute',
    name,
    value,
  })),
  children: [],
  position: { start: { line: 12 } },
});

const SOURCE = [
  '// A file that opens with what it is for.',
  'const hidden = 1;',
  '// #region shown',
  'export const shown = 2;',
  '// #endregion shown',
].join('\n');

let site: string;
beforeEach(() => {
  site = mkdtempSync(join(tmpdir(), 'statelab-regions-'));
  mkdirSync(join(site, 'lab'));
  writeFileSync(join(site, 'lab/file.ts'), SOURCE);
});
afterEach(() => rmSync(site, { recursive: true, force: true }));

function transform(node: Node): Node {
  const tree: Node = { type: 'root', children: [node] };
  remarkCodeRegions({ siteDir: site })(tree as never, { path: join(site, 'docs/page.mdx') });
  return node;
}

const code = (node: Node) =>
  (node.attributes?.find((a) => a.name === 'code')?.value as { value: string }).value;

describe('remark-code-regions', () => {
  it('gives <CodeRegion> its region through the region loader, and the whole file without one', () => {
    expect(code(transform(element({ file: 'lab/file.ts', region: 'shown' })))).toMatch(
      /^require\(".*!!.*region-loader\.cjs!@site\/lab\/file\.ts\?region=shown"\)$/,
    );
    expect(code(transform(element({ file: 'lab/file.ts' })))).toMatch(
      /region-loader\.cjs!@site\/lab\/file\.ts"\)$/,
    );
  });

  it('fails the build on a missing region or file, naming the page and its line', () => {
    expect(() => transform(element({ file: 'lab/file.ts', region: 'gone' }))).toThrow(
      'docs/page.mdx:12: lab/file.ts: No "// #region gone" in the file (regions found: shown).',
    );
    expect(() => transform(element({ file: 'lab/nothing.ts' }))).toThrow(
      'docs/page.mdx:12: <CodeRegion file="lab/nothing.ts">: no such file',
    );
  });

  it('refuses code the page gives itself', () => {
    expect(() => transform(element({ file: 'lab/file.ts', source: 'x' }))).toThrow(
      'remove source= or code=',
    );
  });
});

describe('region-loader', () => {
  const loader = createRequire(__filename)('./region-loader.cjs') as (
    this: object,
    source: string,
  ) => string;
  const load = (query: string) =>
    loader.call(
      { resourcePath: join(site, 'lab/file.ts'), resourceQuery: query, rootContext: site },
      SOURCE,
    );

  it('exports the region alone, and the whole file without ?region', () => {
    expect(load('?region=shown')).toBe('module.exports = "export const shown = 2;";\n');
    expect(load('')).toContain('const hidden = 1;');
  });

  it('throws on a missing region, which fails the build', () => {
    expect(() => load('?region=gone')).toThrow('lab/file.ts: No "// #region gone" in the file');
  });
});
