// Exercise checks: run by `npm run check` (tools/check.ts), never by plain `vitest run`.
// STATELAB_EXERCISES picks the tree under test: the reader's starters or the solutions.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/exercises/*.check.ts'],
    // A check file runs in a worker thread of the check host (tools/checks/vitest-host.mjs), not
    // in a process of its own: one node process fewer to start for each run. The reader's code
    // never runs there: each check starts it in a server process of its own (harness.ts).
    pool: 'threads',
    // The reader's code runs in child processes watched by the CPU time they burn (harness.ts,
    // watchdog.ts), not by a clock. These limits only catch a bug in a check itself, so they are
    // far beyond what a check takes on a very busy machine: a slow machine is never a failure.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
