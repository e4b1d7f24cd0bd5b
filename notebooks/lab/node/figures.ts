// What a notebook measured, kept for its chapter page: recordFigures(notebook, figures) writes
// .figures/<notebook>.json in the notebook's folder (git-ignored). `npm run notebook-pages` keeps it
// beside the outputs of the same run, so a chapter page and its notebook page quote one run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes this run's figures (plain JSON: numbers, strings, arrays, objects) for the chapter page. */
export function recordFigures(
  notebook: string,
  figures: Record<string, unknown>,
  dir = '.figures',
): string {
  if (!/^\d\d-[a-z0-9-]+$/.test(notebook))
    throw new Error(`recordFigures: "${notebook}" is not NN-slug`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${notebook}.json`);
  writeFileSync(file, JSON.stringify(figures, null, 2) + '\n');
  return file;
}
