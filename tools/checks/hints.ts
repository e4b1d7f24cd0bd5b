// "Next hint" needs a memory of which hints a reader has seen. It is kept in .statelab/hints.json
// (git-ignored), never in the reader's exercise files.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ROOT, type Exercise } from './manifest';

// STATELAB_STATE lets tests keep their own hint memory instead of the reader's.
const FILE = join(resolve(ROOT, process.env.STATELAB_STATE ?? '.statelab'), 'hints.json');

function seen(): Record<string, number> {
  if (!existsSync(FILE)) return {};
  try {
    return JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, number>;
  } catch {
    return {}; // a damaged file only means hints start again from the first
  }
}

/** The next hint for this exercise, counting up to the last one, which then repeats. */
export function nextHint(exercise: Exercise): { text: string; number: number; of: number } {
  const counts = seen();
  const number = Math.min((counts[exercise.id] ?? 0) + 1, exercise.hints.length);
  counts[exercise.id] = number;
  mkdirSync(dirname(FILE), { recursive: true });
  writeFileSync(FILE, JSON.stringify(counts, null, 2) + '\n');
  return { text: exercise.hints[number - 1], number, of: exercise.hints.length };
}
