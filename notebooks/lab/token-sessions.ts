// The shop with its user state in the client: the session AND the cart travel in one signed
// cookie, and the servers keep nothing per user — except a shared deny-list for logouts.
// Every route that is not about the session goes to the ordinary shop.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Catalog } from './catalog';
import { expiredCookie, parseCookies, sessionCookie } from './cookies';
import { json, type Reply } from './reply';
import type { CartLine } from './shop-types';
import { createShop, type Handler } from './shop';
import {
  BAD_CART_LINE,
  BAD_LOGIN,
  cartLineIn,
  EMPTY_CART,
  noSuchProduct,
  userToLogIn,
} from './shop-rules';
import { revoke, sign, verifyNotRevoked, type TokenClaims } from './signed-token';
import type { StateStore } from './store';

export const TOKEN_COOKIE = 'session';
const TTL_MS = 30 * 60 * 1000;

export interface ClientSession {
  user: string;
  cart: CartLine[];
}

export interface TokenShopOptions {
  name: string;
  catalog: Catalog;
  /** The signing key. Every server needs the same one, and it must outlive every process. */
  key: Buffer | string;
  /** Revoked token ids, shared by every server. */
  denyList: StateStore<true>;
}

export function createTokenShop(options: TokenShopOptions): Handler {
  const { name, catalog, key, denyList } = options;
  const shop = createShop({ name, catalog }); // products and /health; it never sees a session
  // A non-persistent cookie, as account.ts's; the token's own signed expiry ends the session.
  const cookie = (session: ClientSession & Partial<TokenClaims>, ttlMs = TTL_MS) =>
    sessionCookie(TOKEN_COOKIE, sign(session, key, ttlMs));

  // #region token-routes
  async function route(method: string, path: string, req: IncomingMessage): Promise<Reply | null> {
    if (method === 'POST' && path === '/login') {
      const user = userToLogIn(await readJson(req)); // the shop's own rules (shop-rules.ts)
      if (!user) return BAD_LOGIN;
      return json(200, { user }, { 'set-cookie': cookie({ user, cart: [] }) });
    }
    if (!['/logout', '/me', '/cart', '/checkout'].includes(path)) return null;
    const token = parseCookies(req.headers.cookie)[TOKEN_COOKIE];
    const verdict = token
      ? await verifyNotRevoked<ClientSession>(token, key, denyList)
      : ({ ok: false, reason: 'malformed' } as const);
    if (verdict.ok === false) return json(401, { error: 'not logged in', reason: verdict.reason });
    const session = verdict.payload;
    const remaining = session.exp - Date.now();
    if (method === 'GET' && path === '/me') return json(200, { user: session.user });
    if (method === 'GET' && path === '/cart') return json(200, { items: session.cart });
    if (method === 'POST' && path === '/logout') {
      await revoke(denyList, session); // else this very cookie stays valid until it expires
      return json(200, { ok: true }, { 'set-cookie': expiredCookie(TOKEN_COOKIE) });
    }
    if (method === 'POST' && path === '/cart') {
      const line = cartLineIn(await readJson(req));
      if (!line) return BAD_CART_LINE;
      if (!catalog.get(line.productId)) return noSuchProduct(line.productId);
      const cart = [...session.cart, line];
      // A new cookie with the new cart, same id and expiry: the cart lives in the browser.
      const next = { user: session.user, cart, jti: session.jti };
      return json(200, { items: cart }, { 'set-cookie': cookie(next, remaining) });
    }
    if (method === 'POST' && path === '/checkout') {
      if (session.cart.length === 0) return EMPTY_CART;
      const order = catalog.placeOrder(session.user, session.cart);
      const next = { user: session.user, cart: [], jti: session.jti };
      return json(201, order, { 'set-cookie': cookie(next, remaining) });
    }
    return null;
  }
  // #endregion token-routes

  return (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://shop.invalid').pathname;
    route(method, path, req).then(
      (reply) => {
        if (!reply) return shop(req, res);
        res.writeHead(reply.status, {
          'content-type': 'application/json; charset=utf-8',
          'x-served-by': name,
          ...reply.headers,
        });
        res.end(JSON.stringify(reply.body));
      },
      (error: unknown) => {
        console.error(error);
        res.writeHead(500, { 'x-served-by': name }).end('{"error":"internal server error"}');
      },
    );
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    if ((size += chunk.length) > 16 * 1024) return undefined;
    chunks.push(chunk);
  }
  try {
    return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
  } catch {
    return undefined;
  }
}
