// Exercise checks: run by `npm run check` (tools/check.ts), never by plain `vitest run`.
// STATELAB_EXERCISES picks the tree under test: the reader's starters or the solutions.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/exercises/*.check.ts'],
    // The reader's code runs in child processes with their own deadlines (harness.ts);
    // these limits only catch a bug in a check itself.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
