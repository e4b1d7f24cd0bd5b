// Code on the pages is real code: every <CodeRegion> names a file it imports with raw-loader,
// and a region that exists in that file. Also the region cutter itself.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractRegion, regionNames } from '../../src/components/CodeRegion/region';
import { codeRegionUses, listDocs, ROOT } from './docs';

const uses = listDocs().flatMap((doc) =>
  codeRegionUses(doc.text).map(
    (use) => [`${doc.file} shows ${use.file}${use.region ? ` #${use.region}` : ''}`, use] as const,
  ),
);

describe('<CodeRegion> on the pages', () => {
  it.each(uses)('%s: imported, and the region exists', (_where, { file, region, importedFrom }) => {
    expect(importedFrom, 'source={…} must come from an import of "!!raw-loader!@site/…"').toBe(
      file,
    );
    const path = join(ROOT, file);
    expect(existsSync(path), `${file} does not exist`).toBe(true);
    if (region !== undefined) {
      expect(regionNames(readFileSync(path, 'utf8'))).toContain(region);
    }
  });
});

describe('extractRegion', () => {
  const source = [
    'const before = 1;',
    '// #region outer',
    'export function f() {',
    '  // #region inner',
    '  return 1;',
    '  // #endregion inner',
    '}',
    '// #endregion outer',
    '  // #region indented',
    '  const a = 1;',
    '',
    '    const b = 2;',
    '  // #endregion',
  ].join('\n');

  it('cuts the lines between the markers and drops nested markers', () => {
    expect(extractRegion(source, 'outer')).toBe('export function f() {\n  return 1;\n}');
  });

  it('cuts a nested region on its own, dedented', () => {
    expect(extractRegion(source, 'inner')).toBe('return 1;');
  });

  it('dedents by the least indented non-blank line, and accepts a bare #endregion', () => {
    expect(extractRegion(source, 'indented')).toBe('const a = 1;\n\n  const b = 2;');
  });

  it('lists region names in order', () => {
    expect(regionNames(source)).toEqual(['outer', 'inner', 'indented']);
  });

  it('throws, naming the regions it has, when the region is missing', () => {
    expect(() => extractRegion(source, 'missing')).toThrow(
      'No "// #region missing" in the file (regions found: outer, inner, indented).',
    );
  });

  it('throws when a region is never closed or closed under another name', () => {
    expect(() => extractRegion('// #region a\nx', 'a')).toThrow(
      'Region "a" has no "// #endregion".',
    );
    expect(() => extractRegion('// #region a\nx\n// #endregion b', 'a')).toThrow(
      'Region "a" is closed by "// #endregion b".',
    );
  });
});
