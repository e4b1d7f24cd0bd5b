// Read caches with a TTL: a copy of someone else's state. It is not the truth (the store or the
// database is). readThrough and cachedStore keep the copy in this process's memory, and a write
// made through *this* cache invalidates only *this* copy, not another server's. cacheAside keeps
// it in a cache every server shares, and shows the stale-set race: a read that fetched the old
// value before a write can put it back in the cache after the write's delete.
import type { Catalog } from './catalog';
import type { StateStore } from './store';

export interface CacheOptions {
  ttlMs: number;
  /** The clock, injectable so tests and notebooks can step time. Default Date.now. */
  now?: () => number;
}

export interface CacheStats {
  hits: number;
  misses: number;
}

// #region read-through
/** get(key): from memory while fresh, else load() once and remember it until now + ttlMs. */
export function readThrough<V>(load: (key: string) => V, options: CacheOptions) {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: V; expires: number }>();
  const stats: CacheStats = { hits: 0, misses: 0 };
  return {
    get(key: string): V {
      const entry = entries.get(key);
      if (entry && now() < entry.expires) {
        stats.hits += 1;
        return entry.value;
      }
      stats.misses += 1;
      const value = load(key); // a miss costs what the cache was meant to save
      entries.set(key, { value, expires: now() + options.ttlMs });
      return value;
    },
    /** The write path calls this after it wrote the truth: the next get() loads it afresh. */
    invalidate(key: string) {
      entries.delete(key);
    },
    stats,
  };
}
// #endregion read-through

/** The catalogue with product reads served from a cache; everything else goes to the database. */
export function cachedCatalog(catalog: Catalog, options: CacheOptions) {
  const products = readThrough((id) => catalog.get(Number(id)), options);
  const cached: Catalog = { ...catalog, get: (id: number) => products.get(String(id)) };
  return {
    catalog: cached,
    stats: products.stats,
    invalidate: (id: number) => products.invalidate(String(id)),
  };
}

/**
 * A StateStore whose reads are cached in this process for ttlMs. Writes and deletes go to the
 * store and drop this process's copy — but a copy in another process lives on until its TTL ends.
 */
export function cachedStore<T>(store: StateStore<T>, options: CacheOptions) {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: Promise<T | undefined>; expires: number }>();
  const stats: CacheStats = { hits: 0, misses: 0 };
  const cached: StateStore<T> = {
    kind: `cached ${store.kind}`,
    get(key) {
      const entry = entries.get(key);
      if (entry && now() < entry.expires) {
        stats.hits += 1;
        // a copy, as the store itself would give: a caller's change never reaches the cache
        return entry.value.then((value) => (value === undefined ? value : structuredClone(value)));
      }
      stats.misses += 1;
      const value = store.get(key);
      entries.set(key, { value, expires: now() + options.ttlMs });
      value.catch(() => entries.delete(key)); // never remember a failure
      return value.then((v) => (v === undefined ? v : structuredClone(v)));
    },
    // Drop the copy *after* the write: a read that missed while the write was in flight may have
    // cached the old value, and this drops that too. (Dropping it only before the write is the
    // stale-set race in one process: that read's old value would stay for a whole TTL.)
    async set(key, value, ttlMs) {
      await store.set(key, value, ttlMs);
      entries.delete(key);
    },
    async setIfAbsent(key, value, ttlMs) {
      const set = await store.setIfAbsent(key, value, ttlMs); // the store decides, atomically
      entries.delete(key); // after the write, as set() does: a cached "absent" is stale now
      return set;
    },
    async update(key, change, ttlMs) {
      const next = await store.update(key, change, ttlMs);
      entries.delete(key); // after the write, as set() does
      return next;
    },
    async setIfPresent(key, value, ttlMs) {
      const replaced = await store.setIfPresent(key, value, ttlMs);
      entries.delete(key); // after the write, as set() does
      return replaced;
    },
    async delete(key) {
      await store.delete(key);
      entries.delete(key);
    },
  };
  return { store: cached, stats };
}

/** What cacheAside reads from and writes to: the truth, such as a database. */
export interface Truth<T> {
  get(key: string): Promise<T | undefined>;
  set(key: string, value: T): Promise<void>;
}

// #region cache-aside
/**
 * Cache-aside with a cache every server shares (Redis, memcached): a reader that misses reads the
 * truth and then fills the cache for ttlMs; a writer writes the truth and then deletes the cached
 * copy, so every server's next read misses. One delete reaches every reader, but not a read that
 * is already under way: if it fetched the old value before the write and fills the cache after
 * the delete, the old value is served for a whole TTL after the write (the stale-set race).
 */
export function cacheAside<T>(cache: StateStore<T>, truth: Truth<T>, options: { ttlMs: number }) {
  return {
    async get(key: string): Promise<T | undefined> {
      const cached = await cache.get(key);
      if (cached !== undefined) return cached;
      const value = await truth.get(key); // may be the old value, if a write lands meanwhile
      if (value !== undefined) await cache.set(key, value, options.ttlMs); // may come after its delete
      return value;
    },
    async set(key: string, value: T): Promise<void> {
      await truth.set(key, value);
      await cache.delete(key);
    },
  };
}
// #endregion cache-aside
