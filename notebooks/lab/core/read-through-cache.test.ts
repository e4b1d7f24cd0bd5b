import { describe, expect, it } from 'vitest';
import { openCatalog } from '../node/sqlite-catalog';
import {
  cacheAside,
  cachedCatalog,
  cachedStore,
  readThrough,
  type Truth,
} from './read-through-cache';
import { memoryStore, type StateStore } from './store';

/** A promise the test resolves when it chooses: it holds a slow read or write at one point. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('readThrough', () => {
  it('loads once and serves from memory until the TTL ends', () => {
    let t = 0;
    let loads = 0;
    const cache = readThrough((key) => `${key}@${++loads}`, { ttlMs: 100, now: () => t });
    expect(cache.get('a')).toBe('a@1');
    t = 99;
    expect(cache.get('a')).toBe('a@1');
    t = 100;
    expect(cache.get('a')).toBe('a@2');
    expect(cache.stats).toEqual({ hits: 1, misses: 2 });
  });

  it('loads afresh after invalidate', () => {
    let loads = 0;
    const cache = readThrough(() => ++loads, { ttlMs: 1_000 });
    cache.get('a');
    cache.invalidate('a');
    expect(cache.get('a')).toBe(2);
  });
});

describe('cachedCatalog', () => {
  it('answers product reads from the cache and the rest from the database', () => {
    const catalog = openCatalog();
    const cached = cachedCatalog(catalog, { ttlMs: 1_000 });
    expect(cached.catalog.get(1)).toEqual(catalog.get(1));
    expect(cached.catalog.get(1)).toEqual(catalog.get(1));
    expect(cached.stats).toEqual({ hits: 1, misses: 1 });
    expect(cached.catalog.list()).toEqual(catalog.list());
    catalog.close();
  });
});

describe('cachedStore', () => {
  it("keeps serving another process's deleted value until its TTL ends", async () => {
    let t = 0;
    const shared = memoryStore<string>(() => t);
    const a = cachedStore(shared, { ttlMs: 100, now: () => t }).store;
    const b = cachedStore(shared, { ttlMs: 100, now: () => t }).store;
    await a.set('sid', 'ada');
    expect(await b.get('sid')).toBe('ada');
    await a.delete('sid');
    expect(await a.get('sid')).toBeUndefined(); // the writer's own copy is gone
    expect(await b.get('sid')).toBe('ada'); // stale: b never heard of the delete
    t = 100;
    expect(await b.get('sid')).toBeUndefined(); // bounded by the TTL
  });

  it('hands out copies, so a caller cannot change the cached value', async () => {
    const store = cachedStore(memoryStore<string[]>(), { ttlMs: 1_000 }).store;
    await store.set('cart', ['x']);
    (await store.get('cart'))!.push('y');
    expect(await store.get('cart')).toEqual(['x']);
  });
});

describe('cachedStore and a read that races a write', () => {
  it('drops, once the write is done, an old value a read cached while the write was in flight', async () => {
    const truth = memoryStore<string>();
    await truth.set('price', 'old');
    const slowWrite = gate();
    const store: StateStore<string> = {
      kind: 'slow',
      get: (key) => truth.get(key),
      set: async (key, value) => (await slowWrite.opened, truth.set(key, value)),
      setIfAbsent: (key, value) => truth.setIfAbsent(key, value),
      setIfPresent: (key, value) => truth.setIfPresent(key, value),
      update: (key, change) => truth.update(key, change),
      delete: (key) => truth.delete(key),
    };
    const cache = cachedStore(store, { ttlMs: 60_000 }).store;
    const write = cache.set('price', 'new');
    expect(await cache.get('price')).toBe('old'); // the write has not landed: old is still true
    slowWrite.open();
    await write;
    expect(await cache.get('price')).toBe('new'); // dropping the copy only before the write: 'old'
  });

  // The same for every way to write: a read during the write may cache what was true before it.
  const writes: [string, string | undefined, (cache: StateStore<string>) => Promise<unknown>][] = [
    ['setIfAbsent', undefined, (cache) => cache.setIfAbsent('price', 'new')],
    ['setIfPresent', 'old', (cache) => cache.setIfPresent('price', 'new')],
    ['update', 'old', (cache) => cache.update('price', () => 'new')],
    ['delete', 'old', (cache) => cache.delete('price')],
  ];
  for (const [method, before, write] of writes) {
    it(`${method}: drops, once the write is done, what a read cached while it was in flight`, async () => {
      const truth = memoryStore<string>();
      if (before !== undefined) await truth.set('price', before);
      const after = method === 'delete' ? undefined : 'new';
      const slow = gate();
      const store = { ...truth, kind: 'slow' } as StateStore<string>;
      const inner = truth[method as keyof StateStore<string>] as (...a: unknown[]) => unknown;
      Object.assign(store, {
        [method]: async (...args: unknown[]) => (await slow.opened, inner(...args)),
      });
      const cache = cachedStore(store, { ttlMs: 60_000 }).store;
      const writing = write(cache);
      expect(await cache.get('price')).toBe(before); // not landed yet: still true
      slow.open();
      await writing;
      expect(await cache.get('price')).toBe(after);
    });
  }
});

describe('cacheAside: the stale-set race', () => {
  it('serves the old value for a whole TTL after the write, when a slow read fills the cache after the delete', async () => {
    let t = 0;
    const shared = memoryStore<string>(() => t); // the cache every server shares
    const db = new Map([['price', 'old']]);
    const [firstRead, slowAnswer] = [gate(), gate()];
    let reads = 0;
    const truth: Truth<string> = {
      async get(key) {
        const value = db.get(key); // the read happens now…
        if ((reads += 1) === 1) {
          firstRead.open();
          await slowAnswer.opened; // …and the first one's answer arrives late
        }
        return value;
      },
      set: async (key, value) => void db.set(key, value),
    };
    const app1 = cacheAside(shared, truth, { ttlMs: 1_000 });
    const app2 = cacheAside(shared, truth, { ttlMs: 1_000 });

    const slow = app2.get('price'); // 1. app-2 misses and reads 'old' from the database
    await firstRead.opened;
    await app1.set('price', 'new'); // 2. app-1 writes 'new' and deletes the cached copy
    expect(await app1.get('price')).toBe('new'); // …so a read now is fresh (and refills the cache)
    await shared.delete('price'); // (empty again, as if no other read had come)
    slowAnswer.open();
    expect(await slow).toBe('old'); // 3. app-2's late answer fills the cache with 'old'
    t = 999;
    expect(await app1.get('price')).toBe('old'); // stale, after the invalidation, for a whole TTL
    t = 1_000;
    expect(await app1.get('price')).toBe('new');
  });

  it('without a read in flight, the delete reaches every server at once', async () => {
    const shared = memoryStore<string>();
    const db = new Map([['price', 'old']]);
    const truth: Truth<string> = {
      get: async (key) => db.get(key),
      set: async (key, value) => void db.set(key, value),
    };
    const [app1, app2] = [
      cacheAside(shared, truth, { ttlMs: 60_000 }),
      cacheAside(shared, truth, { ttlMs: 60_000 }),
    ];
    expect(await app2.get('price')).toBe('old');
    await app1.set('price', 'new');
    expect(await app2.get('price')).toBe('new');
  });
});
