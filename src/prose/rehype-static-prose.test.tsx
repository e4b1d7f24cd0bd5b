// A page's plain prose renders exactly as its JSX did, on the server (from the string the server's
// bundle keeps) and in the browser (from what it reads back under each block's key), and what must
// stay JSX does. The browser's half (./client.ts: reading the page, fetching after a client-side
// navigation, routing links) is tested on the built site: tests/site/static-prose.test.ts.
import { compile, evaluate } from '@mdx-js/mdx';
import { join } from 'node:path';
import { createElement, type ComponentProps, type ReactNode } from 'react';
import * as runtime from 'react/jsx-runtime';
import { renderToStaticMarkup } from 'react-dom/server';
import remarkGfm from 'remark-gfm';
import { Window } from 'happy-dom';
import { afterEach, describe, expect, it } from 'vitest';
import rehypeStaticProse from './rehype-static-prose';

const SITE = join(import.meta.dirname, 'fixtures/site');
const OPTIONS = { client: './fixtures/client-stub.mjs', siteDir: SITE };

/** Stand-ins for the Docusaurus MDX components that touch prose (theme-classic MDXComponents):
 *  MDXLi and MDXA give class="" (clsx of nothing), Link opens an external link in a new tab and
 *  renders an internal one as <a class="" href>. Figure and Constant are the course's, reduced to
 *  their markup (a Constant is its number, with no element of its own). */
const components = {
  li: (props: ComponentProps<'li'>) => <li className="" {...props} />,
  a: ({ href = '', ...props }: ComponentProps<'a'>) =>
    /^(?:[A-Za-z][A-Za-z\d+.-]*:|\/\/)/.test(href) ? (
      <a href={href} target="_blank" rel="noopener noreferrer" {...props} className="" />
    ) : (
      <a className="" href={href} {...props} />
    ),
  Note: ({ children }: { children: ReactNode }) => <aside>{children}</aside>,
  Figure: ({ path }: { path: string }) => (
    <strong>{{ lost: '3', share: '33.3%' }[path] ?? 'not measured'}</strong>
  ),
  Constant: ({ name }: { name: string }) => <>{{ WAIT_MS: '100', SHARE: '12.3%' }[name]}</>,
};

type Side = 'server' | 'browser' | 'without';

/** The page as the server renders it, as the browser renders it (reading back `texts`), or without
 *  the plugin at all. */
async function render(source: string, side: Side, texts: Record<string, string> = {}) {
  if (side === 'server') process.env.STATELAB_SERVER_RENDER = 'true';
  else delete process.env.STATELAB_SERVER_RENDER;
  (globalThis as { proseTexts?: Record<string, string> }).proseTexts = texts;
  const { default: Content } = await evaluate(
    { value: source, path: join(SITE, 'docs/page.mdx') },
    {
      ...runtime,
      baseUrl: import.meta.url,
      remarkPlugins: [remarkGfm],
      rehypePlugins: side === 'without' ? [] : [[rehypeStaticProse, OPTIONS]],
    },
  );
  return renderToStaticMarkup(createElement(Content, { components }));
}

afterEach(() => {
  delete process.env.STATELAB_SERVER_RENDER;
  delete (globalThis as { proseLinks?: unknown }).proseLinks;
});

/** The markup as a browser reads it back, each block's key taken off: a string escapes `>` or `"`
 *  in text, React's does not. */
function asParsed(html: string): string {
  const { document } = new Window();
  document.body.innerHTML = html;
  for (const el of Array.from(document.querySelectorAll('[data-prose]')))
    el.removeAttribute('data-prose');
  return document.body.innerHTML;
}

/** Each block's HTML under its key, read from the server's page as ./client.ts reads it. */
function readBack(html: string): Record<string, string> {
  const { document } = new Window();
  document.body.innerHTML = html;
  return Object.fromEntries(
    Array.from(document.querySelectorAll('[data-prose]')).map((el) => [
      el.getAttribute('data-prose')!,
      el.innerHTML,
    ]),
  );
}

/** The compiled page, to see what became a string. */
const compiled = async (source: string) =>
  String(
    await compile(
      { value: source, path: join(SITE, 'docs/page.mdx') },
      { remarkPlugins: [remarkGfm], rehypePlugins: [[rehypeStaticProse, OPTIONS]] },
    ),
  );

/** The page's prose as the chunk the browser fetches after a client-side navigation. */
function fetched(code: string): Record<string, string> {
  const url = /import\("data:application\/json,([^"]*)"\)/.exec(code)?.[1];
  if (url === undefined) throw new Error('no prose chunk in the compiled page');
  return JSON.parse(decodeURIComponent(url)) as Record<string, string>;
}

const PROSE = `
A paragraph with *emphasis*, **strong**, ~~struck~~, \`inline code\` & a [link](https://example.com "Example") \\<not a tag\\> "quoted".

Just words, nothing else.

- one \`item\`
- two, with **bold**
  1. nested
  2. list

3. starts
4. at three with \`code\`

> A quote with *emphasis*.

| left | right | none |
| :--- | ----: | ---- |
| \`a\` | *b* | c |

See [chapter 4](/docs/stateless-servers#draining) and [the setup](/docs/setup) for \`drain\`.

In this run <Figure chapter="99-fixture" path="lost" digits={0} /> of <Figure chapter="99-fixture" path="share" digits={1} unit="%" /> were lost.

Sent with <code>WAIT 1 <Constant chapter="99-fixture" name="WAIT_MS" /></code>, to <Constant chapter="99-fixture" name="SHARE" digits={1} unit="%" /> of them.
`;

describe('rehype-static-prose', () => {
  it('the server renders paragraphs, lists, quotes, tables, links and figures exactly as their JSX did', async () => {
    const server = await render(PROSE, 'server');
    expect(asParsed(server)).toBe(asParsed(await render(PROSE, 'without')));
    expect(server).toContain('text-align:right');
    expect(server).toContain('<strong>33.3%</strong>');
    expect(server).toContain('<code>WAIT 1 100</code>, to 12.3%');
    // Every block of it became one keyed string: nothing of it is left for React to make.
    const out = await compiled(PROSE);
    expect(out).not.toMatch(/_components\.(code|em|strong|a)\b/);
    expect(Object.keys(readBack(server))).toHaveLength(9);
  });

  it('the browser renders the same page from what it reads back, and fetches the same after a navigation', async () => {
    const server = await render(PROSE, 'server');
    const texts = readBack(server);
    expect(asParsed(await render(PROSE, 'browser', texts))).toBe(asParsed(server));
    // What a client-side navigation fetches is the same HTML, block for block.
    const chunk = fetched(await compiled(PROSE));
    expect(Object.keys(chunk)).toEqual(Object.keys(texts));
    for (const key of Object.keys(texts)) expect(asParsed(chunk[key]!)).toBe(asParsed(texts[key]!));
  });

  it("the browser's bundle can drop every word: each string is behind the server's flag", async () => {
    const out = await compiled(PROSE);
    const strings = out.match(/process\.env\.STATELAB_SERVER_RENDER \? /g) ?? [];
    expect(strings).toHaveLength(9);
    // No word of the prose outside those branches and the fetched chunk.
    const rest = out
      .replace(/import\("data:[^"]*"\)/, '')
      .replace(
        /process\.env\.STATELAB_SERVER_RENDER \? (?:"(?:[^"\\]|\\.)*"|_linked\([^)]*\))/g,
        '',
      );
    for (const word of [
      'emphasis',
      'nothing else',
      'at three',
      'A quote',
      'right',
      'draining',
      'lost',
      'WAIT 1',
    ])
      expect(rest).not.toContain(word);
  });

  it('tells Docusaurus, on the server, about each link into the site a string holds', async () => {
    await render(PROSE, 'server');
    expect((globalThis as { proseLinks?: string[] }).proseLinks).toEqual([
      '/docs/stateless-servers#draining',
      '/docs/setup',
    ]);
  });

  it('leaves headings, code blocks, components, expressions and unmeasured figures as they were', async () => {
    const source = [
      '## A heading with `code`',
      '```ts\nconst a = 1;\n```',
      '<Note>Inside a component, **bold**.</Note>',
      'A sum: {1 + 1} and `code`.',
      'A relative [link](./other.mdx) stays a Link.',
      'Not measured yet: <Figure chapter="98-no-run" path="lost" />.',
    ].join('\n\n');
    const out = await compiled(source);
    expect(out).not.toContain('data-prose');
    expect(await render(source, 'server')).toBe(await render(source, 'without'));
  });

  it('fails the build on a figure the run did not record, as <Figure> would', async () => {
    await expect(compiled('Lost: <Figure chapter="99-fixture" path="typo" />.')).rejects.toThrow(
      /typo/,
    );
  });

  it('fails the build on a constant the notebook does not set, as <Constant> would', async () => {
    await expect(compiled('Wait: <Constant chapter="99-fixture" name="TYPO" />.')).rejects.toThrow(
      /sets no "const TYPO/,
    );
  });
});
