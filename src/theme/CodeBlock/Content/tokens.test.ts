import { Prism, themes } from 'prism-react-renderer';
import { describe, expect, it } from 'vitest';
import config from '../../../../docusaurus.config';
import { plainSpansRemoved, plainTypes } from './tokens';

const text = (html: string) => html.replace(/<[^>]*>/g, '');

describe('plainTypes', () => {
  it("finds punctuation and operators plain in the site's own light and dark themes", () => {
    const { prism } = config.themeConfig as { prism: { theme: never; darkTheme: never } };
    expect(
      plainTypes([prism.theme, prism.darkTheme], ['punctuation', 'operator', 'keyword']),
    ).toEqual(['punctuation', 'operator']);
  });

  it('keeps a type that any theme colours apart from plain text', () => {
    expect(plainTypes([themes.github], ['punctuation', 'operator'])).toEqual([
      'punctuation',
      'operator',
    ]);
    // vsDark draws punctuation and operators light grey on blue-white plain text.
    expect(plainTypes([themes.github, themes.vsDark], ['punctuation', 'operator'])).toEqual([]);
  });
});

describe('plainSpansRemoved', () => {
  const code = 'const a = { b: [1, 2] } ?? `x${y}`;';
  const html = Prism.highlight(code, Prism.languages.ts, 'ts');

  it('drops the spans of those types and keeps every character and every other token', () => {
    const out = plainSpansRemoved(html, ['punctuation', 'operator']);
    expect(out).not.toMatch(/class="token (punctuation|operator)"/);
    expect(text(out)).toBe(text(html));
    expect(out).toContain('<span class="token keyword">const</span>');
    // A compound class is another type: the template's own punctuation keeps its span.
    expect(out).toContain('<span class="token interpolation-punctuation punctuation">${</span>');
  });

  it('changes nothing with no types', () => {
    expect(plainSpansRemoved(html, [])).toBe(html);
  });
});
