// Where the browser simulator's servers keep user state, and how each runs its requests
// (sim-model.ts). Where the state is decides whether two requests can interleave:
// - a stateful server keeps sessions and carts in its own memory. It is one process with one
//   event loop, and a request whose state is in its own memory waits for nothing outside it: the
//   server answers its requests one at a time, each to its end;
// - stateless servers share one store across the network: every call to it is a round trip (a
//   hop), and other requests run in between, on this server and on the others.
// So with carts written as a get and then a set (race-stores.ts), two adds at once can both read
// the old cart and lose an item on the shared store, never on a server's own memory; with the
// shop's atomic update(), on neither. Platform-free, timer-free: a hop waits for a promise only.
import { getThenSet, overNetwork } from './race-stores';
import type { CartLine, Session } from './shop-types';
import { memoryStore, type StateStore } from './store';

export interface ServerState {
  sessions: StateStore<Session>;
  carts: StateStore<CartLine[]>;
  /** Runs one request on this server: at once (its state is across the network), or after the
   *  requests before it have finished (its state is in its own memory: one event loop). */
  handle<T>(request: () => Promise<T>): Promise<T>;
}

export interface ServerStateOptions {
  /** true: every server shares one store (stateless); false: each has its own memory. */
  shared: boolean;
  /** How the shop changes a cart: its atomic update(), or a get and then a set. */
  cartWrites: 'update' | 'get-then-set';
  /** The stores' clock. */
  now: () => number;
}

/** Makes the state of a new (or restarted) server: the shared stores, or empty memory of its own. */
export function serverStates(options: ServerStateOptions): () => ServerState {
  const { now } = options;
  const naive = options.cartWrites === 'get-then-set';
  // A round trip to the shared store: the other requests in flight run meanwhile.
  const hop = () => Promise.resolve();
  if (options.shared) {
    const carts = overNetwork(memoryStore<CartLine[]>(now), hop);
    const state = {
      sessions: overNetwork(memoryStore<Session>(now), hop),
      carts: naive ? getThenSet(carts, hop) : carts,
    };
    return () => ({ ...state, handle: (request) => request() });
  }
  return () => {
    const carts = memoryStore<CartLine[]>(now);
    return {
      sessions: memoryStore<Session>(now),
      // Nothing to wait for between the get and the set: the cart is in this process.
      carts: naive ? getThenSet(carts, () => Promise.resolve()) : carts,
      handle: oneAtATime(),
    };
  };
}

/** One event loop: each request runs after the one before it has finished. */
function oneAtATime(): ServerState['handle'] {
  let queue: Promise<unknown> = Promise.resolve();
  return (request) => {
    const mine = queue.then(request);
    queue = mine.catch(() => undefined);
    return mine;
  };
}
