// One server of the mystery shop, as the nemesis drives it: a server asked for its last answer
// (x-test-last-answer) dies the moment it sends it. What it started and had not finished never
// lands, however late the kill comes, and it answers nobody after. A request asked to be late
// (x-test-late) lands what it left running after its answer only once the nemesis releases it.
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCatalog } from './sqlite-catalog';
import { HOLD_MAX_MS } from './request-hold';
import { NOT_JSON_TYPE } from './http-edge';
import { openHomes, portOf, serveMysteryShop, type MysteryShopFactory } from './mystery-server';

const dir = mkdtempSync(join(tmpdir(), 'statelab-mystery-'));
const servers: Server[] = [];
afterAll(() => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

/** POST /checkout writes receipt `key` (awaited or left running), then answers 201. */
const receiptShop =
  (awaited: boolean): MysteryShopFactory =>
  (homes) => ({
    async handle({ body }) {
      const key = (body as { key: string }).key;
      const write = homes.files.set(key, 'a receipt');
      if (awaited) await write;
      return { status: 201, body: { key } };
    },
    tick: async () => {},
  });

async function serve(
  shared: string,
  makeShop: MysteryShopFactory,
  onError: (error: unknown) => void = () => {},
): Promise<string> {
  const server = await serveMysteryShop(makeShop, { shared, name: 'app-1', onError });
  servers.push(server);
  return `http://127.0.0.1:${portOf(server)}`;
}

const checkout = (url: string, key: string, lastAnswer: boolean) =>
  fetch(`${url}/checkout`, {
    method: 'POST',
    body: JSON.stringify({ key }),
    headers: {
      'content-type': 'application/json',
      'x-test-hop-ms': '50',
      ...(lastAnswer ? { 'x-test-last-answer': '1' } : {}),
    },
  });

describe('a mystery server asked for its last answer', () => {
  it('loses the write it left running after the answer, and answers nobody after', async () => {
    const shared = mkdtempSync(join(dir, 'shared-'));
    openCatalog(join(shared, 'shop.sqlite')).close();
    const homes = openHomes(shared, () => 0);
    const dying = await serve(shared, receiptShop(false));
    const living = await serve(shared, receiptShop(false));

    expect((await checkout(dying, 'lost', true)).status).toBe(201);
    // The same write, left running on a server that lives: started later, with the same round
    // trip in the same process, so once it has landed the dying server's round trip is over too.
    expect((await checkout(living, 'kept', false)).status).toBe(201);
    await expect.poll(() => homes.files.get('kept'), { timeout: 10_000 }).toBe('a receipt');
    expect(await homes.files.get('lost')).toBeUndefined();

    // No answer: the request hangs until the connection closes (the nemesis's kill).
    const after = fetch(`${dying}/checkout`, { method: 'POST', body: '{"key":"x"}' });
    setTimeout(() => servers[0].closeAllConnections(), 100);
    await expect(after).rejects.toThrow();
  });

  it("keeps what the server wrote before its last answer, and refuses the catalogue's writes after", async () => {
    const shared = mkdtempSync(join(dir, 'shared-'));
    openCatalog(join(shared, 'shop.sqlite')).close();
    const homes = openHomes(shared, () => 0);
    const url = await serve(shared, receiptShop(true));
    expect((await checkout(url, 'written', true)).status).toBe(201);
    expect(await homes.files.get('written')).toBe('a receipt');

    let dead = false;
    const dying = openHomes(
      shared,
      () => 0,
      () => dead,
    );
    expect(dying.catalog.placeOrder('ann', [{ productId: 1, qty: 1 }]).id).toBeGreaterThan(0);
    dead = true;
    expect(() => dying.catalog.placeOrder('ann', [{ productId: 1, qty: 1 }])).toThrow(/dead/);
    expect(() => dying.mail.send('ann', 'hello')).toThrow(/dead/);
  });
});

describe('a mystery server asked to be late (x-test-late)', () => {
  /** POST /write {key} writes `key`, awaited or not (path /awaited), then answers 201; GET /KEY
   *  reads it. */
  const lateShop: MysteryShopFactory = (homes) => ({
    async handle({ method, path, body }) {
      if (method === 'GET') return { status: 200, body: { value: await homes.files.get(path) } };
      const write = homes.files.set((body as { key: string }).key, 'written');
      if (path === '/awaited') await write;
      return { status: 201, body: {} };
    },
    tick: async () => {},
  });
  const post = (url: string, path: string, key: string, late?: string) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      body: JSON.stringify({ key }),
      headers: {
        'content-type': 'application/json',
        ...(late === undefined ? {} : { 'x-test-late': late }),
      },
    });
  const read = async (url: string, key: string) =>
    ((await (await fetch(`${url}${key}`)).json()) as { value?: string }).value;

  it('lands a write left running after the answer only once released; one awaited, at once', async () => {
    const shared = mkdtempSync(join(dir, 'shared-'));
    openCatalog(join(shared, 'shop.sqlite')).close();
    const url = await serve(shared, lateShop);

    expect((await post(url, '/left', '/left', 'late-left')).status).toBe(201);
    // The next request, however long after: the write is still on its way.
    expect(await read(url, '/left')).toBeUndefined();
    expect(await read(url, '/left')).toBeUndefined();
    expect((await fetch(`${url}/test/release/late-left`, { method: 'POST' })).status).toBe(200);
    await expect.poll(() => read(url, '/left'), { timeout: 10_000 }).toBe('written');

    // Awaited before the answer, the same write is in at once: only what is left running waits.
    expect((await post(url, '/awaited', '/awaited', 'late-awaited')).status).toBe(201);
    expect(await read(url, '/awaited')).toBe('written');
    // Released: an unreleased late request holds every later write left running in this process.
    await fetch(`${url}/test/release/late-awaited`, { method: 'POST' });
    // Without the header, a write left running lands by itself.
    expect((await post(url, '/write', '/plain')).status).toBe(201);
    await expect.poll(() => read(url, '/plain'), { timeout: 10_000 }).toBe('written');
  });

  /** A write-behind queue: POST queues its key, a timer writes what is queued; the timer is set
   *  up with the shop, or by the first request (then it runs in that request's context). */
  const queueShop =
    (timerFrom: 'shop' | 'first request'): MysteryShopFactory =>
    (homes) => {
      const queued: string[] = [];
      let timer: ReturnType<typeof setInterval> | undefined;
      const start = () =>
        (timer ??= setInterval(() => {
          for (const key of queued.splice(0)) void homes.files.set(key, 'written');
        }, 2).unref());
      if (timerFrom === 'shop') start();
      return {
        async handle({ method, path, body }) {
          start();
          if (method === 'GET')
            return { status: 200, body: { value: await homes.files.get(path) } };
          queued.push((body as { key: string }).key);
          return { status: 201, body: {} };
        },
        tick: async () => {},
      };
    };

  it.each(['shop', 'first request'] as const)(
    'holds a write queued by the request and made by a timer set up by the %s, until released',
    async (timerFrom) => {
      const shared = mkdtempSync(join(dir, 'shared-'));
      openCatalog(join(shared, 'shop.sqlite')).close();
      const url = await serve(shared, queueShop(timerFrom));
      expect(await read(url, '/first')).toBeUndefined(); // the first request
      const token = `late-queued-${timerFrom.length}`;
      expect((await post(url, '/write', '/queued', token)).status).toBe(201);
      await new Promise((wait) => setTimeout(wait, 50)); // the timer has run, many times over
      expect(await read(url, '/queued')).toBeUndefined();
      await fetch(`${url}/test/release/${token}`, { method: 'POST' });
      await expect.poll(() => read(url, '/queued'), { timeout: 10_000 }).toBe('written');
    },
  );

  it('answers 400 to an x-test-late that is not one token, and runs nothing', async () => {
    const shared = mkdtempSync(join(dir, 'shared-'));
    openCatalog(join(shared, 'shop.sqlite')).close();
    const url = await serve(shared, lateShop);
    for (const late of ['a b', 'a, b', 'x'.repeat(101), '../release']) {
      const refused = await post(url, '/awaited', `/refused-${late.length}`, late);
      expect(refused.status, late).toBe(400);
      expect(await refused.json()).toEqual({ error: expect.stringMatching(/x-test-late/) });
    }
    expect(await read(url, '/refused-3')).toBeUndefined();
  });
});

describe('a mystery server and bodies not sent as JSON', () => {
  it('answers 415 and never hands the shop a body sent as text/plain, as every lab shop does', async () => {
    let handled = 0;
    const url = await serve(dir, () => ({
      handle: async () => ((handled += 1), { status: 200, body: {} }),
      tick: async () => {},
    }));
    const send = (type: string) =>
      fetch(`${url}/login`, {
        method: 'POST',
        headers: { 'content-type': type },
        body: '{"user":"mallory","x":"="}\r\n',
      });
    const refused = await send('text/plain');
    expect(refused.status).toBe(415);
    expect(await refused.json()).toEqual({ error: NOT_JSON_TYPE });
    expect(handled).toBe(0);
    expect((await send('application/json')).status).toBe(200);
    expect(handled).toBe(1);
  });

  it('answers 400 to a body that is not JSON, and 413 to one too large, never 500, never to the shop', async () => {
    let handled = 0;
    const errors: unknown[] = [];
    const url = await serve(
      dir,
      () => ({
        handle: async () => ((handled += 1), { status: 200, body: {} }),
        tick: async () => {},
      }),
      (error) => errors.push(error),
    );
    const send = (body: string) =>
      fetch(`${url}/cart`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    const broken = await send('{"productId": 1,');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({ error: 'the body is not JSON' });
    const large = await send(JSON.stringify({ note: 'x'.repeat(100_000) }));
    expect(large.status).toBe(413);
    expect((await send('{"productId": 1}')).status).toBe(200);
    expect([handled, errors]).toEqual([1, []]);
  });
});

describe('a mystery server asked to hold a request (x-test-hold)', () => {
  /** POST /checkout: reads the cart and empties it, in one step or in two. */
  const cartShop =
    (steps: 1 | 2): MysteryShopFactory =>
    (homes) => ({
      async handle({ path, body }) {
        const user = 'ann';
        // A session renewed and a second look first: neither stops a request held in the carts.
        await homes.sessions.get('s');
        await homes.sessions.set('s', user);
        if (path === '/cart') {
          const productId = (body as { productId: number }).productId;
          const items = await homes.carts.update(user, (cart) => [
            ...(cart ?? []),
            { productId, qty: 1 },
          ]);
          return { status: 200, body: { items } };
        }
        let lines = (await homes.carts.get(user)) ?? [];
        lines = (await homes.carts.get(user)) ?? lines;
        if (steps === 2) await homes.carts.delete(user);
        else await homes.carts.update(user, (cart) => ((lines = cart ?? []), []));
        return { status: 201, body: { lines } };
      },
      tick: async () => {},
    });
  const post = (url: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...headers },
    });

  it('stops a checkout at its write of the cart it read, until released: an add lands in between', async () => {
    const shared = mkdtempSync(join(dir, 'shared-'));
    openCatalog(join(shared, 'shop.sqlite')).close();
    const url = await serve(shared, cartShop(2));
    await post(url, '/cart', { productId: 1 });
    const checkout = post(
      url,
      '/checkout',
      {},
      { 'x-test-hold': 'race-1', 'x-test-hold-table': 'carts' },
    );
    const held = await (await fetch(`${url}/test/held/race-1`)).json();
    expect(held).toEqual({ held: true });
    expect((await post(url, '/cart', { productId: 2 })).status).toBe(200);
    expect((await post(url, '/test/release/race-1', {})).status).toBe(200);
    const ordered = (await (await checkout).json()) as { lines: unknown[] };
    // The add came between the read and the delete: in neither the order nor the cart.
    expect(ordered.lines).toEqual([{ productId: 1, qty: 1 }]);
    const homes = openHomes(shared, () => 0);
    expect(await homes.carts.get('ann')).toBeUndefined();
  });

  it('holds a get then an update too, and the add is kept; never holds a request that calls each key once', async () => {
    const shared = mkdtempSync(join(dir, 'shared-'));
    openCatalog(join(shared, 'shop.sqlite')).close();
    const url = await serve(shared, cartShop(1));
    await post(url, '/cart', { productId: 1 });
    // This checkout looks with a get first, then takes the cart in one update: the update is its
    // second call for the cart, so it is held there too, and the add is ordered (nothing lost).
    const checkout = post(
      url,
      '/checkout',
      {},
      { 'x-test-hold': 'race-2', 'x-test-hold-table': 'carts' },
    );
    expect(await (await fetch(`${url}/test/held/race-2`)).json()).toEqual({ held: true });
    expect((await post(url, '/cart', { productId: 2 })).status).toBe(200);
    await post(url, '/test/release/race-2', {});
    const ordered = (await (await checkout).json()) as { lines: unknown[] };
    const homes = openHomes(shared, () => 0);
    expect([...ordered.lines, ...((await homes.carts.get('ann')) ?? [])]).toHaveLength(2);

    const once: MysteryShopFactory = (homes) => ({
      handle: async () => ({
        status: 201,
        body: { lines: await homes.carts.update('bo', () => []) },
      }),
      tick: async () => {},
    });
    const onceUrl = await serve(shared, once);
    const answered = await post(
      onceUrl,
      '/checkout',
      {},
      { 'x-test-hold': 'race-3', 'x-test-hold-table': 'carts' },
    );
    expect(answered.status).toBe(201);
    expect(await (await fetch(`${onceUrl}/test/held/race-3`)).json()).toEqual({ held: false });
  });

  it('answers 400 to a hold it could never keep or release, and runs nothing', async () => {
    const shared = mkdtempSync(join(dir, 'shared-'));
    openCatalog(join(shared, 'shop.sqlite')).close();
    const url = await serve(shared, cartShop(2));
    const badToken = /^x-test-hold takes one token/;
    const badTable = /^x-test-hold-table names one of the stores: sessions, carts/;
    const asked: [Record<string, string>, RegExp][] = [
      // a token /test/release/TOKEN could not name
      [{ 'x-test-hold': 'a b', 'x-test-hold-table': 'carts' }, badToken],
      [{ 'x-test-hold': 'x'.repeat(101), 'x-test-hold-table': 'carts' }, badToken],
      [{ 'x-test-hold': '../release', 'x-test-hold-table': 'carts' }, badToken],
      [{ 'x-test-hold': '', 'x-test-hold-table': 'carts' }, badToken],
      // no store to hold it in, or one the shop does not have
      [{ 'x-test-hold': 'race-4' }, badTable],
      [{ 'x-test-hold': 'race-4', 'x-test-hold-table': 'orders' }, badTable],
      [{ 'x-test-hold': 'race-4', 'x-test-hold-table': 'Carts' }, badTable],
      // a table and no token
      [{ 'x-test-hold-table': 'carts' }, /^x-test-hold-table needs x-test-hold/],
    ];
    for (const [headers, error] of asked) {
      const refused = await post(url, '/cart', { productId: 1 }, headers);
      expect(refused.status, JSON.stringify(headers)).toBe(400);
      expect(await refused.json(), JSON.stringify(headers)).toEqual({
        error: expect.stringMatching(error),
      });
    }
    expect(await openHomes(shared, () => 0).carts.get('ann')).toBeUndefined();
    // The same route with a hold it can keep runs (and, never holding an update, answers).
    const kept = await post(
      url,
      '/cart',
      { productId: 1 },
      { 'x-test-hold': 'race-5', 'x-test-hold-table': 'carts' },
    );
    expect(kept.status).toBe(200);
  });

  it('says a held request refused before the shop ran never stopped, at once, not after HOLD_MAX_MS', async () => {
    const shared = mkdtempSync(join(dir, 'shared-'));
    openCatalog(join(shared, 'shop.sqlite')).close();
    const url = await serve(shared, cartShop(2));
    const refused = await fetch(`${url}/checkout`, {
      method: 'POST',
      body: '{not json',
      headers: {
        'content-type': 'application/json',
        'x-test-hold': 'race-6',
        'x-test-hold-table': 'carts',
      },
    });
    expect(refused.status).toBe(400);
    const heard = await Promise.race([
      fetch(`${url}/test/held/race-6`).then((answer) => answer.json()),
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), HOLD_MAX_MS / 2)),
    ]);
    expect(heard).toEqual({ held: false });
  });
});
