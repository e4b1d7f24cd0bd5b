// src/diagrams/remark-plugin.ts: what a ```mermaid fence becomes in a page.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile } from '@mdx-js/mdx';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import remarkDiagrams from '../../src/diagrams/remark-plugin';
import { diagramKey } from '../../src/diagrams/key';
import { diagramAlt } from '../../src/diagrams/config';

const SOURCE = 'flowchart LR\n  accTitle: Two boxes\n  accDescr: A points to B.\n  A --> B';

type Node = {
  type: string;
  name?: string;
  lang?: string;
  value?: string;
  children?: Node[];
  attributes?: { name: string; value: string }[];
};
const page = (code: Node): Node => ({
  type: 'root',
  children: [{ type: 'paragraph', children: [] }, code],
});
const fence = (value: string): Node =>
  ({ type: 'code', lang: 'mermaid', value, position: { start: { line: 7 } } }) as Node;
const attrs = (node: Node) =>
  Object.fromEntries((node.attributes ?? []).map((a) => [a.name, a.value]));

let site: string;
beforeEach(() => {
  site = mkdtempSync(join(tmpdir(), 'statelab-diagrams-'));
  mkdirSync(join(site, 'static/diagrams'), { recursive: true });
});
afterEach(() => {
  rmSync(site, { recursive: true, force: true });
  vi.unstubAllEnvs();
});

function transform(tree: Node) {
  remarkDiagrams({ siteDir: site })(tree as never, { path: join(site, 'docs/page.mdx') });
  return tree.children![1];
}

describe('remark-diagrams', () => {
  it('turns a drawn diagram into an image of its drawing, sized, with its text alternative', () => {
    const key = diagramKey(SOURCE);
    const svg = '<svg width="320" height="90" xmlns="http://www.w3.org/2000/svg"></svg>';
    writeFileSync(join(site, `static/diagrams/${key}-light.svg`), svg);
    writeFileSync(join(site, `static/diagrams/${key}-dark.svg`), svg);
    const node = transform(page(fence(SOURCE)));
    expect(node.type).toBe('mdxJsxFlowElement');
    expect(node.name).toBe('Diagram');
    expect(attrs(node)).toEqual({
      title: 'Two boxes',
      description: 'A points to B.',
      light: `/diagrams/${key}-light.svg`,
      dark: `/diagrams/${key}-dark.svg`,
      width: '320',
      height: '90',
    });
  });

  it('outside CI, draws a diagram with no drawing in the browser, and says so', () => {
    vi.stubEnv('CI', '');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const node = transform(page(fence(SOURCE)));
    expect(node.name).toBe('DiagramInBrowser');
    expect(attrs(node).source).toBe(SOURCE);
    expect(attrs(node).light).toBeUndefined();
    expect(warn.mock.calls.join(' ')).toMatch(/docs\/page\.mdx:7 has no drawing.*npm run diagrams/);
    warn.mockRestore();
  });

  it('imports Mermaid (DiagramInBrowser) into a page once, and only into a page with a diagram to draw', () => {
    vi.stubEnv('CI', '');
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const imports = (tree: Node) => tree.children!.filter((n) => n.type === 'mdxjsEsm');
    const undrawn = page(fence(SOURCE));
    undrawn.children!.push(fence(SOURCE.replace('A --> B', 'B --> C')));
    transform(undrawn);
    expect(imports(undrawn).map((n) => n.value)).toEqual([
      'import DiagramInBrowser from "@site/src/components/Diagram/InBrowser";',
    ]);
    const key = diagramKey(SOURCE);
    const svg = '<svg width="320" height="90" xmlns="http://www.w3.org/2000/svg"></svg>';
    writeFileSync(join(site, `static/diagrams/${key}-light.svg`), svg);
    writeFileSync(join(site, `static/diagrams/${key}-dark.svg`), svg);
    const drawn = page(fence(SOURCE));
    transform(drawn);
    expect(imports(drawn)).toEqual([]);
  });

  it('makes MDX that compiles to an import of DiagramInBrowser and its element', async () => {
    vi.stubEnv('CI', '');
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const code = String(
      await compile(
        {
          value: `# Page\n\n\`\`\`mermaid\n${SOURCE}\n\`\`\`\n`,
          path: join(site, 'docs/page.mdx'),
        },
        { remarkPlugins: [[remarkDiagrams, { siteDir: site }]] },
      ),
    );
    expect(code).toContain(
      'import DiagramInBrowser from "@site/src/components/Diagram/InBrowser";',
    );
    expect(code).toMatch(/_jsx\(DiagramInBrowser, \{\s*title: "Two boxes"/);
  });

  it('in CI, fails the build for a diagram with no drawing, naming the file and line', () => {
    vi.stubEnv('CI', 'true');
    expect(() => transform(page(fence(SOURCE)))).toThrow(
      /docs\/page\.mdx:7: this diagram has no drawing/,
    );
  });

  it('fails the build for a diagram with no text alternative', () => {
    expect(() => transform(page(fence('flowchart LR\n  A --> B')))).toThrow(
      /docs\/page\.mdx:7: this diagram has no text alternative/,
    );
  });

  it('leaves other code blocks alone', () => {
    const code = { type: 'code', lang: 'ts', value: 'const a = 1;' } as Node;
    expect(transform(page(code))).toBe(code);
  });
});

describe('diagramAlt', () => {
  it('reads accTitle and accDescr, one line or a block', () => {
    expect(diagramAlt(SOURCE)).toEqual({ title: 'Two boxes', description: 'A points to B.' });
    expect(
      diagramAlt('sequenceDiagram\n accTitle: T\n accDescr {\n  one\n  two\n }\n A->>B: x'),
    ).toEqual({
      title: 'T',
      description: 'one two',
    });
    expect(diagramAlt('flowchart LR\n A --> B')).toEqual({ title: '', description: '' });
  });
});
