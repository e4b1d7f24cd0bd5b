import { describe, expect, it } from 'vitest';
import { tableLinesAt, tableSizeVars, TABLE_COLUMNS } from './table-size';

describe('tableLinesAt', () => {
  it('gives each row that fits one line, an empty row too', () => {
    expect(
      tableLinesAt(
        [
          ['a', 'b'],
          ['', ''],
        ],
        40,
      ),
    ).toBe(2);
    // Two cells: room for 40 - 2 * 3 = 34 characters.
    expect(tableLinesAt([['x'.repeat(17), 'y'.repeat(17)]], 40)).toBe(1);
  });

  it('gives a row whose text does not fit side by side as many lines as it needs', () => {
    expect(tableLinesAt([['x'.repeat(17), 'y'.repeat(18)]], 40)).toBe(2);
    expect(tableLinesAt([['x'.repeat(100), 'y']], 40)).toBe(3); // 101 / 34
    expect(tableLinesAt([['short'], ['x'.repeat(75)]], 40)).toBe(4); // 1 + ceil(75 / 37)
  });

  it('gives a cell at least four characters of room, however many columns', () => {
    const row = Array.from({ length: 12 }, () => 'abcd');
    expect(tableLinesAt([row], 34)).toBe(1); // room 48, not 34 - 36
  });

  it('gives a table with no rows no lines', () => {
    expect(tableLinesAt([], 40)).toBe(0);
  });

  it('takes more lines on a phone than on a tablet or a wide screen', () => {
    const rows = [['user', 'a sentence of some length that a narrow screen has to wrap']];
    const vars = tableSizeVars(rows);
    expect(vars['--table-rows']).toBe(1);
    expect(vars['--table-lines']).toBe(tableLinesAt(rows, TABLE_COLUMNS.wide));
    expect(vars['--table-lines-tablet']).toBe(tableLinesAt(rows, TABLE_COLUMNS.tablet));
    expect(vars['--table-lines-phone']).toBe(tableLinesAt(rows, TABLE_COLUMNS.phone));
    expect(vars['--table-lines-phone']).toBeGreaterThan(vars['--table-lines']);
  });
});
