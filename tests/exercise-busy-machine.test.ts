// A busy machine slows the exercise checks down and never fails them. While four processes keep
// both cores of a CI machine busy, every reference solution passes all of its checks, and the
// reader's code that loops for ever is still stopped, with the CPU time it burned and the line it
// was on: the checks measure the reader's code by the CPU time it burns (watchdog.ts), never by a
// clock on the wall, so a process that only waits for its turn on a core is never blamed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadExercises, ROOT } from '../tools/checks/manifest';
import { runChecks } from '../tools/checks/run-checks';
import { openCatalog } from '../notebooks/lab/node/sqlite-catalog';
import { ask, Lesson, startExerciseServer } from './exercises/harness';

/** Busy processes: twice as many as the CI machine has cores. */
const HOGS = 4;
/** Each hog stops by itself after this long, should afterAll never run (a killed test run). */
const HOG_CAP_MS = 300_000;

const hogs: ChildProcess[] = [];
beforeAll(() => {
  for (let i = 0; i < HOGS; i += 1) {
    hogs.push(
      spawn(
        process.execPath,
        ['-e', `const end = Date.now() + ${HOG_CAP_MS}; while (Date.now() < end);`],
        { stdio: 'ignore' },
      ),
    );
  }
});
afterAll(() => {
  for (const hog of hogs) hog.kill('SIGKILL');
});

const FIXTURES = join(ROOT, 'tests/fixtures/exercises');
const ENTRY_01 = join(ROOT, 'tests/exercises/01-request-path.server.ts');
const dir = mkdtempSync(join(tmpdir(), 'statelab-busy-'));
const catalog = openCatalog(join(dir, 'shop.sqlite'));
afterAll(() => {
  catalog.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('exercise checks on a machine whose cores are all busy', () => {
  it('every reference solution passes every check', async () => {
    // One run of all the checks, as `npm run check` runs them: vitest takes the check files
    // one or two at a time on a 2-core machine, so at most a few servers start at once.
    const results = await runChecks(loadExercises(), join(ROOT, 'notebooks/solutions'));
    const failures = results.flatMap((r) =>
      r.error
        ? [`${r.exercise.id}: ${r.error}`]
        : r.checks.filter((c) => !c.passed).map((c) => `${r.exercise.id} ${c.title}: ${c.message}`),
    );
    expect(failures).toEqual([]);
    expect(results.every((r) => r.checks.length > 0)).toBe(true);
  }, 600_000);

  // The harness alone, as a check uses it: from starting the reader's server to the verdict. (A
  // whole `npm run check` adds its own cold start of tsx and vitest, slower still on a busy machine.)
  it.each([
    [
      'infinite-loop',
      /productById ran for 0\.\d s of CPU time/,
      /infinite-loop\/01-request-path\.ts:8/,
    ],
    [
      'loop-at-load',
      /still starting after 0\.\d s of CPU time/,
      /loop-at-load\/01-request-path\.ts:6/,
    ],
  ])(
    '%s: still stopped after its CPU budget, naming the line it was stuck on',
    async (name, verdict, where) => {
      const file = join(FIXTURES, name, '01-request-path.ts');
      const started = performance.now();
      const lesson = await startExerciseServer(ENTRY_01, [file, catalog.file], file, 'productById')
        .then((server) => ask(server, '/products/1', file, 'productById').finally(server.stop))
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      const seconds = (performance.now() - started) / 1000;
      // Measured, not asserted: the wall time depends on the machine and on everything else on it.
      console.log(
        `${name}: verdict ${seconds.toFixed(1)} s after the server was started, ${HOGS} busy processes beside it`,
      );
      expect(lesson).toBeInstanceOf(Lesson);
      expect(String(lesson)).toMatch(verdict);
      expect(String(lesson)).toMatch(where);
    },
    120_000,
  );
});
