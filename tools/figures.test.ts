import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { figuresModule } from './figures';

const committed = () =>
  execFileSync('git', ['show', 'HEAD:src/generated/figures.ts'], { encoding: 'utf8' });

describe('src/generated/figures.ts', () => {
  it('holds no figures in git: a page never shows numbers from another machine', () => {
    expect(committed()).toBe(figuresModule({}));
    expect(committed()).toMatch(/const figures: Record<string, unknown> = \{\};\n/);
  });

  it('is regenerated as a module whose default export is the figures', () => {
    const text = figuresModule({ '07-price-of-statelessness': { cpus: 2 } });
    expect(text).toContain('"cpus": 2');
    expect(text.startsWith(committed().split('\nconst figures')[0])).toBe(true);
  });
});
