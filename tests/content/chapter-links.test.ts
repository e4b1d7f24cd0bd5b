// The reader finds each chapter from the intro's table, and a link that names a chapter goes to it:
// every chapter (a doc page with a notebook) is a row of the table, its title a link to its page,
// and a link whose text holds a chapter's title (on any page) points at that chapter's file.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listDocs, ROOT } from './docs';

interface Chapter {
  number: number;
  file: string; // 06-state-that-remains.mdx
  title: string;
}

const notebooks = readdirSync(join(ROOT, 'notebooks')).filter((n) => n.endsWith('.ipynb'));
const docs = listDocs();
const chapters: Chapter[] = docs
  .filter((d) => notebooks.includes(d.file.replace(/^docs\/(.*)\.mdx?$/, '$1.ipynb')))
  .map((d) => ({
    number: d.number!,
    file: d.file.slice('docs/'.length),
    title: d.frontMatter.title,
  }));

/** Rows of the table under "## The chapters" whose chapter cell does not link the chapter's page. */
function tableProblems(intro: string, all: Chapter[]): string[] {
  const section = intro.split(/^## The chapters.*$/m)[1]?.split(/^## /m)[0] ?? '';
  const rows = new Map(
    [...section.matchAll(/^\|\s*(\d+)\s*\|([^|]*)\|/gm)].map((m) => [Number(m[1]), m[2].trim()]),
  );
  return all.flatMap((c) => {
    const cell = rows.get(c.number);
    if (cell === undefined) return [`chapter ${c.number} (${c.file}) has no row`];
    return new RegExp(`^\\[[^\\]]+\\]\\(\\./${c.file}\\)$`).test(cell)
      ? []
      : [`row ${c.number} is "${cell}", not a link to ./${c.file}`];
  });
}

/** Links whose text names a chapter by its title but point somewhere else. */
function misdirectedLinks(text: string, all: Chapter[]): string[] {
  return [...text.matchAll(/\[([^\]]+)\]\(([^)\s]+)\)/g)].flatMap(([link, words, target]) =>
    all
      .filter((c) => words.toLowerCase().includes(c.title.toLowerCase()))
      .filter((c) => !target.replace(/#.*$/, '').endsWith(c.file))
      .map((c) => `${link} names "${c.title}" but does not go to ${c.file}`),
  );
}

describe('links to the chapters', () => {
  it('finds the chapters: the pages with a notebook', () => {
    expect(chapters.length).toBe(notebooks.length);
  });

  it("the intro's table links every chapter to its page", () => {
    const intro = docs.find((d) => d.file === 'docs/00-intro.mdx')!;
    expect(tableProblems(intro.text, chapters)).toEqual([]);
  });

  it.each(docs.map((d) => [d.file, d.text]))(
    '%s: a link that names a chapter goes to that chapter',
    (_file, text) => {
      expect(misdirectedLinks(text, chapters)).toEqual([]);
    },
  );
});

describe('the checks themselves', () => {
  const two: Chapter[] = [
    { number: 1, file: '01-a.mdx', title: 'The request path' },
    { number: 6, file: '06-b.mdx', title: 'The state that remains' },
  ];

  it('catch a chapter row without a link, and a missing row', () => {
    const intro = '## The chapters\n\n| # | Chapter |\n| 1 | [The request path](./01-a.mdx) |\n';
    expect(tableProblems(intro + '| 6 | The state that remains |\n', two)).toEqual([
      'row 6 is "The state that remains", not a link to ./06-b.mdx',
    ]);
    expect(tableProblems(intro, two)).toEqual(['chapter 6 (06-b.mdx) has no row']);
  });

  it('catch a link that names a chapter and points at the table instead', () => {
    const text =
      'See [the chapter on the state that remains](#the-chapters) and [it](./06-b.mdx#x).';
    expect(misdirectedLinks(text, two)).toEqual([
      '[the chapter on the state that remains](#the-chapters) names "The state that remains" but does not go to 06-b.mdx',
    ]);
    expect(misdirectedLinks(text.replace('#the-chapters', './06-b.mdx#claims'), two)).toEqual([]);
  });
});
