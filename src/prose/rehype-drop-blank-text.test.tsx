// The breaks between blocks go, and nothing a reader sees changes: the page's text, element for
// element, is the same with and without the plugin once blank text between blocks is set aside.
import { evaluate } from '@mdx-js/mdx';
import { createElement } from 'react';
import * as runtime from 'react/jsx-runtime';
import { renderToStaticMarkup } from 'react-dom/server';
import remarkGfm from 'remark-gfm';
import { describe, expect, it } from 'vitest';
import rehypeDropBlankText from './rehype-drop-blank-text';

const components = {
  Figure: () => <strong>3</strong>,
};

async function render(source: string, dropped: boolean): Promise<string> {
  const { default: Content } = await evaluate(source, {
    ...runtime,
    baseUrl: import.meta.url,
    remarkPlugins: [remarkGfm],
    rehypePlugins: dropped ? [rehypeDropBlankText] : [],
  });
  return renderToStaticMarkup(createElement(Content, { components }));
}

const PAGE = [
  '# Title',
  '',
  'A paragraph with *emphasis* and `code`, then a line',
  'break inside it.',
  '',
  '- an item',
  '- another, with **strong** text',
  '',
  '1. First',
  '',
  '   A loose item, two paragraphs.',
  '',
  '2. Second',
  '',
  '<details>',
  '<summary>A summary</summary>',
  '',
  'Inside a component: *kept* as written.',
  '',
  '</details>',
  '',
  '```ts',
  'const a = 1;',
  '',
  'const b = 2;',
  '```',
  '',
  '| a | b |',
  '|---|---|',
  '| 1 | 2 |',
  '',
  'A component on lines of its own may draw inline; the break between two is a space:',
  '',
  '<Figure />',
  '<Figure />',
  '',
  '- <Figure />',
  '  <Figure />',
].join('\n');

describe('rehype-drop-blank-text', () => {
  it('drops the breaks between blocks at the top of the page and between list items', async () => {
    const before = await render(PAGE, false);
    const after = await render(PAGE, true);
    expect(before).toMatch(/<\/h1>\n<p>/); // there were breaks to drop
    // Up to the components that draw inline, every break between blocks has gone.
    const blocks = after.slice(0, after.indexOf('<strong>3</strong>'));
    expect(blocks).not.toMatch(/>\n<(?:p|ul|ol|li|pre|table|details|summary)\b/);
    expect(blocks).not.toMatch(/<\/li>\n/);
  });

  it('keeps every text a reader sees: inside paragraphs, code, components and loose items', async () => {
    const before = await render(PAGE, false);
    const after = await render(PAGE, true);
    // The same once the breaks between blocks are set aside; text inside a block is untouched.
    const blocks =
      /(<\/?(?:h1|p|ul|ol|li|pre|table|thead|tbody|tr|details|summary)\b[^>]*>)\s+(?=<)/g;
    expect(after.replace(blocks, '$1')).toBe(before.replace(blocks, '$1'));
    expect(after).toContain('then a line\nbreak inside it.');
    expect(after).toContain('const a = 1;\n\nconst b = 2;');
    expect(after).toContain('<em>kept</em> as written.');
    expect(after.match(/<strong>3<\/strong>\n<strong>3<\/strong>/g)).toHaveLength(2);
  });
});
