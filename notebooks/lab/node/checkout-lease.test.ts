// A checkout that outlives its lease. CHECKOUT_LEASE_MS is a guess at "longer than any checkout
// takes", and a guess can be wrong: a store waits up to MAX_LOCK_WAIT_MS (5 s) per call while
// another process holds SQLite's write lock, a Redis round trip stalls, a process is paused. Once
// the lease has expired, a second checkout may take it and read the same cart: the late first
// one must then order nothing, or the lines are ordered twice. A clock the test moves and a cart
// read the test holds back make that happen on purpose, with no waiting.
import { describe, expect, it } from 'vitest';
import { CHECKOUT_LEASE_MS, checkout } from '../core/cart';
import { openCatalog } from './sqlite-catalog';
import type { CartRequest } from '../core/shop-rules';
import type { CartLine, Session } from '../core/shop-types';
import { memoryStore, type StateStore } from '../core/store';

/** The same store, but a get(key) of `held` reads at once and answers only when released. */
function slowReads<T>(store: StateStore<T>, held: string) {
  const waiting: (() => void)[] = [];
  const slow: StateStore<T> = {
    ...store,
    async get(key) {
      const value = await store.get(key);
      if (key === held) await new Promise<void>((resolve) => waiting.push(resolve));
      return value;
    },
  };
  /** Answers the oldest held read, and lets its checkout run on until it settles. */
  const releaseOne = async () => {
    waiting.shift()?.();
    for (let i = 0; i < 20; i++) await Promise.resolve();
  };
  /** Waits (a bounded number of turns) until `n` reads are held. */
  const held_ = async (n: number) => {
    for (let i = 0; i < 100 && waiting.length < n; i++) await Promise.resolve();
    return waiting.length;
  };
  return { store: slow, releaseOne, heldReads: held_ };
}

async function shopWithOneCart() {
  let clock = 1_000_000;
  const now = () => clock;
  const sessions = memoryStore<Session>(now);
  await sessions.set('sid-ana', { user: 'ana', createdAt: clock, lastSeenAt: clock });
  const carts = memoryStore<CartLine[]>(now);
  await carts.set('ana', [{ productId: 1, qty: 1 }]);
  const slow = slowReads(carts, 'ana');
  const catalog = openCatalog();
  const ctx: CartRequest = {
    cookies: { sid: 'sid-ana' },
    sessions,
    carts: slow.store,
    catalog,
    body: undefined,
    now,
  };
  return { ctx, catalog, carts, slow, tick: (ms: number) => (clock += ms) };
}

describe('a checkout that outlives its lease', () => {
  it('orders nothing once its lease has expired: the cart is ordered once, not twice', async () => {
    const { ctx, catalog, carts, slow, tick } = await shopWithOneCart();
    const first = checkout(ctx); // takes the lease, reads the cart… and stalls
    expect(await slow.heldReads(1)).toBe(1);
    tick(CHECKOUT_LEASE_MS + 1); // the lease expires while the first one is stalled
    const second = checkout(ctx); // takes the lease, reads the same cart
    expect(await slow.heldReads(2)).toBe(2);
    await slow.releaseOne(); // the first one goes on
    await slow.releaseOne();
    const statuses = [(await first).status, (await second).status];
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(catalog.orders('ana').flatMap((o) => o.lines)).toHaveLength(1);
    expect(await carts.get('ana')).toEqual([]);
  });

  it("a late checkout leaves the next checkout's lease in place", async () => {
    const { ctx, carts, slow, tick } = await shopWithOneCart();
    const first = checkout(ctx);
    await slow.heldReads(1);
    tick(CHECKOUT_LEASE_MS + 1);
    const second = checkout(ctx);
    await slow.heldReads(2);
    await slow.releaseOne(); // the first one ends while the second still holds the lease
    expect(await carts.get('checkout:ana')).toBeDefined();
    await slow.releaseOne();
    await Promise.all([first, second]);
    expect(await carts.get('checkout:ana')).toBeUndefined(); // and the second one frees it
  });
});
