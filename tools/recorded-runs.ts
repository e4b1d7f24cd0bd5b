// The recorded runs the repository ships: one run of every notebook, made by `npm run notebook-pages`
// and committed, so that a fresh clone's site shows real outputs and figures from its first
// `npm start`. A record is only as good as its match with what it ran, so each one carries two hashes:
// - notebookSha256: the .ipynb's text, line endings normalised (the notebook page shows the run only
//   for that text);
// - labSha256: every lab file the notebook could import, that is every .ts file under notebooks/lab/
//   at any depth, except the lab's tests (*.test.ts): editing a test changes no output.
// Each drawing a record shows (static/diagrams/runs/) must be that diagram's drawing: the SVG
// tools/diagrams/render.ts drew of the record's Mermaid source, not merely a file of that name.
// recordProblems() says, per notebook, why its record cannot be shipped as it is, and the one command
// that refreshes it; tests/content/recorded-runs.test.ts fails on any problem. No Jupyter, no kernel:
// reading and hashing files only.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { RunRecord } from '../src/components/NotebookOutput/run';
import { figureRecord } from '../src/components/Figures/figures';
import { diagramAlt, drawingFile, type DiagramTheme } from '../src/diagrams/config';
import { diagramKey } from '../src/diagrams/key';

export const ROOT = join(__dirname, '..');
export const NOTEBOOKS_DIR = join(ROOT, 'notebooks');
export const LAB_DIR = join(NOTEBOOKS_DIR, 'lab');
/** One record per notebook, with its outputs: what a notebook page shows. */
export const RUNS_DIR = join(ROOT, 'src', 'components', 'NotebookOutput', 'runs');
/** The figures of each record, without its outputs: what the chapter pages load. */
export const FIGURE_RUNS_DIR = join(ROOT, 'src', 'components', 'Figures', 'runs');
/** The drawings of the Mermaid diagrams the runs displayed (tools/diagrams/outputs.ts). */
export const RUN_DRAWINGS_DIR = join(ROOT, 'static', 'diagrams', 'runs');
/** Each drawing exists once per site theme: <key>-light.svg and <key>-dark.svg. */
const THEMES: DiagramTheme[] = ['light', 'dark'];

/** What refreshes every record that does not match: it runs only those notebooks. */
export const REFRESH_ALL = 'npm run notebook-pages';
/** What re-runs one notebook and records it, whatever its record says. */
export const refreshOne = (slug: string) => `npm run notebook-pages -- notebooks/${slug}.ipynb`;

export const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/** Text with LF line endings: a checkout that turns LF into CRLF changes no hash of ours. */
export const lfText = (text: string) => text.replace(/\r\n/g, '\n');

/**
 * The hash a record carries of its notebook: the .ipynb's text with LF line endings, so the same
 * notebook checked out with CRLF (Windows, core.autocrlf) still matches its record.
 */
export const notebookSha256 = (notebookText: string) => sha256(lfText(notebookText));

/** The lab's files that a hash covers: every *.ts at any depth but *.test.ts, as sorted `/` paths. */
export function labFiles(labDir = LAB_DIR): string[] {
  return readdirSync(labDir, { recursive: true, encoding: 'utf8' })
    .map((name) => name.replace(/\\/g, '/'))
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .sort();
}

/**
 * One hash over the lab: each file's path and bytes, so a renamed or moved file changes it too.
 * Line endings are normalised, so a checkout that turns LF into CRLF does not stale every record.
 */
export function labSha256(labDir = LAB_DIR): string {
  const hash = createHash('sha256');
  for (const name of labFiles(labDir)) {
    const text = lfText(readFileSync(join(labDir, name), 'utf8'));
    hash.update(`\0${name}\0`).update(text);
  }
  return hash.digest('hex');
}

/** The course notebooks, NN-slug, in order. */
export function notebookSlugs(notebooksDir = NOTEBOOKS_DIR): string[] {
  return readdirSync(notebooksDir)
    .filter((name) => /^\d+-[\w-]+\.ipynb$/.test(name))
    .sort()
    .map((name) => basename(name, '.ipynb'));
}

/** A record as committed: one key a line, so a refresh's diff shows which outputs changed. */
export const recordText = (record: unknown) => JSON.stringify(record, null, 1) + '\n';

export function readRecord(slug: string, runsDir = RUNS_DIR): RunRecord | undefined {
  const file = join(runsDir, `${slug}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as RunRecord) : undefined;
}

/**
 * Why this record cannot stand for a run of this notebook against this lab, or undefined when it
 * can: no record, a run of other notebook text, a run against another lab, or a run that failed.
 */
export function recordMismatch(
  record: RunRecord | undefined,
  notebookText: string,
  currentLabSha256: string,
): string | undefined {
  if (!record) return 'has no recorded run';
  if (record.notebookSha256 !== notebookSha256(notebookText)) {
    return 'changed since its recorded run (the record ran other notebook text)';
  }
  if (record.labSha256 !== currentLabSha256) {
    return 'ran against another lab: a file in notebooks/lab/ (tests aside) changed since its recorded run';
  }
  if (!record.ok) return `has a recorded run that failed: ${record.failure ?? 'see its page'}`;
  return undefined;
}

/**
 * CI runs every notebook once through the project's runner (`npm run notebook-pages -- --fresh`)
 * before `npm test`, and puts the moment that began in this variable; tests/notebooks.test.ts then
 * checks those records instead of running every notebook a second time.
 */
export const RAN_SINCE_ENV = 'STATELAB_NOTEBOOKS_RAN_SINCE';

/**
 * Why the record of `slug` does not prove that this notebook text ran green against this lab at or
 * after `since` (an ISO date), or undefined when it does.
 */
export function ranGreenSince(
  slug: string,
  notebookText: string,
  since: string,
  { runsDir = RUNS_DIR, labDir = LAB_DIR } = {},
): string | undefined {
  const after = Date.parse(since);
  if (Number.isNaN(after)) return `${RAN_SINCE_ENV}="${since}" is not a date`;
  const record = readRecord(slug, runsDir);
  const mismatch = recordMismatch(record, notebookText, labSha256(labDir));
  if (mismatch) return `${slug} ${mismatch}`;
  if (!(Date.parse(record!.ranAt) >= after)) {
    return `${slug}: its record ran at ${record!.ranAt}, before ${since}: not a run of this one`;
  }
  // ok is the run's own verdict; every code cell's status must say the same.
  const cells = (JSON.parse(notebookText) as { cells: { cell_type: string; id?: string }[] }).cells;
  for (const [i, cell] of cells.entries()) {
    if (cell.cell_type !== 'code') continue;
    const status = cell.id === undefined ? undefined : record!.cells[cell.id]?.status;
    if (status !== 'ok') {
      return `${slug}: cell ${i + 1} (id ${cell.id ?? 'none'}) is ${status ?? 'not in the record'}`;
    }
  }
  return undefined;
}

/** One drawing a record shows: the Mermaid text the run displayed, its key, its size. */
export type RecordedDrawing = NonNullable<RunRecord['drawings']>[number];

const unescapeXml = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/**
 * Why `svg` (the file's text, or undefined when it is missing) is not the drawing of `drawing` in
 * `theme`, or undefined when it is. A drawing is its diagram's when the record's key is its source's
 * key, the SVG's root carries that key and theme (render.ts names it diagram-<key>-<theme>), its
 * <title> is the source's accTitle, and the light drawing has the size the record gives the page.
 */
export function drawingMismatch(
  drawing: RecordedDrawing,
  theme: DiagramTheme,
  svg: string | undefined,
): string | undefined {
  if (svg === undefined) return 'is missing';
  if (drawing.key !== diagramKey(drawing.source)) {
    return `is named by key ${drawing.key}, but the record's diagram has key ${diagramKey(drawing.source)}`;
  }
  const open = /<svg\b[^>]*>/.exec(svg)?.[0];
  if (!open) return 'is not an SVG drawing (no <svg> element)';
  const id = `diagram-${drawing.key}-${theme}`;
  const drawnId = /\sid="([^"]*)"/.exec(open)?.[1];
  if (drawnId !== id) return `is the drawing ${drawnId ?? 'without an id'}, not ${id}`;
  const title = diagramAlt(drawing.source).title;
  const drawnTitle = /<title\b[^>]*>([^<]*)<\/title>/.exec(svg)?.[1];
  if (drawnTitle === undefined || unescapeXml(drawnTitle) !== title) {
    return `has the title ${JSON.stringify(drawnTitle ?? null)}, not the diagram's ${JSON.stringify(title)}`;
  }
  if (theme === 'light') {
    const size = (name: string) => Number(new RegExp(`\\s${name}="(\\d+)"`).exec(open)?.[1]);
    if (size('width') !== drawing.width || size('height') !== drawing.height) {
      return `is ${size('width')}×${size('height')}, but the record sizes it ${drawing.width}×${drawing.height}`;
    }
  }
  return undefined;
}

export interface RecordProblem {
  /** NN-slug, or a file name for a record whose notebook is gone. */
  notebook: string;
  /** One line: what is wrong and the command that fixes it. */
  message: string;
}

/** Every reason the committed records do not match the notebooks and the lab, one line each. */
export function recordProblems({
  notebooksDir = NOTEBOOKS_DIR,
  labDir = LAB_DIR,
  runsDir = RUNS_DIR,
  figureRunsDir = FIGURE_RUNS_DIR,
  drawingsDir = RUN_DRAWINGS_DIR,
} = {}): RecordProblem[] {
  const problems: RecordProblem[] = [];
  const lab = labSha256(labDir);
  const slugs = notebookSlugs(notebooksDir);
  const where = (dir: string, name: string) => relative(ROOT, join(dir, name)).replace(/\\/g, '/');
  const referenced = new Set<string>();
  for (const slug of slugs) {
    const record = readRecord(slug, runsDir);
    const text = readFileSync(join(notebooksDir, `${slug}.ipynb`), 'utf8');
    // A stale record's drawings are still its own: they are not reported as drawn for no run.
    for (const drawing of record?.drawings ?? []) {
      for (const theme of THEMES) referenced.add(drawingFile(drawing.key, theme));
    }
    const mismatch = recordMismatch(record, text, lab);
    const fix = `refresh it: ${refreshOne(slug)} (or ${REFRESH_ALL} for every stale record), then commit the records`;
    if (mismatch) {
      problems.push({ notebook: slug, message: `notebooks/${slug}.ipynb ${mismatch}; ${fix}` });
      continue;
    }
    // The chapter page's copy of the figures must be this record's.
    const expected = figureRecord(record!);
    const copyFile = join(figureRunsDir, `${slug}.json`);
    const copy = existsSync(copyFile)
      ? (JSON.parse(readFileSync(copyFile, 'utf8')) as unknown)
      : undefined;
    if (JSON.stringify(copy) !== JSON.stringify(expected)) {
      problems.push({
        notebook: slug,
        message: `${where(figureRunsDir, `${slug}.json`)} is not the figures of notebooks/${slug}.ipynb's record; ${fix}`,
      });
    }
    for (const drawing of record!.drawings ?? []) {
      for (const theme of THEMES) {
        const name = drawingFile(drawing.key, theme);
        const file = join(drawingsDir, name);
        const svg = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
        const wrong = drawingMismatch(drawing, theme, svg);
        if (wrong) {
          problems.push({
            notebook: slug,
            message: `notebooks/${slug}.ipynb's record shows the drawing ${where(drawingsDir, name)}, which ${wrong}; ${fix}`,
          });
        }
      }
    }
  }
  for (const dir of [runsDir, figureRunsDir]) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      if (!slugs.includes(basename(name, '.json'))) {
        problems.push({
          notebook: name,
          message: `${where(dir, name)} records a notebook that does not exist; ${REFRESH_ALL} removes it`,
        });
      }
    }
  }
  if (existsSync(drawingsDir)) {
    for (const name of readdirSync(drawingsDir).filter((n) => n.endsWith('.svg'))) {
      if (!referenced.has(name)) {
        problems.push({
          notebook: name,
          message: `${where(drawingsDir, name)} is drawn for no recorded run; ${REFRESH_ALL} removes it`,
        });
      }
    }
  }
  return problems;
}
