// The cart and checkout. The cart lives in the shop's cart store (keyed by user); an order,
// once placed, lives in the database.
import { currentSession, NOT_LOGGED_IN } from './account';
import { json, type Reply } from './reply';
import type { CartLine, RequestContext } from './shop-types';

export async function showCart(ctx: RequestContext): Promise<Reply> {
  const session = await currentSession(ctx);
  if (!session) return NOT_LOGGED_IN;
  return json(200, { items: (await ctx.carts.get(session.user)) ?? [] });
}

// #region add-to-cart
export async function addToCart(ctx: RequestContext): Promise<Reply> {
  const session = await currentSession(ctx);
  if (!session) return NOT_LOGGED_IN;
  const { productId, qty = 1 } = (ctx.body ?? {}) as { productId?: unknown; qty?: unknown };
  if (!Number.isInteger(productId) || !Number.isInteger(qty) || (qty as number) < 1) {
    return json(400, { error: 'send {"productId": <id>, "qty": <whole number from 1>}' });
  }
  if (!ctx.catalog.get(productId as number))
    return json(404, { error: `there is no product ${productId}` });
  const items: CartLine[] = (await ctx.carts.get(session.user)) ?? [];
  items.push({ productId: productId as number, qty: qty as number });
  await ctx.carts.set(session.user, items);
  return json(200, { items });
}
// #endregion add-to-cart

export async function checkout(ctx: RequestContext): Promise<Reply> {
  const session = await currentSession(ctx);
  if (!session) return NOT_LOGGED_IN;
  const items = (await ctx.carts.get(session.user)) ?? [];
  if (items.length === 0) return json(409, { error: 'the cart is empty' });
  const order = ctx.catalog.placeOrder(session.user, items);
  await ctx.carts.delete(session.user);
  return json(201, order);
}
