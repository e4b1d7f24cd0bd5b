// Where the shop keeps user state (sessions, carts): one small interface, several homes.
// memoryStore() keeps it in this process's memory but copies every value through JSON, as a
// shared store across a network would: chapter 4's stand-in for one. (A stateful server's own
// memory of live objects is liveStore(), live-store.ts.) Later chapters add SQLite and Redis.
// Platform-free: no Node built-ins, so the in-browser simulator can use it too.

// #region state-store
export interface StateStore<T> {
  /** What kind of store this is, for tables and diagrams: 'memory', 'shared', 'sqlite', 'redis'. */
  readonly kind: string;
  get(key: string): Promise<T | undefined>;
  /** ttlMs: forget the value after this long (sessions expire). */
  set(key: string, value: T, ttlMs?: number): Promise<void>;
  /**
   * Sets the value only if the key holds none (or only an expired one), and says whether it did.
   * Atomic: of two callers racing for one key, in one process or in two, exactly one gets true.
   * (A get() and then a set() is not: both callers can see "absent" before either sets.)
   */
  setIfAbsent(key: string, value: T, ttlMs?: number): Promise<boolean>;
  /**
   * Replaces the value only if the key holds one (not expired), and says whether it did. Atomic,
   * so a write-back never brings back a key that someone deleted meanwhile (a logout, chapter 3).
   */
  setIfPresent(key: string, value: T, ttlMs?: number): Promise<boolean>;
  /**
   * Reads the value, applies `change` (synchronous, no side effects: it may run more than once)
   * and writes the result, as one step: no other writer's change can land in between and be lost.
   * A get() and then a set() is not: two of them at once both read the old cart, and the second
   * write erases the first one's item (the lost update). Resolves to the value written.
   */
  update(key: string, change: (current: T | undefined) => T, ttlMs?: number): Promise<T>;
  delete(key: string): Promise<void>;
}
// #endregion state-store

/**
 * A store in this process's memory. Values are copied in and out as JSON, as a networked store
 * would: a caller can never change a stored value by keeping a reference to it.
 */
export function memoryStore<T>(
  now: () => number = Date.now,
): StateStore<T> & { readonly size: number } {
  const entries = new Map<string, { json: string; expires: number }>();
  const live = (key: string) => {
    const entry = entries.get(key);
    if (!entry || entry.expires > now()) return entry;
    entries.delete(key);
    return undefined;
  };
  // A read forgets an expired entry, but a session whose client never comes back is never read
  // again. So each write also forgets up to two expired entries among those written longest ago
  // (a Map keeps its keys in the order they were set, and a write moves its key last): more than
  // it adds, so expired entries cannot pile up. (liveStore() does the same.)
  const put = (key: string, json: string, ttlMs: number) => {
    entries.delete(key);
    entries.set(key, { json, expires: now() + ttlMs });
    let swept = 0;
    for (const [oldest, entry] of entries) {
      if (swept === 2 || entry.expires > now()) break;
      entries.delete(oldest);
      swept++;
    }
  };
  return {
    kind: 'memory',
    /** How many entries this store holds now, expired ones not yet swept included. */
    get size() {
      return entries.size;
    },
    async get(key) {
      const entry = live(key);
      return entry && (JSON.parse(entry.json) as T);
    },
    async set(key, value, ttlMs = Infinity) {
      put(key, JSON.stringify(value), ttlMs);
    },
    // No await between the check and the set: JavaScript runs this to the end before any other
    // caller in this process can look at the key.
    async setIfAbsent(key, value, ttlMs = Infinity) {
      if (live(key)) return false;
      put(key, JSON.stringify(value), ttlMs);
      return true;
    },
    async setIfPresent(key, value, ttlMs = Infinity) {
      if (!live(key)) return false;
      put(key, JSON.stringify(value), ttlMs);
      return true;
    },
    // No await between the read and the write: nothing else in this process can run in between.
    async update(key, change, ttlMs = Infinity) {
      const entry = live(key);
      const next = change(entry && (JSON.parse(entry.json) as T));
      put(key, JSON.stringify(next), ttlMs);
      return next; // the caller's own object: what is stored is its JSON, which nothing can change
    },
    async delete(key) {
      entries.delete(key);
    },
  };
}

/**
 * A view of `store` in which every key starts with `prefix`. Several kinds of state can then share
 * one store (one Redis) without a key of one kind ever naming a value of another: with sessions
 * keyed by session ID and carts by user name in one keyspace, a cookie holding a user's name
 * would find that user's cart and be taken for a session.
 */
export function keyspace<T>(store: StateStore<unknown>, prefix: string): StateStore<T> {
  const key = (name: string) => prefix + name;
  return {
    kind: store.kind,
    get: (name) => store.get(key(name)) as Promise<T | undefined>,
    set: (name, value, ttlMs) => store.set(key(name), value, ttlMs),
    setIfAbsent: (name, value, ttlMs) => store.setIfAbsent(key(name), value, ttlMs),
    setIfPresent: (name, value, ttlMs) => store.setIfPresent(key(name), value, ttlMs),
    update: (name, change, ttlMs) =>
      store.update(key(name), (current) => change(current as T | undefined), ttlMs) as Promise<T>,
    delete: (name) => store.delete(key(name)),
  };
}
