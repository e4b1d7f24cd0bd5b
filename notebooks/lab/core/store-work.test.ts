import { describe, expect, it } from 'vitest';
import { liveStore } from './live-store';
import type { CartLine, Session } from './shop-types';
import { memoryStore, type StateStore } from './store';
import { timeStoreWork } from './store-work';

/** A store that counts what is asked of it. */
function counting<T>(inner: StateStore<T>) {
  const calls = { get: 0, set: 0, setIfAbsent: 0, setIfPresent: 0, update: 0, delete: 0 };
  const store: StateStore<T> = {
    kind: inner.kind,
    get: (key) => ((calls.get += 1), inner.get(key)),
    set: (key, value, ttlMs) => ((calls.set += 1), inner.set(key, value, ttlMs)),
    setIfAbsent: (key, value, ttlMs) => (
      (calls.setIfAbsent += 1),
      inner.setIfAbsent(key, value, ttlMs)
    ),
    setIfPresent: (key, value, ttlMs) => (
      (calls.setIfPresent += 1),
      inner.setIfPresent(key, value, ttlMs)
    ),
    update: (key, change, ttlMs) => ((calls.update += 1), inner.update(key, change, ttlMs)),
    delete: (key) => ((calls.delete += 1), inner.delete(key)),
  };
  return { store, calls };
}

describe('timeStoreWork', () => {
  it('asks of the stores what one cart request does: 2 session reads, 1 cart update, 1 cart read', async () => {
    const sessions = counting(liveStore<Session>());
    const carts = counting(memoryStore<CartLine[]>());
    const perRequest = await timeStoreWork(
      { sessions: sessions.store, carts: carts.store },
      { cartLines: 3, perBatch: 10, batches: 2 },
    );
    expect(perRequest).toHaveLength(2);
    expect(perRequest.every((us) => us > 0)).toBe(true);
    // 20 cart requests, plus the set-up (one set each) and the clean-up (one delete each)
    expect(sessions.calls).toEqual({
      get: 40,
      set: 1,
      setIfAbsent: 0,
      setIfPresent: 0,
      update: 0,
      delete: 1,
    });
    expect(carts.calls).toEqual({
      get: 20,
      set: 1,
      setIfAbsent: 0,
      setIfPresent: 0,
      update: 20,
      delete: 1,
    });
  });

  it('keeps the cart the same size, so every batch does the same work', async () => {
    const carts = memoryStore<CartLine[]>();
    const sizes: number[] = [];
    const watched: StateStore<CartLine[]> = {
      ...carts,
      set: (key, value, ttlMs) => (sizes.push(value.length), carts.set(key, value, ttlMs)),
      update: async (key, change, ttlMs) => {
        const next = await carts.update(key, change, ttlMs);
        sizes.push(next.length);
        return next;
      },
    };
    await timeStoreWork(
      { sessions: liveStore<Session>(), carts: watched },
      { cartLines: 25, perBatch: 5, batches: 1 },
    );
    expect(new Set(sizes)).toEqual(new Set([25]));
  });
});
