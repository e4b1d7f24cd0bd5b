// The shop with its user state in the client: the session AND the cart travel in one signed
// cookie, and the servers keep nothing per user — except a shared deny-list of the tokens that
// are spent: logged out, or whose cart was checked out.
// Every route that is not about the session goes to the ordinary shop.
import type { Catalog, Order } from '../core/catalog';
import { expiredCookie, sessionCookie } from '../core/cookies';
import { answerRequest, requestPath, type Handler } from './http-edge';
import { json, type Reply } from '../core/reply';
import type { CartLine, ShopRequest } from '../core/shop-types';
import { createShop } from './shop';
import {
  BAD_CART_LINE,
  BAD_LOGIN,
  cartLineIn,
  EMPTY_CART,
  noSuchProduct,
  userToLogIn,
} from '../core/shop-rules';
import { revoke, sign, verifyNotRevoked, type TokenClaims } from './signed-token';
import type { StateStore } from '../core/store';

export const TOKEN_COOKIE = 'session';
/**
 * The longest Set-Cookie a browser must keep: 4096 bytes of name, value and attributes (RFC 6265
 * §6.1; Chrome and Firefox keep no more). A browser drops a longer one without a word, so the
 * cart a cookie carries is full when one more line would not fit: about a hundred lines.
 */
export const MAX_COOKIE_BYTES = 4096;
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
  async function route({ method: sent, path, cookies, body }: ShopRequest): Promise<Reply> {
    const method = sent === 'HEAD' ? 'GET' : sent; // answered as GET, without the body, as the shop does
    if (method === 'POST' && path === '/login') {
      const user = userToLogIn(body); // the shop's own rules (shop-rules.ts)
      if (!user) return BAD_LOGIN;
      return json(200, { user }, { 'set-cookie': cookie({ user, cart: [] }) });
    }
    const token = cookies[TOKEN_COOKIE];
    const verdict = token
      ? await verifyNotRevoked<ClientSession>(token, key, denyList)
      : ({ ok: false, reason: 'malformed' } as const);
    if (verdict.ok === false) {
      const error = verdict.reason === 'revoked' ? SPENT : 'not logged in';
      return json(401, { error, reason: verdict.reason });
    }
    const session = verdict.payload;
    const remaining = session.exp - Date.now();
    if (method === 'GET' && path === '/me') return json(200, { user: session.user });
    if (method === 'GET' && path === '/cart') return json(200, { items: session.cart });
    if (method === 'POST' && path === '/logout') {
      await revoke(denyList, session); // else this very cookie stays valid until it expires
      return json(200, { ok: true }, { 'set-cookie': expiredCookie(TOKEN_COOKIE) });
    }
    if (method === 'POST' && path === '/cart') {
      const line = cartLineIn(body);
      if (!line) return BAD_CART_LINE;
      if (!catalog.get(line.productId)) return noSuchProduct(line.productId);
      const cart = [...session.cart, line];
      // A new cookie with the new cart, same id and expiry: the cart lives in the browser.
      const next = cookie({ user: session.user, cart, jti: session.jti }, remaining);
      // …if the browser will keep it. One it drops takes this add with it, after a 200.
      if (next.length > MAX_COOKIE_BYTES) return COOKIE_CART_FULL;
      return json(200, { items: cart }, { 'set-cookie': next });
    }
    if (method === 'POST' && path === '/checkout') {
      if (session.cart.length === 0) return EMPTY_CART;
      // A copy of this cookie still holds this cart, correctly signed: replayed, it would order
      // again. So checkout spends the token: its id goes on the deny-list first, with setIfAbsent,
      // so of two copies sent at once only one orders. The server must remember what was spent.
      if (!(await denyList.setIfAbsent(session.jti, true, remaining))) return ALREADY_SPENT;
      let order: Order;
      try {
        order = catalog.placeOrder(session.user, session.cart);
      } catch (error) {
        await denyList.delete(session.jti); // no order was placed: the cookie may try again
        throw error;
      }
      // A new token, with a new id, and an empty cart.
      return json(201, order, {
        'set-cookie': cookie({ user: session.user, cart: [] }, remaining),
      });
    }
    return json(404, { error: `no route for ${method} ${path}` });
  }
  // #endregion token-routes

  return async (req, res) => {
    const path = requestPath(req.url);
    // Every other route, and a URL that is not one (400), is the ordinary shop's.
    if (path === undefined || !SESSION_PATHS.has(path)) return shop(req, res);
    // The same edge as the shop's (http-edge.ts): body reader, 4xx, 500, reply writer.
    await answerRequest(req, res, route, { headers: () => ({ 'x-served-by': name }) });
  };
}

const SESSION_PATHS = new Set(['/login', '/logout', '/me', '/cart', '/checkout']);
const SPENT = 'this cookie is no longer valid: it was logged out, or its cart was checked out';
const ALREADY_SPENT = json(409, { error: 'this cart was already checked out' });
const COOKIE_CART_FULL = json(409, {
  error: `the cart is full: the cookie that carries it may hold at most ${MAX_COOKIE_BYTES} bytes`,
});
