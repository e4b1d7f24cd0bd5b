// The shop as a plain function: requests in, replies out, no server and no Node. What only a
// platform gives (session IDs, fingerprints) comes from the test, so the test can see it used.
import { describe, expect, it } from 'vitest';
import type { Catalog, Order, Product } from './catalog';
import { createShopApp, type AppRequest, type ShopPlatform } from './shop-app';
import { SESSION_COOKIE } from './shop-rules';
import type { Session } from './shop-types';
import { memoryStore } from './store';

/** A catalogue of two products, in memory. */
function twoProducts(): Catalog {
  const products: Product[] = [
    { id: 1, name: 'mug', priceCents: 900 },
    { id: 2, name: 'tee', priceCents: 1500 },
  ];
  const orders: Order[] = [];
  return {
    file: ':memory:',
    get: (id) => products.find((p) => p.id === id),
    list: () => products,
    add: () => {
      throw new Error('not in this test');
    },
    placeOrder(user, lines) {
      const order: Order = { id: orders.length + 1, user, lines, totalCents: 0 };
      orders.push(order);
      return order;
    },
    orders: () => orders,
    close: () => undefined,
  };
}

/** IDs `sid-1`, `sid-2`, …; a fingerprint that ignores the body, so any two bodies match. */
function countingPlatform(): ShopPlatform & { issued: string[] } {
  const issued: string[] = [];
  return {
    issued,
    newSessionId: () => {
      issued.push(`sid-${issued.length + 1}`);
      return issued[issued.length - 1];
    },
    fingerprint: () => 'same',
  };
}

const request = (method: string, path: string, extra: Partial<AppRequest> = {}): AppRequest => ({
  method,
  path,
  cookies: {},
  body: undefined,
  bodyBytes: new Uint8Array(0),
  ...extra,
});

describe('the shop as a function (core/shop-app.ts)', () => {
  it('answers a product request with no server at all', async () => {
    const app = createShopApp({ catalog: twoProducts(), platform: countingPlatform() });
    expect(await app(request('GET', '/products/2'))).toMatchObject({
      status: 200,
      body: { name: 'tee' },
    });
    expect((await app(request('GET', '/nowhere'))).status).toBe(404);
  });

  it('logs in with the session ID the platform gives, and replaces the one the client had', async () => {
    const platform = countingPlatform();
    const sessions = memoryStore<Session>();
    const app = createShopApp({ catalog: twoProducts(), sessions, platform });
    const first = await app(request('POST', '/login', { body: { user: 'ana' } }));
    expect(first.headers?.['set-cookie']).toMatch(/^sid=sid-1; .*HttpOnly; SameSite=Lax$/);
    const cookies = { [SESSION_COOKIE]: 'sid-1' };
    const again = await app(request('POST', '/login', { body: { user: 'ana' }, cookies }));
    expect(again.headers?.['set-cookie']).toMatch(/^sid=sid-2;/);
    expect(platform.issued).toEqual(['sid-1', 'sid-2']);
    expect(await sessions.get('sid-1')).toBeUndefined(); // rotated: the old ID is gone
    expect((await app(request('GET', '/me', { cookies }))).status).toBe(401);
  });

  it("keys an Idempotency-Key's record by the platform's fingerprint of the body", async () => {
    const app = createShopApp({ catalog: twoProducts(), platform: countingPlatform() });
    await app(request('POST', '/login', { body: { user: 'ana' } }));
    const cookies = { [SESSION_COOKIE]: 'sid-1' };
    const add = (body: unknown, bytes: string) =>
      app(
        request('POST', '/cart', {
          cookies,
          body,
          bodyBytes: new TextEncoder().encode(bytes),
          idempotencyKey: 'k1',
        }),
      );
    expect((await add({ productId: 1 }, '{"productId":1}')).status).toBe(200);
    // Another body, but this platform's fingerprint says "same": a replay of the first reply,
    // where SHA-256 would have said 422. The app used the platform's fingerprint, not its own.
    const replay = await add({ productId: 2, qty: 2 }, '{"productId":2,"qty":2}');
    expect(replay.headers?.['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual({ items: [{ productId: 1, qty: 1 }] });
  });
});
