// Exercise 04 — stateless servers: keep the carts in the shared store.
// Chapter 4, "Stateless servers". Check it: npm run check 04 · stuck? npm run check -- 04 --hint
//
// This is the cart of a stateful server, as in chapter 3: it works, but only on one server.
// The carts live in a Map in this process's memory, so another server cannot see them and a
// crash throws them away. The check runs three servers, each in its own process, all given the
// same `store` (a real SQLite file), and kills and restarts them between requests.
//
// Make the servers stateless: every cart is read from and written to `store`, on every call,
// under the user's name as its key (store.get(user)): other servers and tools look for it there.
// Keep nothing about users in this process between two calls: not in a variable of this module,
// not in a closure, not in globalThis. And lose no add the shop answered: a user with two tabs
// can add on two servers at the same moment, and both lines must stay in the cart (two lines,
// even when both tabs add the same product).
//
// Out of scope: sessions (the lab's shop keeps them the same way).
import type { CartLine } from '../lab/core/shop-types';
import type { StateStore } from '../lab/core/store';

export interface Carts {
  /** Adds one line to the user's cart and returns the whole cart, in the order added. */
  add(user: string, line: CartLine): Promise<CartLine[]>;
  /** The user's cart; [] when they have none. */
  list(user: string): Promise<CartLine[]>;
}

// TODO: this Map is the server's own memory: the state that makes this server stateful.
//       Remove it, and use `store` below instead.
const carts = new Map<string, CartLine[]>();

export function createCarts(store: StateStore<CartLine[]>): Carts {
  void store; // TODO: not used yet. Every server is given this same store: use it below.
  return {
    async add(user, line) {
      // TODO: read the user's cart from the store, add the line, write it back, and return it,
      //       in ONE step: store.update(user, change) resolves to the cart it wrote. A get and
      //       then a set is two steps: two adds at once both read the old cart, and the second
      //       write erases the first one's line (the lost update of chapter 4).
      const items = carts.get(user) ?? [];
      items.push(line);
      carts.set(user, items);
      return items;
    },
    async list(user) {
      // TODO: read the cart from the store, every time: another server may have changed it.
      return carts.get(user) ?? [];
    },
  };
}
