// Unit and integration tests: beside the code they test (the lab, tools/, src/), and in tests/ the
// cross-cutting suites (exercise proofs, content rules, the site in Chromium).
// Exercise checks (*.check.ts) are not here: `npm run check` runs them with vitest.checks.config.ts.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The site's components are .tsx; tsconfig keeps JSX for Docusaurus ("preserve"), so tests
  // that render a component compile it here with React's automatic runtime.
  oxc: { jsx: { runtime: 'automatic' } },
  test: {
    include: [
      'notebooks/lab/**/*.test.ts',
      'tools/**/*.test.ts',
      'src/**/*.test.{ts,tsx}',
      'tests/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
