// Every run `npm run notebook-pages` recorded in ./runs (committed, so a fresh clone has them), read
// by the bundler when the site is built: notebook pages show a run's outputs. Chapter pages read the same run's figures from
// a copy without the outputs (../Figures/runs). The bundler's require.context (webpack and Rspack
// both provide it) finds the files.
import type { RunRecord } from './run';

const context = require.context('./runs', false, /\.json$/);
export const records: RunRecord[] = context.keys().map((key) => context(key) as RunRecord);
