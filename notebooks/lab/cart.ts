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

export async function checkout(ctx: CartRequest): Promise<Reply> {
  const session = await currentSession(ctx);
  if (!session) return NOT_LOGGED_IN;
  const items = (await ctx.carts.get(session.user)) ?? [];
  if (items.length === 0) return EMPTY_CART;
  const order = ctx.catalog.placeOrder(session.user, items);
  await ctx.carts.delete(session.user);
  return json(201, order);
}
