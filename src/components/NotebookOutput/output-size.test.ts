import { describe, expect, it } from 'vitest';
import {
  tableLinesAt,
  tableSizeVars,
  TABLE_COLUMNS,
  textRowsAt,
  textSizeVars,
} from './output-size';

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

  it('takes more lines on a phone than on a wide screen', () => {
    const rows = [['user', 'a sentence of some length that a narrow screen has to wrap']];
    const vars = tableSizeVars(rows);
    expect(vars['--table-rows']).toBe(1);
    expect(vars['--table-lines']).toBe(tableLinesAt(rows, TABLE_COLUMNS.wide));
    expect(vars['--table-lines-phone']).toBeGreaterThan(vars['--table-lines']);
  });
});

describe('textRowsAt', () => {
  it('gives each line a row, an empty one too, and a first or final newline none', () => {
    expect(textRowsAt('a\n\nb', 10)).toBe(3);
    expect(textRowsAt('a\nb\n', 10)).toBe(2);
    expect(textRowsAt('\na\nb\n', 10)).toBe(2);
    expect(textRowsAt('\n\na', 10)).toBe(2);
    expect(textRowsAt('', 10)).toBe(1);
  });

  it('wraps a long line into as many rows as it needs', () => {
    expect(textRowsAt('x'.repeat(10), 10)).toBe(1);
    expect(textRowsAt('x'.repeat(11), 10)).toBe(2);
    expect(textRowsAt(`${'x'.repeat(25)}\nshort`, 10)).toBe(4);
  });

  it('takes more rows on a phone than on a wide screen', () => {
    const vars = textSizeVars(
      'a line of printed text that is longer than a phone is wide, by far!',
    );
    expect(vars['--text-rows']).toBe(1);
    expect(vars['--text-rows-phone']).toBe(2);
  });
});
