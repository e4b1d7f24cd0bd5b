// A request held between two of its store calls, so that another request lands in between on
// purpose, not by a few milliseconds of luck (the nemesis's races, nemesis.ts). A request sent
// with the headers x-test-hold: TOKEN and x-test-hold-table: TABLE stops the first time it writes a
// key of that store that it has already called it for: a look at a cart and then a write of it
// (carts), a read of the list of orders and then a write of it (lists), the two steps that another
// request can come between. Calls to other stores (a session renewed, a lock taken, a counter) and
// a second read never stop it. It goes on when the nemesis releases it (POST /test/release/TOKEN),
// or by itself after HOLD_MAX_MS. GET /test/held/TOKEN answers {held: true} once it is stopped
// there, and {held: false} once it has answered without stopping (a shop that reads and writes a
// cart in one step, an update, is never held).
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

/** One request's part in its hold: the store it is held in, and the keys of it called so far. */
export interface RequestHold {
  hold: Hold;
  table: string;
  touched: Set<string>;
  /** Stopped once already, or answered: it stops no more. */
  over: boolean;
}

export const requestHold = (token: string, table: string): RequestHold => ({
  hold: holdOf(token),
  table,
  touched: new Set(),
  over: false,
});

/** The request has answered: a nemesis asking now hears that it never stopped. */
export function answered(request: RequestHold | undefined): void {
  if (!request || request.over) return;
  request.over = true;
  request.hold.reached(false);
}

/** Before a call of `table` for `key`: stops there if it writes a key of the held store that the
 *  request called before. */
async function pauseAt(
  request: RequestHold | undefined,
  table: string,
  key: string,
  writes: boolean,
) {
  if (!request || request.over || table !== request.table) return;
  if (!request.touched.has(key)) {
    request.touched.add(key);
    return;
  }
  if (!writes) return;
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
  const at = (key: string, writes = true) => pauseAt(current(), table, key, writes);
  return {
    kind: store.kind,
    get: async (key) => (await at(key, false), store.get(key)),
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
