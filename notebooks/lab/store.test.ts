import { describe, expect, it } from 'vitest';
import { memoryStore } from './store';

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
});
