// Shows figures a notebook measured on the machine that built the site (src/generated/figures.ts,
// written by `npm run figures`). Where there are none, it says how to get them: never a number
// that was not measured.
//   <FigureTable chapter="07-price-of-statelessness" table="stores" />
//   <Figure chapter="07-price-of-statelessness" path="staleness.staleForMs" digits={0} unit="ms" />
import type { ReactNode } from 'react';
import figures from '@site/src/generated/figures';

type Row = Record<string, unknown>;
interface Column {
  label: string;
  value: (row: Row, rows: Row[]) => string;
}

const num = (key: string, digits: number) => (row: Row) => Number(row[key]).toFixed(digits);
const ratio = (key: string) => (row: Row, rows: Row[]) =>
  `×${(Number(row[key]) / Number(rows[0][key])).toFixed(2)}`;

/** Where each table's rows are in a chapter's figures, and its columns. */
const TABLES: Record<string, Record<string, { rows: string; columns: Column[] }>> = {
  '07-price-of-statelessness': {
    stores: {
      rows: 'stores',
      columns: [
        { label: 'sessions + carts in', value: (r) => String(r.store) },
        { label: 'cart req/s (8 in flight)', value: num('perSecond', 0) },
        { label: 'p50 ms', value: num('p50', 3) },
        { label: 'p99 ms', value: num('p99', 3) },
        { label: 'p50 × memory', value: ratio('p50') },
      ],
    },
    cache: {
      rows: 'cache.products',
      columns: [
        { label: 'request', value: (r) => String(r.label) },
        { label: 'req/s (8 in flight)', value: num('perSecond', 0) },
        { label: 'p50 ms', value: num('p50', 3) },
        { label: 'catalogue reads', value: (r) => String(r.dbReads) },
      ],
    },
    processes: {
      rows: 'processes.rows',
      columns: [
        { label: 'server processes', value: (r) => String(r.servers) },
        { label: 'cart req/s (16 in flight)', value: num('perSecond', 0) },
        { label: 'p50 ms', value: num('p50', 2) },
        { label: '× 1 process', value: ratio('perSecond') },
      ],
    },
  },
};

function lookup(chapter: string, path: string): unknown {
  let value: unknown = (figures as Record<string, unknown>)[chapter];
  for (const key of path.split('.')) {
    value = value && typeof value === 'object' ? (value as Row)[key] : undefined;
  }
  return value;
}

function Missing({ chapter }: { chapter: string }): ReactNode {
  return (
    <div className="alert alert--secondary" role="note">
      No figures from this machine yet: run the notebook <code>notebooks/{chapter}.ipynb</code> (or{' '}
      <code>npm run figures</code>) to see this machine's numbers here.
    </div>
  );
}

function Measured({ chapter }: { chapter: string }): ReactNode {
  const cpus = lookup(chapter, 'cpus');
  const at = lookup(chapter, 'measuredAt');
  return (
    <p>
      <small>
        Measured by the notebook on the machine that built this page ({String(cpus)} CPU cores,{' '}
        {String(at)}).
      </small>
    </p>
  );
}

export function FigureTable({ chapter, table }: { chapter: string; table: string }): ReactNode {
  const spec = TABLES[chapter]?.[table];
  if (!spec) throw new Error(`FigureTable: no table "${table}" for ${chapter}`); // fail the build
  const rows = lookup(chapter, spec.rows);
  if (!Array.isArray(rows) || rows.length === 0) return <Missing chapter={chapter} />;
  return (
    <>
      <table>
        <thead>
          <tr>
            {spec.columns.map((c) => (
              <th key={c.label}>{c.label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {(rows as Row[]).map((row, i) => (
            <tr key={i}>
              {spec.columns.map((c) => (
                <td key={c.label}>{c.value(row, rows as Row[])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <Measured chapter={chapter} />
    </>
  );
}

/** One measured number in a sentence; without figures, a short pointer to the notebook. */
export function Figure(props: {
  chapter: string;
  path: string;
  digits?: number;
  unit?: string;
}): ReactNode {
  const value = lookup(props.chapter, props.path);
  if (typeof value !== 'number') return <em>(run the notebook to measure)</em>;
  return (
    <strong>
      {value.toFixed(props.digits ?? 0)}
      {props.unit ? ` ${props.unit}` : ''}
    </strong>
  );
}
