// Exercise 04 — stateless servers: keep the carts in the shared store (reference solution).
// Chapter 4, "Stateless servers". Check it: npm run check 04
//
// The server keeps nothing about users between two calls: every cart is read from the shared
// store and written back to it. Any server can then answer any user, and a crash loses only
// the requests in flight. The state still exists; it lives in the store, which every server shares.
import type { CartLine } from '../lab/core/shop-types';
import type { StateStore } from '../lab/core/store';

export interface Carts {
  /** Adds one line to the user's cart and returns the whole cart, in the order added. */
  add(user: string, line: CartLine): Promise<CartLine[]>;
  /** The user's cart; [] when they have none. */
  list(user: string): Promise<CartLine[]>;
}

export function createCarts(store: StateStore<CartLine[]>): Carts {
  return {
    async add(user, line) {
      // One atomic read-change-write: two adds at once (two tabs, two servers) both keep their
      // line. A get and then a set would let the second write erase the first one's line.
      return store.update(user, (items) => [...(items ?? []), line]);
    },
    async list(user) {
      return (await store.get(user)) ?? [];
    },
  };
}
