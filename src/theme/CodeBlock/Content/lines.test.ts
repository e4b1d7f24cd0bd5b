import { describe, expect, it } from 'vitest';
import { rowsWrappedAt } from './lines';

describe('rowsWrappedAt', () => {
  it('counts a line that fits as one row, and an empty line too', () => {
    expect(rowsWrappedAt('a\n\nabc', 10)).toBe(3);
    expect(rowsWrappedAt('x'.repeat(10), 10)).toBe(1);
  });

  it('wraps a long line into rows indented 4ch deeper than the line', () => {
    // 40 columns: the first row holds 40, each further row 40 - 4 = 36.
    expect(rowsWrappedAt('x'.repeat(41), 40)).toBe(2);
    expect(rowsWrappedAt('x'.repeat(76), 40)).toBe(2);
    expect(rowsWrappedAt('x'.repeat(77), 40)).toBe(3);
    // Indented by 2: further rows hold 40 - 2 - 4 = 34.
    expect(rowsWrappedAt(`  ${'x'.repeat(72)}`, 40)).toBe(2);
    expect(rowsWrappedAt(`  ${'x'.repeat(73)}`, 40)).toBe(3);
  });

  it('gives a deeply indented line at least 8 characters per further row', () => {
    expect(rowsWrappedAt(`${' '.repeat(20)}${'x'.repeat(20)}`, 10)).toBe(1 + Math.ceil(30 / 8));
  });
});
