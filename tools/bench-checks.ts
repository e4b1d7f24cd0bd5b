// Exercise check latency in `npm run bench`, as a reader waits for it: a real `npm run check NN`
// started cold, on the untouched starter and on the reference solution; and in a real
// `npm run check -- NN --watch`, the time from saving the file to the verdict on screen. Printed
// beside the machine's load average and core count: on a busy machine every figure grows.
// Goals on an idle 2-core machine: cold ≤ 2 s for one exercise, a watch re-run ≤ 1 s.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { FLAGS } from './checks/args';
import { exercisePath, loadExercises, ROOT, type Exercise } from './checks/manifest';
import { starterText } from './checks/reset';

const REPEATS = 3;
/** Far beyond a check's run on a busy machine: only a runner that hangs reaches it. */
const WAIT_MS = 300_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const load = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (1, 5, 15 min) on ${availableParallelism()} cores`;

/** `npm run check ...args` on `dir`, in a process group of its own; output as it comes. */
function npmCheck(dir: string, args: string[], onOutput: (text: string) => void = () => {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, STATELAB_EXERCISES: dir, NO_COLOR: '1' };
  for (const flag of FLAGS) delete env[`npm_config_${flag}`];
  const child = spawn('npm', ['run', 'check', ...args], { cwd: ROOT, env, detached: true });
  let output = '';
  const take = (chunk: Buffer) => {
    output += chunk;
    onOutput(output);
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const ended = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stop = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    return ended;
  };
  return { ended, stop, output: () => output };
}

/** Wall time of one cold `npm run check NN`, from start to exit. */
async function cold(dir: string, exercise: Exercise): Promise<number> {
  const started = performance.now();
  const run = npmCheck(dir, [exercise.id]);
  const timer = setTimeout(() => void run.stop(), WAIT_MS);
  await run.ended;
  clearTimeout(timer);
  return performance.now() - started;
}

/** Save → verdict on screen in a watch run, REPEATS times (the file is rewritten unchanged). */
async function watchReruns(dir: string, exercise: Exercise): Promise<number[]> {
  const file = exercisePath(dir, exercise);
  let verdicts = 0;
  let onVerdict = () => {};
  const run = npmCheck(dir, ['--', exercise.id, '--watch'], (output) => {
    const seen = output.match(/Watching .*: save it to check again/g)?.length ?? 0;
    if (seen > verdicts) {
      verdicts = seen;
      onVerdict();
    }
  });
  const verdict = () =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no verdict within ${WAIT_MS / 1000} s:\n${run.output()}`)),
        WAIT_MS,
      );
      onVerdict = () => (clearTimeout(timer), resolve());
    });
  try {
    await verdict(); // the first, cold run
    const times: number[] = [];
    for (let i = 0; i < REPEATS; i += 1) {
      const next = verdict();
      const saved = performance.now();
      writeFileSync(file, readFileSync(file));
      await next;
      times.push(performance.now() - saved);
    }
    return times;
  } finally {
    await run.stop();
  }
}

export async function reportCheckLatency() {
  const exercises = loadExercises();
  console.log(
    `exercise check latency: npm run check NN started cold, and a save in npm run check -- NN --watch\n` +
      `until its verdict is on screen (medians of ${REPEATS}); goals on an idle 2-core machine: ≤ 2 s, ≤ 1 s`,
  );
  console.log(`  before: ${load()}`);
  // The untouched starters, copied beside notebooks/lab (the reader may be editing theirs).
  const starters = mkdtempSync(join(ROOT, 'notebooks/.tmp-bench-'));
  const solutions = join(ROOT, 'notebooks/solutions');
  const colds: number[] = [];
  const reruns: number[] = [];
  try {
    for (const exercise of exercises)
      writeFileSync(exercisePath(starters, exercise), starterText(exercise));
    const row = (cells: string[]) => `  ${cells.map((c) => c.padEnd(18)).join('')}`.trimEnd();
    console.log(row(['exercise', 'cold, starter', 'cold, solution', 'watch re-run, starter']));
    for (const exercise of exercises) {
      const onStarter: number[] = [];
      const onSolution: number[] = [];
      for (let i = 0; i < REPEATS; i += 1) {
        onStarter.push(await cold(starters, exercise));
        onSolution.push(await cold(solutions, exercise));
      }
      const rerun = median(await watchReruns(starters, exercise));
      colds.push(median(onStarter), median(onSolution));
      reruns.push(rerun);
      console.log(
        row([exercise.id, seconds(median(onStarter)), seconds(median(onSolution)), seconds(rerun)]),
      );
    }
  } finally {
    rmSync(starters, { recursive: true, force: true });
  }
  console.log(
    `  median over the exercises: cold ${seconds(median(colds))} (goal ≤ 2 s), watch re-run ${seconds(median(reruns))} (goal ≤ 1 s)`,
  );
  console.log(`  after:  ${load()}`);
}
