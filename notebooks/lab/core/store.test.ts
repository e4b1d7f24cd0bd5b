import { describe, expect, it } from 'vitest';
import { memoryStore } from './store';
import { liveStore } from './live-store';

describe('memoryStore', () => {
  it('gives back a copy: changing it does not change the stored value', async () => {
    const store = memoryStore<{ items: number[] }>();
    await store.set('k', { items: [1] });
    const value = (await store.get('k'))!;
    value.items.push(2);
    expect(await store.get('k')).toEqual({ items: [1] });
  });

  it('forgets a value when its time to live has passed', async () => {
    let now = 1_000;
    const store = memoryStore<string>(() => now);
    await store.set('sid', 'ana', 500);
    now += 499;
    expect(await store.get('sid')).toBe('ana');
    now += 1;
    expect(await store.get('sid')).toBeUndefined();
  });

  it('lets go of expired entries nobody asks for again: 30 minutes of logins, not every login ever', async () => {
    // As a shared store does (Redis samples keys with a TTL and deletes the expired ones): a
    // session whose client never comes back is never read again.
    let clock = 0;
    const store = memoryStore<number>(() => clock);
    for (let i = 0; i < 1_000; i++) await store.set(`old${i}`, i, 100);
    clock = 101;
    for (let i = 0; i < 1_000; i++) await store.update(`new${i}`, () => i, 100);
    expect(store.size).toBe(1_000);
    expect(await store.get('new999')).toBe(999);
    expect(await store.get('old999')).toBeUndefined();
  });
});

describe('memoryStore.update and liveStore.update', () => {
  it.each([
    ['memoryStore', memoryStore],
    ['liveStore', liveStore],
  ] as const)(
    '%s changes the current value in one step, an expired one as absent',
    async (_, make) => {
      let now = 1_000;
      const store = make<number[]>(() => now);
      expect(await store.update('k', (v) => [...(v ?? []), 1], 500)).toEqual([1]);
      const both = await Promise.all([
        store.update('k', (v) => [...(v ?? []), 2], 500),
        store.update('k', (v) => [...(v ?? []), 3], 500),
      ]);
      expect(both[1]).toEqual([1, 2, 3]);
      expect(await store.get('k')).toEqual([1, 2, 3]);
      now += 500;
      expect(await store.update('k', (v) => [...(v ?? []), 4])).toEqual([4]);
    },
  );
});

describe('memoryStore.setIfPresent', () => {
  it('replaces a value that is there, and never brings back one that was deleted or expired', async () => {
    let now = 1_000;
    const store = memoryStore<string>(() => now);
    expect(await store.setIfPresent('k', 'ghost')).toBe(false);
    expect(await store.get('k')).toBeUndefined();
    await store.set('k', 'first', 500);
    expect(await store.setIfPresent('k', 'second', 500)).toBe(true);
    expect(await store.get('k')).toBe('second');
    await store.delete('k');
    expect(await store.setIfPresent('k', 'third')).toBe(false);
    await store.set('k', 'fourth', 500);
    now += 500;
    expect(await store.setIfPresent('k', 'fifth')).toBe(false);
    expect(await store.get('k')).toBeUndefined();
  });
});

describe('memoryStore.setIfAbsent', () => {
  it('sets a key that holds nothing, and refuses one that holds a value', async () => {
    const store = memoryStore<string>();
    expect(await store.setIfAbsent('k', 'first')).toBe(true);
    expect(await store.setIfAbsent('k', 'second')).toBe(false);
    expect(await store.get('k')).toBe('first');
  });

  it('treats an expired value as absent', async () => {
    let now = 1_000;
    const store = memoryStore<string>(() => now);
    expect(await store.setIfAbsent('k', 'first', 500)).toBe(true);
    now += 500;
    expect(await store.setIfAbsent('k', 'second', 500)).toBe(true);
    expect(await store.get('k')).toBe('second');
  });

  it('lets exactly one of many callers racing for one key win', async () => {
    const store = memoryStore<number>();
    const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => store.setIfAbsent('k', i)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await store.get('k')).toBe(wins.indexOf(true));
  });
});
