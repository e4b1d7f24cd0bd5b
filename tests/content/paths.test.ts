// A page that names a file in the repository (a notebook, an exercise, a lab module) names one
// that exists. The site cannot link outside docs/, so these names are the reader's only pointer.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listDocs, repoPaths, ROOT } from './docs';

const named = listDocs().flatMap((doc) =>
  repoPaths(doc.text).map((path) => [doc.file, path] as const),
);

describe('files named on the pages', () => {
  it.each(named)('%s names %s, which exists', (_file, path) => {
    expect(existsSync(join(ROOT, path)), `${path} is not in the repository`).toBe(true);
  });

  it('finds paths in inline code and ignores other code', () => {
    expect(repoPaths('Open `notebooks/01-a.ipynb`, then `notebooks/lab/`; `npm test`.')).toEqual([
      'notebooks/01-a.ipynb',
      'notebooks/lab/',
    ]);
  });
});
