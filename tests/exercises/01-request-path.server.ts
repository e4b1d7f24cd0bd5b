// Runs in its own process for the exercise 01 check: the shop with the reader's productById,
// on the SQLite file the check prepared. Prints {"listening":PORT} when ready.
import Database from 'better-sqlite3';
import { importExercise } from './watchdog';
import type { Catalog } from '../../notebooks/lab/core/catalog';
import type { Reply } from '../../notebooks/lab/core/reply';
import { openCatalog } from '../../notebooks/lab/node/sqlite-catalog';
import { startServer } from '../../notebooks/lab/node/server';
import { createShop } from '../../notebooks/lab/node/shop';

/**
 * Counts the reads of the whole products table that SQLite makes while the reader's code answers
 * one GET /products/:id: every statement run in that time, on any connection (the catalogue's, or
 * one the reader opened), is asked for its query plan, and a plan that SCANs products (rather than
 * SEARCHing it by its key) is a read of every row. The check's answer carries the count, and the
 * reader's line that ran the statement, in headers of their own.
 */
function watchTableScans(file: string) {
  const prepare = Database.prototype.prepare;
  const state = { reading: false, scans: 0, line: undefined as string | undefined };
  const scansTable = (db: Database.Database, sql: string, args: unknown[]) => {
    try {
      const explain = prepare.call(db, `EXPLAIN QUERY PLAN ${sql}`) as unknown as {
        all: (...args: unknown[]) => { detail: string }[];
      };
      const plan = explain.all(...args);
      return plan.some((row) => /^SCAN products\b/.test(row.detail));
    } catch {
      return false; // not a query (an INSERT, a PRAGMA): not a read of the table
    }
  };
  Database.prototype.prepare = function (this: Database.Database, sql: string) {
    const statement = prepare.call(this, sql) as unknown as Record<string, unknown>;
    for (const method of ['get', 'all', 'iterate']) {
      const run = statement[method] as (...args: unknown[]) => unknown;
      statement[method] = (...args: unknown[]) => {
        if (state.reading && scansTable(this, sql, args)) {
          state.scans += 1;
          state.line ??= new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+)`).exec(
            new Error().stack ?? '',
          )?.[1];
        }
        return run.apply(statement, args);
      };
    }
    return statement as unknown as Database.Statement;
  } as typeof prepare;
  return state;
}

async function main() {
  const [file, dbFile] = process.argv.slice(2);
  const scans = watchTableScans(file);
  const exercise = await importExercise(file);
  const productById = exercise.productById as (catalog: Catalog, id: string) => unknown;
  if (typeof productById !== 'function') {
    throw new Error(`${file} does not export a function named productById`);
  }
  const catalog = openCatalog(dbFile);
  const counted = (reply: unknown): unknown => {
    scans.reading = false;
    if (typeof reply !== 'object' || reply === null) return reply; // the shop says what is wrong
    const headers: Record<string, string> = {
      ...(reply as Reply).headers,
      'x-check-table-scans': String(scans.scans),
    };
    if (scans.line) headers['x-check-table-scan-line'] = scans.line;
    return { ...reply, headers };
  };
  const lookUp = (given: Catalog, id: string) => {
    Object.assign(scans, { reading: true, scans: 0, line: undefined });
    try {
      const reply = productById(given, id);
      return reply instanceof Promise ? reply.then(counted) : counted(reply);
    } catch (error) {
      scans.reading = false;
      throw error;
    }
  };
  const server = await startServer({
    name: 'app-1',
    app: () =>
      createShop({
        name: 'app-1',
        catalog,
        productById: lookUp as Parameters<typeof createShop>[0]['productById'],
        onError: (error) => console.error(error instanceof Error ? error.stack : error),
      }),
  });
  console.log(JSON.stringify({ listening: server.port }));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
