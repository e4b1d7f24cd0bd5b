// "More to try" has answers (issue 17): every open exercise at the end of a chapter carries a worked
// answer, collapsed, so a reader can try first and check after.
//
// An open exercise is a numbered item (`2. **Title.** …`) of a chapter's `## Exercises` section
// (docs/01-* to docs/08-*) that has no check of its own: its text does not run `npm run check`.
// Its worked answer is a `<details>` inside the item, whose `<summary>` is "Worked answer", with
// text before its `</details>`.
import { describe, expect, it } from 'vitest';
import { listDocs } from './docs';

export interface ExerciseItem {
  number: number;
  title: string;
  /** The item's whole text, its indented paragraphs and blocks included. */
  text: string;
}

/** The numbered items of the page's `## Exercises` section, each up to the next item. */
export function exerciseItems(page: string): ExerciseItem[] {
  const start = page.search(/^## Exercises\b/m);
  if (start < 0) return [];
  const rest = page.slice(start).replace(/^## Exercises.*\n/, '');
  const end = rest.search(/^## /m);
  const section = end < 0 ? rest : rest.slice(0, end);
  const starts = [...section.matchAll(/^(\d+)\. \*\*(.+?)\*\*/gm)];
  return starts.map((m, i) => ({
    number: Number(m[1]),
    title: m[2],
    text: section.slice(m.index, starts[i + 1]?.index ?? section.length),
  }));
}

export const isOpen = (item: ExerciseItem) => !/npm run check/.test(item.text);

const WORKED = /<details>\s*<summary>Worked answer<\/summary>([\s\S]*?)<\/details>/;

/** What is wrong with an open exercise's answer: an empty list when it has one. */
export function workedAnswerProblems(item: ExerciseItem): string[] {
  const answer = WORKED.exec(item.text);
  if (!answer) return ['no <details> with <summary>Worked answer</summary>'];
  if (!answer[1].trim()) return ['the worked answer is empty'];
  return [];
}

const chapters = listDocs().filter((d) => /^docs\/0[1-8]-/.test(d.file));

describe('worked answers for the open exercises', () => {
  it('reads chapters 01 to 08', () => {
    expect(chapters.map((d) => d.file.slice(5, 7))).toEqual([
      '01',
      '02',
      '03',
      '04',
      '05',
      '06',
      '07',
      '08', // the capstone
      '08', // the cheat sheet
    ]);
  });

  it.each(chapters.map((d) => [d.file, d.text]))(
    'every open exercise in %s has a worked answer',
    (file, text) => {
      const open = exerciseItems(text).filter(isOpen);
      expect(open.length, `${file} has no open exercise`).toBeGreaterThan(0);
      const problems = open.flatMap((item) =>
        workedAnswerProblems(item).map((p) => `${item.number}. ${item.title}: ${p}`),
      );
      expect(problems).toEqual([]);
    },
  );

  it('tells open exercises from checked ones, and finds a missing or empty answer', () => {
    const page = [
      '## Exercises',
      '',
      '1. **Write it.** Check it with `npm run check 09`.',
      '2. **Think.** Why?',
      '',
      '   <details>',
      '   <summary>Worked answer</summary>',
      '',
      '   Because.',
      '',
      '   </details>',
      '',
      '3. **Think more.** Why not?',
      '4. **Empty.** What?',
      '',
      '   <details>',
      '   <summary>Worked answer</summary>',
      '   </details>',
      '',
      '## Sources',
      '',
      '5. **Not an exercise.** Outside the section.',
    ].join('\n');
    const items = exerciseItems(page);
    expect(items.map((i) => [i.number, isOpen(i)])).toEqual([
      [1, false],
      [2, true],
      [3, true],
      [4, true],
    ]);
    expect(items.filter(isOpen).map(workedAnswerProblems)).toEqual([
      [],
      ['no <details> with <summary>Worked answer</summary>'],
      ['the worked answer is empty'],
    ]);
  });
});
