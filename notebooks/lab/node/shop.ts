// The shop served over node:http: the adapter between Node and the platform-free shop
// (core/shop-app.ts), as hono serves one app through one adapter per runtime. It brings what needs
// Node (session IDs and body fingerprints from node:crypto), reads each request through the HTTP
// edge (http-edge.ts: path, cookies, JSON body, or the 4xx the request earns), and adds the
// server's own headers to every reply. It keeps no state of its own: the app's stores hold it.
import { createHash } from 'node:crypto';
import { newSessionId } from './account';
import type { Catalog } from '../core/catalog';
import { answerRequest, firstHeader, type Handler } from './http-edge';
import { createShopApp, type ShopAppOptions, type ShopPlatform } from '../core/shop-app';

export type { Handler }; // what createShop returns, for the notebooks that wrap one

export interface ShopOptions extends Omit<ShopAppOptions, 'platform'> {
  /** Shown in the `x-served-by` header, so a client can see which server answered. */
  name: string;
  /** Where unexpected errors go; a real shop logs them and tells the client only "500". */
  onError?: (error: unknown) => void;
}

/** Node's part: IDs from the OS's CSPRNG (node/account.ts), SHA-256 fingerprints. */
export const NODE_PLATFORM: ShopPlatform = {
  newSessionId,
  fingerprint: (bytes) => createHash('sha256').update(bytes).digest('base64url'),
};

// #region create-shop
export function createShop(options: ShopOptions): Handler {
  const { name, catalog } = options;
  const app = createShopApp({ ...options, platform: NODE_PLATFORM });
  const onError = options.onError ?? ((error) => console.error(error));

  return async (req, res) => {
    const started = performance.now();
    const db = timedCatalog(catalog);
    // Path, cookies and JSON body, read safely; or the 400/413 the request earns (http-edge.ts).
    await answerRequest(
      req,
      res,
      (request) =>
        app(
          { ...request, idempotencyKey: firstHeader(req.headers['idempotency-key']) },
          db.catalog,
        ),
      {
        onError,
        headers: () => ({
          'x-served-by': name,
          // Server-Timing lets the client see where the server spent its time.
          'server-timing': `db;dur=${db.ms().toFixed(3)}, app;dur=${(performance.now() - started).toFixed(3)}`,
        }),
      },
    );
  };
}
// #endregion create-shop

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
    placeOrder: time(catalog.placeOrder),
    orders: time(catalog.orders),
    close: catalog.close,
  };
  return { catalog: wrapped, ms: () => ms };
}
