// The store work of one cart request, without HTTP: what POST /cart then GET /cart ask of the
// session and cart stores (two session reads, one cart update, one cart read), timed in batches.
// It isolates what a home for state costs from everything else a request does. Platform-free.
import { startSession } from './shop-rules';
import type { CartLine, Session } from './shop-types';
import type { StateStore } from './store';

export interface StoreWorkOptions {
  /** Lines in the cart read and written: the cart's size decides what serialisation costs. */
  cartLines: number;
  /** Cart requests per timed batch, and how many batches. */
  perBatch: number;
  batches: number;
}

/** µs of store work per cart request, one figure per batch. The stores get one session and cart. */
export async function timeStoreWork(
  stores: { sessions: StateStore<Session>; carts: StateStore<CartLine[]> },
  options: StoreWorkOptions,
): Promise<number[]> {
  const { sessions, carts } = stores;
  const sid = `store-work-${options.cartLines}`;
  const user = sid;
  await startSession({ cookies: {}, sessions }, sid, user); // a session as login makes it
  const line: CartLine = { productId: 2, qty: 1 };
  await carts.set(
    user,
    Array.from({ length: options.cartLines }, () => ({ ...line })),
  );
  const perRequest: number[] = [];
  for (let b = 0; b < options.batches; b += 1) {
    const started = performance.now();
    for (let i = 0; i < options.perBatch; i += 1) {
      // POST /cart: the session, then the cart read and written back with one line more in one
      // atomic update (here one line dropped too, so every request does the same work);
      // GET /cart: session and cart.
      const session = await sessions.get(sid);
      await carts.update(session!.user, (cart) => [...(cart ?? []).slice(1), line]);
      await sessions.get(sid);
      await carts.get(user);
    }
    perRequest.push(((performance.now() - started) * 1000) / options.perBatch);
  }
  await sessions.delete(sid);
  await carts.delete(user);
  return perRequest;
}
