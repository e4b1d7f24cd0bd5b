// A page that names a file in the repository (a notebook, an exercise, a lab module) names one
// that exists. The site cannot link outside docs/, so these names are the reader's only pointer.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listDocs, repoPaths, ROOT } from './docs';

// The README and CONTRIBUTING.md are pages too, for whoever works on the course; a path with NN in
// it is a pattern ("notebooks/NN-slug.ipynb"), not a file.
const guides = ['README.md', 'CONTRIBUTING.md'].map((file) => ({
  file,
  text: readFileSync(join(ROOT, file), 'utf8'),
}));
const named = [...listDocs(), ...guides].flatMap((doc) =>
  repoPaths(doc.text)
    .filter((path) => !/\bNN\b|NN-/.test(path))
    .map((path) => [doc.file, path] as const),
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
