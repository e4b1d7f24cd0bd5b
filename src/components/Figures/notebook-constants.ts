// The constants a notebook sets (`const TTL_MS = 1000;`), for <Constant>: a chapter page quotes an
// input the notebook chose, such as a TTL, from the notebook's own code, not from a run. A run cannot
// change it, so it needs no run to be shown, and changing it in the notebook changes the page.
// `npm run notebook-pages` (--pages-only is enough) writes them to ./constants/NN-slug.json (committed);
// tools/notebook-pages.test.ts fails when those no longer match the notebooks. Pure: no files.

/** NN-slug → constant name → value; null for a name set more than once (which one would it be?). */
export type NotebookConstants = Record<string, Record<string, number | null>>;

/**
 * A top-level constant with a number literal, at the start of a line of a code cell:
 * `const TTL_MS = 1000;`, `const WRITES = 20_000;`. Names in capitals only, the notebooks' habit for
 * the inputs a reader is invited to change.
 */
const CONSTANT = /^const ([A-Z][A-Z0-9_]*) = (-?\d[\d_]*(?:\.\d+)?);/gm;

/** The number constants that these code cells set. */
export function constantsOf(codeCells: string[]): Record<string, number | null> {
  const found: Record<string, number | null> = {};
  for (const code of codeCells) {
    for (const [, name, literal] of code.matchAll(CONSTANT)) {
      found[name] = Object.hasOwn(found, name) ? null : Number(literal.replace(/_/g, ''));
    }
  }
  return found;
}

/** The value of one constant of a notebook; a name it does not set (once) throws, failing the build. */
export function constantValue(constants: NotebookConstants, chapter: string, name: string): number {
  const set = constants[chapter];
  if (!set) throw new Error(`Constant: no notebook notebooks/${chapter}.ipynb sets constants`);
  if (!Object.hasOwn(set, name)) {
    throw new Error(
      `Constant: notebooks/${chapter}.ipynb sets no "const ${name} = <number>;" ` +
        `(it sets: ${Object.keys(set).join(', ')}). Fix the name on the page, or run ` +
        '`npm run notebook-pages -- --pages-only` after changing the notebook.',
    );
  }
  const value = set[name];
  if (value === null) {
    throw new Error(`Constant: notebooks/${chapter}.ipynb sets ${name} more than once`);
  }
  return value;
}
