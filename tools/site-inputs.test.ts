// `npm start` reuses build/ only while it was built from the sources here: the inputs' hash follows
// every byte, name and file of them (and nothing else), every production build records it
// (src/plugins/build-stamp.ts), and SITE_INPUTS holds every file the site imports.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import buildStamp from '../src/plugins/build-stamp';
import { SITE_INPUTS, siteInputsHash, staleBecause, STAMP_FILE, writeStamp } from './site-inputs';

const ROOT = join(__dirname, '..');

let root: string;
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'statelab-site-inputs-'));
  write('docs/intro.mdx', '# Intro');
  write('src/pages/index.tsx', 'export default 1;');
  write('docusaurus.config.ts', 'export default {};');
  write('notebooks/exercises/01-request-path.ts', '// the reader edits this');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the hash of the inputs', () => {
  it('changes with an edited, added, removed or renamed file in any input', () => {
    const changes: [string, () => void][] = [
      ['edited', () => write('docs/intro.mdx', '# Intro, edited')],
      ['added', () => write('src/components/New.tsx', 'export {};')],
      ['removed', () => rmSync(join(root, 'src/pages/index.tsx'))],
      ['renamed', () => renameSync(join(root, 'docs/intro.mdx'), join(root, 'docs/start.mdx'))],
      ['a config', () => write('docusaurus.config.ts', 'export default { title: "x" };')],
      ['a lock', () => write('package-lock.json', '{}')],
    ];
    for (const [what, change] of changes) {
      const before = siteInputsHash(root);
      change();
      expect(siteInputsHash(root), what).not.toBe(before);
    }
  });

  it("stays the same when only times change, or the reader's exercise files", () => {
    const before = siteInputsHash(root);
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'docs/intro.mdx'), later, later);
    write('notebooks/exercises/01-request-path.ts', '// the reader wrote an answer');
    write('README.md', 'not part of the site');
    expect(siteInputsHash(root)).toBe(before);
  });

  it('tells a file from a folder of the same bytes (paths are part of the hash)', () => {
    const flat = siteInputsHash(root, ['docs']);
    rmSync(join(root, 'docs/intro.mdx'));
    write('docs/intro.mdx/index.mdx', '# Intro');
    expect(siteInputsHash(root, ['docs'])).not.toBe(flat);
  });
});

describe('whether a build can be served as it is', () => {
  const build = () => join(root, 'build');

  it('not without a build, nor a build that does not say what it was built from', () => {
    expect(staleBecause(build(), root)).toBe('there is no build yet');
    write('build/index.html', '<html></html>');
    expect(staleBecause(build(), root)).toBe('the build says nothing of what it was built from');
  });

  it('yes while nothing changed since its stamp, no once something did', () => {
    write('build/index.html', '<html></html>');
    writeStamp(build(), siteInputsHash(root));
    expect(staleBecause(build(), root)).toBeUndefined();
    write('docs/intro.mdx', '# Intro, edited');
    expect(staleBecause(build(), root)).toBe('pages or settings changed since the last build');
  });
});

describe('the build-stamp plugin', () => {
  const plugin = (env: string) => {
    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = env;
    try {
      return buildStamp({ siteDir: root } as LoadContext);
    } finally {
      process.env.NODE_ENV = saved;
    }
  };
  const postBuild = (p: Plugin, outDir: string) =>
    p.postBuild!({ outDir } as Parameters<NonNullable<Plugin['postBuild']>>[0]);

  it('writes what the build was made from into it', async () => {
    mkdirSync(join(root, 'out'));
    await postBuild(plugin('production'), join(root, 'out'));
    const stamp = JSON.parse(readFileSync(join(root, 'out', STAMP_FILE), 'utf8'));
    expect(stamp.inputs).toBe(siteInputsHash(root));
  });

  it('writes nothing when a source changed while it built: that build may hold either version', async () => {
    mkdirSync(join(root, 'out'));
    const building = plugin('production');
    write('docs/intro.mdx', '# Intro, saved during the build');
    await postBuild(building, join(root, 'out'));
    expect(existsSync(join(root, 'out', STAMP_FILE))).toBe(false);
  });
});

/** The module paths a source file imports or requires (type-only imports build nothing). */
function importsOf(file: string): string[] {
  let text = readFileSync(file, 'utf8');
  // A page's fenced code is shown, not run: a notebook page's `import … from './lab/…'` is text.
  if (/\.mdx?$/.test(file)) text = text.replace(/^(\s*)(```|~~~)[^]*?^\1\2\s*$/gm, '');
  // A comment line's example is text too (remark-download.ts shows the require it looks for).
  else text = text.replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s+(?!type\b)[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\b(?:require|import)\(\s*['"]([^'"]+)['"]/g,
    /\brequire\.context\(\s*['"]([^'"]+)['"]/g,
  ];
  for (const pattern of patterns) for (const m of text.matchAll(pattern)) found.push(m[1]);
  // <CodeRegion file="notebooks/lab/…" region="…" />: the build reads that file (remark-code-regions).
  if (/\.mdx?$/.test(file))
    for (const m of text.matchAll(/<CodeRegion\b[^>]*?\bfile=["']([^"']+)["']/g))
      found.push(`@site/${m[1]}`);
  return found;
}

/** A specifier as a file or folder of this repository; undefined for a package. */
function resolveImport(from: string, specifier: string): string | undefined {
  const path = specifier.replace(/^.*!/, ''); // !!raw-loader!@site/notebooks/lab/node/shop.ts
  const base = path.startsWith('@site/')
    ? join(ROOT, path.slice('@site/'.length))
    : path.startsWith('.')
      ? resolve(dirname(from), path)
      : undefined;
  if (!base) return undefined;
  const endings = ['', '.ts', '.tsx', '.js', '.mjs', '.json', '.mdx', '/index.ts', '/index.tsx'];
  return endings.map((e) => base + e).find((f) => existsSync(f)) ?? base;
}

/** Every repository file the given sources import, directly or through other files, that lies
 *  outside the inputs (or is missing). */
function importedOutside(sources: string[], inputs = SITE_INPUTS): string[] {
  const inInputs = (file: string) =>
    inputs.some((input) => {
      const path = relative(join(ROOT, input), file);
      return path === '' || (!path.startsWith('..') && !path.startsWith('/'));
    });
  const queue = sources.flatMap((file) => importsOf(file).map((s) => resolveImport(file, s)));
  const seen = new Set<string>();
  const outside: string[] = [];
  while (queue.length > 0) {
    const file = queue.pop();
    if (!file || seen.has(file)) continue;
    seen.add(file);
    if (!existsSync(file)) outside.push(`${relative(ROOT, file)} (missing)`);
    else if (!inInputs(file)) outside.push(relative(ROOT, file));
    if (existsSync(file) && statSync(file).isFile() && /\.(m?[jt]sx?|mdx?)$/.test(file))
      queue.push(...importsOf(file).map((s) => resolveImport(file, s)));
  }
  return outside.sort();
}

describe('SITE_INPUTS', () => {
  const sources = (dir: string) =>
    (readdirSync(join(ROOT, dir), { recursive: true }) as string[])
      .filter((f) => /\.(tsx?|mdx?)$/.test(f))
      .map((f) => join(ROOT, dir, f));

  it('holds every file the site imports, through every import of those files', () => {
    const site = [
      join(ROOT, 'docusaurus.config.ts'),
      join(ROOT, 'sidebars.ts'),
      ...sources('docs'),
      ...sources('src'),
    ];
    expect(site.length).toBeGreaterThan(30); // the walk starts from the site, not an empty folder
    expect(importedOutside(site)).toEqual([]);
  });

  it('catches an import from outside them, also one made by an imported file', () => {
    write(
      'docs/intro.mdx',
      "import Starter from '!!raw-loader!@site/notebooks/exercises/01-request-path.ts';\n",
    );
    expect(importedOutside([join(root, 'docs/intro.mdx')])).toEqual([
      'notebooks/exercises/01-request-path.ts',
    ]);
    write('docs/intro.mdx', '<CodeRegion file="notebooks/exercises/02-x.ts" region="r" />\n');
    expect(importedOutside([join(root, 'docs/intro.mdx')])).toEqual([
      'notebooks/exercises/02-x.ts (missing)',
    ]);
    write('docs/intro.mdx', "import Progress from '@site/src/plugins/exercise-progress';\n");
    const withoutTools = SITE_INPUTS.filter((input) => !input.startsWith('tools/'));
    expect(importedOutside([join(root, 'docs/intro.mdx')], withoutTools)).toEqual([
      'tools/checks/manifest.ts',
      'tools/checks/progress.ts',
    ]);
  });
});
