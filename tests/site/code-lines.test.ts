import { Prism } from 'prism-react-renderer';
import { describe, expect, it } from 'vitest';
import { htmlLines, indentOf } from '../../src/theme/CodeBlock/Content/lines';

describe('htmlLines', () => {
  it('puts each line in its own span, with its indentation', () => {
    expect(htmlLines('a\n  b')).toBe(
      '<span class="code-line">a\n</span><span class="code-line" style="--indent:2ch">  b</span>',
    );
  });

  it('keeps every newline, empty lines included', () => {
    expect(htmlLines('a\n\nb')).toBe(
      '<span class="code-line">a\n</span><span class="code-line">\n</span><span class="code-line">b</span>',
    );
  });

  it('closes a token that runs over a line break and opens it again on the next line', () => {
    const html = Prism.highlight('/* one\n   two */ x', Prism.languages.ts, 'ts');
    const lines = htmlLines(html);
    expect(lines).toBe(
      '<span class="code-line"><span class="token comment">/* one</span>\n</span>' +
        '<span class="code-line" style="--indent:3ch"><span class="token comment">   two */</span> x</span>',
    );
  });

  it('leaves the text as it was: the same characters, only spans added', () => {
    const code = 'function f() {\n  // why\n\n  return `a\n${b}`;\n}';
    const html = Prism.highlight(code, Prism.languages.ts, 'ts');
    const text = (h: string) =>
      h
        .replace(/<[^>]*>/g, '')
        .replace(/&lt;/g, '<')
        .replace(/&amp;/g, '&');
    expect(text(htmlLines(html))).toBe(code);
  });
});

it('indentOf measures leading spaces in ch', () => {
  expect(indentOf('    x')).toBe('4ch');
  expect(indentOf('x')).toBeUndefined();
});
