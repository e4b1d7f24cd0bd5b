// One user, two tabs, two servers: adds and checkouts all at once. Every add the shop
// acknowledged must end up in exactly one order or in the final cart: never lost, never ordered
// twice. Each add asks for a line no other add asks for (product 1–5, quantity 1–12), so every
// line tells which add it was. On the shared in-process store, SQLite across server processes and
// Redis across server processes. The checkout this file replaced (read, order, delete) fails the
// same test, so it can fail.
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Catalog } from '../core/catalog';
import { openCatalog } from './sqlite-catalog';
import { parseCookies } from '../core/cookies';
import type { IdempotencyRecord } from '../core/idempotency';
import { startProcessServer } from './process-server';
import { overNetwork, sleep } from '../core/race-stores';
import { redisTestGate, startRedis, type RunningRedis } from './redis-server';
import { json, type Reply } from '../core/reply';
import { startServer, type RunningServer } from './server';
import { createShop, type Handler } from './shop';
import { currentSession, EMPTY_CART, NOT_LOGGED_IN, type CartRequest } from '../core/shop-rules';
import type { CartLine, Session } from '../core/shop-types';
import { memoryStore, type StateStore } from '../core/store';

const WAVES = 3;
const ADDS_PER_WAVE = 20; // 60 adds in all: every (product, quantity) pair once
const CHECKOUTS_PER_WAVE = 4;

const running: RunningServer[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.stop();
});
const dir = mkdtempSync(join(tmpdir(), 'statelab-checkout-race-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lineOf = (i: number): CartLine => ({ productId: 1 + (i % 5), qty: 1 + Math.floor(i / 5) });
const sorted = (lines: CartLine[]) =>
  lines.map((l) => `${l.productId}×${l.qty}`).sort((a, b) => a.localeCompare(b));

/**
 * Ana logs in, then sends WAVES waves of adds and checkouts, each wave all at once, alternating
 * between the two servers. Returns the lines acknowledged (200), and every line held at the end:
 * in her orders (the database) and in her cart.
 */
async function addsAndCheckouts(urls: readonly string[], orders: () => { lines: CartLine[] }[]) {
  const login = await fetch(`${urls[0]}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: 'ana' }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const post = (url: string, path: string, body?: unknown) =>
    fetch(url + path, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
  const acknowledged: CartLine[] = [];
  const checkouts: number[] = [];
  for (let wave = 0; wave < WAVES; wave++) {
    const adds = Array.from({ length: ADDS_PER_WAVE }, async (_, j) => {
      const line = lineOf(wave * ADDS_PER_WAVE + j);
      const res = await post(urls[j % 2], '/cart', line);
      if (res.status === 200) acknowledged.push(line);
    });
    const pays = Array.from({ length: CHECKOUTS_PER_WAVE }, async (_, j) => {
      checkouts.push((await post(urls[(j + 1) % 2], '/checkout')).status);
    });
    await Promise.all([...adds, ...pays]);
  }
  const cart = (await (await fetch(`${urls[1]}/cart`, { headers: { cookie } })).json()) as {
    items: CartLine[];
  };
  const held = [...orders().flatMap((o) => o.lines), ...cart.items];
  return { acknowledged, held, checkouts, orders: orders().length };
}

/** Every acknowledged line exactly once in the orders and the cart, and at least one order. */
function expectEachAddOnce(run: Awaited<ReturnType<typeof addsAndCheckouts>>) {
  expect(run.acknowledged).toHaveLength(WAVES * ADDS_PER_WAVE);
  expect(sorted(run.held)).toEqual(sorted(run.acknowledged));
  expect(run.orders).toBeGreaterThan(0);
  // Every checkout placed an order, or was refused (409: another one was running, or nothing to
  // order) and changed nothing.
  expect(run.checkouts.filter((s) => s !== 201 && s !== 409)).toEqual([]);
  expect(run.checkouts.filter((s) => s === 201)).toHaveLength(run.orders);
}

/** Two in-process servers over shared stores, each call to them a 1 ms round trip. */
async function inProcess(route?: (shop: Handler, req: CartRequestParts) => Handler) {
  const catalog = openCatalog();
  const sessions = overNetwork(memoryStore<Session>(), sleep(1));
  const carts = overNetwork(memoryStore<CartLine[]>(), sleep(1));
  const idempotency = overNetwork(memoryStore<IdempotencyRecord>(), sleep(1));
  for (const name of ['app-1', 'app-2']) {
    const shop = createShop({ name, catalog, sessions, carts, idempotency });
    const app = route ? route(shop, { catalog, sessions, carts }) : shop;
    running.push(await startServer({ name, app: () => app }));
  }
  return { urls: running.map((s) => s.url), orders: () => catalog.orders('ana') };
}

interface CartRequestParts {
  catalog: Catalog;
  sessions: StateStore<Session>;
  carts: StateStore<CartLine[]>;
}

/** The checkout before this fix: read the cart, place the order, delete the cart. */
async function oldCheckout(ctx: CartRequest): Promise<Reply> {
  const session = await currentSession(ctx);
  if (!session) return NOT_LOGGED_IN;
  const items = (await ctx.carts.get(session.user)) ?? [];
  if (items.length === 0) return EMPTY_CART;
  const order = ctx.catalog.placeOrder(session.user, items);
  await ctx.carts.delete(session.user); // an add that landed since the get() goes with it
  return json(201, order);
}

/** The shop, with POST /checkout answered by oldCheckout. */
const withOldCheckout =
  (shop: Handler, parts: CartRequestParts): Handler =>
  (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || req.url !== '/checkout') return shop(req, res);
    req.resume();
    const cookies = parseCookies(req.headers.cookie);
    void oldCheckout({ ...parts, cookies, body: undefined }).then((reply) => {
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    });
  };

describe('adds and checkouts at once, one user, two servers', () => {
  it('shared in-process store: each acknowledged add is in exactly one order or the cart', async () => {
    const { urls, orders } = await inProcess();
    expectEachAddOnce(await addsAndCheckouts(urls, orders));
  });

  it('the old checkout (read, order, delete) loses adds or orders a line twice (so the test can fail)', async () => {
    const { urls, orders } = await inProcess(withOldCheckout);
    const run = await addsAndCheckouts(urls, orders);
    expect(run.acknowledged).toHaveLength(WAVES * ADDS_PER_WAVE);
    expect(sorted(run.held)).not.toEqual(sorted(run.acknowledged));
  });

  it('SQLite, two server processes: each acknowledged add is in exactly one order or the cart', async () => {
    await acrossTwoProcesses('catalog.sqlite', `sqlite:${join(dir, 'state.sqlite')}`);
  });

  it('a checkout replayed with its Idempotency-Key gets the same order, and takes nothing new', async () => {
    const { urls, orders } = await inProcess();
    const login = await fetch(`${urls[0]}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'ana' }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const send = (url: string, path: string, body: unknown, key?: string) =>
      fetch(url + path, {
        method: 'POST',
        headers: {
          cookie,
          'content-type': 'application/json',
          ...(key ? { 'idempotency-key': key } : {}),
        },
        body: JSON.stringify(body),
      });
    await send(urls[0], '/cart', { productId: 1 });
    const first = await send(urls[0], '/checkout', {}, 'pay-1');
    await send(urls[1], '/cart', { productId: 2 });
    const replay = await send(urls[1], '/checkout', {}, 'pay-1');
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.json()).toEqual(await first.json());
    expect(orders()).toHaveLength(1);
    const cart = await (await fetch(`${urls[1]}/cart`, { headers: { cookie } })).json();
    expect(cart).toEqual({ items: [{ productId: 2, qty: 1 }] });
  });
});

const gate = redisTestGate();
describe.runIf(gate.run)('adds and checkouts at once, carts in Redis', () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const server of running.splice(0)) await server.stop();
    await redis?.stop();
  });

  it('Redis, two server processes: each acknowledged add is in exactly one order or the cart', async () => {
    await acrossTwoProcesses('catalog-redis.sqlite', redis.url);
  });
});

/** Two shop processes on one catalogue file and one state store: the adds and checkouts test. */
async function acrossTwoProcesses(catalogName: string, storeUrl: string) {
  const catalogFile = join(dir, catalogName);
  openCatalog(catalogFile).close();
  for (const name of ['app-1', 'app-2'])
    running.push(await startProcessServer({ name, catalogFile, storeUrl }));
  const catalog = openCatalog(catalogFile);
  try {
    const run = await addsAndCheckouts(
      running.map((s) => s.url),
      () => catalog.orders('ana'),
    );
    expectEachAddOnce(run);
  } finally {
    catalog.close();
  }
}
