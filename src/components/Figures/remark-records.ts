// Gives each component that quotes a recorded run the one record it quotes, at build time, so a page
// bundles its own chapter's record and no other. The bundler puts what a page's MDX requires into
// that page's chunk; a module that loaded every record (require.context over ./runs, as records.ts
// once did) put every chapter's figures, charts and outputs into every chapter and notebook page.
//
//   <Figure chapter="06-state-that-remains" path="…" />     (also FigureTable, FigureChart)
//     gains record={require("@site/src/components/Figures/runs/06-state-that-remains.json")}
//   <Constant chapter="07-price-of-statelessness" name="TTL_MS" />
//     gains constants={require("@site/src/components/Figures/constants/07-price-of-statelessness.json")}
//   <NotebookOutputs notebook="03-stateful-servers" … />     (also NotebookRunInfo)
//     gains record={require("@site/src/components/NotebookOutput/runs/03-stateful-servers.json")}
//
// The record goes through ./record-loader.cjs, which keeps in the page's bundle what the page renders:
// a chapter page gets the figures at the paths its components name (path=, rows=, name=, a quiz's
// output paths) and no other, a notebook page its outputs without the chapter's figures.
//
// A chapter page and its notebook page still quote one run: both files are written from the same run
// by `npm run notebook-pages` (tools/recorded-runs.ts). With no record file (no run yet) the prop is
// null and the component shows its "not measured" placeholder; a new record file needs a new build
// (or a restart of `npm start`), which the placeholder says. A component without the prop (a page
// this plugin did not see) throws: it cannot quietly show "not measured" for a run that exists.
//
// A run that displayed a Mermaid diagram it has no drawing of (recorded without Chromium) also gives
// <NotebookOutputs> drawInBrowser={DiagramInBrowser}, which that page alone imports
// (src/diagrams/in-browser.ts).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { IN_BROWSER, importInBrowser } from '../../diagrams/in-browser';
import { drawsInBrowser, type RunRecord } from '../NotebookOutput/run';

export interface MdNode {
  type: string;
  name?: string | null;
  attributes?: { type: string; name?: string; value?: unknown }[];
  children?: MdNode[];
  position?: { start: { line: number } };
  [key: string]: unknown;
}

/** Which attribute names the record, which prop receives it, and the folder of the records. */
interface Quote {
  key: 'chapter' | 'notebook';
  prop: 'record' | 'constants';
  dir: string;
  /** The attribute is the chapter's number ("03"), not its slug: the record is the one file of that
   *  number in dir (a <Quiz>, whose output questions quote its chapter's run). */
  byNumber?: boolean;
  /** What ./record-loader.cjs keeps of the record for the page: see there. */
  slice?: 'figures' | 'outputs';
}

const FIGURE_RUNS: Quote = {
  key: 'chapter',
  prop: 'record',
  dir: 'src/components/Figures/runs',
  slice: 'figures',
};
const NOTEBOOK_RUNS: Quote = {
  key: 'notebook',
  prop: 'record',
  dir: 'src/components/NotebookOutput/runs',
  slice: 'outputs',
};

/** The attribute of a component that names the figure it shows, where it names one. */
const FIGURE_PATH: Record<string, string> = {
  Figure: 'path',
  FigureTable: 'rows',
  FigureChart: 'name',
};

const RECORD_LOADER = join(__dirname, 'record-loader.cjs');

/** The components that quote a run, by the name a page uses for them. */
export const QUOTES: Record<string, Quote> = {
  Figure: FIGURE_RUNS,
  FigureTable: FIGURE_RUNS,
  FigureChart: FIGURE_RUNS,
  Constant: { key: 'chapter', prop: 'constants', dir: 'src/components/Figures/constants' },
  NotebookOutputs: NOTEBOOK_RUNS,
  NotebookRunInfo: NOTEBOOK_RUNS,
  Quiz: { ...FIGURE_RUNS, byNumber: true },
};

/** A JSX attribute whose value is the expression `require("<path>")` (MDX wants its estree too). */
export function requireAttribute(name: string, path: string) {
  const call = {
    type: 'CallExpression',
    callee: { type: 'Identifier', name: 'require' },
    arguments: [{ type: 'Literal', value: path, raw: JSON.stringify(path) }],
    optional: false,
  };
  return expressionAttribute(name, `require(${JSON.stringify(path)})`, call);
}

/** A JSX attribute whose value is the component the page imported as `name`. */
const componentAttribute = (prop: string, name: string) =>
  expressionAttribute(prop, name, { type: 'Identifier', name });

/** A JSX attribute whose value is `null`: no record to give. */
const nullAttribute = (name: string) =>
  expressionAttribute(name, 'null', { type: 'Literal', value: null, raw: 'null' });

function expressionAttribute(name: string, source: string, expression: object) {
  return {
    type: 'mdxJsxAttribute',
    name,
    value: {
      type: 'mdxJsxAttributeValueExpression',
      value: source,
      data: {
        estree: {
          type: 'Program',
          sourceType: 'module',
          comments: [],
          body: [{ type: 'ExpressionStatement', expression }],
        },
      },
    },
  };
}

/** NN-slug: what a record file may be named (no path separators, no dots). */
const SLUG = /^[0-9]{2}-[a-z0-9-]+$/;
/** NN: a chapter's number. */
const NUMBER = /^[0-9]{2}$/;

/** The slug of the one record in dir whose name starts with the chapter's number, if there is one. */
function slugOfNumber(siteDir: string, dir: string, value: unknown): string | undefined {
  if (typeof value !== 'string' || !NUMBER.test(value) || !existsSync(join(siteDir, dir))) return;
  const names = readdirSync(join(siteDir, dir)).filter(
    (name) => name.startsWith(`${value}-`) && name.endsWith('.json'),
  );
  return names.length === 1 ? names[0].replace(/\.json$/, '') : undefined;
}

interface EstreeNode {
  type: string;
  [key: string]: unknown;
}

/** Every `output: { path: "…" }` in a quiz's questions; undefined when one is not written so. */
function quizPaths(questions: unknown): string[] | undefined {
  const estree = (questions as { data?: { estree?: EstreeNode } } | undefined)?.data?.estree;
  if (!estree) return undefined;
  const paths: string[] = [];
  let unreadable = false;
  const name = (key: unknown) => {
    const k = key as { type: string; name?: string; value?: unknown };
    return k.type === 'Identifier' ? k.name : k.value;
  };
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const n = node as EstreeNode;
    if (n.type === 'Property' && name(n.key) === 'output') {
      const value = n.value as EstreeNode;
      const path =
        value.type === 'ObjectExpression'
          ? (value.properties as EstreeNode[]).find(
              (p) => p.type === 'Property' && name(p.key) === 'path',
            )
          : undefined;
      const literal = path?.value as { type: string; value?: unknown } | undefined;
      if (literal?.type === 'Literal' && typeof literal.value === 'string')
        paths.push(literal.value);
      else unreadable = true;
    }
    for (const [key, child] of Object.entries(n)) if (key !== 'loc' && key !== 'range') walk(child);
  };
  walk(estree);
  return unreadable ? undefined : paths;
}

/** The figure paths a component shows: [] for none, undefined when the page does not say them plainly. */
function figurePaths(node: MdNode): string[] | undefined {
  const attribute = (name: string) => node.attributes?.find((a) => a.name === name)?.value;
  if (node.name === 'Quiz') return quizPaths(attribute('questions'));
  const name = node.name ? FIGURE_PATH[node.name] : undefined;
  if (!name) return [];
  const value = attribute(name);
  return typeof value === 'string' ? [value] : undefined;
}

export default function remarkRecords({ siteDir }: { siteDir: string }) {
  return (tree: MdNode, file: { path?: string }) => {
    const uses: { node: MdNode; quote: Quote; path: string | undefined }[] = [];
    /** Per record file of this page: whether its run has a diagram to draw in the browser. */
    const inBrowser = new Map<string, boolean>();
    const needsBrowser = (path: string) => {
      if (!inBrowser.has(path))
        inBrowser.set(
          path,
          drawsInBrowser(
            JSON.parse(readFileSync(join(siteDir, path), 'utf8')) as Partial<RunRecord>,
          ),
        );
      return inBrowser.get(path)!;
    };
    let drawing = false;
    const visit = (node: MdNode) => {
      const quote = node.name ? QUOTES[node.name] : undefined;
      if (quote && (node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement')) {
        const where = `${relative(siteDir, file.path ?? '?')}:${node.position?.start.line ?? '?'}`;
        const attributes = node.attributes ?? [];
        const named = attributes.find((a) => a.type === 'mdxJsxAttribute' && a.name === quote.key);
        const value = named?.value;
        const slug = quote.byNumber ? slugOfNumber(siteDir, quote.dir, value) : value;
        if (typeof value !== 'string' || !(quote.byNumber ? NUMBER : SLUG).test(value))
          throw new Error(
            `${where}: <${node.name}> needs ${quote.key}="${quote.byNumber ? 'NN' : 'NN-slug'}" as a plain string, so the build can give it that notebook's record`,
          );
        if (attributes.some((a) => a.name === quote.prop))
          throw new Error(
            `${where}: <${node.name}> gets its ${quote.prop} from the build (src/components/Figures/remark-records.ts); remove ${quote.prop}=`,
          );
        const relativePath = `${quote.dir}/${slug}.json`;
        const exists = slug !== undefined && existsSync(join(siteDir, relativePath));
        uses.push({ node, quote, path: exists ? relativePath : undefined });
      }
      node.children?.forEach(visit);
    };
    visit(tree);

    // Every component on the page that quotes one record gets the same slice of it: one module.
    const figures = new Map<string, Set<string> | undefined>();
    for (const { node, quote, path } of uses) {
      if (quote.slice !== 'figures' || path === undefined) continue;
      const paths = figurePaths(node);
      const known = figures.has(path) ? figures.get(path) : new Set<string>();
      figures.set(path, paths && known ? new Set([...known, ...paths]) : undefined);
    }
    for (const { node, quote, path } of uses) {
      const kept = path === undefined ? undefined : figures.get(path);
      const query =
        quote.slice === 'outputs'
          ? '?outputs'
          : quote.slice === 'figures' && kept
            ? `?figures=${[...kept].sort().map(encodeURIComponent).join(',')}`
            : '';
      node.attributes = [
        ...(node.attributes ?? []),
        path === undefined
          ? nullAttribute(quote.prop)
          : requireAttribute(
              quote.prop,
              quote.slice ? `!!${RECORD_LOADER}!@site/${path}${query}` : `@site/${path}`,
            ),
      ];
      if (path !== undefined && node.name === 'NotebookOutputs' && needsBrowser(path)) {
        node.attributes.push(componentAttribute('drawInBrowser', IN_BROWSER));
        drawing = true;
      }
    }
    if (drawing) importInBrowser(tree);
  };
}
