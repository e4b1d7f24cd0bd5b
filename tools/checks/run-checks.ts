// Runs exercise checks with vitest in a child process and turns its JSON report into results.
// One vitest run for all the exercises asked for; a deadline kills it if a check itself hangs.
// Cold (runChecks: a vitest for one run) or warm (startCheckHost: one vitest for many runs, as
// watch mode keeps it: a re-run skips starting node, loading vitest and compiling the checks).
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { BoundedOutput } from './bounded-output';
import { checkPath, ROOT, type Exercise } from './manifest';
import { openRunFolder } from './run-folder';

export interface CheckOutcome {
  title: string;
  passed: boolean;
  /** The check's teaching message when it failed. */
  message?: string;
}

export interface ExerciseResult {
  exercise: Exercise;
  checks: CheckOutcome[];
  /** Set when the checks could not run at all (their file failed, or the run was killed). */
  error?: string;
}

export const passed = (r: ExerciseResult) =>
  !r.error && r.checks.length > 0 && r.checks.every((c) => c.passed);

interface VitestJson {
  testResults: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { title: string; status: string; failureMessages: string[] }[];
  }[];
}

const HOST = join(ROOT, 'tools/checks/vitest-host.mjs');
const CONFIG = join(ROOT, 'vitest.checks.config.mts');
/** Far above what the checks take on a very busy machine (the reader's code is watched by the CPU
 *  time it burns, harness.ts): only a check that is itself broken hits it. */
const RUN_DEADLINE_MS = 600_000;

/** vitest, started once for an exercises folder and kept warm: each run reuses what it loaded. */
export interface CheckHost {
  /** The host's process now: never the runner's, and never the one the reader's code runs in. */
  readonly pid: number | undefined;
  run(exercises: Exercise[]): Promise<ExerciseResult[]>;
  /** Stops the host and waits until it has ended. */
  close(): Promise<void>;
}

/** Runs exercise checks once, with a vitest that starts for this run and ends with it. */
export async function runChecks(
  exercises: Exercise[],
  exercisesDir: string,
): Promise<ExerciseResult[]> {
  const host = startCheckHost(exercisesDir);
  try {
    return await host.run(exercises);
  } finally {
    await host.close();
  }
}

/**
 * Starts vitest in a process of its own (vitest-host.mjs), for the checks of `exercisesDir`.
 * Cold (runChecks) and warm (watch mode) runs go through the same run(), so they report alike.
 * A host that died (killed at the deadline, or crashed) is replaced by a fresh one at the next
 * run: watch mode reports the one run it lost and goes on checking.
 */
export function startCheckHost(exercisesDir: string): CheckHost {
  // Every temp file of the host's runs in one folder (run-folder.ts), removed when it closes.
  const folder = openRunFolder(() => {
    current.child.kill('SIGKILL');
    return current.ended;
  });
  const spawnHost = () => {
    const child = fork(HOST, [], {
      cwd: ROOT,
      execArgv: [], // plain JavaScript: none of the runner's own loaders
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: {
        ...process.env,
        ...folder.env,
        STATELAB_EXERCISES: exercisesDir,
        STATELAB_CHECKS_CONFIG: CONFIG,
        FORCE_COLOR: '0',
      },
    });
    const stderr = new BoundedOutput();
    child.stderr!.on('data', (chunk) => stderr.write(chunk));
    const ended = new Promise<void>((resolve) => child.once('close', () => resolve()));
    const ready = new Promise<boolean>((resolve) => {
      child.once('message', () => resolve(true));
      void ended.then(() => resolve(false));
    });
    return { child, stderr, ended, ready };
  };
  let current = spawnHost();
  // Gone, or going: it exited, or its channel closed (which this process may hear before the exit).
  const dead = () =>
    current.child.exitCode !== null ||
    current.child.signalCode !== null ||
    !current.child.connected;
  const replace = () => {
    current.child.kill('SIGKILL'); // a host whose channel closed may not have exited yet
    current = spawnHost();
  };
  let queue = Promise.resolve();
  let closed = false;

  const runOnce = async (exercises: Exercise[], retry = true): Promise<ExerciseResult[]> => {
    if (exercises.length === 0) return []; // vitest never ends a run of no files
    if (dead() && !closed) replace();
    const { child, stderr, ended, ready } = current;
    let killed = false;
    const deadline = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, RUN_DEADLINE_MS);
    // Whether the host said it has the run: one that died before it did never ran it.
    let received = false;
    const reply = await new Promise<HostReply | undefined>((resolve) => {
      void ready.then((up) => {
        if (!up) return resolve(undefined);
        const onMessage = (message: HostReply) => {
          if (message.received) return void (received = true);
          child.off('message', onMessage);
          resolve(message);
        };
        child.on('message', onMessage);
        // A send to a host that has died fails here, or is never received (below).
        child.send({ run: exercises.map(checkPath) }, (error) => error && resolve(undefined));
      });
      void ended.then(() => resolve(undefined));
    });
    clearTimeout(deadline);
    // The host died before the run reached it (a moment ago, perhaps, before this process heard
    // of it): a fresh host takes the run, instead of the run being lost.
    if (!reply && !received && !killed && retry && !closed) {
      replace();
      return runOnce(exercises, false);
    }
    if (reply?.report) return exercises.map((e) => toResult(e, JSON.parse(reply.report!)));
    const why = killed
      ? `the checks themselves did not finish within ${RUN_DEADLINE_MS / 1000} s: a bug in StateLab, not in your code`
      : (reply?.failed ?? (stderr.text().trim() || (dead() ? 'the check host stopped' : '')));
    return lost(exercises, why || 'vitest gave no report');
  };

  return {
    get pid() {
      return current.child.pid;
    },
    // One run at a time: vitest runs are not meant to overlap.
    run: (exercises) => {
      const result = queue.then(() => runOnce(exercises));
      queue = result.then(() => undefined);
      return result;
    },
    close: async () => {
      // Nothing in the host outlives a run worth waiting for: the checks stop their servers
      // in afterAll, before the run's report is sent.
      closed = true;
      current.child.kill('SIGKILL'); // nothing, if it has exited
      await current.ended;
      folder.remove();
    },
  };
}

const lost = (exercises: Exercise[], error: string): ExerciseResult[] =>
  exercises.map((exercise) => ({ exercise, checks: [], error }));

interface HostReply {
  /** Sent first, as the host takes a run. */
  received?: boolean;
  report?: string;
  failed?: string;
}

function toResult(exercise: Exercise, json: VitestJson): ExerciseResult {
  const file = json.testResults.find((t) => t.name === checkPath(exercise));
  if (!file) return { exercise, checks: [], error: `no results for ${checkPath(exercise)}` };
  const checks = file.assertionResults.map((a) => ({
    title: a.title,
    passed: a.status === 'passed',
    message: a.failureMessages.length ? teachingPart(a.failureMessages[0]) : undefined,
  }));
  // A failure before any check ran (the reader's file did not load) is reported once, for the file.
  if (file.message && !checks.some((c) => c.passed)) {
    return { exercise, checks, error: teachingPart(file.message) };
  }
  if (checks.length === 0) return { exercise, checks, error: 'the check file ran no checks' };
  return { exercise, checks };
}

/** A failure message without vitest's stack trace: the lesson ends at its "look at:" line. */
function teachingPart(message: string): string {
  const lines = message.replace(/^Lesson: /, '').split('\n');
  const end = lines.findIndex((line) => line.startsWith('look at:'));
  return end >= 0
    ? lines.slice(0, end + 1).join('\n')
    : lines.filter((line) => !/^\s+at /.test(line)).join('\n');
}
