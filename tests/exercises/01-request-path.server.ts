// Runs in its own process for the exercise 01 check: the shop with the reader's productById,
// on the SQLite file the check prepared. Prints {"listening":PORT} when ready.
import { importExercise } from './watchdog';
import type { Catalog } from '../../notebooks/lab/core/catalog';
import type { Reply } from '../../notebooks/lab/core/reply';
import { openCatalog } from '../../notebooks/lab/node/sqlite-catalog';
import { startServer } from '../../notebooks/lab/node/server';
import { createShop } from '../../notebooks/lab/node/shop';

async function main() {
  const [file, dbFile] = process.argv.slice(2);
  const exercise = await importExercise(file);
  const productById = exercise.productById as (catalog: Catalog, id: string) => unknown;
  if (typeof productById !== 'function') {
    throw new Error(`${file} does not export a function named productById`);
  }
  const catalog = openCatalog(dbFile);
  // How many times the reader's code read the whole table (catalog.list()) while it answered one
  // GET /products/:id: the check's answer carries it in a header of its own.
  let scans = 0;
  const watched = (given: Catalog): Catalog =>
    new Proxy(given, {
      get(target, key) {
        const value: unknown = Reflect.get(target, key, target);
        if (typeof value !== 'function') return value;
        const method = value as (...args: unknown[]) => unknown;
        return (...args: unknown[]) => {
          if (key === 'list') scans += 1;
          return method.apply(target, args);
        };
      },
    });
  const lookUp = (given: Catalog, id: string) => {
    const before = scans;
    const reply = productById(watched(given), id) as Reply;
    const counted = (answer: Reply): Reply => ({
      ...answer,
      headers: { ...answer?.headers, 'x-check-table-reads': String(scans - before) },
    });
    return reply instanceof Promise ? reply.then(counted) : counted(reply);
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
