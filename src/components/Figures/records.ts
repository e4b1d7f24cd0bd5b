// The figures of every run `npm run notebook-pages` recorded, read by the bundler when the site is
// built. They are copies of the run records in ../NotebookOutput/runs without the outputs, so a
// chapter page carries a few kilobytes of figures, not every notebook's outputs; both come from
// the same run, so a chapter page and its notebook page quote one run.
import type { FigureRecord } from './figures';

const context = require.context('./runs', false, /\.json$/);
export const records: FigureRecord[] = context.keys().map((key) => context(key) as FigureRecord);
