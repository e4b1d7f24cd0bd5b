// Exercise 07 — a read-through cache with a TTL in front of the product catalogue.
// Chapter 7, "The price of statelessness". Check it: npm run check 07 · stuck? npm run check -- 07 --hint
//
// Every GET /products/:id asks the database. Your cache sits between the shop and the database:
//   get(id)              fresh copy in memory? answer from it. Otherwise read the database once
//                        (db.get) and keep the answer until now() + ttlMs.
//   update(id, changes)  the shop's write path: write the database (db.update), then drop the
//                        cached copy, so this server never serves the old product again.
// A change someone makes to the database *without* going through update() may be served stale,
// but only until the cached copy's TTL ends. Read the clock only through now().
import type { Product } from '../lab/core/catalog';

export type ProductChanges = Partial<Omit<Product, 'id'>>;

/** The database: every call is a real read or write of the SQLite file. */
export interface ProductDb {
  get(id: number): Product | undefined;
  update(id: number, changes: ProductChanges): Product | undefined;
}

export interface ProductCache {
  get(id: number): Product | undefined;
  update(id: number, changes: ProductChanges): Product | undefined;
}

export function cachedProducts(
  db: ProductDb,
  ttlMs: number,
  now: () => number = Date.now,
): ProductCache {
  // This server's copies: product (or undefined for "no such product") and when each expires.
  const entries = new Map<number, { product: Product | undefined; expires: number }>();
  return {
    get(id) {
      // TODO: return entries.get(id)'s product while now() is before its `expires`; otherwise
      //       read db.get(id) once, remember it in `entries` until now() + ttlMs, and return it.
      throw new Error(
        `TODO: serve product ${id} from the cache while fresh (the clock now() says ${new Date(now()).toISOString()}), else read it once and keep it ${ttlMs} ms (${entries.size} cached)`,
      );
    },
    update(id, changes) {
      // TODO: write through to the database with db.update(id, changes), then forget the cached
      //       copy of this product, and return what db.update returned.
      throw new Error(
        `TODO: write ${JSON.stringify(changes)} to product ${id} in the database (it has ${Object.keys(db).join(' and ')}), then drop the cached copy`,
      );
    },
  };
}
