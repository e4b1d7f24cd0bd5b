// The recorded runs the repository ships (tools/recorded-runs.ts): every notebook has one, of its
// current text, against the current lab, and it passed; the chapter pages' copy of its figures and the
// drawings it shows are there; a fresh clone gets all of them (nothing git-ignores them), and what a
// fresh clone builds shows outputs on every notebook page and a figure for every <Figure>. A stale
// record fails with the notebook's name and the one command that refreshes it. No Jupyter, no kernel.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  FIGURE_RUNS_DIR,
  labFiles,
  labSha256,
  LAB_DIR,
  NOTEBOOKS_DIR,
  notebookSlugs,
  readRecord,
  recordMismatch,
  recordProblems,
  REFRESH_ALL,
  refreshOne,
  ROOT,
  RUN_DRAWINGS_DIR,
  recordText,
  RUNS_DIR,
  drawingMismatch,
  notebookSha256,
  type RecordedDrawing,
} from '../../tools/recorded-runs';
import { diagramKey } from '../../src/diagrams/key';
import { runFor } from '../../src/components/NotebookOutput/run';
import {
  chapterRun,
  chartFigure,
  figureRecord,
  figureText,
  tableCells,
  type FigureRecord,
} from '../../src/components/Figures/figures';
import { constantValue } from '../../src/components/Figures/notebook-constants';
import { CONSTANTS_DIR, runRecord } from '../../tools/notebook-pages';

const dirs: string[] = [];
const tempDir = () => dirs[dirs.push(mkdtempSync(join(tmpdir(), 'statelab-records-'))) - 1];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const slugs = notebookSlugs();

/** A diagram a run displayed, as a record holds it, and the SVG render.ts draws of it per theme. */
function drawn(title: string) {
  const source = `flowchart LR\n  accTitle: ${title}\n  accDescr: a to b\n  a --> b`;
  const drawing: RecordedDrawing = { source, key: diagramKey(source), width: 10, height: 20 };
  const svg = (theme: string) =>
    `<svg width="10" height="20" id="diagram-${drawing.key}-${theme}" role="graphics-document">` +
    `<title id="chart-title">${title.replace(/&/g, '&amp;')}</title><g/></svg>`;
  return { drawing, svg };
}

describe('the committed recorded runs', () => {
  it('cover at least one notebook', () => {
    expect(slugs.length).toBeGreaterThan(0);
  });

  it.each(slugs)('%s has a recorded run of its notebook and the lab, which passed', (slug) => {
    const problems = recordProblems().filter((p) => p.notebook === slug);
    expect(problems.map((p) => p.message).join('\n')).toBe('');
  });

  it('hold nothing else: no record of a notebook that is gone, no drawing no record shows', () => {
    const others = recordProblems().filter((p) => !slugs.includes(p.notebook));
    expect(others.map((p) => p.message).join('\n')).toBe('');
  });

  it('are not git-ignored, so a fresh clone has them', () => {
    const files = [RUNS_DIR, FIGURE_RUNS_DIR, RUN_DRAWINGS_DIR, CONSTANTS_DIR].flatMap((dir) =>
      readdirSync(dir).map((name) => relative(ROOT, join(dir, name))),
    );
    expect(files.length).toBeGreaterThan(slugs.length);
    const git = spawnSync('git', ['check-ignore', '--no-index', ...files], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 20_000,
    });
    // Exit 1: none of them is ignored. 0: the ones printed are. 128: not a git checkout.
    if (git.status === 128 || git.error) {
      console.warn(`skipped the git-ignore check: ${git.error?.message ?? git.stderr.trim()}`);
      return;
    }
    expect(git.stdout.trim(), 'these recorded files are git-ignored').toBe('');
    expect(git.status).toBe(1);
  });
});

describe('what a fresh clone builds from them', () => {
  // The pages and components read the same files with the same pure functions as below (runFor,
  // chapterRun, figureText, tableCells, constantValue); the build only hands each page its own
  // chapter's files (src/components/Figures/remark-records.ts).
  const records = slugs.map((slug) => readRecord(slug)).filter((r) => r !== undefined);
  const figureRecords = readdirSync(FIGURE_RUNS_DIR)
    .filter((n) => n.endsWith('.json'))
    .map((n) => JSON.parse(readFileSync(join(FIGURE_RUNS_DIR, n), 'utf8')) as FigureRecord);
  const constants = Object.fromEntries(
    readdirSync(CONSTANTS_DIR).map((n) => [
      n.replace(/\.json$/, ''),
      JSON.parse(readFileSync(join(CONSTANTS_DIR, n), 'utf8')) as Record<string, number | null>,
    ]),
  );

  it.each(slugs)('shows outputs on the notebook page of %s', (slug) => {
    const page = readFileSync(join(ROOT, 'docs', 'notebooks', `${slug}.mdx`), 'utf8');
    const sha = /<NotebookRunInfo notebook="[^"]+" sha256="([0-9a-f]+)"/.exec(page)?.[1];
    const run = runFor(records, slug, sha ?? '');
    expect(run, `docs/notebooks/${slug}.mdx would say "No outputs on this page"`).toBeDefined();
    const cells = [...page.matchAll(/<NotebookOutputs [^>]*cell="([^"]+)"/g)].map((m) => m[1]);
    const shown = cells.filter((cell) => (run!.cells[cell]?.outputs.length ?? 0) > 0);
    expect(
      shown.length,
      `no code cell of docs/notebooks/${slug}.mdx shows an output`,
    ).toBeGreaterThan(0);
  });

  const chapters = readdirSync(join(ROOT, 'docs')).filter((n) => /^\d+-.*\.mdx$/.test(n));
  it.each(chapters)(
    'renders every <Figure>, <FigureTable>, <FigureChart> and <Constant> of %s',
    (name) => {
      const text = readFileSync(join(ROOT, 'docs', name), 'utf8');
      const attr = (tag: string, key: string) =>
        new RegExp(`\\b${key}="([^"]*)"`).exec(tag)?.[1] ?? '';
      for (const [tag] of text.matchAll(/<Figure\s[^>]*\/>/g)) {
        const run = chapterRun(figureRecords, attr(tag, 'chapter'));
        expect(run, `${name}: ${tag} would show "not measured in this build"`).toBeDefined();
        expect(() => figureText(run!, attr(tag, 'path'))).not.toThrow();
      }
      for (const [tag] of text.matchAll(/<FigureTable\s[\s\S]*?\/>/g)) {
        const run = chapterRun(figureRecords, attr(tag, 'chapter'));
        expect(
          run,
          `${name}: a <FigureTable> would show "No run of … in this build"`,
        ).toBeDefined();
        const keys = [...tag.matchAll(/\bkey: '([^']+)'/g)].map((m) => ({
          label: m[1],
          key: m[1],
        }));
        expect(() => tableCells(run!, attr(tag, 'rows'), keys)).not.toThrow();
      }
      // A chart its run did not draw fails here: the page would show a placeholder, or break the build.
      for (const [tag] of text.matchAll(/<FigureChart\s[^>]*\/>/g)) {
        const run = chapterRun(figureRecords, attr(tag, 'chapter'));
        expect(run, `${name}: ${tag} would show "No run of … in this build"`).toBeDefined();
        const chart = (() => {
          try {
            return chartFigure(run!, attr(tag, 'name'));
          } catch (error) {
            return (error as Error).message;
          }
        })();
        expect(typeof chart === 'string' ? chart : '', `${name}: ${tag} shows no chart`).toBe('');
      }
      for (const [tag] of text.matchAll(/<Constant\s[^>]*\/>/g)) {
        expect(() =>
          constantValue(constants, attr(tag, 'chapter'), attr(tag, 'name')),
        ).not.toThrow();
      }
    },
  );
});

describe('a stale record', () => {
  /**
   * The notebooks and the lab copied into a temporary folder, with a record of each notebook made for
   * that copy (its hashes, figures for the chapter page, one drawing), to break at will.
   */
  function copyOfTheCourse() {
    const root = tempDir();
    const at = (dir: string) => join(root, relative(ROOT, dir));
    cpSync(LAB_DIR, at(LAB_DIR), { recursive: true });
    for (const dir of [NOTEBOOKS_DIR, RUNS_DIR, FIGURE_RUNS_DIR, RUN_DRAWINGS_DIR]) {
      mkdirSync(at(dir), { recursive: true });
    }
    const lab = labSha256(at(LAB_DIR));
    const drawings = new Map<string, ReturnType<typeof drawn>>();
    for (const slug of slugs) {
      const diagram = drawn(`the cluster of ${slug} (sticky & round robin)`);
      drawings.set(slug, diagram);
      const text = readFileSync(join(NOTEBOOKS_DIR, `${slug}.ipynb`), 'utf8');
      writeFileSync(join(at(NOTEBOOKS_DIR), `${slug}.ipynb`), text);
      const record = {
        ...runRecord(slug, notebookSha256(text), lab, {
          path: '',
          ok: true,
          kernelStartMs: 1,
          durationMs: 2,
          cells: [],
        }),
        figures: { p50: 1 },
        drawings: [diagram.drawing],
      };
      writeFileSync(join(at(RUNS_DIR), `${slug}.json`), recordText(record));
      writeFileSync(join(at(FIGURE_RUNS_DIR), `${slug}.json`), recordText(figureRecord(record)));
      for (const theme of ['light', 'dark']) {
        const file = `${diagram.drawing.key}-${theme}.svg`;
        writeFileSync(join(at(RUN_DRAWINGS_DIR), file), diagram.svg(theme));
      }
    }
    const problems = () =>
      recordProblems({
        notebooksDir: at(NOTEBOOKS_DIR),
        labDir: at(LAB_DIR),
        runsDir: at(RUNS_DIR),
        figureRunsDir: at(FIGURE_RUNS_DIR),
        drawingsDir: at(RUN_DRAWINGS_DIR),
      }).map((p) => p.message);
    /** The drawing file of a notebook's diagram in the copy, for a theme. */
    const drawingOf = (slug: string, theme: string) =>
      join(at(RUN_DRAWINGS_DIR), `${drawings.get(slug)!.drawing.key}-${theme}.svg`);
    return { at, problems, drawingOf };
  }

  it('is not found in an untouched copy', () => {
    expect(copyOfTheCourse().problems()).toEqual([]);
  });

  it('fails when its notebook changes, naming the notebook and the command that refreshes it', () => {
    const { at, problems } = copyOfTheCourse();
    const slug = slugs[0];
    const file = join(at(NOTEBOOKS_DIR), `${slug}.ipynb`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"source": [', '"source": [\n    "x",'));
    expect(problems()).toEqual([
      `notebooks/${slug}.ipynb changed since its recorded run (the record ran other notebook text); ` +
        `refresh it: ${refreshOne(slug)} (or ${REFRESH_ALL} for every stale record), then commit the records`,
    ]);
  });

  it('fails for every notebook when a lab file changes, in a subfolder too', () => {
    const { at, problems } = copyOfTheCourse();
    mkdirSync(join(at(LAB_DIR), 'core'), { recursive: true });
    writeFileSync(join(at(LAB_DIR), 'core', 'new-module.ts'), 'export const x = 1;\n');
    const messages = problems();
    expect(messages).toHaveLength(slugs.length);
    for (const slug of slugs) {
      expect(messages).toContainEqual(
        expect.stringMatching(
          new RegExp(`^notebooks/${slug}\\.ipynb ran against another lab: .*${refreshOne(slug)}`),
        ),
      );
    }
  });

  it('is not made by editing a lab test', () => {
    const { at, problems } = copyOfTheCourse();
    const test = readdirSync(at(LAB_DIR), { recursive: true, encoding: 'utf8' }).find((n) =>
      n.endsWith('.test.ts'),
    );
    expect(test, 'the lab has tests beside it').toBeDefined();
    writeFileSync(join(at(LAB_DIR), test!), '// edited\n', { flag: 'a' });
    mkdirSync(join(at(LAB_DIR), 'node'), { recursive: true });
    writeFileSync(join(at(LAB_DIR), 'node', 'moved.test.ts'), 'export {};\n');
    expect(problems()).toEqual([]);
  });

  it("fails when a chapter page's figures are not its record's, or a drawing it shows is gone", () => {
    const { at, problems, drawingOf } = copyOfTheCourse();
    const copy = join(at(FIGURE_RUNS_DIR), `${slugs[0]}.json`);
    const figures = JSON.parse(readFileSync(copy, 'utf8')) as FigureRecord;
    writeFileSync(copy, JSON.stringify({ ...figures, figures: { typed: 'by hand' } }));
    rmSync(drawingOf(slugs[0], 'dark'));
    const messages = problems();
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/is not the figures of notebooks\/.*'s record; refresh it/);
    expect(messages[1]).toMatch(
      new RegExp(
        `^notebooks/${slugs[0]}\\.ipynb's record shows the drawing .*-dark\\.svg, which is missing`,
      ),
    );
  });

  it("fails when a drawing it shows is another diagram's drawing, or empty", () => {
    const { problems, drawingOf } = copyOfTheCourse();
    const [first, second] = slugs;
    // The file of the first notebook's diagram now holds the second's drawing: right name, wrong picture.
    writeFileSync(drawingOf(first, 'light'), readFileSync(drawingOf(second, 'light'), 'utf8'));
    writeFileSync(drawingOf(second, 'dark'), '');
    const messages = problems();
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(
      new RegExp(
        `^notebooks/${first}\\.ipynb's record shows the drawing .*-light\\.svg, which is the drawing diagram-`,
      ),
    );
    expect(messages[1]).toMatch(
      new RegExp(
        `^notebooks/${second}\\.ipynb's record shows the drawing .*-dark\\.svg, which is not an SVG drawing`,
      ),
    );
  });

  it('is not made by checking out the notebook with CRLF line endings', () => {
    const { at, problems } = copyOfTheCourse();
    const file = join(at(NOTEBOOKS_DIR), `${slugs[0]}.ipynb`);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('\r\n');
    writeFileSync(file, text.replace(/\n/g, '\r\n'));
    expect(problems()).toEqual([]);
  });

  it('fails on a record of a notebook that is gone, and on a drawing no record shows', () => {
    const { at, problems } = copyOfTheCourse();
    writeFileSync(join(at(RUNS_DIR), '99-gone.json'), '{}');
    writeFileSync(join(at(RUN_DRAWINGS_DIR), 'old-light.svg'), '<svg/>');
    const messages = problems();
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/99-gone\.json records a notebook that does not exist/);
    expect(messages[1]).toMatch(/old-light\.svg is drawn for no recorded run/);
  });
});

describe('a recorded drawing', () => {
  const { drawing, svg } = drawn('3 servers behind the lb');

  it("is its diagram's when key, id, title and size are the record's", () => {
    expect(drawingMismatch(drawing, 'light', svg('light'))).toBeUndefined();
    expect(drawingMismatch(drawing, 'dark', svg('dark'))).toBeUndefined();
  });

  it('is not when it is missing, empty, of the other theme, titled otherwise or sized otherwise', () => {
    expect(drawingMismatch(drawing, 'light', undefined)).toBe('is missing');
    expect(drawingMismatch(drawing, 'light', '')).toMatch(/not an SVG/);
    expect(drawingMismatch(drawing, 'light', svg('dark'))).toMatch(/is the drawing .*-dark, not/);
    const retitled = svg('light').replace('3 servers', '4 servers');
    expect(drawingMismatch(drawing, 'light', retitled)).toMatch(/has the title "4 servers/);
    const resized = svg('light').replace('width="10"', 'width="11"');
    expect(drawingMismatch(drawing, 'light', resized)).toMatch(
      /is 11×20, but the record sizes it 10×20/,
    );
  });

  it("is not when the record's key is not its source's", () => {
    const edited = { ...drawing, source: drawing.source.replace('a --> b', 'a --> c') };
    expect(drawingMismatch(edited, 'light', svg('light'))).toMatch(
      /but the record's diagram has key/,
    );
  });
});

describe('the notebook hash', () => {
  it('is the same for LF and CRLF line endings, and changes with the text', () => {
    expect(notebookSha256('{\r\n "cells": []\r\n}\r\n')).toBe(
      notebookSha256('{\n "cells": []\n}\n'),
    );
    expect(notebookSha256('{\n "cells": [1]\n}\n')).not.toBe(
      notebookSha256('{\n "cells": []\n}\n'),
    );
  });
});

describe('the lab hash', () => {
  const lab = () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'shop.ts'), 'export const a = 1;\n');
    writeFileSync(join(dir, 'shop.test.ts'), 'test\n');
    mkdirSync(join(dir, 'core'));
    writeFileSync(join(dir, 'core', 'store.ts'), 'export const b = 2;\n');
    writeFileSync(join(dir, 'core', 'store.test.ts'), 'test\n');
    writeFileSync(join(dir, 'README.md'), 'notes\n');
    return dir;
  };

  it('covers every .ts file at any depth but the tests', () => {
    expect(labFiles(lab())).toEqual(['core/store.ts', 'shop.ts']);
  });

  it('changes with a lab file in a subfolder, a new file or a moved one', () => {
    const dir = lab();
    const before = labSha256(dir);
    writeFileSync(join(dir, 'core', 'store.ts'), 'export const b = 3;\n');
    expect(labSha256(dir)).not.toBe(before);

    const moved = lab();
    rmSync(join(moved, 'core', 'store.ts'));
    writeFileSync(join(moved, 'store.ts'), 'export const b = 2;\n');
    expect(labSha256(moved)).not.toBe(before);
  });

  it('does not change with a test, a file that is not TypeScript, or CRLF line endings', () => {
    const dir = lab();
    const before = labSha256(dir);
    writeFileSync(join(dir, 'core', 'store.test.ts'), 'changed\n');
    writeFileSync(join(dir, 'README.md'), 'changed\n');
    writeFileSync(join(dir, 'shop.ts'), 'export const a = 1;\r\n');
    expect(labSha256(dir)).toBe(before);
  });

  it('is what a record of the current lab carries', () => {
    const record = readRecord(slugs[0]);
    const text = readFileSync(join(NOTEBOOKS_DIR, `${slugs[0]}.ipynb`), 'utf8');
    expect(record?.notebookSha256).toBe(notebookSha256(text));
    expect(recordMismatch(record, text, labSha256())).toBeUndefined();
    expect(recordMismatch(record, text, 'another lab')).toMatch(/ran against another lab/);
    expect(recordMismatch(record && { ...record, ok: false }, text, labSha256())).toMatch(/failed/);
    expect(recordMismatch(undefined, text, labSha256())).toBe('has no recorded run');
  });
});
