// `npm run check -- 01 --watch`: checks the exercise again each time its file is saved, with
// vitest kept warm between runs. Once it passes, it moves on, as rustlings does: it checks the
// next exercises in course order (wrapping around) and watches the first that does not pass yet;
// when every exercise passes, it says so and ends.
import { existsSync, watch } from 'node:fs';
import { basename } from 'node:path';
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

/** Watches `start`, then each next exercise; resolves once every exercise passes. */
export function watchExercises(plan: WatchPlan, start: Exercise): Promise<void> {
  const { exercises, exercisesDir } = plan;
  const fileOf = (exercise: Exercise) => exercisePath(exercisesDir, exercise);
  let current = start;
  let running = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  return new Promise<void>((allDone) => {
    // Watch the folder, not the file: many editors save by writing a new file over the old one.
    const watcher = watch(exercisesDir, (_event, name) => {
      if (name !== basename(fileOf(current))) return;
      clearTimeout(timer);
      timer = setTimeout(() => void run(), 50);
    });

    /** Checks `exercise`, shows the outcome; true once it passes. */
    const checkAndShow = async (exercise: Exercise) => {
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
          watcher.close();
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
