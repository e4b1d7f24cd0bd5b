// pointer() names the line of the reader's code to look at. A file moved, deleted or made a folder
// while its check ran must still get an answer, not a throw: the throw was swallowed, and the run
// waited out vitest's hook timeout (300 s) with no word of why.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pointer } from '../../tests/exercises/harness';

const dir = mkdtempSync(join(tmpdir(), 'statelab-pointer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pointer', () => {
  it('points at the function in a file it can read', () => {
    const file = join(dir, 'shop.ts');
    writeFileSync(file, '// notes\nexport function productById() {}\n');
    expect(pointer(file, 'productById')).toMatch(/shop\.ts:2 \(productById\)$/);
  });

  it('says a file that is gone, or a folder, could not be read, and does not throw', () => {
    const folder = join(dir, 'folder.ts');
    mkdirSync(folder);
    for (const file of [join(dir, 'gone.ts'), folder]) {
      expect(pointer(file, 'productById')).toMatch(
        /could not be read: is it still there, and a file\?/,
      );
    }
  });
});
