// The cart routes without HTTP or a database: the way the browser simulator (sim-model.ts) calls
// them. shop.test.ts covers the same routes through the real HTTP shop.
import { describe, expect, it } from 'vitest';
import { addToCart, checkout, showCart } from './cart';
import {
  CART_FULL,
  MAX_CART_LINES,
  SESSION_COOKIE,
  type CartDatabase,
  type CartRequest,
} from './shop-rules';
import type { CartLine, Session } from './shop-types';
import { memoryStore } from './store';

const database: CartDatabase = {
  get: (id) => (id === 1 || id === 2 ? { id } : undefined),
  placeOrder: (user, lines) => ({ user, lines }),
};

async function loggedInAs(user: string) {
  const sessions = memoryStore<Session>();
  const now = Date.now();
  await sessions.set('s1', { user, createdAt: now, lastSeenAt: now });
  const carts = memoryStore<CartLine[]>();
  const request = (body?: unknown): CartRequest => ({
    cookies: { [SESSION_COOKIE]: 's1' },
    body,
    sessions,
    carts,
    catalog: database,
  });
  return { request, carts };
}

describe('cart routes', () => {
  it('add appends a line to the user’s cart in the cart store, and show reads it back', async () => {
    const { request, carts } = await loggedInAs('ana');
    expect(await addToCart(request({ productId: 1 }))).toMatchObject({ status: 200 });
    await addToCart(request({ productId: 2, qty: 2 }));
    const items = [
      { productId: 1, qty: 1 },
      { productId: 2, qty: 2 },
    ];
    expect(await carts.get('ana')).toEqual(items);
    expect(await showCart(request())).toEqual(
      expect.objectContaining({ status: 200, body: { items } }),
    );
  });

  it('holds at most MAX_CART_LINES lines: the next add is 409 and changes nothing', async () => {
    const { request, carts } = await loggedInAs('ana');
    for (let i = 0; i < MAX_CART_LINES; i++) {
      expect((await addToCart(request({ productId: 1 }))).status).toBe(200);
    }
    expect(await addToCart(request({ productId: 2 }))).toEqual(CART_FULL);
    expect(await carts.get('ana')).toHaveLength(MAX_CART_LINES);
    expect((await checkout(request())).status).toBe(201); // an order empties it: room again
    expect((await addToCart(request({ productId: 2 }))).status).toBe(200);
  });

  it('answers 401 without a session, 400 for a bad line, 404 for an unknown product', async () => {
    const { request } = await loggedInAs('ana');
    const stranger = { ...request({ productId: 1 }), cookies: {} };
    expect(await addToCart(stranger)).toMatchObject({
      status: 401,
      body: { error: 'not logged in' },
    });
    expect(await checkout(stranger)).toMatchObject({ status: 401 });
    expect(await addToCart(request({ productId: 1, qty: 0 }))).toMatchObject({ status: 400 });
    expect(await addToCart(request({ productId: 9 }))).toMatchObject({
      status: 404,
      body: { error: 'there is no product 9' },
    });
  });

  it('checkout of an empty cart is 409; an order takes the cart’s lines and empties it', async () => {
    const { request, carts } = await loggedInAs('ana');
    expect(await checkout(request())).toMatchObject({
      status: 409,
      body: { error: 'the cart is empty' },
    });
    await addToCart(request({ productId: 2 }));
    expect(await checkout(request())).toMatchObject({
      status: 201,
      body: { user: 'ana', lines: [{ productId: 2, qty: 1 }] },
    });
    expect(await carts.get('ana')).toEqual([]);
  });

  it('a checkout while another holds the cart (its lease) is 409 "already running" and changes nothing', async () => {
    const { request, carts } = await loggedInAs('ana');
    await addToCart(request({ productId: 2 }));
    await carts.setIfAbsent('checkout:ana', [], 60_000); // another server's checkout holds it
    expect(await checkout(request())).toMatchObject({
      status: 409,
      body: { error: 'a checkout of this cart is already running; retry shortly' },
      headers: { 'retry-after': '1' },
    });
    expect(await carts.get('ana')).toEqual([{ productId: 2, qty: 1 }]);
    await carts.delete('checkout:ana'); // it ends
    expect(await checkout(request())).toMatchObject({ status: 201 });
  });

  it('an order that fails leaves the cart as it was, and frees it for the next checkout', async () => {
    const { request, carts } = await loggedInAs('ana');
    await addToCart(request({ productId: 1 }));
    const failing = { ...request(), catalog: { ...database, placeOrder: () => fail('disk full') } };
    await expect(checkout(failing)).rejects.toThrow('disk full');
    expect(await carts.get('ana')).toEqual([{ productId: 1, qty: 1 }]);
    expect(await checkout(request())).toMatchObject({ status: 201 });
  });

  it('an add that lands while the order is being placed stays in the cart, for the next order', async () => {
    const { request, carts } = await loggedInAs('ana');
    await addToCart(request({ productId: 1 }));
    const placeOrder: CartDatabase['placeOrder'] = (user, lines) => {
      void carts.update('ana', (cart) => [...(cart ?? []), { productId: 2, qty: 1 }]); // tab 2
      return database.placeOrder(user, lines);
    };
    const paying = { ...request(), catalog: { ...database, placeOrder } };
    expect(await checkout(paying)).toMatchObject({ body: { lines: [{ productId: 1, qty: 1 }] } });
    expect(await carts.get('ana')).toEqual([{ productId: 2, qty: 1 }]);
  });
});

function fail(why: string): never {
  throw new Error(why);
}
