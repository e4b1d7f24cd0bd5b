// After each run, the check runner records what it found for each exercise in one git-ignored file,
// .statelab/progress.json, which the site's progress table reads when it runs locally (`npm start`).
// The file is replaced in one step (a temp file, then rename), so a reader never sees half of it,
// and each read-merge-write holds a lock, so two runs that end together both keep their verdicts.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import {
  noExerciseProgress,
  parseExerciseProgress,
  type ExerciseProgress,
  type ExerciseRecord,
  type ExerciseState,
} from '../../src/components/Progress/exercise-progress';
import { ROOT } from './manifest';
import type { ExerciseResult } from './run-checks';

/** Where the progress lives; STATELAB_STATE moves it (tests use their own, as with hints.json). */
export const progressFile = (root = ROOT) =>
  join(resolve(root, process.env.STATELAB_STATE ?? '.statelab'), 'progress.json');

/** The recorded progress; a missing or damaged file reads as no progress, never as an error. */
export function readProgressFile(file = progressFile()): ExerciseProgress {
  return parseExerciseProgress(readRaw(file));
}

function readRaw(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** One exercise's verdict as the file keeps it. */
export function recordOf(
  result: ExerciseResult,
  state: ExerciseState,
  checkedAt: Date,
): ExerciseRecord {
  const { exercise, checks } = result;
  return {
    id: exercise.id,
    chapter: exercise.chapter.slice(0, 2),
    title: exercise.title,
    state,
    passing: checks.filter((c) => c.passed).length,
    total: checks.length,
    checkedAt: checkedAt.toISOString(),
  };
}

/**
 * Records the verdicts of one run over the ones before it: exercises this run did not check keep
 * their last verdict, unless `gone` names them (their file is missing: a verdict on a file that is
 * not there would be a claim about nothing). The read, the merge and the write happen under the
 * file's lock, so two runs that end at the same instant (two terminals, watch mode and a manual
 * run) both keep theirs.
 */
export function recordProgress(
  verdicts: { result: ExerciseResult; state: ExerciseState }[],
  file = progressFile(),
  now = new Date(),
  gone: string[] = [],
): ExerciseProgress {
  return whileLocked(file, () => {
    const raw = readRaw(file);
    const before = parseExerciseProgress(raw);
    // Damaged (not JSON, or not a progress record): read as none, and written anew just below,
    // so the reader hears of it once.
    if (raw?.trim() && before === noExerciseProgress) {
      console.warn(
        `(${file} was damaged: the progress it held is forgotten, and starts again here)`,
      );
    }
    const exercises = { ...before.exercises };
    for (const { result, state } of verdicts) {
      exercises[result.exercise.id] = recordOf(result, state, now);
    }
    // Last: a file deleted while its checks ran has a verdict from this run, about a file gone.
    for (const id of gone) delete exercises[id];
    const progress: ExerciseProgress = { version: 1, exercises };
    writeAtomically(file, JSON.stringify(progress, null, 2) + '\n');
    return progress;
  });
}

/** How long a run waits for another run's write before it gives up (saveProgress then says so). */
const LOCK_WAIT_MS = 10_000;
/** A lock whose owner is still alive but has held it this long is taken as abandoned. */
const STALE_LOCK_MS = 30_000;

/**
 * Runs `work` while holding `<file>.lock`, a folder: creating a folder either succeeds or fails
 * with EEXIST in one step, on every platform, so only one process creates it. Inside, `owner`
 * names the holder (pid and a random token): a run releases only its own lock, and a lock whose
 * owner process is gone (a run killed while it held it) is broken at once, not after a wait.
 * Two runs may judge the same dead lock at once: the first to break it may take a lock of its
 * own before the second breaks "it", so a breaker deletes only the lock it judged (breakLock).
 */
export function whileLocked<T>(file: string, work: () => T): T {
  const lock = `${file}.lock`;
  const token = `${process.pid} ${randomUUID()}`;
  mkdirSync(dirname(file), { recursive: true });
  const giveUpAt = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      try {
        writeFileSync(join(lock, 'owner'), token);
      } catch (error) {
        rmSync(lock, { recursive: true, force: true });
        throw error;
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const dead = abandoned(lock);
      if (dead !== undefined) {
        breakLock(lock, token, dead);
        continue;
      }
      if (Date.now() > giveUpAt) {
        throw new Error(`${lock} is held by another run for more than ${LOCK_WAIT_MS / 1000} s`, {
          cause: error,
        });
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5); // 5 ms, then try again
    }
  }
  try {
    return work();
  } finally {
    if (ownerOf(lock) === token) rmSync(lock, { recursive: true, force: true });
  }
}

function ownerOf(lock: string): string | undefined {
  try {
    return readFileSync(join(lock, 'owner'), 'utf8');
  } catch {
    return undefined;
  }
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** A lock with no owner named: its maker died between making it and naming itself. */
const NO_OWNER = '';

/** Left by a run that is gone, or held far longer than any write takes: its owner (NO_OWNER if
 *  it names none), or undefined when the lock is not abandoned. */
function abandoned(lock: string): string | undefined {
  let ageMs: number;
  try {
    ageMs = Date.now() - statSync(lock).mtimeMs;
  } catch {
    return undefined; // released in between: try again at once
  }
  const owner = ownerOf(lock);
  // No owner yet: its maker is between mkdir and writing the owner, unless that was long ago.
  if (owner === undefined) return ageMs > 2_000 ? NO_OWNER : undefined;
  const pid = Number(owner.split(' ')[0]);
  return !isAlive(pid) || ageMs > STALE_LOCK_MS ? owner : undefined;
}

/**
 * Moves the lock aside in one step (only one breaker's rename succeeds) and deletes it, if it is
 * still the lock judged abandoned: the one `owner` held. If another run broke that one first and
 * took the lock for itself, the lock moved aside is that run's, and it is put back at once.
 */
export function breakLock(lock: string, token: string, owner: string): void {
  const aside = `${lock}.broken-${token.replace(/\W/g, '')}`;
  try {
    renameSync(lock, aside);
  } catch {
    return; // another run broke or released it first
  }
  if ((ownerOf(aside) ?? NO_OWNER) !== owner) {
    try {
      renameSync(aside, lock); // a live run's lock: give it back
      return;
    } catch {
      // A third run took the lock in that instant: the one moved aside cannot go back.
    }
  }
  rmSync(aside, { recursive: true, force: true });
}

/**
 * What `npm run check` calls after every run. Progress is a convenience for the site: if it cannot
 * be saved (a read-only folder, say), the reader is told in one line and the check goes on.
 */
export function saveProgress(
  verdicts: { result: ExerciseResult; state: ExerciseState }[],
  file = progressFile(),
  gone: string[] = [],
): void {
  try {
    recordProgress(verdicts, file, new Date(), gone);
  } catch (error) {
    console.warn(`(progress for the site not saved in ${file}: ${(error as Error).message})`);
  }
}

let writes = 0;

/** Writes a temp file beside the target, then renames it over the target: rename is atomic. */
export function writeAtomically(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writes += 1;
  const temp = `${file}.${process.pid}-${writes}.tmp`;
  try {
    writeFileSync(temp, text);
    renameSync(temp, file);
  } finally {
    rmSync(temp, { force: true });
  }
}
