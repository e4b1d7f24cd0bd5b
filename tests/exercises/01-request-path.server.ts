// Runs in its own process for the exercise 01 check: the shop with the reader's productById,
// on the SQLite file the check prepared. Prints {"listening":PORT} when ready.
import { importExercise } from './watchdog';
import { openCatalog } from '../../notebooks/lab/node/sqlite-catalog';
import { startServer } from '../../notebooks/lab/node/server';
import { createShop } from '../../notebooks/lab/node/shop';

async function main() {
  const [file, dbFile] = process.argv.slice(2);
  const exercise = await importExercise(file);
  const productById = exercise.productById;
  if (typeof productById !== 'function') {
    throw new Error(`${file} does not export a function named productById`);
  }
  const catalog = openCatalog(dbFile);
  const server = await startServer({
    name: 'app-1',
    app: () =>
      createShop({
        name: 'app-1',
        catalog,
        productById: productById as Parameters<typeof createShop>[0]['productById'],
        onError: (error) => console.error(error instanceof Error ? error.stack : error),
      }),
  });
  console.log(JSON.stringify({ listening: server.port }));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
