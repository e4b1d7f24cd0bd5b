// "Next hint" needs a memory of which hints a reader has seen. It is kept in .statelab/hints.json
// (git-ignored), never in the reader's exercise files.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ROOT, type Exercise } from './manifest';

// STATELAB_STATE lets tests keep their own hint memory instead of the reader's.
const FILE = join(resolve(ROOT, process.env.STATELAB_STATE ?? '.statelab'), 'hints.json');

/** The hints seen so far: for each exercise id, how many. A damaged file (not JSON, or not such
 *  counts) only means hints start again from the first: it is read as empty, and the reader is told
 *  once (the next hint writes a sound file over it). */
function seen(): Record<string, number> {
  if (!existsSync(FILE)) return {};
  let text: string;
  try {
    text = readFileSync(FILE, 'utf8');
  } catch {
    return {}; // not a file it can read (a folder, say): nothing was damaged, and the write says why
  }
  let counts: unknown;
  try {
    counts = JSON.parse(text);
  } catch {
    counts = undefined;
  }
  const sound =
    typeof counts === 'object' &&
    counts !== null &&
    !Array.isArray(counts) &&
    Object.values(counts).every((n) => Number.isSafeInteger(n) && (n as number) >= 0);
  if (sound) return counts as Record<string, number>;
  console.log(`(${FILE} was damaged: the hints it remembered are forgotten, and start again here)`);
  return {};
}

/** The next hint for this exercise, counting up to the last one, which then repeats. */
export function nextHint(exercise: Exercise): { text: string; number: number; of: number } {
  const counts = seen();
  const number = Math.min((counts[exercise.id] ?? 0) + 1, exercise.hints.length);
  counts[exercise.id] = number;
  try {
    mkdirSync(dirname(FILE), { recursive: true });
    writeFileSync(FILE, JSON.stringify(counts, null, 2) + '\n');
  } catch (error) {
    // The hint is shown all the same; only which one comes next is not remembered.
    console.log(
      `(${FILE} could not be written, so the next --hint starts here again: ${(error as Error).message})`,
    );
  }
  return { text: exercise.hints[number - 1], number, of: exercise.hints.length };
}
