// "Predict, then run" (issue 17): every experiment in notebooks 02 to 07 opens with a prediction and
// ends with its answer, and the notebook page shows the prediction before the output and the answer
// collapsed after it.
//
// An experiment is a section of a notebook: a markdown cell whose first line is a level-2 heading
// (`## 3. Kill app-1`, `## Experiment 2 · …`), other than `## Summary` and `## Exercises`, up to the
// next level-2 heading, that holds at least one code cell. Its prediction is the markdown cell right
// after the heading cell, starting `**Predict:**`; its answer is a markdown cell starting
// `**What happened:**` that comes after at least one of the section's code cells.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { notebookPage, predictionMdx } from '../../tools/notebook-pages';
import type { Notebook } from '../../tools/notebook-runner';
import { ROOT } from './docs';

const PREDICT = /^\*\*Predict:\*\*\s*\S/;
const ANSWER = /^\*\*What happened:\*\*\s*\S/;

interface Cell {
  cell_type: string;
  text: string;
}

const textOf = (source: string | string[]) => (Array.isArray(source) ? source.join('') : source);

export interface Experiment {
  heading: string;
  /** The section's cells, heading cell first. */
  cells: Cell[];
}

/** The experiments of a notebook's cells, as defined above. */
export function experimentsOf(cells: Cell[]): Experiment[] {
  const sections: Experiment[] = [];
  for (const cell of cells) {
    const heading = cell.cell_type === 'markdown' ? /^## (.+)/.exec(cell.text) : null;
    if (heading) sections.push({ heading: heading[1].trim(), cells: [cell] });
    else sections.at(-1)?.cells.push(cell);
  }
  return sections.filter(
    (s) => !/^(Summary|Exercises)\b/.test(s.heading) && s.cells.some((c) => c.cell_type === 'code'),
  );
}

/** What an experiment lacks: an empty list when it opens with a prediction and answers it. */
export function predictionProblems({ cells }: Experiment): string[] {
  const problems: string[] = [];
  const second = cells[1];
  if (!second || second.cell_type !== 'markdown' || !PREDICT.test(second.text)) {
    problems.push('the cell after the heading is not a markdown cell starting **Predict:**');
  }
  const firstCode = cells.findIndex((c) => c.cell_type === 'code');
  const answered = cells
    .slice(firstCode + 1)
    .some((c) => c.cell_type === 'markdown' && ANSWER.test(c.text));
  if (!answered) problems.push('no markdown cell starting **What happened:** after its code');
  return problems;
}

const notebooks = readdirSync(join(ROOT, 'notebooks'))
  .filter((name) => /^0[2-7]-[\w-]+\.ipynb$/.test(name))
  .sort();

function cellsOf(name: string): Cell[] {
  const nb = JSON.parse(readFileSync(join(ROOT, 'notebooks', name), 'utf8')) as {
    cells: { cell_type: string; source: string | string[] }[];
  };
  return nb.cells.map((c) => ({ cell_type: c.cell_type, text: textOf(c.source) }));
}

const md = (text: string): Cell => ({ cell_type: 'markdown', text });
const code = (text: string): Cell => ({ cell_type: 'code', text });

describe('predict, then run', () => {
  it('finds notebooks 02 to 07', () => {
    expect(notebooks.map((n) => n.slice(0, 2))).toEqual(['02', '03', '04', '05', '06', '07']);
  });

  it.each(notebooks)('every experiment in %s starts with a prediction and answers it', (name) => {
    const experiments = experimentsOf(cellsOf(name));
    expect(experiments.length, `${name} has no experiment`).toBeGreaterThan(0);
    const problems = experiments.flatMap((e) =>
      predictionProblems(e).map((p) => `"## ${e.heading}": ${p}`),
    );
    expect(problems).toEqual([]);
  });

  it('counts as an experiment every level-2 section with code, except Summary and Exercises', () => {
    const cells = [
      md('# Chapter 9'),
      code('import x'),
      md('## 1. Kill a server\n\nBaseline.'),
      code('await kill()'),
      md('### A subsection'),
      code('more()'),
      md('## 2. Only words'),
      md('## Summary'),
      code('cleanUp()'),
      md('## Exercises'),
    ];
    const experiments = experimentsOf(cells);
    expect(experiments.map((e) => e.heading)).toEqual(['1. Kill a server']);
    expect(experiments[0].cells).toHaveLength(4);
  });

  it('fails an experiment without a prediction, or whose answer comes before its code', () => {
    const heading = md('## 1. Kill a server');
    const ok = [
      heading,
      md('**Predict:** how many?'),
      code('run()'),
      md('**What happened:** all.'),
    ];
    expect(predictionProblems({ heading: '1', cells: ok })).toEqual([]);
    expect(predictionProblems({ heading: '1', cells: [heading, code('run()')] })).toEqual([
      'the cell after the heading is not a markdown cell starting **Predict:**',
      'no markdown cell starting **What happened:** after its code',
    ]);
    const answerFirst = [
      heading,
      md('**Predict:** how many?'),
      md('**What happened:** all.'),
      code('run()'),
    ];
    expect(predictionProblems({ heading: '1', cells: answerFirst })).toEqual([
      'no markdown cell starting **What happened:** after its code',
    ]);
    const emptyPrompt = [heading, md('**Predict:**'), code('run()'), md('**What happened:** all.')];
    expect(predictionProblems({ heading: '1', cells: emptyPrompt })).toHaveLength(1);
  });

  it('the page shows the prediction as a note and the answer collapsed under "What happened"', () => {
    expect(predictionMdx('**Predict:** how many of the users?')).toBe(
      ':::note[Predict]\n\nhow many of the users?\n\n:::',
    );
    expect(predictionMdx('**What happened:** all of them.')).toBe(
      '<details>\n<summary>What happened</summary>\n\nall of them.\n\n</details>',
    );
    expect(predictionMdx('**Measured.** The table.')).toBe('**Measured.** The table.');
    const notebook: Notebook = {
      cells: [
        { cell_type: 'markdown', source: '# Chapter 9 — Test' },
        { cell_type: 'markdown', source: '## 1. Kill\n' },
        { cell_type: 'markdown', source: '**Predict:** who loses the cart?' },
        { cell_type: 'code', id: 'c1', source: 'kill()', outputs: [] },
        { cell_type: 'markdown', source: '**What happened:** the users of `app-1`.' },
      ],
    } as unknown as Notebook;
    const page = notebookPage({
      slug: '09-test',
      notebook,
      notebookSha256: 'x',
      hasChapter: false,
      hasExercise: false,
    });
    const note = page.indexOf(':::note[Predict]');
    const output = page.indexOf('<NotebookOutputs notebook="09-test" sha256="x" cell="c1" />');
    const details = page.indexOf('<details>\n<summary>What happened</summary>');
    expect(note).toBeGreaterThan(0);
    expect(output).toBeGreaterThan(note);
    expect(details).toBeGreaterThan(output);
  });

  it.each(notebooks)('the committed page of %s renders every prediction and answer', (name) => {
    const experiments = experimentsOf(cellsOf(name));
    const page = readFileSync(
      join(ROOT, 'docs', 'notebooks', name.replace('.ipynb', '.mdx')),
      'utf8',
    );
    expect(page.split(':::note[Predict]').length - 1).toBe(experiments.length);
    expect(page.split('<summary>What happened</summary>').length - 1).toBeGreaterThanOrEqual(
      experiments.length,
    );
  });
});
