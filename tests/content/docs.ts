// Reads the course's doc pages for the content tests: their files, front matter, ids,
// Mermaid blocks and imported code regions. Pure reading: nothing here writes a file.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const DOCS_DIR = join(ROOT, 'docs');

export interface DocPage {
  /** Path from the repository root, e.g. docs/01-request-path.mdx */
  file: string;
  text: string;
  frontMatter: Record<string, string>;
  /** The id Docusaurus gives the page: front matter `id`, else the file name without its NN- prefix. */
  id: string;
  /** The NN in NN-slug, or undefined when the name has no number prefix. */
  number: number | undefined;
}

/** Every .md/.mdx page under docs/, sorted by path (so NN-slug names sort in course order). */
export function listDocs(dir = DOCS_DIR): DocPage[] {
  const files = (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => /\.mdx?$/.test(f))
    .sort();
  return files.map((f) => readDoc(join(dir, f), dir));
}

export function readDoc(path: string, docsDir = DOCS_DIR): DocPage {
  const text = readFileSync(path, 'utf8');
  const frontMatter = parseFrontMatter(text);
  const segments = relative(docsDir, path)
    .replace(/\.mdx?$/, '')
    .split(sep);
  const name = segments.at(-1)!;
  // Docusaurus strips number prefixes ("01-request-path" → "request-path") from ids and URLs.
  const stripped = segments.map((s) => s.replace(/^\d+[-_.]+/, '')).join('/');
  const prefix = /^(\d+)[-_.]+/.exec(name);
  return {
    file: relative(ROOT, path).split(sep).join('/'),
    text,
    frontMatter,
    id: frontMatter.id ?? stripped,
    number: prefix ? Number(prefix[1]) : undefined,
  };
}

/** The `key: value` lines of a leading `---` block; values unquoted. Enough for title/description/id. */
export function parseFrontMatter(text: string): Record<string, string> {
  const block = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
  if (!block) return {};
  const fields: Record<string, string> = {};
  for (const line of block[1].split(/\r?\n/)) {
    const field = /^([A-Za-z_][\w-]*):\s*(.*)$/.exec(line);
    if (field) fields[field[1]] = field[2].trim().replace(/^(['"])(.*)\1$/, '$2');
  }
  return fields;
}

export interface MermaidBlock {
  /** 1-based line of the opening fence. */
  line: number;
  code: string;
}

/** Every ```mermaid fenced block in a page. */
export function mermaidBlocks(text: string): MermaidBlock[] {
  const blocks: MermaidBlock[] = [];
  const fence = /^(`{3,}|~{3,})mermaid\b[^\n]*\n([\s\S]*?)^\1[ \t]*$/gm;
  for (const match of text.matchAll(fence)) {
    blocks.push({ line: text.slice(0, match.index).split('\n').length, code: match[2] });
  }
  return blocks;
}

export interface CodeRegionUse {
  /** The `file` prop: the path shown as the code block's title, from the repository root. */
  file: string;
  region: string | undefined;
  /** Whether the page gives it code itself (source={…} or code={…}) instead of leaving it to the build. */
  givesCode: boolean;
}

/** Every `<CodeRegion file="…" region="…" />` in a page. */
export function codeRegionUses(text: string): CodeRegionUse[] {
  return [...text.matchAll(/<CodeRegion\b([^>]*)\/>/g)].map((m) => {
    const attr = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(m[1])?.[1];
    return {
      file: attr('file') ?? '',
      region: attr('region'),
      givesCode: /\b(source|code)=/.test(m[1]),
    };
  });
}

/** Repository paths written in inline code, e.g. `notebooks/01-request-path.ipynb`. */
export function repoPaths(text: string): string[] {
  const paths = [...text.matchAll(/`((?:notebooks|tools|tests|src|docs)\/[\w./-]*)`/g)].map(
    (m) => m[1],
  );
  return [...new Set(paths)];
}
