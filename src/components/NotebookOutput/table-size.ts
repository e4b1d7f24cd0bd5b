// About how tall a printed table is before the browser lays it out. A notebook page's tables are
// laid out only when the reader comes near them (content-visibility, ./styles.module.css, and
// ./lay-out-near.ts); until then each takes the height these lines give it, on a wide screen, a
// tablet and a phone.

/** Columns of text a table has room for, by screen (the same breakpoints as ./styles.module.css). */
export const TABLE_COLUMNS = { wide: 76, tablet: 68, phone: 34 } as const;

/**
 * About how many lines of text the table's rows take when it has room for `columns` characters:
 * each row one line, or more when its cells' text does not fit side by side. The browser shares
 * the width out by content and breaks at spaces, so this is an estimate (within about 10% of the
 * real height for most tables), never a measure.
 */
export function tableLinesAt(rows: readonly (readonly string[])[], columns: number): number {
  let lines = 0;
  for (const cells of rows) {
    // Each cell's padding takes about three characters' room; a cell never gets less than four.
    const room = Math.max(columns - 3 * cells.length, 4 * cells.length);
    const text = cells.reduce((sum, cell) => sum + cell.length, 0);
    lines += Math.max(1, Math.ceil(text / room));
  }
  return lines;
}

/** The CSS variables a table's estimated height is written from (./styles.module.css). */
export function tableSizeVars(rows: readonly (readonly string[])[]): Record<string, number> {
  return {
    '--table-rows': rows.length,
    '--table-lines': tableLinesAt(rows, TABLE_COLUMNS.wide),
    '--table-lines-tablet': tableLinesAt(rows, TABLE_COLUMNS.tablet),
    '--table-lines-phone': tableLinesAt(rows, TABLE_COLUMNS.phone),
  };
}
