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
  delete(key: string): Promise<void>;
}
// #endregion state-store

/**
 * A store in this process's memory. Values are copied in and out as JSON, as a networked store
 * would: a caller can never change a stored value by keeping a reference to it.
 */
export function memoryStore<T>(now: () => number = Date.now): StateStore<T> {
  const entries = new Map<string, { json: string; expires: number }>();
  return {
    kind: 'memory',
    async get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expires <= now()) {
        entries.delete(key);
        return undefined;
      }
      return JSON.parse(entry.json) as T;
    },
    async set(key, value, ttlMs = Infinity) {
      entries.set(key, { json: JSON.stringify(value), expires: now() + ttlMs });
    },
    async delete(key) {
      entries.delete(key);
    },
  };
}
