// `npm run check`: the exercise runner.
//   npm run check               every exercise with its state, and overall progress
//   npm run check 01            run exercise 01's checks and explain each failure
//   npm run check -- 01 --hint  the next hint for exercise 01
//   npm run check -- 01 --watch run the checks again each time the file is saved
// It never writes to the reader's files; it stores only which hints were seen and, after each run,
// each checked exercise's verdict for the site's progress table (checks/progress.ts).
import { existsSync, watch } from 'node:fs';
import { dirname, basename, resolve } from 'node:path';
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
import { passed, runChecks as runOnly, type ExerciseResult } from './checks/run-checks';

const exercisesDir = resolve(ROOT, process.env.STATELAB_EXERCISES ?? 'notebooks/exercises');
const exercises = loadExercises();

/** Every run of the checks goes through here, so every verdict reaches .statelab/progress.json. */
async function runChecks(list: Exercise[], dir: string): Promise<ExerciseResult[]> {
  const results = await runOnly(list, dir);
  saveProgress(results.map((result) => ({ result, state: stateOf(result) })));
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
  const results = await runChecks(present, exercisesDir);
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
    console.log(`  ${exercise.id}  ${exercise.title.padEnd(width)} ${label}`);
  }
  console.log(`\n${progressBar(done, exercises.length)} ${done} of ${exercises.length} done`);
  const next = exercises.find((e) => !results.some((r) => r.exercise === e && passed(r)));
  if (next)
    console.log(
      dim(`Next: npm run check ${next.id}   (stuck? npm run check -- ${next.id} --hint)`),
    );
  return 0;
}

async function checkOne(exercise: Exercise): Promise<number> {
  const file = exercisePath(exercisesDir, exercise);
  console.log(
    bold(`Exercise ${exercise.id} · ${exercise.title}`) +
      dim(`  (chapter ${Number(exercise.chapter.slice(0, 2))})`),
  );
  if (!existsSync(file)) {
    console.log(
      yellow(
        `${shortPath(file)} is missing. Restore the starter with: git checkout -- ${shortPath(file)}`,
      ),
    );
    return 1;
  }
  console.log(dim(shortPath(file)) + '\n');
  const [result] = await runChecks([exercise], exercisesDir);
  describeChecks(result).forEach((line) => console.log(line));
  const ok = passed(result);
  const count = result.checks.filter((c) => c.passed).length;
  if (ok) {
    const next = exercises[exercises.indexOf(exercise) + 1];
    console.log(`\nAll ${count} checks pass: exercise ${exercise.id} is ${stateLabel.done}.`);
    if (next) console.log(dim(`Next: npm run check ${next.id}`));
  } else {
    console.log(
      `\n${count} of ${result.checks.length} checks pass. ` +
        dim(`Stuck? npm run check -- ${exercise.id} --hint`),
    );
  }
  return ok ? 0 : 1;
}

function showHint(exercise: Exercise): number {
  const hint = nextHint(exercise);
  console.log(bold(`Exercise ${exercise.id} · hint ${hint.number} of ${hint.of}`));
  console.log(`\n  ${hint.text}\n`);
  if (hint.number < hint.of) console.log(dim(`Another: npm run check -- ${exercise.id} --hint`));
  return 0;
}

function watchOne(exercise: Exercise): void {
  const file = exercisePath(exercisesDir, exercise);
  let running = false;
  let again = false;
  const run = async () => {
    if (running) return void (again = true);
    running = true;
    console.clear();
    await checkOne(exercise);
    console.log(dim(`\nWatching ${shortPath(file)}: save it to check again. Ctrl-C stops.`));
    running = false;
    if (again) {
      again = false;
      void run();
    }
  };
  let timer: NodeJS.Timeout | undefined;
  // Watch the folder, not the file: many editors save by replacing the file.
  watch(dirname(file), (_event, name) => {
    if (name !== basename(file)) return;
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  });
  void run();
}

async function main(argv: string[]): Promise<number> {
  // `npm run check 01 --hint` hands --hint to npm, which passes it on as npm_config_hint.
  const hint = argv.includes('--hint') || process.env.npm_config_hint === 'true';
  const watchMode = argv.includes('--watch') || process.env.npm_config_watch === 'true';
  const wanted = argv.find((a) => !a.startsWith('--'));
  if (!wanted)
    return hint || watchMode
      ? usage('Which exercise? For example: npm run check -- 01 --hint')
      : listAll();
  const exercise = findExercise(exercises, wanted);
  if (!exercise)
    return usage(
      `There is no exercise "${wanted}". These exist: ${exercises.map((e) => e.id).join(', ')}`,
    );
  if (hint) return showHint(exercise);
  if (watchMode) return (watchOne(exercise), -1);
  return checkOne(exercise);
}

function usage(message: string): number {
  console.error(message);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    console.error('The check runner itself failed (this is a bug in StateLab, not in your code):');
    console.error(error);
    process.exitCode = 3;
  },
);
