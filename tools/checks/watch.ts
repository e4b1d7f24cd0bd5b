// `npm run check -- 01 --watch`: checks the exercise again each time its file is saved, with
// vitest kept warm between runs. Once it passes, it moves on, as rustlings does: it checks the
// next exercises in course order (wrapping around) and watches the first that does not pass yet;
// when every exercise passes, it says so and ends.
// It notices a save however the folder fares: fs.watch on the folder hears a save at once, and a
// poll of the watched file's stat catches what fs.watch cannot hear (a folder that is missing when
// watch mode starts, or is deleted and made again: a watch on the old folder hears nothing more).
import { existsSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, join } from 'node:path';
import { bold, dim, green, shortPath, yellow } from './format';
import { exercisePath, type Exercise } from './manifest';
import { passed, type ExerciseResult } from './run-checks';

export interface WatchPlan {
  exercises: Exercise[];
  exercisesDir: string;
  /** Runs one exercise's checks on the warm host (check.ts: the one place results are known). */
  check: (exercise: Exercise) => Promise<ExerciseResult>;
  /** Prints a run's outcome, as `npm run check NN` does. */
  show: (exercise: Exercise, result: ExerciseResult) => void;
}

/** How often the watched file's stat is read, beside fs.watch (a stat costs next to nothing). */
const POLL_MS = 300;

/** What a file is now, to tell whether it changed since it was checked: missing, or its inode,
 *  size and time of change. */
function stampOf(file: string): string {
  try {
    const stat = statSync(file);
    return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/**
 * fs.watch on `dir`, calling `onName` with each name it reports, whenever `dir` exists: armed now
 * if it does, and again by arm() once a missing or deleted folder is there (again).
 */
function folderWatch(dir: string, onName: (name: string) => void) {
  let watcher: FSWatcher | undefined;
  const disarm = () => {
    watcher?.close();
    watcher = undefined;
  };
  const arm = () => {
    if (watcher || !existsSync(dir)) return;
    try {
      watcher = watch(dir, (_event, name) => {
        // The folder itself was removed or renamed (Linux names it): this watch hears no more.
        if (name === basename(dir) && !existsSync(join(dir, name))) return disarm();
        if (name) onName(String(name));
      });
      watcher.on('error', disarm);
    } catch {
      watcher = undefined; // gone again in between: the next arm() tries again
    }
  };
  arm();
  return { arm, close: disarm };
}

/** Watches `start`, then each next exercise; resolves once every exercise passes. */
export function watchExercises(plan: WatchPlan, start: Exercise): Promise<void> {
  const { exercises, exercisesDir } = plan;
  const fileOf = (exercise: Exercise) => exercisePath(exercisesDir, exercise);
  let current = start;
  let running = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  /** Each exercise's file as it was when its last check began. */
  const checked = new Map<Exercise, string>();

  return new Promise<void>((allDone) => {
    const saved = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void run(), 50);
    };
    // Watch the folder, not the file: many editors save by writing a new file over the old one.
    const folder = folderWatch(exercisesDir, (name) => {
      if (name === basename(fileOf(current))) saved();
    });
    // The net under it: a save fs.watch did not hear (no folder to watch then, or a folder made
    // again) still changes the file's stat. A save it did hear was checked already, or is about
    // to be (its stamp is taken as its check begins): that one is not checked twice.
    const poll = setInterval(() => {
      folder.arm();
      if (stampOf(fileOf(current)) !== checked.get(current)) saved();
    }, POLL_MS);

    /** Checks `exercise`, shows the outcome; true once it passes. */
    const checkAndShow = async (exercise: Exercise) => {
      checked.set(exercise, stampOf(fileOf(exercise)));
      if (!existsSync(fileOf(exercise))) {
        console.log(
          yellow(`${shortPath(fileOf(exercise))} is missing.`) +
            ` Restore the starter with: npm run check -- ${exercise.id} --reset`,
        );
        return false;
      }
      const result = await plan.check(exercise);
      plan.show(exercise, result);
      return passed(result);
    };

    /** The next exercise after `from` that does not pass yet, in course order, wrapping around. */
    const nextPending = async (passing: Exercise) => {
      const at = exercises.indexOf(passing);
      let from = passing;
      for (let step = 1; step < exercises.length; step += 1) {
        const candidate = exercises[(at + step) % exercises.length];
        console.log(
          bold(`\nMoving on to exercise ${candidate.id}`) +
            ` (${shortPath(fileOf(candidate))}): exercise ${from.id} passes.\n`,
        );
        from = candidate;
        // Watched from now on: a save the reader makes while this first check runs is checked
        // again once it ends (run() sees `again`), not lost behind a stale verdict.
        current = candidate;
        if (!(await checkAndShow(candidate))) return candidate;
      }
      return undefined;
    };

    const run = async () => {
      if (running) return void (again = true);
      running = true;
      console.clear();
      if (await checkAndShow(current)) {
        const next = await nextPending(current);
        if (!next) {
          clearInterval(poll);
          clearTimeout(timer);
          folder.close();
          console.log(
            green(bold(`\nAll ${exercises.length} exercises pass.`)) +
              ' Every check of the course is green: well done. Watch mode ends here.',
          );
          return allDone();
        }
        current = next;
      }
      console.log(
        dim(`\nWatching ${shortPath(fileOf(current))}: save it to check again. Ctrl-C stops.`),
      );
      running = false;
      if (again) {
        again = false;
        void run();
      }
    };
    void run();
  });
}
