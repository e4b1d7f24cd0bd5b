// Keeps a page's plain prose out of the browser's JavaScript: a paragraph, list, table or quote that
// holds only text and plain markup (emphasis, inline code, external links…) is written into the
// page's HTML by the server, and the browser's bundle does not carry it at all (issue 18: most of a
// chapter's chunk was its own text, 48 of chapter 6's 65 KB).
//
// Each such block becomes one element with dangerouslySetInnerHTML and a key:
//
//   <p data-prose="p3a9c1-4" dangerouslySetInnerHTML={{
//     __html: process.env.STATELAB_SERVER_RENDER ? "<em>Stateless</em> means…" : _prose("p3a9c1-4") }} />
//
// The server's bundle writes the string; the browser's drops it (the flag is a build-time constant,
// src/plugins/server-render-flag.ts) and asks ./client.mjs instead, which reads the block back from
// the page the server sent while it hydrates, and fetches the page's prose as a chunk of its own
// (one JSON object of key → HTML) only after a client-side navigation, when there is no such page.
// React does not walk or compare the inside of such an element when it hydrates, so it makes no
// fiber for the words either.
//
// The page's HTML stays the same, element for element, plus the data-prose key: each block keeps
// its own tag (a <p> stays a <p> under .markdown, no wrapper), and the string is what Docusaurus's
// MDX components would render (an <li> and an external link get class="", a link target="_blank"
// rel="noopener noreferrer"; a link into the site class=""). What stays JSX: headings (anchors,
// table of contents), code blocks, components, expressions and anything with an id. A link into the
// site in a block is still checked when the server renders the page (onBrokenLinks,
// onBrokenAnchors), and a click on it still navigates without a page load (./client.ts).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  chapterRun,
  figureText,
  formatFigure,
  type FigureRecord,
} from '../components/Figures/figures';
import { constantValue, type NotebookConstants } from '../components/Figures/notebook-constants';

export interface HastNode {
  type: string;
  tagName?: string;
  name?: string | null;
  value?: string;
  properties?: Record<string, unknown>;
  attributes?: unknown[];
  children?: HastNode[];
  data?: Record<string, unknown>;
}

export interface Options {
  /** Where the browser's half lives (./client.mjs), as the bundler should import it. */
  client: string;
  /** The site's folder: a page's key comes from its path inside it, the same on every machine. */
  siteDir: string;
}

/** Blocks that may become HTML strings, and what may be inside them. */
const BLOCKS = new Set([
  'p',
  'ul',
  'ol',
  'li',
  'blockquote',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
]);
const INLINE = new Set(['em', 'strong', 'del', 'code', 'a', 'br', 'sup', 'sub', 'kbd']);

/** The properties each tag may carry; anything else (an id, a class, data-…) keeps it JSX. */
const PROPERTIES: Record<string, string[]> = { a: ['href', 'title'], ol: ['start'] };
const CELL_PROPERTIES = ['align'];

/** Components a page wraps prose in whose children are plain content, so their blocks may go too. */
const CONTAINERS = new Set(['admonition', 'details', 'Details']);

/** Docusaurus's test for a link that leaves the site (isInternalUrl): it has a scheme or is `//…`. */
const EXTERNAL = /^(?:[A-Za-z][A-Za-z\d+.-]*:|\/\/)/;
/** A link into the site that <Link> would render as it is (baseUrl '/', no trailing slash to
 *  take off): `/docs/page` or `/docs/page#anchor`. Any other stays JSX. */
const INTERNAL = /^\/(?!\/)[^\s?#]*[^\s?#/](?:#[^\s]*)?$/;

function allowedProperties(node: HastNode): boolean {
  const allowed =
    node.tagName === 'th' || node.tagName === 'td'
      ? CELL_PROPERTIES
      : (PROPERTIES[node.tagName!] ?? []);
  return Object.entries(node.properties ?? {}).every(
    ([key, value]) => value === undefined || value === null || allowed.includes(key),
  );
}

/** What renders a <Figure> of a recorded run, or a <Constant>, as HTML at build time, when it can
 *  (else undefined). */
type Figures = (node: HastNode) => string | undefined;

/** Inline markup written as JSX in a page, with no attributes: `<code>WAIT 1 <Constant … /></code>`,
 *  where Markdown's backticks could not hold a component. It renders as the tag itself. */
const JSX_TAGS = new Set(['em', 'strong', 'code', 'sup', 'sub', 'kbd']);
const isPlainTag = (node: HastNode) =>
  JSX_TAGS.has(node.name ?? '') && (node.attributes ?? []).length === 0;

/** Whether node is text or plain markup that renders the same as an HTML string. */
function isPlain(node: HastNode, figures: Figures): boolean {
  if (node.type === 'text') return true;
  if (node.type === 'mdxJsxTextElement') {
    if (figures(node) !== undefined) return true;
    return isPlainTag(node) && (node.children ?? []).every((child) => isPlain(child, figures));
  }
  if (node.type !== 'element') return false;
  const tag = node.tagName!;
  if (!BLOCKS.has(tag) && !INLINE.has(tag)) return false;
  if (!allowedProperties(node)) return false;
  const href = String(node.properties?.href ?? '');
  if (tag === 'a' && !EXTERNAL.test(href) && !INTERNAL.test(href)) return false;
  return (node.children ?? []).every((child) => isPlain(child, figures));
}

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

/** The attributes React gives the element, in the order it gives them. */
function attributes(node: HastNode): [string, string][] {
  const p = node.properties ?? {};
  const out: [string, string][] = [];
  const tag = node.tagName!;
  if (tag === 'a' && INTERNAL.test(String(p.href))) {
    out.push(['class', ''], ['href', String(p.href)]);
    if (p.title != null) out.push(['title', String(p.title)]);
  } else if (tag === 'a') {
    out.push(['href', String(p.href)], ['target', '_blank'], ['rel', 'noopener noreferrer']);
    if (p.title != null) out.push(['title', String(p.title)]);
    out.push(['class', '']);
  } else if (tag === 'li') out.push(['class', '']);
  else if (tag === 'ol' && p.start != null) out.push(['start', String(p.start)]);
  // MDX turns a table cell's align into style (hast-util-to-estree's tableCellAlignToStyle).
  else if ((tag === 'th' || tag === 'td') && p.align != null)
    out.push(['style', `text-align:${String(p.align)}`]);
  return out;
}

const VOID = new Set(['br']);

/** The node as HTML, as React would render it. */
export function toHtml(node: HastNode, figures: Figures): string {
  if (node.type === 'text') return escapeText(node.value ?? '');
  if (node.type === 'mdxJsxTextElement') {
    return isPlainTag(node)
      ? `<${node.name}>${innerHtml(node, figures)}</${node.name}>`
      : figures(node)!;
  }
  const attrs = attributes(node)
    .map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`)
    .join('');
  if (VOID.has(node.tagName!)) return `<${node.tagName}${attrs}>`;
  return `<${node.tagName}${attrs}>${innerHtml(node, figures)}</${node.tagName}>`;
}

/** Elements whose line breaks between children MDX drops (hast-util-to-estree: no text in a table's rows). */
const TABLE_PARTS = new Set(['table', 'thead', 'tbody', 'tfoot', 'tr']);

const innerHtml = (node: HastNode, figures: Figures) =>
  (node.children ?? [])
    .filter((c) => !(TABLE_PARTS.has(node.tagName!) && c.type === 'text' && c.value === '\n'))
    .map((c) => toHtml(c, figures))
    .join('');

/**
 * <Figure chapter path digits? unit? /> as its component renders it (<strong>42</strong>), read from
 * the chapter's recorded run (src/components/Figures): the same figureText(), so a path the run did
 * not record fails the build here as it would there. A Figure with anything else, or of a chapter
 * with no run yet (its "not measured" placeholder), stays JSX. And <Constant chapter name digits?
 * unit? /> as its component renders it (the number, no markup), read from the chapter's constants
 * (src/components/Figures/constants): the same constantValue(), so a name the notebook does not
 * set fails the build here as it would there.
 */
function figuresOf(siteDir: string): Figures {
  // Read again when the file changes: `npm start` rebuilds after `npm run notebook-pages`.
  const files = new Map<string, unknown>();
  const read = <T>(dir: string, chapter: string): T | undefined => {
    const file = join(siteDir, 'src/components/Figures', dir, `${chapter}.json`);
    if (!/^[0-9]{2}-[a-z0-9-]+$/.test(chapter) || !existsSync(file)) return undefined;
    const version = `${file}@${statSync(file).mtimeMs}`;
    if (!files.has(version)) files.set(version, JSON.parse(readFileSync(file, 'utf8')));
    return files.get(version) as T;
  };
  /** Which attributes each component takes as plain values; the build gives each its file too. */
  const TAKES = {
    Figure: { given: 'record', text: ['chapter', 'path', 'unit'] },
    Constant: { given: 'constants', text: ['chapter', 'name', 'unit'] },
  } as const;
  return (node) => {
    if (node.name !== 'Figure' && node.name !== 'Constant') return undefined;
    const takes = TAKES[node.name];
    const props: {
      chapter?: string;
      path?: string;
      name?: string;
      unit?: string;
      digits?: number;
    } = {};
    for (const attribute of (node.attributes ?? []) as {
      type: string;
      name?: string;
      value?: unknown;
    }[]) {
      const { name, value } = attribute;
      const expression = (value as { value?: unknown } | null)?.value;
      if (attribute.type !== 'mdxJsxAttribute') return undefined;
      if (name === takes.given) continue; // given by remark-records, for the component
      if ((takes.text as readonly string[]).includes(name!) && typeof value === 'string')
        props[name as 'chapter' | 'path' | 'name' | 'unit'] = value;
      else if (name === 'digits' && typeof expression === 'string' && /^\d+$/.test(expression))
        props.digits = Number(expression);
      else return undefined;
    }
    if (!props.chapter) return undefined;
    if (node.name === 'Constant') {
      const set = props.name && read<NotebookConstants[string]>('constants', props.chapter);
      if (!set) return undefined;
      const constants = { [props.chapter]: set };
      return escapeText(formatFigure(constantValue(constants, props.chapter, props.name!), props));
    }
    if (!props.path) return undefined;
    const found = read<FigureRecord>('runs', props.chapter);
    const run = found && chapterRun([found], props.chapter);
    if (!run) return undefined;
    return `<strong>${escapeText(figureText(run, props.path, props))}</strong>`;
  };
}

// Hand-built ESTree: MDX compiles what a rehype plugin gives it as estree, not as source text.
const id = (name: string) => ({ type: 'Identifier', name });
const literal = (value: string) => ({ type: 'Literal', value, raw: JSON.stringify(value) });
const call = (callee: unknown, args: unknown[]) => ({
  type: 'CallExpression',
  callee,
  arguments: args,
  optional: false,
});
const member = (object: unknown, name: string) => ({
  type: 'MemberExpression',
  object,
  property: id(name),
  computed: false,
  optional: false,
});
const program = (body: unknown[]) => ({
  type: 'Program',
  sourceType: 'module',
  comments: [],
  body,
});

/** process.env.STATELAB_SERVER_RENDER ? "<html>" : _prose("key"), and for a block with links into
 *  the site, _linked(["/docs/…"], "<html>") on the server. */
const serverOrClient = (html: string, key: string, links: string[]) => ({
  type: 'ConditionalExpression',
  test: member(member(id('process'), 'env'), 'STATELAB_SERVER_RENDER'),
  consequent:
    links.length === 0
      ? literal(html)
      : call(id('_linked'), [
          { type: 'ArrayExpression', elements: links.map(literal) },
          literal(html),
        ]),
  alternate: call(id('_prose'), [literal(key)]),
});

/** The links into the site inside node. */
const internalLinks = (node: HastNode): string[] =>
  node.tagName === 'a' && INTERNAL.test(String(node.properties?.href))
    ? [String(node.properties?.href)]
    : (node.children ?? []).flatMap(internalLinks);

/** The block as <tag data-prose={key} dangerouslySetInnerHTML={{ __html: … }} />, an element MDX
 *  compiles as its own (so an <li> still goes through Docusaurus's MDXLi, a <ul> through MDXUl). */
function asStatic(node: HastNode, key: string, html: string): HastNode {
  const object = {
    type: 'ObjectExpression',
    properties: [
      {
        type: 'Property',
        key: id('__html'),
        value: serverOrClient(html, key, internalLinks(node)),
        kind: 'init',
        method: false,
        shorthand: false,
        computed: false,
      },
    ],
  };
  const props = attributes(node)
    .filter(([name]) => name !== 'class')
    .map(([name, value]) => ({ type: 'mdxJsxAttribute', name, value }));
  return {
    type: 'mdxJsxFlowElement',
    name: node.tagName,
    attributes: [
      ...props,
      { type: 'mdxJsxAttribute', name: 'data-prose', value: key },
      {
        type: 'mdxJsxAttribute',
        name: 'dangerouslySetInnerHTML',
        value: {
          type: 'mdxJsxAttributeValueExpression',
          value: '{__html: …}',
          data: { estree: program([{ type: 'ExpressionStatement', expression: object }]) },
        },
      },
    ],
    children: [],
  };
}

/** import { proseOf as _proseOf, linked as _linked } from client;
 *  const _prose = _proseOf(page, () => import("data:application/json,{…}")); */
function header(client: string, page: string, texts: Record<string, string>): HastNode {
  const data = `data:application/json,${encodeURIComponent(JSON.stringify(texts))}`;
  const body = [
    {
      type: 'ImportDeclaration',
      specifiers: [
        { type: 'ImportSpecifier', imported: id('proseOf'), local: id('_proseOf') },
        { type: 'ImportSpecifier', imported: id('linked'), local: id('_linked') },
      ],
      source: literal(client),
      attributes: [],
    },
    {
      type: 'VariableDeclaration',
      kind: 'const',
      declarations: [
        {
          type: 'VariableDeclarator',
          id: id('_prose'),
          init: call(id('_proseOf'), [
            literal(page),
            {
              type: 'ArrowFunctionExpression',
              params: [],
              body: { type: 'ImportExpression', source: literal(data) },
              expression: true,
              async: false,
              generator: false,
              id: null,
            },
          ]),
        },
      ],
    },
  ];
  return { type: 'mdxjsEsm', value: '', data: { estree: program(body) } };
}

/** A page's key: a short hash of its path in the site, so keys never meet across pages. */
export const pageKey = (path: string) =>
  'p' + createHash('sha256').update(path.split('\\').join('/')).digest('hex').slice(0, 6);

export default function rehypeStaticProse(options: Options) {
  const figures = figuresOf(options.siteDir);
  // Two pages with one key would show each other's words: the build stops instead.
  const pages = new Map<string, string>();
  return (tree: HastNode, file: { path?: string }) => {
    const path = file.path ? relative(options.siteDir, file.path) : '';
    const page = pageKey(path);
    if ((pages.get(page) ?? path) !== path)
      throw new Error(`rehype-static-prose: ${path} and ${pages.get(page)} have one key, ${page}`);
    pages.set(page, path);
    const texts: Record<string, string> = {};
    const visit = (node: HastNode) => {
      node.children = node.children?.map((child) => {
        if (child.type === 'element' && BLOCKS.has(child.tagName!)) {
          // A cell with align keeps its style as JSX (React takes style as an object).
          if (isPlain(child, figures) && child.properties?.align == null) {
            const key = `${page}-${Object.keys(texts).length.toString(36)}`;
            texts[key] = innerHtml(child, figures);
            return asStatic(child, key, texts[key]);
          }
          visit(child);
        } else if (
          (child.type === 'element' && child.tagName !== 'pre') ||
          (child.type === 'mdxJsxFlowElement' && CONTAINERS.has(child.name ?? ''))
        )
          visit(child);
        return child;
      });
    };
    visit(tree);
    if (Object.keys(texts).length > 0)
      tree.children = [header(options.client, page, texts), ...(tree.children ?? [])];
  };
}
