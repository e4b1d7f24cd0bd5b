// The pure part of <Figure>, <FigureTable> and <FigureChart>: find a chapter's figures in the recorded runs, look a
// path up in them, format a value, render a table's cells, check a recorded chart. Nothing here reads a file or renders React,
// so tests/site/figures.test.ts runs it directly. A typo (a path or a key the run did not record)
// throws, which fails the site's build; only a missing run is allowed, and shown as a placeholder
// (the course commits a recorded run of every notebook, so a fresh clone shows none).
import type { RunRecord } from '../NotebookOutput/run';

/** What a chapter page needs of a run record: its figures and where and when the run happened. */
export type FigureRecord = Pick<
  RunRecord,
  'notebook' | 'notebookSha256' | 'ok' | 'ranAt' | 'machine' | 'figures'
>;

/** The figures of a run record, without the outputs (what notebook-pages writes for the chapter pages). */
export function figureRecord(record: RunRecord): FigureRecord | undefined {
  if (!record.figures) return undefined;
  const { notebook, notebookSha256, ok, ranAt, machine, figures } = record;
  return { notebook, notebookSha256, ok, ranAt, machine, figures };
}

/** The figures of one run of a chapter's notebook, with where and when that run happened. */
export interface ChapterRun {
  /** NN-slug: the chapter page's notebook. */
  chapter: string;
  figures: Record<string, unknown>;
  ok: boolean;
  ranAt: string;
  machine: RunRecord['machine'];
}

/** One column of a <FigureTable>: which key of each row it shows, and how. */
export interface FigureColumn {
  label: string;
  key: string;
  /** Decimals for a number (default 0). For a ratio, the ratio's decimals (default 2). */
  digits?: number;
  /** Appended to each number ("ms" → "1.234 ms"; "%" without a space). Not to strings or ratios. */
  unit?: string;
  /** Show each row's value divided by the first row's, as "×1.00", "×2.35", … */
  ratioToFirst?: boolean;
}

export interface FigureFormat {
  digits?: number;
  unit?: string;
}

/** The recorded run of this chapter's notebook that recorded figures, or undefined. */
export function chapterRun(records: FigureRecord[], chapter: string): ChapterRun | undefined {
  const run = records.find((r) => r.notebook === chapter);
  if (!run?.figures) return undefined;
  return { chapter, figures: run.figures, ok: run.ok, ranAt: run.ranAt, machine: run.machine };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** The value at a dotted path ("cache.products.0.p50"), or undefined where the path ends early. */
export function lookup(figures: unknown, path: string): unknown {
  let value: unknown = figures;
  for (const key of path.split('.')) {
    if (!isRecord(value) || !Object.hasOwn(value, key)) return undefined;
    value = value[key];
  }
  return value;
}

/** Says what the run did record along a path that ends early, so the message points at the typo. */
function notFound(run: ChapterRun, path: string, what: string): Error {
  const keys = path.split('.');
  let value: unknown = run.figures;
  let at = '';
  for (const key of keys) {
    if (!isRecord(value) || !Object.hasOwn(value, key)) break;
    value = value[key];
    at = at ? `${at}.${key}` : key;
  }
  const there = isRecord(value) ? Object.keys(value).join(', ') : JSON.stringify(value);
  return new Error(
    `${what}: the run of notebooks/${run.chapter}.ipynb recorded no "${path}" ` +
      `(at ${at ? `"${at}"` : 'the top'} it recorded: ${there}). ` +
      `Fix the path on the page, or record it in the notebook with recordFigures().`,
  );
}

/** A number with its decimals and unit, or a string as it is. */
export function formatFigure(value: number | string, { digits = 0, unit }: FigureFormat): string {
  if (typeof value === 'string') return value;
  const text = value.toFixed(digits);
  const bare = unit?.trim(); // the space before a unit is this function's to give
  if (!bare) return text;
  return bare.startsWith('%') ? `${text}${bare}` : `${text}\u00a0${bare}`;
}

function figureValue(value: unknown, describe: () => string): number | string {
  if (typeof value === 'number' || typeof value === 'string') return value;
  throw new Error(`${describe()} is ${JSON.stringify(value)}: a figure is a number or a string`);
}

/** The text of <Figure chapter path digits unit />, from a run that recorded figures. */
export function figureText(run: ChapterRun, path: string, format: FigureFormat = {}): string {
  const value = lookup(run.figures, path);
  if (value === undefined) throw notFound(run, path, 'Figure');
  return formatFigure(
    figureValue(value, () => `Figure: "${path}" of notebooks/${run.chapter}.ipynb`),
    format,
  );
}

/** The cells of <FigureTable chapter rows columns />: one row of strings per recorded row. */
export function tableCells(run: ChapterRun, rowsPath: string, columns: FigureColumn[]): string[][] {
  const rows = lookup(run.figures, rowsPath);
  if (rows === undefined) throw notFound(run, rowsPath, 'FigureTable');
  if (!Array.isArray(rows) || !rows.every(isRecord)) {
    throw new Error(
      `FigureTable: "${rowsPath}" of notebooks/${run.chapter}.ipynb is not an array of row objects`,
    );
  }
  const where = (i: number, key: string) =>
    `FigureTable: row ${i} of "${rowsPath}" in notebooks/${run.chapter}.ipynb, key "${key}"`;
  const cell = (row: Record<string, unknown>, i: number, column: FigureColumn) => {
    if (!Object.hasOwn(row, column.key)) {
      throw new Error(
        `${where(i, column.key)}: no such key (the row has ${Object.keys(row).join(', ')}). ` +
          `Fix the column's key on the page, or record it in the notebook.`,
      );
    }
    const value = figureValue(row[column.key], () => where(i, column.key));
    if (!column.ratioToFirst) return formatFigure(value, column);
    const first = rows[0][column.key];
    if (typeof value !== 'number' || typeof first !== 'number') {
      throw new Error(
        `${where(i, column.key)}: ratioToFirst needs numbers in this row and the first`,
      );
    }
    const ratio = value / first;
    return Number.isFinite(ratio) ? `×${ratio.toFixed(column.digits ?? 2)}` : '—';
  };
  return rows.map((row, i) => columns.map((column) => cell(row, i, column)));
}

/** The line under a table: which machine the run measured on, and when (not the machine that builds the page). */
export function measuredOn(run: ChapterRun): string {
  const { cpus, cpuModel } = run.machine;
  const when = new Date(run.ranAt).toUTCString();
  return (
    `Measured by one run of notebooks/${run.chapter}.ipynb (the run its notebook page shows), ` +
    `recorded ${when} on a machine with ${cpus} CPU core${cpus === 1 ? '' : 's'} (${cpuModel}).` +
    (run.ok ? '' : ' That run failed: its notebook page shows where.')
  );
}

/** A chart a notebook recorded as a figure (`figures.latencyChart = groupedBars({...})`, a Chart of
 *  notebooks/lab/core/charts.ts): the SVG and its text alternative, as the notebook displayed them. */
export interface FigureChartValue {
  title: string;
  description: string;
  /** The SVG text, as the notebook recorded it… */
  svg?: string;
  /** …or, as the build gives it to a page (./record-loader.cjs), the SVG as a file and its size. */
  src?: string;
  width?: number;
  height?: number;
}

/**
 * The chart recorded under `name` for <FigureChart chapter name />, or the string the notebook recorded
 * in its place when it could not measure (a Redis experiment without redis-server says why). Anything
 * else throws, so a typo in the name or a figure that is not a chart fails the build.
 */
export function chartFigure(run: ChapterRun, name: string): FigureChartValue | string {
  const value = lookup(run.figures, name);
  if (value === undefined) throw notFound(run, name, 'FigureChart');
  if (typeof value === 'string') return value;
  const where = `FigureChart: "${name}" of notebooks/${run.chapter}.ipynb`;
  if (!isRecord(value)) throw new Error(`${where} is ${JSON.stringify(value)}, not a chart`);
  const asFile = typeof value.src === 'string' && value.src.endsWith('.svg');
  for (const key of ['title', 'description', ...(asFile ? [] : ['svg' as const])] as const) {
    const text = value[key];
    if (typeof text !== 'string' || !text.trim()) {
      throw new Error(
        `${where} has no ${key}: record the chart groupedBars() or lineChart() returned, as it is`,
      );
    }
  }
  if (!asFile && !/^\s*(<\?xml[^>]*>\s*)?<svg\b/.test(value.svg as string))
    throw new Error(`${where}: its svg is not an SVG document`);
  return value as unknown as FigureChartValue;
}
