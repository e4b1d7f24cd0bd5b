// The page skeleton from STYLE.md, as a checkable rule: front matter title and description,
// a "What you'll learn" admonition, prerequisites, the story, "## Summary", and for a chapter
// "## Exercises" after the summary.
import type { DocPage } from './docs';

/** Chapters are the numbered pages from 01 up; 00-intro and 00-setup are not chapters. */
export const isChapter = (doc: DocPage) => doc.number !== undefined && doc.number >= 1;

/** What is missing or out of order in a page; empty when it follows the skeleton. */
export function skeletonProblems(doc: DocPage): string[] {
  const problems: string[] = [];
  const body = doc.text.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n/, '');
  const at = (pattern: RegExp) => body.search(pattern);

  if (!doc.frontMatter.title) problems.push('front matter has no title');
  if (!doc.frontMatter.description) problems.push('front matter has no description');

  const learn = at(/^:::(note|tip|info|warning|danger)[ \t]*\[What you['’]ll learn\]/m);
  const prerequisites = at(/^(\*\*Prerequisites:?\*\*|#{2,3} Prerequisites)/m);
  const summary = at(/^## Summary\b/m);
  const exercises = at(/^## Exercises\b/m);

  if (learn === -1) problems.push('no ":::info[What you\'ll learn]" admonition');
  if (prerequisites === -1) problems.push('no "**Prerequisites:**" line');
  if (summary === -1) problems.push('no "## Summary" section');
  if (isChapter(doc) && exercises === -1) problems.push('chapter has no "## Exercises" section');

  const order = [learn, prerequisites, summary, exercises].filter((i) => i !== -1);
  if (order.some((pos, i) => i > 0 && pos < order[i - 1])) {
    problems.push("sections out of order: What you'll learn, Prerequisites, …, Summary, Exercises");
  }
  return problems;
}
