// Unit and integration tests: beside the code they test (the lab, tools/, src/), and in tests/ the
// cross-cutting suites (exercise proofs, content rules, the site in Chromium).
// Exercise checks (*.check.ts) are not here: `npm run check` runs them with vitest.checks.config.ts.
import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The file that keeps every core busy on purpose (four processes spinning, to show the exercise
 * checks still pass on a busy machine). Run beside another file, it would make that file's waits
 * flaky too; so it runs alone, after the rest.
 */
const BUSY_MACHINE = 'tests/exercise-busy-machine.test.ts';

export default defineConfig({
  // The site's components are .tsx; tsconfig keeps JSX for Docusaurus ("preserve"), so tests
  // that render a component compile it here with React's automatic runtime.
  oxc: { jsx: { runtime: 'automatic' } },
  // Docusaurus's client modules by the names its bundler gives them, for a test that imports site
  // code which uses them (src/prose/client.test.tsx; the test still mocks what needs a running site).
  resolve: {
    alias: {
      '@docusaurus/router': '@docusaurus/core/lib/client/exports/router.js',
      '@docusaurus/useBrokenLinks': '@docusaurus/core/lib/client/exports/useBrokenLinks.js',
    },
  },
  test: {
    // vitest's default is one worker fewer than the cores: on a 2-core machine (CI, a small laptop)
    // that is one, and every file waits for the one before it although most of them wait on servers,
    // processes and Chromium rather than on the CPU. Two workers at least: the files run two at a
    // time there, as they already do (and more) on a reader's bigger machine.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll gives up after 1 s by default: too short for a browser on a busy machine (an
    // observer, a chunk fetched, a render). It costs nothing when the check passes at once.
    expect: { poll: { timeout: 10_000 } },
    projects: [
      {
        extends: true,
        test: {
          name: 'suite',
          include: [
            'notebooks/lab/**/*.test.ts',
            'tools/**/*.test.ts',
            'src/**/*.test.{ts,tsx}',
            'tests/**/*.test.ts',
          ],
          exclude: [...configDefaults.exclude, BUSY_MACHINE],
        },
      },
      {
        extends: true,
        test: { name: 'busy machine', include: [BUSY_MACHINE], sequence: { groupOrder: 1 } },
      },
    ],
  },
});
