// The stateful server's own memory: a StateStore that keeps the very objects it is given, with
// no serialisation. This is what "state in server memory" costs per request: a Map lookup.
// Platform-free. (memoryStore() in store.ts is the other in-process store: it copies every value
// through JSON, as a shared store across a network would, and stands in for one.)
import type { StateStore } from './store';

/**
 * A store of live objects in this process's memory: get() hands back the object set() was given,
 * not a copy. A caller that changes a value it got has changed the stored one, so the shop's
 * routes never change a value in place: they build a new one and set() it.
 *
 * `maxEntries` bounds the memory: a write that would go past it forgets the entry written
 * longest ago first (a Map keeps its keys in the order they were set). Without it, anyone who
 * can make the server write a new key can make it keep everything.
 */
export function liveStore<T>(
  now: () => number = Date.now,
  maxEntries = Infinity,
): StateStore<T> & { readonly size: number } {
  const entries = new Map<string, { value: T; expires: number }>();
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expires <= now()) entries.delete(key);
    return entry && entry.expires > now() ? entry : undefined;
  };
  const put = (key: string, value: T, ttlMs: number) => {
    entries.delete(key); // so that it counts as the newest
    entries.set(key, { value, expires: now() + ttlMs });
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    sweep();
  };
  // A read forgets an expired entry, but a session whose client never comes back is never read
  // again: without this, every login ever made would stay in memory. Each write also forgets up
  // to two expired entries among those written longest ago (the Map's first keys): more than it
  // adds, so expired entries cannot pile up. Entries of one time to live, as each of the shop's
  // stores keeps, expire in the order they were written; a never-expiring first entry stops it.
  const sweep = () => {
    let swept = 0;
    for (const [key, entry] of entries) {
      if (swept === 2 || entry.expires > now()) return;
      entries.delete(key);
      swept++;
    }
  };
  return {
    kind: 'memory',
    /** How many entries this memory holds now, expired ones not yet swept included. */
    get size() {
      return entries.size;
    },
    async get(key) {
      return live(key)?.value;
    },
    async set(key, value, ttlMs = Infinity) {
      put(key, value, ttlMs);
    },
    // No await between the look and the write: in one process, nothing can run in between.
    async setIfAbsent(key, value, ttlMs = Infinity) {
      if (live(key)) return false;
      put(key, value, ttlMs);
      return true;
    },
    async setIfPresent(key, value, ttlMs = Infinity) {
      if (!live(key)) return false;
      put(key, value, ttlMs);
      return true;
    },
    async update(key, change, ttlMs = Infinity) {
      const next = change(live(key)?.value);
      put(key, next, ttlMs);
      return next;
    },
    async delete(key) {
      entries.delete(key);
    },
  };
}
