// show(rows): a table in a notebook's output. Rows of plain objects become a Markdown table
// (core/report.ts's `table`) that tslab displays as a rendered table, not as printed text, so the
// notebook page shows it the way the chapter shows its tables.
import * as tslab from 'tslab';
import { table } from '../core/report';

/** Where a table goes: tslab's display in a notebook; a stand-in in a test. */
export type MarkdownDisplay = Pick<tslab.Display, 'markdown'>;

/** Shows `rows` as one table: one row per object, one column per key. */
export function show(rows: readonly object[], display: MarkdownDisplay = tslab.display): void {
  display.markdown(table(rows));
}
