// The shop's web tier: a node:http request handler. It holds no user state of its own;
// chapter 1's shop only reads products from the catalogue (the DB tier).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Catalog } from './catalog';
import { listProducts, productById as defaultProductById, type ProductById } from './products';
import { json, type Reply } from './reply';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface ShopOptions {
  /** Shown in the `x-served-by` header, so a client can see which server answered. */
  name: string;
  catalog: Catalog;
  /** The `GET /products/:id` route; exercise 01 plugs the reader's own version in here. */
  productById?: ProductById;
  /** Where unexpected errors go; a real shop logs them and tells the client only "500". */
  onError?: (error: unknown) => void;
}

// #region create-shop
export function createShop(options: ShopOptions): Handler {
  const { name, catalog, productById = defaultProductById } = options;
  const onError = options.onError ?? ((error) => console.error(error));

  return (req, res) => {
    const started = performance.now();
    const db = timedCatalog(catalog);
    let reply: Reply;
    try {
      reply = route(req.method ?? 'GET', pathOf(req), db.catalog, productById);
    } catch (error) {
      onError(error);
      reply = json(500, { error: 'internal server error' });
    }
    const appMs = performance.now() - started;
    res.writeHead(reply.status, {
      'content-type': 'application/json; charset=utf-8',
      'x-served-by': name,
      // Server-Timing lets the client see where the server spent its time.
      'server-timing': `db;dur=${db.ms().toFixed(3)}, app;dur=${appMs.toFixed(3)}`,
      ...reply.headers,
    });
    res.end(JSON.stringify(reply.body));
  };
}
// #endregion create-shop

function route(method: string, path: string, catalog: Catalog, productById: ProductById): Reply {
  if (method !== 'GET') return json(405, { error: `${method} is not allowed here` });
  if (path === '/health') return json(200, { ok: true });
  if (path === '/products') return listProducts(catalog);
  const match = /^\/products\/([^/]*)$/.exec(path);
  if (match) {
    const id = decodeSegment(match[1]);
    return id === undefined ? json(400, { error: 'malformed URL' }) : productById(catalog, id);
  }
  return json(404, { error: `no route for ${path}` });
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined; // "%zz" is not valid percent-encoding: the client's mistake
  }
}

const pathOf = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://shop.invalid').pathname;

/** Wraps the catalogue so one request can report how long it spent in the DB tier. */
function timedCatalog(catalog: Catalog) {
  let ms = 0;
  const time =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      const t0 = performance.now();
      try {
        return fn(...args);
      } finally {
        ms += performance.now() - t0;
      }
    };
  const wrapped: Catalog = {
    file: catalog.file,
    get: time(catalog.get),
    list: time(catalog.list),
    add: time(catalog.add),
    close: catalog.close,
  };
  return { catalog: wrapped, ms: () => ms };
}
