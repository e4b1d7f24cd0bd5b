// Stores wrapped to show races. getThenSet: the lost update, on purpose (an update() that is a
// get(), a pause and a set(): the read-modify-write the cart would do without an atomic update).
// overNetwork: every call takes a round trip, as to a store across a network, so other requests
// run in between even in one process. Chapter 4, its tests and the bench use both; the browser
// simulator too, so platform-free.
import type { StateStore } from './store';

/**
 * The same store, but update(key, change) reads the value, waits for `pause()` (the network
 * round trip between a real get and set, held open long enough that two requests at once both
 * read before either writes), and writes change(value) back. Two of those at once both read the
 * old cart, and the second write erases the first one's item: acknowledged, then lost.
 */
export function getThenSet<T>(store: StateStore<T>, pause: () => Promise<unknown>): StateStore<T> {
  return {
    ...store,
    kind: `${store.kind}, get then set`,
    async update(key, change, ttlMs) {
      const current = await store.get(key);
      await pause(); // another request's get() lands here, and reads the same old value
      const next = change(current);
      await store.set(key, next, ttlMs);
      return next;
    },
  };
}

/**
 * The same store with `hop()` before every call: a round trip to a store across a network, while
 * which other requests run. Each call stays what it was: an atomic one (update, setIfAbsent) is
 * one round trip, as one command or one transaction is in a real store.
 */
export function overNetwork<T>(store: StateStore<T>, hop: () => Promise<unknown>): StateStore<T> {
  return {
    kind: store.kind,
    get: async (key) => (await hop(), store.get(key)),
    set: async (key, value, ttlMs) => (await hop(), store.set(key, value, ttlMs)),
    setIfAbsent: async (key, value, ttlMs) => (await hop(), store.setIfAbsent(key, value, ttlMs)),
    setIfPresent: async (key, value, ttlMs) => (await hop(), store.setIfPresent(key, value, ttlMs)),
    update: async (key, change, ttlMs) => (await hop(), store.update(key, change, ttlMs)),
    delete: async (key) => (await hop(), store.delete(key)),
  };
}

/** The lab's pause between the get and the set: two requests sent at once by one user, even
 *  through a balancer to two server processes on a busy machine, arrive well within it. */
export const NAIVE_PAUSE_MS = 30;

/** A pause in Node: `ms` milliseconds. */
export const sleep = (ms: number) => () => new Promise((resolve) => setTimeout(resolve, ms));
