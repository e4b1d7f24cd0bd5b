// The exercise manifest (notebooks/exercises.json): course order, objectives and hints.
// It holds no progress: progress is whatever the checks say when they run.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');

export interface Exercise {
  id: string;
  slug: string;
  title: string;
  chapter: string;
  /** The function the reader writes; failures point at it. */
  function: string;
  objectives: string[];
  /** What the exercise teaches, one check each: exactly the titles of its checks, in order. */
  behaviours: string[];
  outOfScope: string[];
  hints: string[];
  /** sha256 of the untouched starter (LF line endings, no byte order mark): tells "not started"
   *  from "failing". */
  starterSha256: string;
}

export function loadExercises(root = ROOT): Exercise[] {
  const file = join(root, 'notebooks/exercises.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { exercises: Exercise[] }).exercises;
}

/** Finds an exercise by "1", "01" or its slug. */
export function findExercise(exercises: Exercise[], wanted: string): Exercise | undefined {
  const id = /^\d+$/.test(wanted) ? wanted.padStart(2, '0') : wanted;
  return exercises.find((e) => e.id === id || e.slug === id);
}

export const exercisePath = (dir: string, exercise: Exercise) => join(dir, `${exercise.slug}.ts`);
export const checkPath = (exercise: Exercise) =>
  join(ROOT, 'tests/exercises', `${exercise.slug}.check.ts`);

/** sha256 of a file's text as an editor shows it: line endings as LF, without the byte order
 *  mark some editors (Windows ones) save at the start of a UTF-8 file. */
export function sha256OfText(file: string): string {
  const text = readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .replace(/\r\n/g, '\n');
  return createHash('sha256').update(text).digest('hex');
}
