// No measured figure is typed by hand. Every number a reader sees in a chapter (docs/NN-*.mdx: prose,
// tables, admonitions, quiz strings, a <FigureTable>'s labels) or in a notebook's Markdown cells is
// one of:
//   (a) rendered from the run: <Figure …/> and <FigureTable …/> are tags, and tags are not prose;
//   (b) a number the code sets or checks: a literal (or a number inside a string) in the chapter's
//       notebook code cells, in notebooks/lab/**/*.ts, in notebooks/deploy/ (outside # comments), or
//       in the chapter's solution and checks (notebooks/solutions/NN-slug.ts, tests/exercises/
//       NN-slug.*; not the starter, the reader's to rewrite). That covers inputs (20 users, 5,000
//       writes, a 100 ms timeout) and values the notebook asserts exactly with claim(…, 0 …).
//       Comments do not count. A page with no notebook of its own (00-*, 08-*) may use any
//       notebook's numbers;
//   (c) a reference, by pattern (REFERENCES in ./prose-numbers.ts): RFC NNNN, §x.y, chapter /
//       ch. / exercise / experiment / section / step / factor / notebook / part / question N
//       (and lists: "chapters 2, 3 and 6"), an HTTP status code named as one ("answers 401",
//       "a 502", "503 Service Unavailable", "200, 404 and 400" in a sentence that names one),
//       a status class (5xx), an ordered-list marker or numbered heading, a year ("(2000)",
//       "in 2017"), a version next to a product name ("Redis 7.0", "Node 20, 22 or 24", "TLS 1.3").
// Numbers are compared in canonical form: 5,000 = 5000 = 5_000 = 5 000, "0.50" = "0.5", and a
// unit-ish number ("30-minute", "100 ms", "100ms") is its digits. Not prose at all: code spans,
// fenced code (Mermaid included), import/export lines, JSX tag names and attribute values
// (<Figure …/>, <CodeRegion …/>), {…} expressions other than their strings, link targets and URLs,
// digits inside a word or name (app-1, p50, IPv4, SHA-256) and NN-slug names (01-request-path).
// To fix a failure: render the number with <Figure>, or make the notebook set it or assert it
// (then the literal is in its code), or, if it is a reference, write it the way a pattern reads it.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './docs';
import {
  canonical,
  codeNumbers,
  configNumbers,
  handTyped,
  proseNumbers,
  proseOf,
  type ProseNumber,
} from './prose-numbers';

const NOTEBOOKS = join(ROOT, 'notebooks');
const read = (path: string) => readFileSync(path, 'utf8');
const filesUnder = (dir: string): string[] =>
  existsSync(dir)
    ? (readdirSync(dir, { recursive: true }) as string[]).map((f) => join(dir, f)).sort()
    : [];

interface Cell {
  id?: string;
  cell_type: string;
  source: string | string[];
}
const cellsOf = (slug: string): Cell[] =>
  (JSON.parse(read(join(NOTEBOOKS, `${slug}.ipynb`))) as { cells: Cell[] }).cells;
const sourceOf = (cell: Cell) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source);

const notebookSlugs = readdirSync(NOTEBOOKS)
  .filter((n) => /^\d\d-[\w-]+\.ipynb$/.test(n))
  .map((n) => basename(n, '.ipynb'))
  .sort();
const chapterFiles = readdirSync(join(ROOT, 'docs'))
  .filter((n) => /^\d\d-[\w-]+\.mdx?$/.test(n))
  .sort();
/** Every NN-slug name: such a name in prose names a chapter, it does not measure anything. */
const SLUGS = new Set([...notebookSlugs, ...chapterFiles.map((n) => n.replace(/\.mdx?$/, ''))]);

/** Numbers every chapter may quote: the lab's code and the deploy configs. */
const shared = new Set<string>();
for (const file of filesUnder(join(NOTEBOOKS, 'lab')).filter((f) => f.endsWith('.ts'))) {
  codeNumbers(read(file), shared);
}
for (const file of filesUnder(join(NOTEBOOKS, 'deploy'))) {
  if (/\.(conf|cfg|ya?ml)$/.test(file)) configNumbers(read(file), shared);
}

/** The numbers a chapter's code sets: shared, its notebook's code cells, solution and checks. */
function chapterCode(slug: string): Set<string> {
  const numbers = new Set(shared);
  if (!notebookSlugs.includes(slug)) {
    for (const other of notebookSlugs) chapterNotebookCode(other, numbers);
    return numbers;
  }
  return chapterNotebookCode(slug, numbers);
}

function chapterNotebookCode(slug: string, into: Set<string>): Set<string> {
  for (const cell of cellsOf(slug))
    if (cell.cell_type === 'code') codeNumbers(sourceOf(cell), into);
  // Not notebooks/exercises/: the reader edits those files, and no edit of theirs may fail this.
  const exerciseFiles = [
    join(NOTEBOOKS, 'solutions', `${slug}.ts`),
    ...filesUnder(join(ROOT, 'tests', 'exercises')).filter((f) =>
      basename(f).startsWith(`${slug}.`),
    ),
  ];
  for (const file of exerciseFiles) if (existsSync(file)) codeNumbers(read(file), into);
  return into;
}

function explain(where: string, n: ProseNumber, slug: string): string {
  return (
    `${where}: "${n.text}" is typed by hand: no run produces it. Render it with ` +
    `<Figure chapter="${slug}" path="…" />, or make notebooks/${slug}.ipynb set it (an input) or ` +
    `assert it with claim(); if it is a reference, write it as one (see the header of ` +
    `tests/content/prose-numbers.test.ts).\n    > ${n.context}`
  );
}

describe('the scanner', () => {
  const code = (text: string) => codeNumbers(text);

  it('reports a typed result that no code sets, and only that', () => {
    const found = handTyped('2,909 of 5,000 writes were lost.', code('const writes = 5_000;'));
    expect(found.map((n) => [n.text, n.value])).toEqual([['2,909', '2909']]);
  });

  it('passes an input the notebook sets, and a value it asserts with claim()', () => {
    expect(handTyped('Then 20 users shop.', code('createUsers(20, lb.url);'))).toEqual([]);
    expect(handTyped('Then 20 users shop.', code('createUsers(21, lb.url);'))).toHaveLength(1);
    const asserted = code("claim(s.unknown === 0 && lost === 40, 'exactly 40 users were lost');");
    expect(handTyped('Exactly 40 users lost their carts; unknown stays 0.', asserted)).toEqual([]);
  });

  it('passes what <Figure> and <FigureTable> render, and reads their labels as prose', () => {
    const page =
      'It lasted <Figure chapter="07-x" path="a.b" digits={1} unit="ms" /> of\n' +
      '<FigureTable chapter="07-x" rows="rows" columns={[{ label: "p50 ms (8 in flight)", key: "p50", digits: 3 }]} />';
    expect(handTyped(page, code('')).map((n) => [n.line, n.text])).toEqual([[2, '8']]);
  });

  it('reads quiz strings as prose, and not the attribute values of a tag', () => {
    const quiz =
      '<Quiz\n  chapter="03"\n  questions={[\n    { prompt: "Of 120 users, how many log in again?", why: "`sid=42`" },\n  ]}\n/>';
    expect(handTyped(quiz, code('')).map((n) => [n.line, n.text])).toEqual([[4, '120']]);
  });

  it('normalises 5,000, 5000, 5_000 and a unit-ish "30-minute" or "100 ms" to their digits', () => {
    expect(['5,000', '5000', '5_000', '5\u202f000', '0.50', '007'].map(canonical)).toEqual([
      '5000',
      '5000',
      '5000',
      '5000',
      '0.5',
      '7',
    ]);
    const found = proseNumbers('A 30-minute TTL, a 100 ms timeout, 100ms again.');
    expect(found.map((n) => n.value)).toEqual(['30', '100', '100']);
  });

  it('ignores code, Mermaid, imports, comments, link targets, URLs, names and slugs', () => {
    const page = [
      "import x from '!!raw-loader!@site/notebooks/lab/x2.ts';",
      'Run `npm run check 01` and see [RFC text](https://www.rfc-editor.org/rfc/rfc6265#section-5.3).',
      '```mermaid',
      'flowchart LR',
      '  app-1 -->|"40 users"| app-2',
      '```',
      '## Heading {/* #heading-2 */}',
      'app-1, p50, IPv4, SHA-256 and 01-request-path at http://127.0.0.1:3000/products/2 or localhost:8080.',
    ].join('\n');
    expect(proseNumbers(proseOf(page), new Set(['01-request-path']))).toEqual([]);
  });

  it('knows references by pattern, and only those', () => {
    const refs = [
      'RFC 6265 and RFCs 9110 and 9111, §5.1.3.',
      'Chapter 3, chapters 2, 3 and 6, ch. 4, exercise 01, experiment 5, step 2, factor 9.',
      "Fielding's dissertation, section 5.1.3.",
      'app-1 answers 401 at once; a 502 after the proxy forwarded; 503 Service Unavailable.',
      'Answer 200 with the product, 404 when there is none and 400 for anything else.',
      'Every 5xx is a server error.',
      '1. First item',
      '## 2. A numbered heading',
      "Fielding's dissertation (2000), written in 2000.",
      'Node 20, 22 or 24; Redis 7.0+; TLS 1.3 and HTTP/1.1.',
    ];
    for (const line of refs) expect(proseNumbers(line), line).toEqual([]);
    const quantities = [
      'chapter 3 and 20 users', // a list of chapters does not swallow a count
      'the 200 users', // a status-code number followed by a count noun is a count
      'answers 401 in 200 ms',
      'in 2000 requests',
    ];
    expect(quantities.map((line) => proseNumbers(line).map((n) => n.text))).toEqual([
      ['20'],
      ['200'],
      ['200'],
      ['2000'],
    ]);
  });

  it('reads numbers from code but not from its comments', () => {
    const numbers = code(
      '// 2909 users were lost\n/* 77 */ const n = 5_000; console.log(`${n} of 40 users on app-3`);',
    );
    expect([...numbers].sort()).toEqual(['40', '5000']);
  });
});

describe('chapters quote no figure typed by hand', () => {
  it.each(chapterFiles)('docs/%s', (name) => {
    const slug = name.replace(/\.mdx?$/, '');
    const found = handTyped(read(join(ROOT, 'docs', name)), chapterCode(slug), SLUGS);
    const messages = found.map((n) => explain(`docs/${name}:${n.line}`, n, slug));
    expect([...new Set(messages)]).toEqual([]);
  });
});

describe("notebooks' Markdown quotes no figure typed by hand", () => {
  it.each(notebookSlugs)('notebooks/%s.ipynb', (slug) => {
    const numbers = chapterCode(slug);
    const found = cellsOf(slug)
      .filter((cell) => cell.cell_type === 'markdown')
      .flatMap((cell) =>
        handTyped(sourceOf(cell), numbers, SLUGS).map((n) =>
          explain(`notebooks/${slug}.ipynb (cell "${cell.id}", line ${n.line})`, n, slug),
        ),
      );
    expect([...new Set(found)]).toEqual([]);
  });
});
