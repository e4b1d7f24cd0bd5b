import { afterEach, describe, expect, it, vi } from 'vitest';
import { addToCart } from './cart';
import { openCatalog } from '../node/sqlite-catalog';
import { ShopClient } from '../node/client';
import { liveStore } from './live-store';
import { startServer, type RunningServer } from '../node/server';
import { createShop, type ShopOptions } from '../node/shop';
import { SESSION_COOKIE, startSession, type CartDatabase } from './shop-rules';
import type { CartLine, Session } from './shop-types';
import { memoryStore } from './store';

const running: RunningServer[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const s of running.splice(0)) await s.stop();
});

async function shop(options: Partial<ShopOptions> = {}) {
  const catalog = openCatalog();
  const server = await startServer({
    name: 'app-1',
    app: () => createShop({ name: 'app-1', catalog, ...options }),
  });
  running.push(server);
  return server;
}

/** Is this a session or a cart (not an HTTP body such as {items} or {productId})? */
const isState = (value: unknown) =>
  Array.isArray(value) || (typeof value === 'object' && value !== null && 'createdAt' in value);

/** Sends one cart request (POST /cart, GET /cart) and lists the state it turned into JSON or back. */
async function stateSerialisedBy(url: string, sid: string) {
  const [stringify, parse] = [JSON.stringify, JSON.parse];
  const serialised: unknown[] = [];
  vi.spyOn(JSON, 'stringify').mockImplementation((value, ...rest) => {
    if (isState(value)) serialised.push(value);
    return stringify(value, ...(rest as [])) as string;
  });
  vi.spyOn(JSON, 'parse').mockImplementation((text, reviver) => {
    const value: unknown = parse(text, reviver);
    if (isState(value)) serialised.push(value);
    return value;
  });
  const headers = { cookie: `sid=${sid}` };
  const added = await fetch(`${url}/cart`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: '{"productId":2}',
  });
  const read = await fetch(`${url}/cart`, { headers });
  const texts = [await added.text(), await read.text()];
  vi.restoreAllMocks();
  expect([added.status, read.status], texts.join(' ')).toEqual([200, 200]);
  return serialised;
}

describe('liveStore', () => {
  it('hands back the very object it stored (memoryStore hands back a copy)', async () => {
    const cart: CartLine[] = [{ productId: 1, qty: 1 }];
    const live = liveStore<CartLine[]>();
    const shared = memoryStore<CartLine[]>();
    await live.set('ana', cart);
    await shared.set('ana', cart);
    expect(await live.get('ana')).toBe(cart);
    expect(await shared.get('ana')).not.toBe(cart);
    expect(await shared.get('ana')).toEqual(cart);
  });

  it('forgets a value when its time to live has passed', async () => {
    let now = 1_000;
    const store = liveStore<string>(() => now);
    await store.set('sid', 'ana', 500);
    now += 499;
    expect(await store.get('sid')).toBe('ana');
    now += 1;
    expect(await store.get('sid')).toBeUndefined();
  });

  it('sets if absent only once, and again once the first value has expired', async () => {
    let now = 1_000;
    const store = liveStore<string>(() => now);
    const claims = await Promise.all([
      store.setIfAbsent('key', 'a', 500),
      store.setIfAbsent('key', 'b', 500),
    ]);
    expect(claims).toEqual([true, false]);
    expect(await store.get('key')).toBe('a');
    now += 500;
    expect(await store.setIfAbsent('key', 'c')).toBe(true);
    expect(await store.get('key')).toBe('c');
  });

  it('keeps at most maxEntries, forgetting the entry written longest ago first', async () => {
    const store = liveStore<number>(Date.now, 1_000);
    for (let i = 0; i < 20_000; i++) await store.set(`k${i}`, i);
    expect(store.size).toBe(1_000);
    expect(await store.get('k18999')).toBeUndefined();
    expect(await store.get('k19000')).toBe(19_000);
    // Writing a key again makes it the newest: the next new key pushes out another one.
    await store.update('k19000', (n = 0) => n + 1);
    await store.setIfAbsent('new', 0);
    expect(await store.get('k19000')).toBe(19_001);
    expect(await store.get('k19001')).toBeUndefined();
  });

  it('lets go of expired entries nobody asks for again: 30 minutes of logins, not every login ever', async () => {
    // Every POST /login writes a session, and a client that never comes back never reads it
    // again. If only a read forgot an expired entry, each of those would stay in memory for good.
    let clock = 0;
    const store = liveStore<number>(() => clock);
    for (let i = 0; i < 1_000; i++) await store.set(`old${i}`, i, 100);
    clock = 101; // every one of them has expired, and none is read again
    for (let i = 0; i < 1_000; i++) await store.set(`new${i}`, i, 100);
    expect(store.size).toBe(1_000);
    expect(await store.get('new999')).toBe(999);
  });
});

describe('the stateful shop keeps live objects', () => {
  it('turns no session or cart into JSON on a cart request (its default stores are live)', async () => {
    const server = await shop();
    const ana = new ShopClient(server.url);
    await ana.post('/login', { user: 'ana' });
    expect(await stateSerialisedBy(server.url, ana.jar.get('sid')!)).toEqual([]);
  });

  it('while a shop on the shared memoryStore turns each session and cart into JSON and back', async () => {
    const server = await shop({
      sessions: memoryStore<Session>(),
      carts: memoryStore<CartLine[]>(),
    });
    const ana = new ShopClient(server.url);
    await ana.post('/login', { user: 'ana' });
    // POST: the session parsed (no cart yet), the new cart stringified; GET: both parsed.
    expect(await stateSerialisedBy(server.url, ana.jar.get('sid')!)).toHaveLength(4);
  });

  it('never changes a cart it already handed out: an earlier reply keeps its items', async () => {
    const sessions = liveStore<Session>();
    const carts = liveStore<CartLine[]>();
    await startSession({ cookies: {}, sessions }, 's1', 'ana');
    const catalog: CartDatabase = {
      get: (id) => ({ id }),
      placeOrder: (user, lines) => ({ user, lines }),
    };
    const add = (productId: number) =>
      addToCart({
        cookies: { [SESSION_COOKIE]: 's1' },
        body: { productId },
        sessions,
        carts,
        catalog,
      });
    const first = await add(1);
    const stored = await carts.get('ana');
    await add(2);
    expect(first.body).toEqual({ items: [{ productId: 1, qty: 1 }] });
    expect(stored).toEqual([{ productId: 1, qty: 1 }]);
    expect(await carts.get('ana')).toEqual([
      { productId: 1, qty: 1 },
      { productId: 2, qty: 1 },
    ]);
  });

  it('replays a POST /cart with the cart as it was then, not as it is now', async () => {
    const server = await shop();
    const ana = new ShopClient(server.url);
    await ana.post('/login', { user: 'ana' });
    const post = (productId: number, key: string) =>
      fetch(`${server.url}/cart`, {
        method: 'POST',
        headers: {
          cookie: `sid=${ana.jar.get('sid')}`,
          'idempotency-key': key,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ productId }),
      });
    const first = await (await post(2, 'add-2')).json();
    await post(3, 'add-3');
    const replay = await post(2, 'add-2');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.json()).toEqual(first);
  });
});
