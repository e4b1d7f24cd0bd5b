// `npm run check -- NN --reset`: puts the untouched starter back, and never loses the reader's
// file: a version that differs from the starter is kept beside it first, under a name of its own.
// The starter comes from tools/checks/starters/ (a pristine copy of each, checked against the
// manifest's starterSha256), not from git: a course downloaded as a zip has no git history.
import {
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { exercisePath, ROOT, sha256OfText, type Exercise } from './manifest';

export const STARTERS = join(ROOT, 'tools/checks/starters');
export const starterCopy = (exercise: Exercise) => join(STARTERS, `${exercise.slug}.ts.txt`);

export type ResetOutcome =
  /** The file was already the untouched starter: nothing was written. */
  | { kind: 'untouched' }
  /** The starter is back; `backup` holds what the file was, unless there was no file. */
  | { kind: 'restored'; backup?: string };

/** The pristine starter's text, refused if it is not the one the manifest names. */
export function starterText(exercise: Exercise): string {
  const copy = starterCopy(exercise);
  if (!existsSync(copy) || sha256OfText(copy) !== exercise.starterSha256) {
    throw new Error(
      `${copy} is missing or is not the starter notebooks/exercises.json names (starterSha256)`,
    );
  }
  return readFileSync(copy, 'utf8');
}

export function resetExercise(exercise: Exercise, dir: string, now = new Date()): ResetOutcome {
  const file = exercisePath(dir, exercise);
  const starter = starterText(exercise);
  if (existsSync(file) && sha256OfText(file) === exercise.starterSha256)
    return { kind: 'untouched' };
  let backup: string | undefined;
  if (existsSync(file)) {
    backup = freeBackupName(file, now);
    // COPYFILE_EXCL: a backup is never written over another one.
    copyFileSync(file, backup, constants.COPYFILE_EXCL);
  }
  // Written beside it and renamed over it: the file is the reader's version or the starter,
  // never half of one. A folder that is gone (deleted, or STATELAB_EXERCISES names a new one) is
  // made first.
  mkdirSync(dir, { recursive: true });
  const next = `${file}.reset-${process.pid}`;
  writeFileSync(next, starter);
  renameSync(next, file);
  return { kind: 'restored', backup };
}

/** NN-slug.ts.bak-20250131-154501, or -2, -3 … if two resets land in one second. */
function freeBackupName(file: string, now: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const stamp =
    `${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}-` +
    `${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`;
  for (let n = 1; n <= 100; n += 1) {
    const name = `${file}.bak-${stamp}${n === 1 ? '' : `-${n}`}`;
    if (!existsSync(name)) return name;
  }
  throw new Error(`more than 100 backups of ${file} in one second: not writing another`);
}
