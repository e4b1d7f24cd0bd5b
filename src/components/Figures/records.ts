// What the chapter pages quote, read by the bundler when the site is built (the bundler's
// require.context, which webpack and Rspack both provide, finds the files):
// - ./runs: the figures of every recorded run (committed; `npm run notebook-pages` writes them). They
//   are copies of the run records in ../NotebookOutput/runs without the outputs, so a chapter page
//   carries a few kilobytes of figures, not every notebook's outputs; both come from the same run, so
//   a chapter page and its notebook page quote one run.
// - ./constants: the number constants each notebook's code sets (`const TTL_MS = 1000;`), for <Constant>.
import type { FigureRecord } from './figures';
import type { NotebookConstants } from './notebook-constants';

const runs = require.context('./runs', false, /\.json$/);
export const records: FigureRecord[] = runs.keys().map((key) => runs(key) as FigureRecord);

const constantFiles = require.context('./constants', false, /\.json$/);
export const constants: NotebookConstants = Object.fromEntries(
  constantFiles
    .keys()
    .map((key) => [
      key.replace(/^.*\//, '').replace(/\.json$/, ''),
      constantFiles(key) as NotebookConstants[string],
    ]),
);
