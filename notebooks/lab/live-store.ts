// The stateful server's own memory: a StateStore that keeps the very objects it is given, with
// no serialisation. This is what "state in server memory" costs per request: a Map lookup.
// Platform-free. (memoryStore() in store.ts is the other in-process store: it copies every value
// through JSON, as a shared store across a network would, and stands in for one.)
import type { StateStore } from './store';

/**
 * A store of live objects in this process's memory: get() hands back the object set() was given,
 * not a copy. A caller that changes a value it got has changed the stored one, so the shop's
 * routes never change a value in place: they build a new one and set() it.
 */
export function liveStore<T>(now: () => number = Date.now): StateStore<T> {
  const entries = new Map<string, { value: T; expires: number }>();
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expires <= now()) entries.delete(key);
    return entry && entry.expires > now() ? entry : undefined;
  };
  return {
    kind: 'memory',
    async get(key) {
      return live(key)?.value;
    },
    async set(key, value, ttlMs = Infinity) {
      entries.set(key, { value, expires: now() + ttlMs });
    },
    // No await between the look and the write: in one process, nothing can run in between.
    async setIfAbsent(key, value, ttlMs = Infinity) {
      if (live(key)) return false;
      entries.set(key, { value, expires: now() + ttlMs });
      return true;
    },
    async setIfPresent(key, value, ttlMs = Infinity) {
      if (!live(key)) return false;
      entries.set(key, { value, expires: now() + ttlMs });
      return true;
    },
    async update(key, change, ttlMs = Infinity) {
      const next = change(live(key)?.value);
      entries.set(key, { value: next, expires: now() + ttlMs });
      return next;
    },
    async delete(key) {
      entries.delete(key);
    },
  };
}
