// The notebook cache (tools/notebook-pages.ts) must miss when any lab file changes, wherever it
// sits below notebooks/lab/: the lab is two folders (core/ and node/), not one.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheKey } from './notebook-pages';

const lab = mkdtempSync(join(tmpdir(), 'statelab-cache-key-'));
afterAll(() => rmSync(lab, { recursive: true, force: true }));

describe('cacheKey', () => {
  it('changes when a lab file in a subfolder changes, or moves to another folder', () => {
    mkdirSync(join(lab, 'core'));
    mkdirSync(join(lab, 'node'));
    writeFileSync(join(lab, 'core', 'store.ts'), 'export const a = 1;\n');
    const before = cacheKey('{}', lab);
    expect(cacheKey('{}', lab)).toBe(before);
    writeFileSync(join(lab, 'core', 'store.ts'), 'export const a = 2;\n');
    const edited = cacheKey('{}', lab);
    expect(edited).not.toBe(before);
    rmSync(join(lab, 'core', 'store.ts'));
    writeFileSync(join(lab, 'node', 'store.ts'), 'export const a = 2;\n');
    expect(cacheKey('{}', lab)).not.toBe(edited);
  });
});
