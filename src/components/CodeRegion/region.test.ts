// The region cutter that <CodeRegion> shows lab code with: the lines between `// #region name` and
// its `// #endregion`, dedented, and an error naming the regions a file has when one is missing.
import { describe, expect, it } from 'vitest';
import { extractRegion, regionNames } from './region';

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
