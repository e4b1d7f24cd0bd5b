// Written by `npm run figures` (tools/figures.ts) with the figures the notebooks measured on this
// machine. In git it only ever holds {} (tools/figures.test.ts checks): numbers from one machine
// are never committed, so a page shows a machine's numbers only where they were measured.
const figures: Record<string, unknown> = {};
export default figures;
