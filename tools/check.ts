// `npm run check`: the exercise runner.
//   npm run check               every exercise with its state, and overall progress
//   npm run check 01            run exercise 01's checks and explain each failure
//   npm run check -- 01 --hint  the next hint for exercise 01
//   npm run check -- 01 --watch run the checks again each time the file is saved, then move on
//   npm run check -- 01 --reset put the starter back (the reader's version is kept beside it)
// It writes to the reader's files only when asked to --reset, and then keeps a backup. It stores
// which hints were seen and, after each run, each checked exercise's verdict for the site's
// progress table (checks/progress.ts).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, typed, type Request } from './checks/args';
import { nextHint } from './checks/hints';
import {
  bold,
  describeChecks,
  dim,
  progressBar,
  shortPath,
  stateLabel,
  yellow,
  type State,
} from './checks/format';
import {
  exercisePath,
  findExercise,
  loadExercises,
  ROOT,
  sha256OfText,
  type Exercise,
} from './checks/manifest';
import { saveProgress } from './checks/progress';
import { resetExercise } from './checks/reset';
import {
  passed,
  runChecks,
  startCheckHost,
  type CheckHost,
  type ExerciseResult,
} from './checks/run-checks';
import { watchExercises } from './checks/watch';

const exercisesDir = resolve(ROOT, process.env.STATELAB_EXERCISES ?? 'notebooks/exercises');
const exercises = loadExercises();
/** The reference solutions: spoilers, named to the reader only once their exercise passes. */
const solutionPath = (exercise: Exercise) =>
  join(ROOT, 'notebooks/solutions', `${exercise.slug}.ts`);

/**
 * Every run of the checks goes through here, whatever asked for it: the list, one exercise, each
 * run in watch mode (on a warm host). So every verdict reaches .statelab/progress.json.
 */
async function check(wanted: Exercise[], host?: CheckHost): Promise<ExerciseResult[]> {
  const results = await (host ? host.run(wanted) : runChecks(wanted, exercisesDir));
  saveProgress(
    results.map((result) => ({ result, state: stateOf(result) })),
    undefined,
    exercises.filter((e) => !existsSync(exercisePath(exercisesDir, e))).map((e) => e.id),
  );
  return results;
}

function stateOf(result: ExerciseResult): State {
  if (passed(result)) return 'done';
  const file = exercisePath(exercisesDir, result.exercise);
  if (existsSync(file) && sha256OfText(file) === result.exercise.starterSha256)
    return 'not started';
  return result.error ? 'broken' : 'failing';
}

async function listAll(): Promise<number> {
  const present = exercises.filter((e) => existsSync(exercisePath(exercisesDir, e)));
  const results = await check(present);
  console.log(
    bold('StateLab exercises') + dim('  (states come from running the checks just now)\n'),
  );
  let done = 0;
  const width = Math.max(...exercises.map((e) => e.title.length));
  for (const exercise of exercises) {
    const result = results.find((r) => r.exercise === exercise);
    const state = result ? stateOf(result) : undefined;
    if (state === 'done') done += 1;
    const label = state
      ? stateLabel[state]
      : yellow(`missing: ${shortPath(exercisePath(exercisesDir, exercise))}`);
    console.log(`  ${exercise.id}  ${exercise.title.padEnd(width)}   ${label}`);
  }
  console.log(`\n${progressBar(done, exercises.length)} ${done} of ${exercises.length} done`);
  const next = exercises.find((e) => !results.some((r) => r.exercise === e && passed(r)));
  if (next)
    console.log(
      dim(`Next: npm run check ${next.id}   (stuck? npm run check -- ${next.id} --hint)`),
    );
  return 0;
}

function header(exercise: Exercise) {
  console.log(
    bold(`Exercise ${exercise.id} · ${exercise.title}`) +
      dim(`  (chapter ${Number(exercise.chapter.slice(0, 2))})`),
  );
}

/** How a run of one exercise reads: each check, then what to do next. */
function show(exercise: Exercise, result: ExerciseResult) {
  header(exercise);
  console.log(dim(shortPath(exercisePath(exercisesDir, exercise))) + '\n');
  describeChecks(result).forEach((line) => console.log(line));
  const count = result.checks.filter((c) => c.passed).length;
  if (passed(result)) {
    console.log(`\nAll ${count} checks pass: exercise ${exercise.id} is ${stateLabel.done}.`);
    console.log(`Compare with the reference solution: ${shortPath(solutionPath(exercise))}`);
    const next = exercises[exercises.indexOf(exercise) + 1];
    if (next) console.log(dim(`Next: npm run check ${next.id}`));
  } else if (result.error) {
    // The file did not load or the checks could not run: the message above says where; a hint
    // about the exercise cannot help until it does.
    console.log(`\nNo check could run: fix what the message above points at, then check again.`);
  } else {
    console.log(
      `\n${count} of ${result.checks.length} checks pass. ` +
        dim(`Stuck? npm run check -- ${exercise.id} --hint`),
    );
  }
}

function missing(exercise: Exercise): number {
  saveProgress([], undefined, [exercise.id]); // its last verdict was about a file that is gone
  header(exercise);
  const file = shortPath(exercisePath(exercisesDir, exercise));
  console.log(
    yellow(`${file} is missing.`) +
      ` Restore the starter with: npm run check -- ${exercise.id} --reset`,
  );
  return 1;
}

async function checkOne(exercise: Exercise): Promise<number> {
  if (!existsSync(exercisePath(exercisesDir, exercise))) return missing(exercise);
  const [result] = await check([exercise]);
  show(exercise, result);
  return passed(result) ? 0 : 1;
}

function showHint(exercise: Exercise): number {
  const hint = nextHint(exercise);
  console.log(bold(`Exercise ${exercise.id} · hint ${hint.number} of ${hint.of}`));
  console.log(`\n  ${hint.text}\n`);
  if (hint.number < hint.of) console.log(dim(`Another: npm run check -- ${exercise.id} --hint`));
  return 0;
}

function reset(exercise: Exercise): number {
  header(exercise);
  const file = shortPath(exercisePath(exercisesDir, exercise));
  const outcome = resetExercise(exercise, exercisesDir);
  if (outcome.kind === 'untouched') {
    console.log(`${file} is already the untouched starter: nothing to reset.`);
  } else {
    console.log(`${file} is the starter again.`);
    if (outcome.backup) console.log(`Your version is kept in ${shortPath(outcome.backup)}`);
  }
  return 0;
}

async function watchFrom(exercise: Exercise): Promise<number> {
  const host = startCheckHost(exercisesDir);
  try {
    await watchExercises(
      {
        exercises,
        exercisesDir,
        check: (one) => check([one], host).then(([result]) => result),
        show,
      },
      exercise,
    );
  } finally {
    await host.close();
  }
  return 0;
}

async function main(request: Request): Promise<number> {
  if (request.problem) return usage(request.problem);
  const { flag } = request;
  if (flag && request.flagViaNpm) {
    // npm took the flag as a setting of its own and passed it on; it warns that this will stop.
    console.log(
      dim(
        `(npm passed --${flag} on with a warning; what to type: ${typed(request.exercise, flag)})\n`,
      ),
    );
  }
  if (!request.exercise) {
    if (flag === 'watch') return watchFrom(exercises[0]);
    if (flag) return usage(`Which exercise? For example: ${typed('01', flag)}`);
    return listAll();
  }
  const exercise = findExercise(exercises, request.exercise);
  if (!exercise)
    return usage(
      `There is no exercise "${request.exercise}". These exist: ${exercises.map((e) => e.id).join(', ')}`,
    );
  if (flag === 'hint') return showHint(exercise);
  if (flag === 'reset') return reset(exercise);
  if (flag === 'watch') return watchFrom(exercise);
  return checkOne(exercise);
}

function usage(message: string): number {
  console.error(message);
  return 2;
}

main(parseArgs(process.argv.slice(2), process.env)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('The check runner itself failed (this is a bug in StateLab, not in your code):');
    console.error(error);
    process.exitCode = 3;
  },
);
