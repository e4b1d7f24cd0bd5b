import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { claim, ClaimFailed } from './claims';
import { recordFigures } from '../node/figures';

describe('claim', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints a claim the run bears out', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    claim(true, 'least connections sent app-3 fewer requests');
    expect(log).toHaveBeenCalledWith('✓ least connections sent app-3 fewer requests');
  });

  it('throws, with the evidence, when the run contradicts it', () => {
    expect(() => claim(false, 'nothing was lost', { lost: 3 })).toThrow(ClaimFailed);
    expect(() => claim(false, 'nothing was lost', { lost: 3 })).toThrow(
      /nothing was lost[\s\S]*"lost":3/,
    );
  });
});

describe('recordFigures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'statelab-figures-'));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the figures as JSON under the notebook name', () => {
    const file = recordFigures('02-many-servers', { p90: 12.5 }, dir);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ p90: 12.5 });
  });

  it('refuses a name that is not NN-slug', () => {
    expect(() => recordFigures('../x', {}, dir)).toThrow(/NN-slug/);
  });
});
