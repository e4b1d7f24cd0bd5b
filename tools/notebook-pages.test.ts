// The notebook pages: a fixture notebook and a fake run turn into the expected MDX and run record;
// the committed pages and constants match the notebooks and never carry outputs; a run is shown only
// for the notebook text it ran; a run records the figures it wrote, and only those; a recorded run is
// kept only while it matches, and never with --fresh or in CI. (The committed records themselves:
// tests/content/recorded-runs.test.ts.)
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Notebook, NotebookRun } from './notebook-runner';
import {
  CONSTANTS_DIR,
  constantsText,
  mdxMarkdown,
  notebookPage,
  NOTEBOOKS_DIR,
  PAGES_DIR,
  readFigures,
  reasonToRun,
  recordRun,
  removeStaleRuns,
  removeUnusedDrawings,
  ROOT,
  runsEveryNotebook,
  writeFigureRuns,
  runRecord,
} from './notebook-pages';
import { constantsOf, constantValue } from '../src/components/Figures/notebook-constants';
import { parseMarkdownOutput, runFor, type RunRecord } from '../src/components/NotebookOutput/run';

const fixture: Notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
  cells: [
    {
      id: 'intro',
      cell_type: 'markdown',
      source: [
        '# Chapter 9 — Braces {and} <angles>\n',
        '\n',
        'A set {a, b} and x < y, but `{kept}` and `<kept>` in code.\n',
        'Open [`exercises/09-x.ts`](exercises/09-x.ts) or [the RFC](https://www.rfc-editor.org/rfc/rfc6265).\n',
        '\n',
        '```mermaid\n',
        'flowchart LR\n',
        '  lb --> app-1\n',
        '```\n',
      ],
    },
    {
      id: 'load',
      cell_type: 'code',
      source: 'const rows = [{ a: 1 }];\nconsole.log(`${rows.length} < 2`);',
      outputs: [{ output_type: 'stream', name: 'stdout', text: 'SECRET-OUTPUT-TEXT\n' }],
      execution_count: 3,
    },
    {
      id: 'summary',
      cell_type: 'markdown',
      source: '## Summary\n\nDone.\n\n## Exercises\n\nNone.',
    },
  ],
};

const page = () =>
  notebookPage({
    slug: '09-x',
    notebook: fixture,
    notebookSha256: 'abc123',
    hasChapter: true,
    hasExercise: true,
  });

describe('notebookPage', () => {
  it('turns the notebook title into the page title and drops the H1', () => {
    expect(page()).toContain('title: "Notebook 9: Braces {and} <angles>"');
    expect(page()).not.toMatch(/^# /m);
  });

  it('escapes braces and angle brackets outside code, and keeps code spans as they are', () => {
    expect(page()).toContain('A set \\{a, b\\} and x &lt; y, but `{kept}` and `<kept>` in code.');
  });

  it('keeps Mermaid fences so the theme renders them, and writes code cells as ts blocks', () => {
    expect(page()).toContain('```mermaid\nflowchart LR\n  lb --> app-1\n```');
    expect(page()).toContain(
      '```ts\nconst rows = [{ a: 1 }];\nconsole.log(`${rows.length} < 2`);\n```',
    );
  });

  it('names repository files by path (the site cannot link to them) and keeps web links', () => {
    expect(page()).toContain(
      'Open `notebooks/exercises/09-x.ts` or [the RFC](https://www.rfc-editor.org/rfc/rfc6265).',
    );
  });

  it('puts an output placeholder that carries the notebook hash after each code cell, and no outputs', () => {
    expect(page()).toContain('<NotebookOutputs notebook="09-x" sha256="abc123" cell="load" />');
    expect(page()).toContain('<NotebookRunInfo notebook="09-x" sha256="abc123" />');
    expect(page()).not.toContain('SECRET-OUTPUT-TEXT');
  });

  it('links the chapter, says how to open the notebook, offers it as a download, names the exercise', () => {
    expect(page()).toContain('[chapter 9](../09-x.mdx)');
    expect(page()).toContain('`npm run notebooks`');
    expect(page()).toContain('VS Code');
    expect(page()).toContain('[download the notebook (.ipynb)](@site/notebooks/09-x.ipynb)');
    expect(page()).toContain('`http://localhost:8888/lab/tree/09-x.ipynb`');
    expect(page()).toContain('`notebooks/exercises/09-x.ts`; check it with `npm run check 09`');
  });

  it("turns a link to a doc page (../docs/…) into that page's link on the site", () => {
    expect(mdxMarkdown('As [the seed](../docs/00-intro.mdx#the-seed) says.')).toBe(
      'As [the seed](../00-intro.mdx#the-seed) says.',
    );
    // Any other file of the repository is named by its path, as before.
    expect(mdxMarkdown('See [the lab](./lab/shop.ts).')).toBe(
      'See the lab (`notebooks/lab/shop.ts`).',
    );
  });

  it('leaves fenced code in markdown cells untouched', () => {
    expect(mdxMarkdown('```ts\nconst a = { b: 1 } < 2;\n```\n{x}')).toBe(
      '```ts\nconst a = { b: 1 } < 2;\n```\n\\{x\\}',
    );
  });
});

describe('the committed pages in docs/notebooks/', () => {
  const notebooks = readdirSync(NOTEBOOKS_DIR).filter((n) => /^\d+-.*\.ipynb$/.test(n));

  it.each(notebooks)(
    '%s has an up-to-date page without outputs (else: npm run notebook-pages -- --pages-only)',
    (name) => {
      const slug = basename(name, '.ipynb');
      const text = readFileSync(join(NOTEBOOKS_DIR, name), 'utf8');
      const expected = notebookPage({
        slug,
        notebook: JSON.parse(text) as Notebook,
        notebookSha256: createHash('sha256').update(text).digest('hex'),
        hasChapter: existsSync(join(ROOT, 'docs', `${slug}.mdx`)),
        hasExercise: existsSync(join(NOTEBOOKS_DIR, 'exercises', `${slug}.ts`)),
      });
      expect(readFileSync(join(PAGES_DIR, `${slug}.mdx`), 'utf8')).toBe(expected);
    },
  );

  it.each(notebooks)(
    '%s has up-to-date constants for <Constant> (else: npm run notebook-pages -- --pages-only)',
    (name) => {
      const slug = basename(name, '.ipynb');
      const notebook = JSON.parse(readFileSync(join(NOTEBOOKS_DIR, name), 'utf8')) as Notebook;
      expect(readFileSync(join(CONSTANTS_DIR, `${slug}.json`), 'utf8')).toBe(
        constantsText(notebook),
      );
    },
  );

  it('has no page for a notebook that does not exist', () => {
    const slugs = notebooks.map((n) => basename(n, '.ipynb'));
    for (const name of readdirSync(PAGES_DIR)) expect(slugs).toContain(basename(name, '.mdx'));
  });
});

describe('run records', () => {
  const fakeRun: NotebookRun = {
    path: 'notebooks/09-x.ipynb',
    ok: true,
    kernelStartMs: 10,
    durationMs: 1234.5,
    cells: [
      {
        index: 1,
        id: 'load',
        source: '',
        status: 'ok',
        durationMs: 1,
        outputs: [
          {
            output_type: 'display_data',
            data: {
              'text/markdown':
                '| a | b |\n|---|---|\n| 1 | `x` |\n\n```mermaid\nflowchart LR\n  lb --> app-1\n```',
            },
            metadata: {},
          },
        ],
      },
    ],
  };
  const record = runRecord('09-x', 'abc123', 'key', fakeRun);

  it('keys outputs by cell id and records the machine', () => {
    expect(record.cells.load.outputs).toHaveLength(1);
    expect(record.machine.node).toBe(process.version);
    expect(record.machine.cpus).toBeGreaterThan(0);
    expect(record.ok).toBe(true);
  });

  it('is shown only for the notebook text it ran', () => {
    const records: RunRecord[] = [record];
    expect(runFor(records, '09-x', 'abc123')).toBe(record);
    expect(runFor(records, '09-x', 'changed')).toBeUndefined();
    expect(runFor(records, '10-y', 'abc123')).toBeUndefined();
    expect(runFor([], '09-x', 'abc123')).toBeUndefined();
  });

  it('splits displayed Markdown into a table and a Mermaid diagram', () => {
    const output = record.cells.load.outputs[0];
    const markdown =
      output.output_type === 'display_data' ? String(output.data['text/markdown']) : '';
    expect(parseMarkdownOutput(markdown)).toEqual([
      { kind: 'table', header: ['a', 'b'], rows: [['1', '`x`']] },
      { kind: 'mermaid', text: 'flowchart LR\n  lb --> app-1' },
    ]);
  });
});

describe('the figures a run records for its chapter page', () => {
  const dir = mkdtempSync(join(tmpdir(), 'statelab-figures-'));
  const figuresDir = join(dir, '.figures');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const emptyRun: NotebookRun = {
    path: 'notebooks/09-x.ipynb',
    ok: true,
    kernelStartMs: 1,
    durationMs: 2,
    cells: [],
  };
  /** A fake kernel run that records these figures the way recordFigures() does, or none. */
  const runThatRecords = (figures?: Record<string, unknown>) => async () => {
    if (figures) {
      mkdirSync(figuresDir, { recursive: true });
      writeFileSync(join(figuresDir, '09-x.json'), JSON.stringify(figures));
    }
    return emptyRun;
  };

  it('keeps what the run recorded in its record', async () => {
    const record = await recordRun('notebooks/09-x.ipynb', '{}', 'key', {
      run: runThatRecords({ p90: 12.5, rows: [{ run: 'a', lost: 0 }] }),
      figuresDir,
    });
    expect(record.figures).toEqual({ p90: 12.5, rows: [{ run: 'a', lost: 0 }] });
    expect(record.notebook).toBe('09-x');
  });

  it('records no figures for a run that wrote none, even if an earlier run left its file', async () => {
    mkdirSync(figuresDir, { recursive: true });
    writeFileSync(join(figuresDir, '09-x.json'), JSON.stringify({ p90: 99 }));
    const record = await recordRun('notebooks/09-x.ipynb', '{}', 'key', {
      run: runThatRecords(),
      figuresDir,
    });
    expect(record.figures).toBeUndefined();
    expect('figures' in record).toBe(false);
  });

  it('reads only an object of figures', () => {
    expect(readFigures('09-none', figuresDir)).toBeUndefined();
    writeFileSync(join(figuresDir, '09-list.json'), '[1, 2]');
    expect(() => readFigures('09-list', figuresDir)).toThrow(/not one/);
  });

  it('deletes runs of older notebook text, so no chapter page quotes a run its notebook page hides', () => {
    const runs = join(dir, 'runs');
    mkdirSync(runs, { recursive: true });
    const write = (slug: string, sha: string) =>
      writeFileSync(
        join(runs, `${slug}.json`),
        JSON.stringify({ ...runRecord(slug, sha, 'key', emptyRun), figures: { a: 1 } }),
      );
    write('01-a', 'current');
    write('02-b', 'older');
    write('03-gone', 'any');
    const removed = removeStaleRuns(
      runs,
      new Map([
        ['01-a', 'current'],
        ['02-b', 'newer'],
      ]),
    );
    expect(removed.sort()).toEqual(['02-b.json', '03-gone.json']);
    expect(readdirSync(runs)).toEqual(['01-a.json']);
  });

  it("gives the chapter pages each run's figures without its outputs, and nothing else", () => {
    const runs = join(dir, 'runs-f');
    const figureRuns = join(dir, 'figure-runs');
    mkdirSync(runs, { recursive: true });
    mkdirSync(figureRuns, { recursive: true });
    const withOutputs = { ...runRecord('01-a', 'sha', 'key', emptyRun), figures: { p90: 2 } };
    withOutputs.cells = {
      c: {
        status: 'ok',
        outputs: [{ output_type: 'stream', name: 'stdout', text: 'x'.repeat(1000) }],
      },
    };
    writeFileSync(join(runs, '01-a.json'), JSON.stringify(withOutputs));
    writeFileSync(
      join(runs, '02-b.json'),
      JSON.stringify(runRecord('02-b', 'sha', 'key', emptyRun)),
    );
    writeFileSync(join(figureRuns, '03-gone.json'), '{}');
    expect(writeFigureRuns(runs, figureRuns)).toEqual(['01-a.json']);
    expect(readdirSync(figureRuns)).toEqual(['01-a.json']);
    const copy = JSON.parse(readFileSync(join(figureRuns, '01-a.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(copy.figures).toEqual({ p90: 2 });
    expect(copy.notebookSha256).toBe('sha');
    expect(copy).not.toHaveProperty('cells');
  });
});

describe("a notebook's constants, for <Constant>", () => {
  it('are the top-level number constants of its code cells, separators dropped', () => {
    expect(
      constantsOf([
        'const TTL_MS = 1000; // a comment\nconst WRITES = 20_000;\nconst label = "x";',
        '  const INDENTED = 3;\nconst RATIO = 0.25;\nlet LATER = 4;\nconst NOT_A_LITERAL = 2 * 3;',
      ]),
    ).toEqual({ TTL_MS: 1000, WRITES: 20000, RATIO: 0.25 });
  });

  it('refuse a name set twice, and fail (so the build fails) on a name not set', () => {
    const constants = { '07-x': constantsOf(['const A = 1;\nconst B = 2;', 'const B = 3;']) };
    expect(constantValue(constants, '07-x', 'A')).toBe(1);
    expect(() => constantValue(constants, '07-x', 'B')).toThrow(/sets B more than once/);
    expect(() => constantValue(constants, '07-x', 'TTL')).toThrow(
      /sets no "const TTL = <number>;" \(it sets: A, B\)/,
    );
    expect(() => constantValue(constants, '08-none', 'A')).toThrow(/08-none/);
  });
});

describe('which notebooks `npm run notebook-pages` runs', () => {
  const emptyRun: NotebookRun = { path: '', ok: true, kernelStartMs: 1, durationMs: 2, cells: [] };
  const text = '{"cells": []}';
  const sha = createHash('sha256').update(text).digest('hex');
  const record = runRecord('09-x', sha, 'lab-1', emptyRun);

  it('keeps a recorded run of the same notebook and lab, and runs any other', () => {
    const only = { every: false, named: false };
    expect(reasonToRun(record, text, 'lab-1', only)).toBeUndefined();
    expect(reasonToRun(record, text, 'lab-2', only)).toMatch(/another lab/);
    expect(reasonToRun(record, text + ' ', 'lab-1', only)).toMatch(/changed/);
    expect(reasonToRun({ ...record, ok: false }, text, 'lab-1', only)).toMatch(/failed/);
    expect(reasonToRun(undefined, text, 'lab-1', only)).toMatch(/no recorded run/);
  });

  it('runs a notebook named on the command line, and every one with --fresh or in CI', () => {
    expect(reasonToRun(record, text, 'lab-1', { every: false, named: true })).toMatch(/named/);
    expect(reasonToRun(record, text, 'lab-1', { every: true, named: false })).toMatch(/every/);
    expect(runsEveryNotebook(true, {})).toBe(true);
    expect(runsEveryNotebook(undefined, { CI: 'true' })).toBe(true);
    expect(runsEveryNotebook(undefined, { CI: '1' })).toBe(true);
    expect(runsEveryNotebook(undefined, {})).toBe(false);
    expect(runsEveryNotebook(false, { CI: 'false' })).toBe(false);
    expect(runsEveryNotebook(undefined, { CI: '' })).toBe(false);
  });

  it('removes the drawings no recorded run shows, and keeps the others', () => {
    const dir = mkdtempSync(join(tmpdir(), 'statelab-drawings-'));
    try {
      const runs = join(dir, 'runs');
      const drawings = join(dir, 'drawings');
      mkdirSync(runs);
      mkdirSync(drawings);
      const shown = { source: 'flowchart LR', key: 'aaa', width: 1, height: 1 };
      writeFileSync(join(runs, '09-x.json'), JSON.stringify({ ...record, drawings: [shown] }));
      for (const name of ['aaa-light.svg', 'aaa-dark.svg', 'old-light.svg', 'old-dark.svg']) {
        writeFileSync(join(drawings, name), '<svg/>');
      }
      expect(removeUnusedDrawings(runs, drawings).sort()).toEqual([
        'old-dark.svg',
        'old-light.svg',
      ]);
      expect(readdirSync(drawings).sort()).toEqual(['aaa-dark.svg', 'aaa-light.svg']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
