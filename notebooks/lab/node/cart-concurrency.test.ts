// One user, two tabs: many adds to the same cart at once, through two shop servers that share
// their stores. Every add the shop answered 200 must be in the cart afterwards, on every store.
// The same workload on a store whose update() is a plain get() then set() (the naive
// read-modify-write) loses items, so these tests can fail.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from './sqlite-catalog';
import { getThenSet, overNetwork, sleep } from '../core/race-stores';
import { redisTestGate, startRedis, type RunningRedis } from './redis-server';
import { redisStore } from './redis-store';
import { startServer, type RunningServer } from './server';
import { createShop } from './shop';
import type { CartLine, Session } from '../core/shop-types';
import { sqliteStore } from './sqlite-store';
import { memoryStore, type StateStore } from '../core/store';

const ADDS = 60;

/** A round trip to a store across a network: 1 ms, while which other requests run. */
const hop = sleep(1);
/** The lost update, on purpose: update() as a get, a round trip, and a set. */
const naive = <T>(store: StateStore<T>) => getThenSet(store, hop);

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
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: 'ana' }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const adds = await Promise.all(
    Array.from({ length: ADDS }, (_, i) =>
      fetch(`${(i % 2 ? b : a).url}/cart`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
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
    const carts = overNetwork(memoryStore<CartLine[]>(), hop);
    const run = await twoTabs(() => carts);
    expect(run.acknowledged).toBe(ADDS);
    expect(run.inCart).toBe(ADDS);
  });

  it('keeps every acknowledged add with one SQLite file, one connection per server', async () => {
    const file = join(dir, 'carts.sqlite');
    const run = await twoTabs(() => overNetwork(sqliteStore<CartLine[]>(file, 'carts'), hop));
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
