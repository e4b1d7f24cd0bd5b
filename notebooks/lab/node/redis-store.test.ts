import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisTestGate, startRedis, type RunningRedis } from './redis-server';
import { redisStore } from './redis-store';

const gate = redisTestGate();

// Without Redis in CI, redis-server.test.ts fails its gate test; these then do not run.
describe.runIf(gate.run)('redisStore', () => {
  let redis: RunningRedis;
  const stores: { close(): Promise<void> }[] = [];
  const open = <T>(url = redis.url, prefix?: string) => {
    const store = redisStore<T>(url, prefix);
    stores.push(store);
    return store;
  };
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await redis?.stop();
  });

  it('is shared: what one client writes, another reads', async () => {
    const a = open<{ items: number[] }>();
    const b = open<{ items: number[] }>();
    expect(a.kind).toBe('redis');
    await a.set('cart:ana', { items: [1, 2] });
    expect(await b.get('cart:ana')).toEqual({ items: [1, 2] });
    await b.delete('cart:ana');
    expect(await a.get('cart:ana')).toBeUndefined();
  });

  it('keeps each prefix apart', async () => {
    await open<string>(redis.url, 'one:').set('k', 'first');
    expect(await open<string>(redis.url, 'two:').get('k')).toBeUndefined();
  });

  it('lets Redis expire a value after its time to live (SET ... PX)', async () => {
    // 2 s to live: a busy machine (CI under load) can take more than 50 ms between SET and GET, and
    // the value was gone before it was read. Then wait, bounded, for Redis to expire it.
    const store = open<string>();
    await store.set('sid', 'ana', 2000);
    expect(await store.get('sid')).toBe('ana');
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await expect.poll(() => store.get('sid'), { timeout: 5000 }).toBeUndefined();
  });

  it('setIfAbsent sets a free key once (SET ... NX), and again after its TTL (PX) ran out', async () => {
    const store = open<string>();
    // 2 s to live, not 50 ms: a busy machine can take longer than that between two commands.
    expect(await store.setIfAbsent('claim', 'first', 2000)).toBe(true);
    expect(await store.setIfAbsent('claim', 'second', 2000)).toBe(false);
    expect(await store.get('claim')).toBe('first');
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await expect.poll(() => store.get('claim'), { timeout: 5000 }).toBeUndefined();
    expect(await store.setIfAbsent('claim', 'third')).toBe(true);
    expect(await store.setIfAbsent('claim', 'fourth')).toBe(false);
    expect(await store.get('claim')).toBe('third');
  });

  it('setIfPresent replaces a live value (SET ... XX), never a deleted or expired one', async () => {
    const store = open<string>();
    expect(await store.setIfPresent('touch', 'ghost')).toBe(false);
    expect(await store.get('touch')).toBeUndefined();
    // 2 s to live, not 50 ms: a busy machine can take longer than that between two commands.
    await store.set('touch', 'first', 2000);
    expect(await store.setIfPresent('touch', 'second', 2000)).toBe(true);
    expect(await store.get('touch')).toBe('second');
    await store.delete('touch');
    expect(await store.setIfPresent('touch', 'third')).toBe(false);
    await store.set('touch', 'fourth', 2000);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await expect.poll(() => store.get('touch'), { timeout: 5000 }).toBeUndefined();
    expect(await store.setIfPresent('touch', 'fifth')).toBe(false);
    expect(await store.get('touch')).toBeUndefined();
  });

  it('setIfAbsent has one winner when ten clients claim one key at once', async () => {
    const clients = Array.from({ length: 10 }, () => open<number>());
    const wins = await Promise.all(clients.map((client, i) => client.setIfAbsent('race', i)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await clients[0].get('race')).toBe(wins.indexOf(true));
  });

  it('fails fast with a clear error when Redis is down, and works again once it is back', async () => {
    const store = open<string>();
    await store.set('k', 'v');
    redis.kill();
    const started = performance.now();
    await expect(store.get('k')).rejects.toThrow(
      /Redis at redis:\/\/127\.0\.0\.1:\d+ is unreachable/,
    );
    expect(performance.now() - started).toBeLessThan(3000);
    await redis.restart(); // no AOF: the restarted Redis is empty
    await expect
      .poll(() => store.get('k').catch(() => 'still down'), { timeout: 5000 })
      .toBeUndefined();
  });

  it('fails fast when nothing ever listened there', async () => {
    const store = open<string>('redis://127.0.0.1:1');
    const started = performance.now();
    await expect(store.set('k', 'v')).rejects.toThrow(/is unreachable/);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
