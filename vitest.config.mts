// Unit and integration tests: lab modules (beside the code), tools, content and runners.
// Exercise checks (*.check.ts) are not here: `npm run check` runs them with vitest.checks.config.ts.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The site's components are .tsx; tsconfig keeps JSX for Docusaurus ("preserve"), so tests
  // that render a component compile it here with React's automatic runtime.
  oxc: { jsx: { runtime: 'automatic' } },
  test: {
    include: ['notebooks/lab/**/*.test.ts', 'tools/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
