// `npm run notebook-pages [-- --pages-only | --fresh] [notebooks/NN-slug.ipynb ...]`: every notebook as a
// page of the site. Two products, kept apart so that no page can show outputs a run did not produce:
// - docs/notebooks/NN-slug.mdx: the notebook's Markdown and code, generated from the .ipynb alone,
//   with <NotebookOutputs> placeholders that carry the notebook's sha256; and the notebooks' numeric
//   constants (src/components/Figures/constants/NN-slug.json), which a chapter page quotes with <Constant>;
// - the recorded run, src/components/NotebookOutput/runs/NN-slug.json: what one real run in the tslab
//   kernel printed (tools/notebook-runner), the figures the notebook recorded for its chapter page
//   during that run (notebooks/.figures/NN-slug.json, written by recordFigures), the machine and the
//   date, and the hashes of the notebook and the lab it ran against (tools/recorded-runs.ts). With it:
//   a copy of the figures alone for the chapter pages (src/components/Figures/runs/) and the drawings
//   of the diagrams the run displayed (static/diagrams/runs/).
// All of these are committed, so a fresh clone shows real outputs. A notebook whose record still
// matches its notebook and the lab is not run again; `--fresh` (and CI, which sets CI) runs every one,
// and naming notebooks runs those. tests/content/recorded-runs.test.ts fails on a stale record.
// A page shows a run only when the run's notebook sha256 equals its own, and a run of older notebook
// text is deleted, so a chapter page's <Figure>s and its notebook page always quote the same run.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatFailure, runNotebook, type Notebook, type NotebookRun } from './notebook-runner';
import type { RunRecord } from '../src/components/NotebookOutput/run';
import { figureRecord } from '../src/components/Figures/figures';
import { drawRunDiagrams } from './diagrams/outputs';
import {
  FIGURE_RUNS_DIR,
  labSha256,
  NOTEBOOKS_DIR,
  readRecord,
  recordMismatch,
  recordText,
  ROOT,
  RUN_DRAWINGS_DIR,
  RUNS_DIR,
  notebookSha256,
} from './recorded-runs';
import { drawingFile } from '../src/diagrams/config';
import { constantsOf } from '../src/components/Figures/notebook-constants';

export { FIGURE_RUNS_DIR, NOTEBOOKS_DIR, ROOT, RUNS_DIR } from './recorded-runs';
export const PAGES_DIR = join(ROOT, 'docs', 'notebooks');
/** The number constants each notebook's code sets, for <Constant> on the chapter pages. */
export const CONSTANTS_DIR = join(ROOT, 'src', 'components', 'Figures', 'constants');

const sourceText = (source: string | string[]) =>
  Array.isArray(source) ? source.join('') : source;

/** Markdown text (outside code) made safe for MDX: braces and angle brackets escaped. */
function escapeText(text: string): string {
  return text.replace(/[{}]/g, (c) => `\\${c}`).replace(/</g, '&lt;');
}

/** One line outside fenced code: code spans kept, links to repository files turned into paths. */
function mdxLine(line: string): string {
  // [text](target) to a file in the repository: the site cannot link there, so name the path.
  const linked = line.replace(
    /\[([^\]]+)\]\(([^)\s]+)\)/g,
    (whole, text: string, target: string) => {
      if (/^(https?:|mailto:|#)/.test(target)) return whole;
      // A doc page of the course (../docs/NN-slug.mdx from the notebook): the same page on the site,
      // seen from docs/notebooks/.
      const doc = /^\.\.\/docs\/([^/]+\.mdx?(#[\w-]+)?)$/.exec(target);
      if (doc) return `[${text}](../${doc[1]})`;
      const path = `notebooks/${target.replace(/^\.\//, '')}`;
      return text === `\`${target}\`` || text === target ? `\`${path}\`` : `${text} (\`${path}\`)`;
    },
  );
  return linked
    .split(/(`+[^`]*`+)/)
    .map((part, i) => (i % 2 === 1 ? part : escapeText(part)))
    .join('');
}

/** A markdown cell as MDX: fenced blocks (Mermaid included) kept as they are, the rest escaped. */
export function mdxMarkdown(markdown: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.replace(/\r\n/g, '\n').split('\n')) {
    const opener = /^\s*(```+|~~~+)/.exec(line);
    if (fence) {
      out.push(line);
      if (opener && opener[1].startsWith(fence)) fence = undefined;
    } else if (opener) {
      fence = opener[1];
      out.push(line);
    } else {
      out.push(mdxLine(line));
    }
  }
  return out.join('\n');
}

/**
 * "Predict, then run" (tests/content/predict.test.ts): a cell that starts `**Predict:**` becomes a
 * note the reader meets before the experiment's output, and one that starts `**What happened:**`
 * an answer collapsed under "What happened", so the output is seen before the answer.
 */
export function predictionMdx(text: string): string {
  const predict = /^\*\*Predict:\*\*\s*/.exec(text);
  if (predict) return `:::note[Predict]\n\n${text.slice(predict[0].length)}\n\n:::`;
  const answer = /^\*\*What happened:\*\*\s*/.exec(text);
  if (answer)
    return `<details>\n<summary>What happened</summary>\n\n${text.slice(answer[0].length)}\n\n</details>`;
  return text;
}

function codeFence(code: string): string {
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}ts\n${code.replace(/\s+$/, '')}\n${ticks}`;
}

const yamlString = (text: string) => JSON.stringify(text);

export interface PageInput {
  /** NN-slug */
  slug: string;
  notebook: Notebook;
  /** sha256 of the .ipynb file's text, line endings normalised (recorded-runs.ts, notebookSha256) */
  notebookSha256: string;
  /** Does docs/NN-slug.mdx exist (the chapter page)? */
  hasChapter: boolean;
  /** Does notebooks/exercises/NN-slug.ts exist? */
  hasExercise: boolean;
}

/** The committed page for one notebook. It contains no outputs: those come from a recorded run. */
export function notebookPage({
  slug,
  notebook,
  notebookSha256,
  hasChapter,
  hasExercise,
}: PageInput): string {
  const number = Number(/^(\d+)/.exec(slug)?.[1] ?? 0);
  const cells = notebook.cells.map((cell) => ({ ...cell, text: sourceText(cell.source) }));
  // The notebook's own "# Chapter N — Title" becomes the page title.
  let title = slug;
  const first = cells.find((c) => c.cell_type === 'markdown');
  if (first) {
    const h1 = /^#\s+(.+)\n*/m.exec(first.text);
    if (h1) {
      title = h1[1].replace(/^Chapter\s+\d+\s*[—–:-]\s*/, '').trim();
      first.text = first.text.replace(h1[0], '');
    }
  }
  const props = `notebook="${slug}" sha256="${notebookSha256}"`;
  const chapter = hasChapter ? `[chapter ${number}](../${slug}.mdx)` : `chapter ${number}`;
  const lines: string[] = [
    '---',
    `title: ${yamlString(`Notebook ${number}: ${title}`)}`,
    `sidebar_label: ${yamlString(`${number}. ${title}`)}`,
    `description: ${yamlString(`The notebook of chapter ${number}, ${title}, with its code and the outputs of a real run.`)}`,
    '---',
    '',
    '{/* Generated by `npm run notebook-pages` from the notebook named below. Do not edit: edit the notebook. */}',
    '',
    "import NotebookOutputs, { NotebookRunInfo } from '@site/src/components/NotebookOutput';",
    '',
    ":::tip[What you'll learn]",
    '',
    `This page is \`notebooks/${slug}.ipynb\`, the notebook of ${chapter}, readable without Jupyter: its text, its code and what one real run of it printed, tables and diagrams included.`,
    '',
    ':::',
    '',
    `**Prerequisites:** read ${chapter} first. To run the notebook yourself, run \`npm run notebooks\` and open \`notebooks/${slug}.ipynb\` in JupyterLab, or open it in VS Code with the TypeScript (tslab) kernel ([Setup](../00-setup.mdx#run-the-notebooks) has the details).` +
      (hasExercise
        ? ` Its exercise is \`notebooks/exercises/${slug}.ts\`; check it with \`npm run check ${slug.slice(0, 2)}\`.`
        : ''),
    '',
    // A link to a file with @site/ becomes a download: Docusaurus copies the file into the build.
    `**Take it home:** [download the notebook (.ipynb)](@site/notebooks/${slug}.ipynb). It imports the course's lab (\`./lab/...\`), so it runs from the \`notebooks/\` folder of a clone of the course: there, \`npm run notebooks\` starts JupyterLab, which opens it at \`http://localhost:8888/lab/tree/${slug}.ipynb\` (or on the port Jupyter prints).`,
    '',
    `<NotebookRunInfo ${props} />`,
  ];
  let hasSummary = false;
  let hasExercises = false;
  for (const cell of cells) {
    if (cell.cell_type === 'markdown') {
      if (/^## Summary\b/m.test(cell.text)) hasSummary = true;
      if (/^## Exercises\b/m.test(cell.text)) hasExercises = true;
      const text = predictionMdx(mdxMarkdown(cell.text).trim());
      if (text) lines.push('', text);
    } else if (cell.cell_type === 'code') {
      if (!cell.id) throw new Error(`${slug}: a code cell has no id`);
      lines.push('', codeFence(cell.text), '', `<NotebookOutputs ${props} cell="${cell.id}" />`);
    }
  }
  if (!hasSummary) lines.push('', '## Summary', '', `See ${chapter}.`);
  if (!hasExercises && hasExercise) {
    lines.push(
      '',
      '## Exercises',
      '',
      `\`notebooks/exercises/${slug}.ts\`: \`npm run check ${slug.slice(0, 2)}\`.`,
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * What a run produced, keyed by cell id, with the machine it ran on, the figures it recorded and the
 * hashes of the notebook and the lab it ran.
 */
export function runRecord(
  slug: string,
  notebookSha256: string,
  labSha: string,
  run: NotebookRun,
  figures?: Record<string, unknown>,
): RunRecord {
  const cellsById: RunRecord['cells'] = {};
  for (const cell of run.cells) {
    if (cell.id)
      cellsById[cell.id] = {
        status: cell.status,
        outputs: cell.outputs as RunRecord['cells'][string]['outputs'],
      };
  }
  const cpuList = cpus();
  return {
    notebook: slug,
    notebookSha256,
    labSha256: labSha,
    ok: run.ok,
    failure: run.failure ? formatFailure(run.failure) : undefined,
    ranAt: new Date().toISOString(),
    machine: {
      node: process.version,
      platform: platform(),
      arch: arch(),
      cpus: cpuList.length,
      cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    },
    durationMs: Math.round(run.durationMs),
    cells: cellsById,
    ...(figures ? { figures } : {}),
  };
}

/** The figures a run wrote with recordFigures() (<dir>/<slug>.json), or undefined if none. */
export function readFigures(slug: string, dir: string): Record<string, unknown> | undefined {
  const file = join(dir, `${slug}.json`);
  if (!existsSync(file)) return undefined;
  const figures = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (typeof figures !== 'object' || figures === null || Array.isArray(figures)) {
    throw new Error(`${file}: recordFigures() writes an object of figures, this is not one`);
  }
  return figures as Record<string, unknown>;
}

/**
 * Runs one notebook and records what it printed and the figures it recorded in this run: a figures
 * file an earlier run left behind is deleted first, so a run that records none has none.
 */
export async function recordRun(
  path: string,
  text: string,
  labSha: string,
  // recordFigures() writes .figures/ in the kernel's folder, which is the notebook's folder.
  { run = runNotebook, figuresDir = join(dirname(resolve(path)), '.figures') } = {},
): Promise<RunRecord> {
  const slug = basename(path, '.ipynb');
  rmSync(join(figuresDir, `${slug}.json`), { force: true });
  const result = await run(path);
  return runRecord(slug, notebookSha256(text), labSha, result, readFigures(slug, figuresDir));
}

/**
 * Deletes every run in runsDir that ran other notebook text than the notebook has now (or whose
 * notebook is gone): its notebook page would not show it, so its chapter page must not either.
 */
export function removeStaleRuns(runsDir: string, shaBySlug: Map<string, string>): string[] {
  if (!existsSync(runsDir)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(runsDir).filter((n) => n.endsWith('.json'))) {
    const record = JSON.parse(readFileSync(join(runsDir, name), 'utf8')) as RunRecord;
    if (shaBySlug.get(record.notebook) !== record.notebookSha256) {
      rmSync(join(runsDir, name));
      removed.push(name);
    }
  }
  return removed;
}

/**
 * Writes, for every run in runsDir that recorded figures, the same figures without the outputs into
 * figuresDir (and removes any other file there): a chapter page loads only these.
 */
export function writeFigureRuns(runsDir: string, figuresDir: string): string[] {
  mkdirSync(figuresDir, { recursive: true });
  const written: string[] = [];
  const runs = existsSync(runsDir) ? readdirSync(runsDir).filter((n) => n.endsWith('.json')) : [];
  for (const name of runs) {
    const record = figureRecord(JSON.parse(readFileSync(join(runsDir, name), 'utf8')) as RunRecord);
    if (!record) continue;
    writeFileSync(join(figuresDir, name), recordText(record));
    written.push(name);
  }
  for (const name of readdirSync(figuresDir).filter((n) => n.endsWith('.json'))) {
    if (!written.includes(name)) rmSync(join(figuresDir, name));
  }
  return written;
}

function notebookPaths(): string[] {
  return readdirSync(NOTEBOOKS_DIR)
    .filter((name) => /^\d+-[\w-]+\.ipynb$/.test(name))
    .sort()
    .map((name) => join(NOTEBOOKS_DIR, name));
}

/** The committed constants file of one notebook: every `const NAME = <number>;` of its code cells. */
export function constantsText(notebook: Notebook): string {
  const code = notebook.cells
    .filter((c) => c.cell_type === 'code')
    .map((c) => sourceText(c.source));
  return JSON.stringify(constantsOf(code), null, 2) + '\n';
}

/**
 * Writes docs/notebooks/*.mdx and the constants file (CONSTANTS_DIR) of every notebook, and removes
 * those of notebooks that are gone.
 */
export function writePages(): string[] {
  mkdirSync(PAGES_DIR, { recursive: true });
  const written: string[] = [];
  const paths = notebookPaths();
  const slugs = new Set(paths.map((p) => basename(p, '.ipynb')));
  mkdirSync(CONSTANTS_DIR, { recursive: true });
  for (const [dir, ext] of [
    [PAGES_DIR, '.mdx'],
    [CONSTANTS_DIR, '.json'],
  ]) {
    for (const name of readdirSync(dir)) {
      if (name.endsWith(ext) && !slugs.has(basename(name, ext))) rmSync(join(dir, name));
    }
  }
  const shaBySlug = new Map<string, string>();
  for (const path of paths) {
    const slug = basename(path, '.ipynb');
    const text = readFileSync(path, 'utf8');
    shaBySlug.set(slug, notebookSha256(text));
    const page = notebookPage({
      slug,
      notebook: JSON.parse(text) as Notebook,
      notebookSha256: notebookSha256(text),
      hasChapter: existsSync(join(ROOT, 'docs', `${slug}.mdx`)),
      hasExercise: existsSync(join(NOTEBOOKS_DIR, 'exercises', `${slug}.ts`)),
    });
    const target = join(PAGES_DIR, `${slug}.mdx`);
    if (!existsSync(target) || readFileSync(target, 'utf8') !== page) writeFileSync(target, page);
    written.push(target);
    const constants = join(CONSTANTS_DIR, `${slug}.json`);
    const constantsNow = constantsText(JSON.parse(text) as Notebook);
    if (!existsSync(constants) || readFileSync(constants, 'utf8') !== constantsNow) {
      writeFileSync(constants, constantsNow);
    }
  }
  removeStaleRuns(RUNS_DIR, shaBySlug);
  writeFigureRuns(RUNS_DIR, FIGURE_RUNS_DIR);
  return written;
}

/** Deletes every drawing in drawingsDir that no record in runsDir shows; returns their names. */
export function removeUnusedDrawings(runsDir: string, drawingsDir: string): string[] {
  if (!existsSync(drawingsDir)) return [];
  const used = new Set<string>();
  for (const name of readdirSync(runsDir).filter((n) => n.endsWith('.json'))) {
    const record = JSON.parse(readFileSync(join(runsDir, name), 'utf8')) as RunRecord;
    for (const { key } of record.drawings ?? []) {
      used.add(drawingFile(key, 'light')).add(drawingFile(key, 'dark'));
    }
  }
  const removed = readdirSync(drawingsDir).filter((n) => n.endsWith('.svg') && !used.has(n));
  for (const name of removed) rmSync(join(drawingsDir, name));
  return removed;
}

/**
 * Does `npm run notebook-pages` run every notebook? With --fresh, and in CI: CI builds the site from
 * its own runs, so a record committed with the repository proves nothing about the checkout.
 */
export function runsEveryNotebook(fresh: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  return fresh === true || (env.CI !== undefined && !['', '0', 'false'].includes(env.CI));
}

/** Why a notebook runs now, or undefined when its recorded run is kept. */
export function reasonToRun(
  record: RunRecord | undefined,
  notebookText: string,
  lab: string,
  { every, named }: { every: boolean; named: boolean },
): string | undefined {
  if (every) return '--fresh or CI: every notebook runs';
  if (named) return 'named on the command line';
  return recordMismatch(record, notebookText, lab);
}

const USAGE = `usage: npm run notebook-pages [-- --pages-only | --fresh] [notebooks/NN-slug.ipynb ...]
  (nothing)      run every notebook whose recorded run no longer matches it or the lab
  notebooks/...  run these notebooks, whatever their records say
  --fresh        run every notebook (CI does: with CI set, no recorded run is kept)
  --pages-only   only write docs/notebooks/*.mdx and the notebooks' constants`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'pages-only': { type: 'boolean' },
      fresh: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const pages = writePages();
  console.log(`${pages.length} notebook page(s) in ${relative(process.cwd(), PAGES_DIR) || '.'}`);
  if (values['pages-only']) return 0;

  const every = runsEveryNotebook(values.fresh, process.env);
  mkdirSync(RUNS_DIR, { recursive: true });
  const lab = labSha256();
  const paths =
    positionals.length > 0 ? positionals.map((p) => resolve(process.cwd(), p)) : notebookPaths();
  let failed = 0;
  for (const path of paths) {
    const slug = basename(path, '.ipynb');
    const text = readFileSync(path, 'utf8');
    const target = join(RUNS_DIR, `${slug}.json`);
    const reason = reasonToRun(readRecord(slug), text, lab, {
      every,
      named: positionals.length > 0,
    });
    if (!reason) {
      console.log(`= ${slug}: its recorded run matches the notebook and the lab; kept`);
      continue;
    }
    console.log(`▶ ${slug}: runs (${reason.replace(/^has /, '')})`);
    rmSync(target, { force: true }); // never leave an older run in place of this one
    const record = await recordRun(path, text, lab);
    writeFileSync(target, recordText(record));
    const recorded = record.figures ? `, figures: ${Object.keys(record.figures).join(', ')}` : '';
    if (record.ok) {
      console.log(`✓ ${slug}: ran in ${(record.durationMs / 1000).toFixed(1)} s${recorded}`);
    } else {
      failed++;
      console.log(`✗ ${slug}: the run failed; its page shows the error\n${record.failure}`);
    }
  }
  writeFigureRuns(RUNS_DIR, FIGURE_RUNS_DIR);
  console.log(await drawRunDiagrams(RUNS_DIR, ROOT));
  const unused = removeUnusedDrawings(RUNS_DIR, RUN_DRAWINGS_DIR);
  if (unused.length > 0) console.log(`removed ${unused.length} drawing(s) no recorded run shows`);
  console.log(
    failed === 0
      ? `The recorded runs are in ${[RUNS_DIR, FIGURE_RUNS_DIR, RUN_DRAWINGS_DIR].map((d) => relative(ROOT, d)).join(', ')}: commit them.`
      : `${failed} notebook(s) failed: fix them and run again; a failed run is not to be committed.`,
  );
  return failed === 0 ? 0 : 1;
}

if (require.main === module) void main().then((code) => (process.exitCode = code));
