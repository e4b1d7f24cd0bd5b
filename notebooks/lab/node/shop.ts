// The shop's web tier: a node:http request handler. Where user state lives is not its decision:
// it uses the session and cart stores it is given. By default each shop creates its own
// liveStore()s (live objects in its own memory), so a server that runs it is *stateful*
// (chapter 3); give every server the same shared stores and the servers become stateless (chapter 4).
import { createHash } from 'node:crypto';
import { login, logout, me, SESSION_COOKIE } from './account';
import { addToCart, checkout, showCart } from '../core/cart';
import type { Catalog } from '../core/catalog';
import { answerRequest, type Handler } from './http-edge';
import { keysInMemory, withIdempotency, type IdempotencyRecord } from '../core/idempotency';
import {
  listProducts,
  productById as defaultProductById,
  type ProductById,
} from '../core/products';
import { json, type Reply } from '../core/reply';
import type { CartLine, RequestContext, Session } from '../core/shop-types';
import { liveStore } from '../core/live-store';
import { currentSession, NOT_LOGGED_IN } from '../core/shop-rules';
import type { StateStore } from '../core/store';

export type { Handler }; // what createShop returns, for the notebooks that wrap one

export interface ShopOptions {
  /** Shown in the `x-served-by` header, so a client can see which server answered. */
  name: string;
  catalog: Catalog;
  /** Where sessions live. Default: this shop's own memory. */
  sessions?: StateStore<Session>;
  /** Where carts live. Default: this shop's own memory. */
  carts?: StateStore<CartLine[]>;
  /** Where replies to requests sent with an Idempotency-Key are kept. Default: this shop's own memory. */
  idempotency?: StateStore<IdempotencyRecord>;
  /** The `GET /products/:id` route; exercise 01 plugs the reader's own version in here. */
  productById?: ProductById;
  /** Where unexpected errors go; a real shop logs them and tells the client only "500". */
  onError?: (error: unknown) => void;
}

// #region create-shop
export function createShop(options: ShopOptions): Handler {
  const { name, catalog, productById = defaultProductById } = options;
  const sessions = options.sessions ?? liveStore<Session>(); // stateful unless told otherwise
  const carts = options.carts ?? liveStore<CartLine[]>();
  const idempotency = options.idempotency ?? keysInMemory(); // at most MAX_KEYS_IN_MEMORY
  const onError = options.onError ?? ((error) => console.error(error));

  return async (req, res) => {
    const started = performance.now();
    const db = timedCatalog(catalog);
    // Path, cookies and JSON body, read safely; or the 400/413 the request earns (http-edge.ts).
    await answerRequest(
      req,
      res,
      (request) => {
        const ctx: RequestContext = { ...request, catalog: db.catalog, sessions, carts };
        const key = req.headers['idempotency-key'];
        return once(ctx, key, request.bodyBytes, idempotency, () => route(ctx, productById));
      },
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

// #region routes
async function route(ctx: RequestContext, productById: ProductById): Promise<Reply> {
  const { path } = ctx;
  // HEAD is GET without the body (RFC 9110 §9.3.2); node:http leaves the body out itself.
  const method = ctx.method === 'HEAD' ? 'GET' : ctx.method;
  if (method === 'GET' && path === '/health') return json(200, { ok: true });
  if (method === 'GET' && path === '/products') return listProducts(ctx.catalog);
  const product = /^\/products\/([^/]*)$/.exec(path);
  if (method === 'GET' && product) {
    const id = decodeSegment(product[1]);
    return id === undefined ? json(400, { error: 'malformed URL' }) : productById(ctx.catalog, id);
  }
  if (method === 'POST' && path === '/login') return login(ctx);
  if (method === 'POST' && path === '/logout') return logout(ctx);
  if (method === 'GET' && path === '/me') return me(ctx);
  if (method === 'GET' && path === '/cart') return showCart(ctx);
  if (method === 'POST' && path === '/cart') return addToCart(ctx);
  if (method === 'POST' && path === '/checkout') return checkout(ctx);
  return json(404, { error: `no route for ${method} ${path}` });
}
// #endregion routes

// The routes whose effect must happen once even when the client (or the LB) sends them again.
const HONOURS_IDEMPOTENCY_KEY = new Set(['POST /cart', 'POST /checkout']);
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/; // visible ASCII, like a UUID; no spaces

/**
 * Runs the request once per Idempotency-Key (when it has one and its route honours it). Only for
 * a logged-in user: a request without a session is answered 401 whatever its key, and recording
 * it would let anyone fill this memory with 24-hour records. The body is kept as a SHA-256
 * fingerprint, 43 characters, however large the body was.
 */
async function once(
  ctx: RequestContext,
  header: string | string[] | undefined,
  bodyBytes: Uint8Array,
  store: StateStore<IdempotencyRecord>,
  run: () => Promise<Reply>,
): Promise<Reply> {
  if (header === undefined || !HONOURS_IDEMPOTENCY_KEY.has(`${ctx.method} ${ctx.path}`))
    return run();
  const key = Array.isArray(header) ? header[0] : header;
  if (!IDEMPOTENCY_KEY.test(key)) {
    return json(400, { error: 'an Idempotency-Key is 1 to 255 visible ASCII characters' });
  }
  if (!(await currentSession(ctx))) return NOT_LOGGED_IN;
  // Scoped to the session and route: one user's key can never replay another user's reply.
  const scope = `${ctx.cookies[SESSION_COOKIE]} ${ctx.method} ${ctx.path} ${key}`;
  const fingerprint = createHash('sha256').update(bodyBytes).digest('base64url');
  return withIdempotency(store, scope, fingerprint, run);
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined; // "%zz" is not valid percent-encoding: the client's mistake
  }
}

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
