import { describe, expect, it } from 'vitest';
import { openCatalog } from './catalog';
import { cachedCatalog, cachedStore, readThrough } from './read-through-cache';
import { memoryStore } from './store';

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
