// The cart and checkout. The cart lives in the shop's cart store (keyed by user); an order,
// once placed, lives in the database. Platform-free: the browser simulator (sim-model.ts) runs
// these same routes against its simulated servers' stores.
import { json, type Reply } from './reply';
import {
  BAD_CART_LINE,
  CART_FULL,
  cartLineIn,
  currentSession,
  EMPTY_CART,
  MAX_CART_LINES,
  noSuchProduct,
  NOT_LOGGED_IN,
  type CartRequest,
} from './shop-rules';
import type { CartLine } from './shop-types';

export async function showCart(ctx: CartRequest): Promise<Reply> {
  const session = await currentSession(ctx);
  if (!session) return NOT_LOGGED_IN;
  return json(200, { items: (await ctx.carts.get(session.user)) ?? [] });
}

// #region add-to-cart
export async function addToCart(ctx: CartRequest): Promise<Reply> {
  const session = await currentSession(ctx);
  if (!session) return NOT_LOGGED_IN;
  const line = cartLineIn(ctx.body);
  if (!line) return BAD_CART_LINE;
  if (!ctx.catalog.get(line.productId)) return noSuchProduct(line.productId);
  // One atomic read-change-write (update), not a get() and then a set(): two adds at once from
  // two tabs would both read the old cart, and the second write would erase the first one's item.
  // A new array, never a change in place: with a store of live objects (a stateful server's own
  // memory), the cart we read may be one an earlier reply or replay still holds.
  let full = false; // a cart is memory the shop keeps for the user: it has a bound, too
  const items = await ctx.carts.update(session.user, (cart = []) => {
    full = cart.length >= MAX_CART_LINES;
    return full ? cart : [...cart, line];
  });
  return full ? CART_FULL : json(200, { items });
}
// #endregion add-to-cart

// #region checkout
/**
 * How long a checkout may hold its cart: short enough that a server killed mid-checkout blocks
 * that cart's next checkout only briefly. A lease is a guess at "longer than any checkout takes",
 * and the guess can be wrong: each store call may wait up to 5 s for another process's SQLite
 * write lock (sqlite-store.ts), a Redis round trip can stall, a process can be paused. So a
 * checkout also checks its clock (below) instead of trusting the guess.
 */
export const CHECKOUT_LEASE_MS = 20_000;
/**
 * How much of its lease a checkout must still have to place the order: time for the one store
 * call that then removes the ordered lines. With less, another checkout could take the expired
 * lease and read those lines still in the cart, and order them again.
 */
export const LEASE_LEFT_TO_ORDER_MS = 10_000;

export const CHECKOUT_RUNNING = json(
  409,
  { error: 'a checkout of this cart is already running; retry shortly' },
  { 'retry-after': '1' },
);

/**
 * Orders what the cart holds and removes exactly that from it, so nothing the shop acknowledged
 * is ever lost or ordered twice, with adds and checkouts arriving at once from several tabs and
 * servers. The cart and the orders live in two stores, and no transaction spans both: so order
 * first, then remove. A crash in between leaves the lines in the order and still in the cart
 * (the user may order them again), never in neither.
 */
export async function checkout(ctx: CartRequest): Promise<Reply> {
  const session = await currentSession(ctx);
  if (!session) return NOT_LOGGED_IN;
  const user = session.user;
  // One checkout per cart at a time, whichever servers the requests reach: a lease in the shared
  // store, taken atomically. (Two checkouts that both read the cart would both order it.)
  const lease = `checkout:${user}`; // no user name has a colon: it cannot be anyone's cart
  const now = ctx.now ?? Date.now;
  // Read before asking: the store starts counting the lease later, so it ends no sooner than this.
  const leaseEnds = now() + CHECKOUT_LEASE_MS;
  if (!(await ctx.carts.setIfAbsent(lease, [], CHECKOUT_LEASE_MS))) return CHECKOUT_RUNNING;
  const leaseLeft = () => leaseEnds - now();
  try {
    const items = (await ctx.carts.get(user)) ?? [];
    if (items.length === 0) return EMPTY_CART;
    // The read took so long that the lease may end before the lines are out of the cart: another
    // checkout could then take it and order them too. Order nothing; the client's retry will.
    if (leaseLeft() < LEASE_LEFT_TO_ORDER_MS) return CHECKOUT_RUNNING;
    const order = ctx.catalog.placeOrder(user, items); // throws: the cart is as it was
    // Not delete(): an add acknowledged since the get() is in the cart, and must stay there.
    await ctx.carts.update(user, (cart) => without(cart ?? [], items));
    return json(201, order);
  } finally {
    // Only a lease that is surely still ours: an expired one may be another checkout's by now,
    // and deleting it would let a third one in beside it. An expired lease needs no deleting.
    if (leaseLeft() >= LEASE_LEFT_TO_ORDER_MS / 2) await ctx.carts.delete(lease);
  }
}
// #endregion checkout

/** The cart less one line for each ordered line (a new array: the store may hold live objects). */
function without(cart: CartLine[], ordered: readonly CartLine[]): CartLine[] {
  const rest = [...cart];
  for (const line of ordered) {
    const i = rest.findIndex((l) => l.productId === line.productId && l.qty === line.qty);
    if (i >= 0) rest.splice(i, 1);
  }
  return rest;
}
