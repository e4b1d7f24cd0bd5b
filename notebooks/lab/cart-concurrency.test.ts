// One user, two tabs: many adds to the same cart at once, through two shop servers that share
// their stores. Every add the shop answered 200 must be in the cart afterwards, on every store.
// The same workload on a store whose update() is a plain get() then set() (the naive
// read-modify-write) loses items, so these tests can fail.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from './catalog';
import { redisTestGate, startRedis, type RunningRedis } from './redis-server';
import { redisStore } from './redis-store';
import { startServer, type RunningServer } from './server';
import { createShop } from './shop';
import type { CartLine, Session } from './shop-types';
import { sqliteStore } from './sqlite-store';
import { memoryStore, type StateStore } from './store';

const ADDS = 60;

/** The lost update, on purpose: update() as a read, a pause for the network, and a write. */
function naive<T>(store: StateStore<T>): StateStore<T> {
  return {
    ...store,
    async update(key, change, ttlMs) {
      const current = await store.get(key);
      await hop();
      const next = change(current);
      await store.set(key, next, ttlMs);
      return next;
    },
  };
}

const hop = () => new Promise((resolve) => setTimeout(resolve, 1));

/**
 * The store as if across a network: every get, set and delete takes a round trip, so other
 * requests run meanwhile (in one process, an in-memory call would never let them). update() is
 * one round trip too, and stays atomic, as one command or one transaction is in the real stores.
 */
function overNetwork<T>(store: StateStore<T>): StateStore<T> {
  return {
    ...store,
    get: async (key) => (await hop(), store.get(key)),
    set: async (key, value, ttlMs) => (await hop(), store.set(key, value, ttlMs)),
    delete: async (key) => (await hop(), store.delete(key)),
    update: async (key, change, ttlMs) => (await hop(), store.update(key, change, ttlMs)),
  };
}

const running: RunningServer[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.stop();
});

/**
 * Two servers over `carts` (each given its own handle by `cartsFor`), one user logged in, ADDS
 * adds sent at once, alternating servers. Returns the adds answered 200 and the cart's length.
 */
async function twoTabs(cartsFor: (name: string) => StateStore<CartLine[]>) {
  const catalog = openCatalog();
  const sessions = memoryStore<Session>();
  for (const name of ['app-1', 'app-2']) {
    const carts = cartsFor(name);
    running.push(
      await startServer({ name, app: () => createShop({ name, catalog, sessions, carts }) }),
    );
  }
  const [a, b] = running;
  const login = await fetch(`${a.url}/login`, {
    method: 'POST',
    body: JSON.stringify({ user: 'ana' }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const adds = await Promise.all(
    Array.from({ length: ADDS }, (_, i) =>
      fetch(`${(i % 2 ? b : a).url}/cart`, {
        method: 'POST',
        headers: { cookie },
        body: JSON.stringify({ productId: 1 + (i % 3), qty: 1 }),
      }).then((res) => res.status),
    ),
  );
  const cart = (await (await fetch(`${b.url}/cart`, { headers: { cookie } })).json()) as {
    items: CartLine[];
  };
  return { acknowledged: adds.filter((s) => s === 200).length, inCart: cart.items.length };
}

describe('two tabs adding at once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'statelab-concurrent-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged add with the shared in-process store', async () => {
    const carts = overNetwork(memoryStore<CartLine[]>());
    const run = await twoTabs(() => carts);
    expect(run.acknowledged).toBe(ADDS);
    expect(run.inCart).toBe(ADDS);
  });

  it('keeps every acknowledged add with one SQLite file, one connection per server', async () => {
    const file = join(dir, 'carts.sqlite');
    const run = await twoTabs(() => overNetwork(sqliteStore<CartLine[]>(file, 'carts')));
    expect(run.acknowledged).toBe(ADDS);
    expect(run.inCart).toBe(ADDS);
  });

  it('loses acknowledged adds with the naive read-modify-write (so the tests above can fail)', async () => {
    const carts = naive(memoryStore<CartLine[]>());
    const run = await twoTabs(() => carts);
    expect(run.acknowledged).toBe(ADDS);
    expect(run.inCart).toBeLessThan(ADDS);
  });

  it('loses acknowledged adds with the naive version on SQLite too', async () => {
    const file = join(dir, 'naive.sqlite');
    const run = await twoTabs(() => naive(sqliteStore<CartLine[]>(file, 'carts')));
    expect(run.inCart).toBeLessThan(run.acknowledged);
  });
});

const gate = redisTestGate();
describe.runIf(gate.run)('two tabs adding at once, carts in Redis', () => {
  let redis: RunningRedis;
  const clients: { close(): Promise<void> }[] = [];
  const open = (prefix: string) => {
    const store = redisStore<CartLine[]>(redis.url, prefix);
    clients.push(store);
    return store;
  };
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const client of clients) await client.close();
    await redis?.stop();
  });

  it('keeps every acknowledged add with one Redis client per server (WATCH/MULTI)', async () => {
    const run = await twoTabs(() => open('atomic:'));
    expect(run.acknowledged).toBe(ADDS);
    expect(run.inCart).toBe(ADDS);
  });

  it('loses acknowledged adds with the naive version', async () => {
    const run = await twoTabs(() => naive(open('naive:')));
    expect(run.inCart).toBeLessThan(run.acknowledged);
  });
});
