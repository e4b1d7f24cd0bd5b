// Every doc page follows the skeleton in STYLE.md, and the rule itself catches a page that does not.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listDocs, readDoc, ROOT } from './docs';
import { isChapter, skeletonProblems } from './skeleton';

const FIXTURES = join(ROOT, 'tests', 'fixtures', 'content');
const docs = listDocs();

describe('doc pages', () => {
  it('has the intro, the setup and at least one chapter', () => {
    expect(docs.map((d) => d.id)).toEqual(expect.arrayContaining(['intro', 'setup']));
    expect(docs.some(isChapter)).toBe(true);
  });

  it.each(docs.map((doc) => ({ file: doc.file, doc })))('$file follows the skeleton', ({ doc }) => {
    expect(skeletonProblems(doc)).toEqual([]);
  });

  it.each(docs.map((doc) => ({ file: doc.file, doc })))('$file is named NN-slug', ({ doc }) => {
    // docs/notebooks/ holds the generated notebook pages (tools/notebook-pages.ts), named as their notebooks.
    expect(doc.file).toMatch(/^docs\/(notebooks\/)?\d{2}-[a-z0-9]+(-[a-z0-9]+)*\.mdx?$/);
  });
});

describe('the skeleton check itself', () => {
  it('lists everything a chapter page is missing', () => {
    const doc = readDoc(join(FIXTURES, '02-bad-skeleton.mdx'), FIXTURES);
    expect(skeletonProblems(doc)).toEqual([
      'front matter has no description',
      'no ":::info[What you\'ll learn]" admonition',
      'no "**Prerequisites:**" line',
      'chapter has no "## Exercises" section',
    ]);
  });

  it('catches a summary placed after the exercises', () => {
    const doc = readDoc(join(FIXTURES, '03-out-of-order.mdx'), FIXTURES);
    expect(skeletonProblems(doc)).toEqual([
      "sections out of order: What you'll learn, Prerequisites, …, Summary, Exercises",
    ]);
  });
});
