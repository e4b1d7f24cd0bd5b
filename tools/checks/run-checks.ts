// Runs exercise checks with vitest in a child process and turns its JSON report into results.
// One vitest run for all the exercises asked for; a deadline kills it if a check itself hangs.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

const VITEST = join(ROOT, 'node_modules/vitest/vitest.mjs');
/** Far above what the checks take on a very busy machine (the reader's code is watched by the CPU
 *  time it burns, harness.ts): only a check that is itself broken hits it. */
const RUN_DEADLINE_MS = 600_000;

export async function runChecks(
  exercises: Exercise[],
  exercisesDir: string,
): Promise<ExerciseResult[]> {
  // Every temp file of the run, the report's included, in one folder (run-folder.ts).
  const folder = openRunFolder(() => {
    child.kill('SIGKILL');
    return closed;
  });
  const report = join(folder.path, 'report.json');
  const args = [
    VITEST,
    'run',
    '--config',
    'vitest.checks.config.mts',
    '--reporter=json',
    `--outputFile=${report}`,
  ];
  const child = spawn(process.execPath, [...args, ...exercises.map(checkPath)], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...folder.env, STATELAB_EXERCISES: exercisesDir, FORCE_COLOR: '0' },
  });
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stderr = new BoundedOutput();
  child.stderr.on('data', (chunk) => stderr.write(chunk));
  let killed = false;
  const deadline = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, RUN_DEADLINE_MS);
  await closed;
  clearTimeout(deadline);

  try {
    const json = JSON.parse(readFileSync(report, 'utf8')) as VitestJson;
    return exercises.map((exercise) => toResult(exercise, json));
  } catch {
    const why = killed
      ? `the checks themselves did not finish within ${RUN_DEADLINE_MS / 1000} s: a bug in StateLab, not in your code`
      : stderr.text().trim();
    return exercises.map((exercise) => ({
      exercise,
      checks: [],
      error: why || 'vitest gave no report',
    }));
  } finally {
    folder.remove();
  }
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
