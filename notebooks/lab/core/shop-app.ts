// The shop as a function: a request (method, path, cookies, body) in, a Reply out, with no
// server, no socket and no Node in it, as hono keeps an app apart from the runtime that serves
// it. What only a platform can give comes in from outside (ShopPlatform): fresh session IDs and a
// fingerprint of a body's bytes. node/shop.ts is the adapter that serves it over node:http.
// Where user state lives is not its decision: it uses the session and cart stores it is given.
// By default each app creates its own liveStore()s (live objects in its own memory), so a server
// that runs it is *stateful* (chapter 3); give every server the same shared stores and the
// servers become stateless (chapter 4). Platform-free.
import { login, logout, me, type SessionIdSource } from './account';
import { addToCart, checkout, showCart } from './cart';
import type { Catalog } from './catalog';
import { keysInMemory, withIdempotency, type IdempotencyRecord } from './idempotency';
import { liveStore } from './live-store';
import { listProducts, productById as defaultProductById, type ProductById } from './products';
import { json, type Reply } from './reply';
import { currentSession, NOT_LOGGED_IN, SESSION_COOKIE } from './shop-rules';
import type { CartLine, RequestContext, Session, ShopRequest } from './shop-types';
import type { StateStore } from './store';

/** What the shop needs that only the platform under it can give. */
export interface ShopPlatform {
  /** A fresh session ID for each login: unguessable, at least 128 bits from a CSPRNG. */
  newSessionId: SessionIdSource;
  /** A short fingerprint of a body's bytes (e.g. SHA-256): what an idempotency record keeps. */
  fingerprint(bytes: Uint8Array): string;
}

export interface ShopAppOptions {
  catalog: Catalog;
  /** Where sessions live. Default: this app's own memory. */
  sessions?: StateStore<Session>;
  /** Where carts live. Default: this app's own memory. */
  carts?: StateStore<CartLine[]>;
  /** Where replies to requests sent with an Idempotency-Key are kept. Default: this app's own memory. */
  idempotency?: StateStore<IdempotencyRecord>;
  /** The `GET /products/:id` route; exercise 01 plugs the reader's own version in here. */
  productById?: ProductById;
  platform: ShopPlatform;
  /** Hears an error the app answers itself (a 500 kept for an Idempotency-Key). Default: console.error. */
  onError?: (error: unknown) => void;
}

/** A request as the app reads it: what a route may read, its body's bytes, and its key. */
export interface AppRequest extends ShopRequest {
  /** The body's bytes as sent (empty when there was none): what an idempotency key fingerprints. */
  bodyBytes: Uint8Array;
  /** The request's Idempotency-Key header (the first, if it came more than once). */
  idempotencyKey?: string;
}

/**
 * The shop. `catalog`: the database tier this one request uses, when not the app's own (the Node
 * adapter passes one that times itself, for the Server-Timing header).
 */
export type ShopApp = (request: AppRequest, catalog?: Catalog) => Promise<Reply>;

// #region create-shop
export function createShopApp(options: ShopAppOptions): ShopApp {
  const { productById = defaultProductById, platform } = options;
  const sessions = options.sessions ?? liveStore<Session>(); // stateful unless told otherwise
  const carts = options.carts ?? liveStore<CartLine[]>();
  const idempotency = options.idempotency ?? keysInMemory(); // at most MAX_KEYS_IN_MEMORY

  return (request, catalog = options.catalog) => {
    const ctx: RequestContext = { ...request, catalog, sessions, carts };
    return once(ctx, request, idempotency, platform, options.onError, () =>
      route(ctx, productById, platform.newSessionId),
    );
  };
}
// #endregion create-shop

// #region routes
async function route(
  ctx: RequestContext,
  productById: ProductById,
  newSessionId: SessionIdSource,
): Promise<Reply> {
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
  if (method === 'POST' && path === '/login') return login(ctx, newSessionId);
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
 * it would let anyone fill this memory with 24-hour records. The body is kept as a fingerprint
 * (SHA-256 in base64url is 43 characters), however large the body was.
 */
async function once(
  ctx: RequestContext,
  { idempotencyKey: key, bodyBytes }: AppRequest,
  store: StateStore<IdempotencyRecord>,
  platform: ShopPlatform,
  onError: ((error: unknown) => void) | undefined,
  run: () => Promise<Reply>,
): Promise<Reply> {
  if (key === undefined || !HONOURS_IDEMPOTENCY_KEY.has(`${ctx.method} ${ctx.path}`)) return run();
  if (!IDEMPOTENCY_KEY.test(key)) {
    return json(400, { error: 'an Idempotency-Key is 1 to 255 visible ASCII characters' });
  }
  if (!(await currentSession(ctx))) return NOT_LOGGED_IN;
  // Scoped to the session and route: one user's key can never replay another user's reply.
  const scope = `${ctx.cookies[SESSION_COOKIE]} ${ctx.method} ${ctx.path} ${key}`;
  return withIdempotency(store, scope, platform.fingerprint(bodyBytes), run, onError);
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined; // "%zz" is not valid percent-encoding: the client's mistake
  }
}
