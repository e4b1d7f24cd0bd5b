// Runs in its own process for the exercise 07 check: the shop, with GET /products/:id answered
// through the reader's cachedProducts in front of the SQLite catalogue the check prepared.
// The check steers and observes it through routes only this test server has:
//   PUT  /products/:id     {priceCents?, name?} the shop's write path: the reader's cache.update
//   POST /test/db-write/:id {priceCents?, name?} another writer changes the database behind it
//   POST /test/clock       {advanceMs}   moves the cache's clock forward (it stands still otherwise)
//   POST /test/db-insert/:id {priceCents} another writer adds a product with that id
//   GET  /test/db/:id                     the product as the database has it (not a cache read)
//   GET  /test/db-reads                  how many times the cache read the database
//   GET  /test/second/:id                 a product through a second cache the same function made,
//                                         over another database (its own products, a TTL of its own)
//   GET  /test/same-db/:id                a product through a third cache the same function made,
//                                         over this same database (the same db), with a longer TTL
// Prints {"listening":PORT} when ready.
import type { IncomingMessage } from 'node:http';
import { importExercise } from './watchdog';
import Database from 'better-sqlite3';
import { type Product } from '../../notebooks/lab/core/catalog';
import { openCatalog } from '../../notebooks/lab/node/sqlite-catalog';
import { startServer } from '../../notebooks/lab/node/server';
import { createShop } from '../../notebooks/lab/node/shop';

type Changes = Partial<Omit<Product, 'id'>>;
interface Cache {
  get(id: number): Product | undefined;
  update(id: number, changes: Changes): Product | undefined;
}
type CachedProducts = (
  db: { get(id: number): Product | undefined; update(id: number, c: Changes): Product | undefined },
  ttlMs: number,
  now: () => number,
) => Cache;

/** What the check sends: a product's changes, or how far to move the clock. */
interface Body extends Changes {
  advanceMs?: number;
}

async function body(req: IncomingMessage): Promise<Body> {
  let text = '';
  for await (const chunk of req as AsyncIterable<Buffer>) text += chunk.toString('utf8');
  return text ? (JSON.parse(text) as Body) : {};
}

async function main() {
  const [file, dbFile, ttl] = process.argv.slice(2);
  const exercise = await importExercise(file);
  if (typeof exercise.cachedProducts !== 'function') {
    throw new Error(`${file} does not export a function named cachedProducts`);
  }
  const catalog = openCatalog(dbFile);
  const writer = new Database(dbFile);
  const setPrice = writer.prepare('UPDATE products SET price_cents = ? WHERE id = ?');
  const setName = writer.prepare('UPDATE products SET name = ? WHERE id = ?');
  // Writes the fields it is given, as the database's UPDATE does; a product it does not have stays
  // missing (the UPDATE changes no row).
  const write = (id: number, changes: Changes) => {
    if (changes.priceCents !== undefined) setPrice.run(changes.priceCents, id);
    if (changes.name !== undefined) setName.run(changes.name, id);
  };
  const insert = writer.prepare('INSERT INTO products (id, name, price_cents) VALUES (?, ?, ?)');
  let reads = 0;
  let offset = 0;
  const startedAt = Date.now();
  const db = {
    get: (id: number) => ((reads += 1), catalog.get(id)),
    update: (id: number, changes: Changes) => (write(id, changes), catalog.get(id)),
  };
  const cache = (exercise.cachedProducts as CachedProducts)(
    db,
    Number(ttl),
    // The cache's clock stands still until the check moves it: no TTL ends because a busy machine
    // was slow between two requests, and the check can step to a millisecond before an expiry.
    () => startedAt + offset,
  );
  // A third cache, as another shop in this process over the same database would make it: the same
  // db, a TTL of its own. It shares the database, and no copies: it starts cold. (Made before the
  // second one, so that the last cache made is still the one over another database.)
  const sameDb = (exercise.cachedProducts as CachedProducts)(
    db,
    Number(ttl) * 10,
    () => startedAt + offset,
  );
  // A second cache from the same function, as a second shop in this process would make it: over
  // another database, whose products have other names, with another TTL. Its copies are its own.
  const secondDb = {
    get: (id: number) =>
      id >= 1 && id <= 10
        ? { id, name: `Second shop item ${id}`, priceCents: 9000 + id }
        : undefined,
    update: () => undefined,
  };
  const second = (exercise.cachedProducts as CachedProducts)(
    secondDb,
    Number(ttl) * 2,
    () => startedAt + offset,
  );
  const shop = createShop({
    name: 'app-1',
    catalog: { ...catalog, get: (id: number) => cache.get(id) },
    onError: (error) => console.error(error instanceof Error ? error.stack : error),
  });
  const reply = (res: import('node:http').ServerResponse, status: number, value: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };
  const server = await startServer({
    name: 'app-1',
    app: () => async (req, res) => {
      const path = req.url ?? '/';
      const put = /^\/products\/(\d+)$/.exec(path);
      const direct = /^\/test\/db-write\/(\d+)$/.exec(path);
      const inserted = /^\/test\/db-insert\/(\d+)$/.exec(path);
      const truth = /^\/test\/db\/(\d+)$/.exec(path);
      const fromSecond = /^\/test\/second\/(\d+)$/.exec(path);
      const fromSameDb = /^\/test\/same-db\/(\d+)$/.exec(path);
      try {
        if (req.method === 'PUT' && put) {
          const product = cache.update(Number(put[1]), await body(req));
          return reply(res, product ? 200 : 404, product ?? { error: 'no such product' });
        }
        if (req.method === 'POST' && direct) {
          write(Number(direct[1]), await body(req));
          return reply(res, 200, { ok: true });
        }
        if (req.method === 'POST' && inserted) {
          const id = Number(inserted[1]);
          insert.run(id, `Late item ${id}`, (await body(req)).priceCents);
          return reply(res, 200, { ok: true });
        }
        if (req.method === 'GET' && truth) {
          const product = catalog.get(Number(truth[1]));
          return reply(res, product ? 200 : 404, product ?? { error: 'no such product' });
        }
        if (req.method === 'GET' && fromSecond) {
          const product = second.get(Number(fromSecond[1]));
          return reply(res, product ? 200 : 404, product ?? { error: 'no such product' });
        }
        if (req.method === 'GET' && fromSameDb) {
          const product = sameDb.get(Number(fromSameDb[1]));
          return reply(res, product ? 200 : 404, product ?? { error: 'no such product' });
        }
        if (req.method === 'POST' && path === '/test/clock') {
          offset += (await body(req)).advanceMs ?? 0;
          return reply(res, 200, { offset });
        }
        if (req.method === 'GET' && path === '/test/db-reads') return reply(res, 200, { reads });
      } catch (error) {
        console.error(error instanceof Error ? error.stack : error);
        return reply(res, 500, { error: 'internal server error' });
      }
      shop(req, res);
    },
  });
  console.log(JSON.stringify({ listening: server.port }));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
