// A request held between two of its store calls, so that another request lands in between on
// purpose, not by a few milliseconds of luck (the nemesis's race, nemesis.ts). A request sent
// with the header x-test-hold: TOKEN stops the first time it calls a store for a key it has called
// that store for before: a read of a cart and then a write of it, the two steps that another
// tab's add can come between. It goes on when the nemesis releases it (POST /test/release/TOKEN),
// or by itself after HOLD_MAX_MS. GET /test/held/TOKEN answers {held: true} once it is stopped
// there, and {held: false} once it has answered without stopping (no key called twice: a shop
// that reads and writes a cart in one step is never held).
// State: the holds of the requests under way in this process, by token.
import type { StateStore } from '../core/store';

/** The longest a request stays held: then it goes on by itself, nobody waiting or not. */
export const HOLD_MAX_MS = 5_000;

interface Hold {
  /** Says whether the request stopped (true) or answered without stopping (false). */
  reached(held: boolean): void;
  isReached: Promise<boolean>;
  release(): void;
  released: Promise<void>;
}

const holds = new Map<string, Hold>();

/** The hold of `token`: the request's, and the nemesis's asking for it, whichever comes first. */
export function holdOf(token: string): Hold {
  let hold = holds.get(token);
  if (hold) return hold;
  let reached!: (held: boolean) => void;
  let release!: () => void;
  const isReached = new Promise<boolean>((resolve) => (reached = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const timer = setTimeout(() => {
    reached(false);
    release();
    holds.delete(token);
  }, HOLD_MAX_MS);
  timer.unref();
  hold = {
    reached,
    isReached,
    release: () => {
      clearTimeout(timer);
      reached(false); // released before it stopped: it never stops now
      release();
      holds.delete(token);
    },
    released,
  };
  holds.set(token, hold);
  return hold;
}

/** One request's part in its hold: the store keys it has called so far. */
export interface RequestHold {
  hold: Hold;
  touched: Set<string>;
  /** Stopped once already, or answered: it stops no more. */
  over: boolean;
}

export const requestHold = (token: string): RequestHold => ({
  hold: holdOf(token),
  touched: new Set(),
  over: false,
});

/** The request has answered: a nemesis asking now hears that it never stopped. */
export function answered(request: RequestHold | undefined): void {
  if (!request || request.over) return;
  request.over = true;
  request.hold.reached(false);
}

/** Before a call of `table` for `key`: stops there if the request called it for `key` before. */
async function pauseAt(request: RequestHold | undefined, table: string, key: string) {
  if (!request || request.over) return;
  const id = `${table}\u0000${key}`;
  if (!request.touched.has(id)) {
    request.touched.add(id);
    return;
  }
  request.over = true;
  request.hold.reached(true);
  await request.hold.released;
}

/** `store`, whose every call first asks `current()` (the request making it) whether to stop. */
export function holdable<T>(
  store: StateStore<T>,
  table: string,
  current: () => RequestHold | undefined,
): StateStore<T> {
  const at = (key: string) => pauseAt(current(), table, key);
  return {
    kind: store.kind,
    get: async (key) => (await at(key), store.get(key)),
    set: async (key, value, ttlMs) => (await at(key), store.set(key, value, ttlMs)),
    setIfAbsent: async (key, value, ttlMs) => (await at(key), store.setIfAbsent(key, value, ttlMs)),
    setIfPresent: async (key, value, ttlMs) => (
      await at(key),
      store.setIfPresent(key, value, ttlMs)
    ),
    update: async (key, change, ttlMs) => (await at(key), store.update(key, change, ttlMs)),
    delete: async (key) => (await at(key), store.delete(key)),
  };
}
