// The shop's session and cart rules, apart from HTTP and Node: how a login stores a session,
// how a request finds its session, what a cart line must be, and the answer (status and words)
// when a rule says no. State lives only in the stores a request brings with it. account.ts and
// cart.ts serve these rules over HTTP; sim-model.ts runs the same functions in the browser, so
// platform-free.test.ts fails if anything here (or anything it imports) needs Node.
import { json } from './reply';
import type { CartLine, Session } from './shop-types';
import type { StateStore } from './store';

export const SESSION_COOKIE = 'sid';
/** A session ends after this long without a request (OWASP: 15–30 minutes for a low-risk site). */
export const SESSION_IDLE_TIMEOUT_MS = 30 * 60 * 1000;
/** …and this long after the login, however busy it is: a stolen ID is worth a working day at most. */
export const SESSION_ABSOLUTE_TIMEOUT_MS = 8 * 60 * 60 * 1000;
/** How often a session's activity is written back: at most once a minute, not on every request. */
export const SESSION_TOUCH_INTERVAL_MS = 60 * 1000;
const USER_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/i;
/**
 * The most of one product a cart line may ask for. A bound, not a business rule: without one,
 * `{"qty": 1e308}` is a "whole number" to JavaScript, and the order's total overflows.
 */
export const MAX_QTY = 1000;
/**
 * The most lines one cart holds. Each add keeps the whole cart (in the cart store, and in the
 * reply an Idempotency-Key records): without a bound, one user adding without end makes the
 * server's memory grow without end.
 */
export const MAX_CART_LINES = 1000;

/** What the session rules read and change: the request's cookies and this shop's session store. */
export interface SessionRequest {
  cookies: Record<string, string>;
  sessions: StateStore<Session>;
  /** The clock the timeouts read (ms). Default Date.now; tests and the simulator bring their own. */
  now?: () => number;
}

/** What the cart asks of the database tier. A Catalog (catalog.ts) is one; the simulator has its own. */
export interface CartDatabase {
  /** The product with this id, or undefined when there is none. */
  get(id: number): { id: number } | undefined;
  /** Records an order for these lines in one step and returns it: checkout answers with it. */
  placeOrder(user: string, lines: CartLine[]): { user: string; lines: CartLine[] };
}

/** What the cart routes (cart.ts) read and change. The shop's RequestContext is one. */
export interface CartRequest extends SessionRequest {
  /** The parsed JSON body, if any. */
  body: unknown;
  carts: StateStore<CartLine[]>;
  catalog: CartDatabase;
}

export const NOT_LOGGED_IN = json(401, { error: 'not logged in' });
export const BAD_LOGIN = json(400, { error: 'send {"user": "<name>"}: letters, digits, - and _' });
export const BAD_CART_LINE = json(400, {
  error: `send {"productId": <id>, "qty": <whole number from 1 to ${MAX_QTY}>}`,
});
export const EMPTY_CART = json(409, { error: 'the cart is empty' });
export const CART_FULL = json(409, { error: `the cart is full: at most ${MAX_CART_LINES} lines` });
export const noSuchProduct = (id: number) => json(404, { error: `there is no product ${id}` });

/** The user a login body names, when the name is one the shop accepts. */
export function userToLogIn(body: unknown): string | undefined {
  const user = (body as { user?: unknown } | undefined)?.user;
  return typeof user === 'string' && USER_NAME.test(user) ? user : undefined;
}

/** Login's change of state: the session the request came with goes, a new one is kept under sid. */
export async function startSession(req: SessionRequest, sid: string, user: string): Promise<void> {
  // Rotate the ID at login: a session ID an attacker planted before login is worth nothing after.
  const old = req.cookies[SESSION_COOKIE];
  if (old) await req.sessions.delete(old);
  const now = (req.now ?? Date.now)();
  await req.sessions.set(sid, { user, createdAt: now, lastSeenAt: now }, SESSION_IDLE_TIMEOUT_MS);
}

// #region session-timeouts
/**
 * The session behind the request's cookie, while both timeouts allow it. The server enforces
 * them: the cookie has no expiry of its own, and a client could keep or replay it anyway.
 */
export async function currentSession(req: SessionRequest): Promise<Session | undefined> {
  const sid = req.cookies[SESSION_COOKIE];
  const session = sid ? await req.sessions.get(sid) : undefined;
  if (!sid || !session) return undefined;
  const now = (req.now ?? Date.now)();
  const idle = now - session.lastSeenAt >= SESSION_IDLE_TIMEOUT_MS;
  const tooOld = now - session.createdAt >= SESSION_ABSOLUTE_TIMEOUT_MS;
  if (idle || tooOld) {
    await req.sessions.delete(sid); // ended here, for every server, whatever the store's TTL says
    return undefined;
  }
  // Record the activity at most once a minute: a write on every request would double the
  // store's traffic (chapter 7), and the idle timeout needs to know the time only roughly.
  if (now - session.lastSeenAt >= SESSION_TOUCH_INTERVAL_MS) {
    const ttl = Math.min(
      SESSION_IDLE_TIMEOUT_MS,
      session.createdAt + SESSION_ABSOLUTE_TIMEOUT_MS - now,
    );
    // Only if it is still there: a logout from another tab may have deleted it since the get(),
    // and a plain set() would bring it back.
    await req.sessions.setIfPresent(sid, { ...session, lastSeenAt: now }, ttl);
  }
  return session;
}
// #endregion session-timeouts

/**
 * The line an add-to-cart body asks for, when it is one: a product id (a whole number from 1
 * that JavaScript can count exactly) and a quantity from 1 to MAX_QTY (default 1). Anything else
 * (a string, a fraction, -0, 2^53 + 1, an array) is not a cart line.
 */
export function cartLineIn(body: unknown): CartLine | undefined {
  const { productId, qty = 1 } = (body ?? {}) as { productId?: unknown; qty?: unknown };
  const whole = (n: unknown, max: number): n is number =>
    Number.isSafeInteger(n) && (n as number) >= 1 && (n as number) <= max;
  if (!whole(productId, Number.MAX_SAFE_INTEGER) || !whole(qty, MAX_QTY)) return undefined;
  return { productId, qty };
}
