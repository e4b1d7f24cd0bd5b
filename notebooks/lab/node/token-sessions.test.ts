import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Catalog } from '../core/catalog';
import { openCatalog } from './sqlite-catalog';
import { ShopClient } from './client';
import { MAX_BODY_BYTES } from './http-edge';
import { sendRaw } from './raw-http';
import { startServer, type RunningServer } from './server';
import { peek } from './signed-token';
import { memoryStore } from '../core/store';
import { createTokenShop, MAX_COOKIE_BYTES, TOKEN_COOKIE } from './token-sessions';

let catalog: Catalog;
const servers: RunningServer[] = [];
const denyList = memoryStore<true>();

beforeAll(async () => {
  catalog = openCatalog();
  for (const name of ['app-1', 'app-2']) {
    const app = () => createTokenShop({ name, catalog, key: 'shared key', denyList });
    servers.push(await startServer({ name, app }));
  }
});
afterAll(async () => {
  for (const s of servers) await s.stop();
  catalog.close();
});

describe('the token shop (session and cart in a signed cookie)', () => {
  it('keeps a user logged in with their cart on any server, through a crash of the first', async () => {
    const a = new ShopClient(servers[0].url);
    expect((await a.post('/login', { user: 'ada' })).status).toBe(200);
    expect((await a.post('/cart', { productId: 2 })).status).toBe(200);
    void servers[0].kill();
    const b = new ShopClient(servers[1].url);
    for (const [k, v] of a.jar) b.jar.set(k, v);
    expect((await b.get('/me')).body).toEqual({ user: 'ada' });
    expect((await b.get('/cart')).body).toEqual({ items: [{ productId: 2, qty: 1 }] });
    expect(peek(b.jar.get(TOKEN_COOKIE) ?? '')).toMatchObject({ user: 'ada' });
    expect((await b.post('/checkout')).status).toBe(201);
    expect((await b.get('/cart')).body).toEqual({ items: [] });
    await servers[0].restart();
  });

  it('logs a token out on every server (the deny-list), and rejects a forged one', async () => {
    const a = new ShopClient(servers[0].url);
    await a.post('/login', { user: 'bob' });
    const token = a.jar.get(TOKEN_COOKIE) ?? '';
    expect((await a.post('/logout')).status).toBe(200);
    const replay = new ShopClient(servers[1].url);
    replay.jar.set(TOKEN_COOKIE, token);
    expect((await replay.get('/me')).body).toMatchObject({ reason: 'revoked' });
    replay.jar.set(TOKEN_COOKIE, `x${token}`);
    expect((await replay.get('/me')).status).toBe(401);
  });

  it('still serves products through the ordinary shop', async () => {
    const res = await new ShopClient(servers[1].url).get('/products/1');
    expect(res.status).toBe(200);
    expect(res.servedBy).toBe('app-2');
  });

  it('spends the cookie at checkout: the same cookie sent five times, one after another or at once, makes one order', async () => {
    const a = new ShopClient(servers[0].url);
    await a.post('/login', { user: 'cy' });
    await a.post('/cart', { productId: 3 });
    const spent = a.jar.get(TOKEN_COOKIE) ?? '';
    const replay = (server: RunningServer) =>
      fetch(`${server.url}/checkout`, {
        method: 'POST',
        headers: { cookie: `${TOKEN_COOKIE}=${spent}` },
      });
    const inTurn = [];
    for (let i = 0; i < 5; i++) inTurn.push(await replay(servers[i % 2]));
    expect(inTurn.map((r) => r.status)).toEqual([201, 401, 401, 401, 401]);
    expect(await inTurn[1].json()).toMatchObject({
      reason: 'revoked',
      error: expect.stringMatching(/checked out/),
    });
    expect(catalog.orders('cy')).toHaveLength(1);

    const b = new ShopClient(servers[1].url);
    await b.post('/login', { user: 'di' });
    await b.post('/cart', { productId: 3 });
    const copy = b.jar.get(TOKEN_COOKIE) ?? '';
    const atOnce = await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        fetch(`${servers[i % 2].url}/checkout`, {
          method: 'POST',
          headers: { cookie: `${TOKEN_COOKIE}=${copy}` },
        }),
      ),
    );
    expect(atOnce.filter((r) => r.status === 201)).toHaveLength(1);
    expect(atOnce.every((r) => [201, 401, 409].includes(r.status))).toBe(true);
    expect(catalog.orders('di')).toHaveLength(1);
  });

  it('hands back a new cookie with an empty cart after checkout, which goes on working', async () => {
    const a = new ShopClient(servers[0].url);
    await a.post('/login', { user: 'ed' });
    await a.post('/cart', { productId: 1 });
    const before = a.jar.get(TOKEN_COOKIE);
    expect((await a.post('/checkout')).status).toBe(201);
    expect(a.jar.get(TOKEN_COOKIE)).not.toBe(before);
    expect((await a.get('/cart')).body).toEqual({ items: [] });
    expect((await a.post('/cart', { productId: 2 })).status).toBe(200);
    expect((await a.post('/checkout')).status).toBe(201);
    expect(catalog.orders('ed')).toHaveLength(2);
  });

  it('leaves the cookie unspent when the order could not be placed', async () => {
    let failing = true;
    const flaky: Catalog = {
      ...catalog,
      placeOrder: (user, lines) => {
        if (failing) throw new Error('the database is down');
        return catalog.placeOrder(user, lines);
      },
    };
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    const server = await startServer({
      name: 'app-3',
      app: () => createTokenShop({ name: 'app-3', catalog: flaky, key: 'shared key', denyList }),
    });
    const a = new ShopClient(server.url);
    await a.post('/login', { user: 'flo' });
    await a.post('/cart', { productId: 1 });
    expect((await a.post('/checkout')).status).toBe(500);
    failing = false;
    expect((await a.post('/checkout')).status).toBe(201);
    expect(catalog.orders('flo')).toHaveLength(1);
    quiet.mockRestore();
    await server.stop();
  });
});

describe('the token shop and requests no route can read', () => {
  it('acknowledges an add only in a cookie a browser keeps (4096 bytes): past that, 409 "cart full"', async () => {
    // A browser may drop a longer cookie without a word (RFC 6265 §6.1), and the add it carried
    // with it, though the shop said 200. Longer still, the cookie passes the 16 KiB of headers a
    // server reads, and every request from that browser, even a login, is refused.
    const login = await fetch(`${servers[0].url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'cy' }),
    });
    let cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    let acknowledged = 0;
    let refused: Response | undefined;
    for (let i = 0; i < 1_000 && !refused; i++) {
      const res = await fetch(`${servers[i % 2].url}/cart`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ productId: 1 + (i % 5), qty: 1 + (i % 7) }),
      });
      if (res.status !== 200) refused = res;
      else {
        const setCookie = res.headers.get('set-cookie') ?? '';
        expect(setCookie.length).toBeLessThanOrEqual(MAX_COOKIE_BYTES);
        cookie = setCookie.split(';')[0];
        acknowledged++;
        await res.arrayBuffer();
      }
    }
    expect(refused?.status).toBe(409);
    expect(await refused?.json()).toMatchObject({ error: expect.stringMatching(/cart is full/) });
    const cart = await fetch(`${servers[1].url}/cart`, { headers: { cookie } });
    expect(((await cart.json()) as { items: unknown[] }).items).toHaveLength(acknowledged);
  });

  it('answers 400 in JSON to a request target that is not a URL (http://[::1/), and does not crash', async () => {
    for (const path of ['/me', '/health']) {
      const answer = await sendRaw(
        servers[0].port,
        `GET http://[::1/${path} HTTP/1.1\r\nHost: x\r\n\r\n`,
      );
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toEqual({ error: 'malformed URL' });
    }
    expect((await fetch(`${servers[0].url}/health`)).status).toBe(200);
  });

  it('answers 413 in JSON to a body over the limit, not "bad login"', async () => {
    const res = await fetch(`${servers[0].url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'ada', padding: 'x'.repeat(MAX_BODY_BYTES) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: `the body is larger than ${MAX_BODY_BYTES} bytes` });
  });

  it('answers 400 to a body that is not JSON, and to a quantity JavaScript cannot count', async () => {
    const a = new ShopClient(servers[0].url);
    await a.post('/login', { user: 'gus' });
    const cookie = `${TOKEN_COOKIE}=${a.jar.get(TOKEN_COOKIE)}`;
    const add = (body: string) =>
      fetch(`${servers[0].url}/cart`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body,
      });
    expect(await (await add('{"productId":')).json()).toEqual({ error: 'the body is not JSON' });
    for (const qty of ['1e308', '9007199254740993', '-0', '1.5', '"2"', '[1]']) {
      expect((await add(`{"productId":1,"qty":${qty}}`)).status, qty).toBe(400);
    }
  });

  it('serves every route whatever cookie another app on localhost set (theme=50%off)', async () => {
    const a = new ShopClient(servers[1].url);
    await a.post('/login', { user: 'hal' });
    const cookie = `theme=50%off; ${TOKEN_COOKIE}=${encodeURIComponent(a.jar.get(TOKEN_COOKIE) ?? '')}`;
    const send = (method: string, path: string, body?: string) =>
      fetch(servers[1].url + path, {
        method,
        headers: { cookie, 'content-type': 'application/json' },
        body,
      });
    expect((await send('GET', '/health')).status).toBe(200);
    expect((await send('GET', '/products')).status).toBe(200);
    expect(await (await send('GET', '/me')).json()).toEqual({ user: 'hal' });
    expect((await send('POST', '/cart', '{"productId":1}')).status).toBe(200);
  });
});
