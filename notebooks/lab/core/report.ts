// Small tables for notebooks: rows of plain objects → a Markdown table, shown with
// tslab's display.markdown(...). Numbers are rounded so a table stays readable.

type Row = Record<string, unknown>;

/** Any plain objects make a table: one row each, one column per key. */
export function table(objects: readonly object[], digits = 2): string {
  if (objects.length === 0) return '_(no rows)_';
  const rows = objects as readonly Row[];
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cell = (value: unknown) =>
    typeof value === 'number' && !Number.isInteger(value)
      ? value.toFixed(digits)
      : String(value ?? '').replace(/\|/g, '\\|');
  return [
    `| ${columns.join(' | ')} |`,
    `| ${columns.map((c) => (rows.every((r) => typeof r[c] !== 'string') ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((row) => `| ${columns.map((c) => cell(row[c])).join(' | ')} |`),
  ].join('\n');
}

/** The median of some numbers (the middle one; the mean of the two middle ones). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
