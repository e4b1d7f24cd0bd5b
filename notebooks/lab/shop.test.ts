import { afterEach, describe, expect, it, vi } from 'vitest';
import { openCatalog } from './catalog';
import { ShopClient } from './client';
import { startServer, type RunningServer } from './server';
import { createShop } from './shop';
import { SESSION_ABSOLUTE_TIMEOUT_MS, SESSION_IDLE_TIMEOUT_MS } from './shop-rules';
import type { CartLine, Session } from './shop-types';
import { memoryStore } from './store';

const running: RunningServer[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});

async function shop(options: Partial<Parameters<typeof createShop>[0]> = {}, name = 'app-1') {
  const catalog = options.catalog ?? openCatalog();
  const server = await startServer({ name, app: () => createShop({ name, catalog, ...options }) });
  running.push(server);
  return server;
}

describe('login and sessions', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie holding a 128-bit random ID', async () => {
    const server = await shop();
    const res = await fetch(`${server.url}/login`, {
      method: 'POST',
      body: JSON.stringify({ user: 'ana' }),
    });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^sid=[A-Za-z0-9_-]{22}; /); // 16 bytes in base64url = 22 characters
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
  });

  it('makes it a non-persistent cookie (no Max-Age, no Expires), and expires it at logout', async () => {
    const server = await shop();
    const post = (path: string, body: unknown, cookie = '') =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { cookie },
      });
    const login = (await post('/login', { user: 'ana' })).headers.get('set-cookie') ?? '';
    expect(login).not.toMatch(/max-age|expires/i);
    const logout = await post('/logout', {}, login.split(';')[0]);
    expect(logout.headers.get('set-cookie')).toMatch(/^sid=; .*Max-Age=0/);
  });

  it('ends a session on the server after the idle timeout, and after the absolute one however busy', async () => {
    vi.useFakeTimers({ toFake: ['Date'] }); // only the clock: the sockets keep their real timers
    try {
      const server = await shop();
      const ana = new ShopClient(server.url);
      await ana.post('/login', { user: 'ana' });
      vi.setSystemTime(Date.now() + SESSION_IDLE_TIMEOUT_MS - 60_000);
      expect((await ana.get('/me')).status).toBe(200);
      vi.setSystemTime(Date.now() + SESSION_IDLE_TIMEOUT_MS);
      expect((await ana.get('/me')).status, 'idle for the idle timeout').toBe(401);

      await ana.post('/login', { user: 'ana' });
      const loggedIn = Date.now();
      while (Date.now() < loggedIn + SESSION_ABSOLUTE_TIMEOUT_MS - 20 * 60_000) {
        vi.setSystemTime(Date.now() + 20 * 60_000);
        expect((await ana.get('/me')).status).toBe(200);
      }
      vi.setSystemTime(loggedIn + SESSION_ABSOLUTE_TIMEOUT_MS);
      expect((await ana.get('/me')).status, 'used all along, past the absolute timeout').toBe(401);
    } finally {
      vi.useRealTimers();
    }
  });

  it('knows the user on the next request, and not without the cookie', async () => {
    const server = await shop();
    const ana = new ShopClient(server.url);
    expect((await ana.get('/me')).status).toBe(401);
    await ana.post('/login', { user: 'ana' });
    expect(await ana.get('/me')).toMatchObject({ status: 200, body: { user: 'ana' } });
  });

  it('rotates the session ID at login: the old ID stops working', async () => {
    const server = await shop();
    const ana = new ShopClient(server.url);
    await ana.post('/login', { user: 'ana' });
    const before = ana.jar.get('sid')!;
    await ana.post('/login', { user: 'ana' });
    expect(ana.jar.get('sid')).not.toBe(before);
    const attacker = new ShopClient(server.url);
    attacker.jar.set('sid', before);
    expect((await attacker.get('/me')).status).toBe(401);
  });

  it('refuses a login without a sensible user name', async () => {
    const server = await shop();
    expect((await new ShopClient(server.url).post('/login', { user: '' })).status).toBe(400);
  });
});

describe('bodies it cannot take', () => {
  it('answers 413 to a body over its limit, and 400 to one that is not JSON', async () => {
    const server = await shop();
    const big = await fetch(`${server.url}/login`, { method: 'POST', body: 'x'.repeat(64 * 1024) });
    expect(big.status).toBe(413);
    const bad = await fetch(`${server.url}/login`, { method: 'POST', body: '{not json' });
    expect(bad.status).toBe(400);
  });

  it('answers 408 when a body never arrives in full, instead of waiting minutes', async () => {
    const server = await shop();
    const { connect } = await import('node:net');
    const socket = connect(server.port, '127.0.0.1');
    socket.write('POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"user"');
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk) => (text += String(chunk)));
      socket.on('close', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  }, 30_000);
});

describe('cart and checkout', () => {
  it('adds to the cart, lists it, and checks out into an order in the database', async () => {
    const catalog = openCatalog();
    const server = await shop({ catalog });
    const ana = new ShopClient(server.url);
    await ana.post('/login', { user: 'ana' });
    await ana.post('/cart', { productId: 1, qty: 2 });
    await ana.post('/cart', { productId: 3 });
    expect((await ana.get('/cart')).body).toEqual({
      items: [
        { productId: 1, qty: 2 },
        { productId: 3, qty: 1 },
      ],
    });
    const order = await ana.post('/checkout');
    expect(order).toMatchObject({
      status: 201,
      body: { user: 'ana', totalCents: 2 * 2490 + 1550 },
    });
    expect((await ana.get('/cart')).body).toEqual({ items: [] });
    expect(catalog.orders('ana')).toHaveLength(1);
  });

  it('answers 401 to a cart request without a session, 404 for an unknown product, 409 for an empty checkout', async () => {
    const server = await shop();
    const ana = new ShopClient(server.url);
    expect((await ana.post('/cart', { productId: 1 })).status).toBe(401);
    await ana.post('/login', { user: 'ana' });
    expect((await ana.post('/cart', { productId: 999 })).status).toBe(404);
    expect((await ana.post('/checkout')).status).toBe(409);
  });
});

describe('where the state lives', () => {
  it('by default each server keeps its own sessions: another server does not know the user', async () => {
    const catalog = openCatalog();
    const a = await shop({ catalog }, 'app-1');
    const b = await shop({ catalog }, 'app-2');
    const ana = new ShopClient(a.url);
    await ana.post('/login', { user: 'ana' });
    const sameBrowserOnB = new ShopClient(b.url);
    sameBrowserOnB.jar.set('sid', ana.jar.get('sid')!);
    expect((await sameBrowserOnB.get('/me')).status).toBe(401);
  });

  it('a restart of a stateful server forgets every session and cart', async () => {
    const server = await shop();
    const ana = new ShopClient(server.url);
    await ana.post('/login', { user: 'ana' });
    server.kill();
    await server.restart();
    expect((await ana.get('/me')).status).toBe(401);
  });

  it('servers given the same stores share sessions and carts', async () => {
    const catalog = openCatalog();
    const sessions = memoryStore<Session>();
    const carts = memoryStore<CartLine[]>();
    const a = await shop({ catalog, sessions, carts }, 'app-1');
    const b = await shop({ catalog, sessions, carts }, 'app-2');
    const ana = new ShopClient(a.url);
    await ana.post('/login', { user: 'ana' });
    await ana.post('/cart', { productId: 2 });
    const onB = new ShopClient(b.url);
    onB.jar.set('sid', ana.jar.get('sid')!);
    expect(await onB.get('/cart')).toMatchObject({
      status: 200,
      body: { items: [{ productId: 2, qty: 1 }] },
    });
  });
});

describe('Idempotency-Key on POST /cart and POST /checkout', () => {
  /** POST with the session cookie of `client` and an Idempotency-Key header. */
  const post = (url: string, client: ShopClient, path: string, body: unknown, key: string) =>
    fetch(url + path, {
      method: 'POST',
      headers: { cookie: `sid=${client.jar.get('sid')}`, 'idempotency-key': key },
      body: JSON.stringify(body),
    });

  it('a retried POST /cart with the same key adds one item, not two', async () => {
    const server = await shop();
    const ana = new ShopClient(server.url);
    await ana.post('/login', { user: 'ana' });
    const first = await post(server.url, ana, '/cart', { productId: 2 }, 'add-2-once');
    const retry = await post(server.url, ana, '/cart', { productId: 2 }, 'add-2-once');
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect((await ana.get('/cart')).body).toEqual({ items: [{ productId: 2, qty: 1 }] });
  });

  it('answers 422 when the same key comes with a different body, and changes nothing', async () => {
    const server = await shop();
    const ana = new ShopClient(server.url);
    await ana.post('/login', { user: 'ana' });
    await post(server.url, ana, '/cart', { productId: 2 }, 'k-1');
    const reused = await post(server.url, ana, '/cart', { productId: 3 }, 'k-1');
    expect(reused.status).toBe(422);
    expect(await reused.json()).toHaveProperty('error');
    expect((await ana.get('/cart')).body).toEqual({ items: [{ productId: 2, qty: 1 }] });
  });

  it('places one order for a checkout sent twice with the same key', async () => {
    const catalog = openCatalog();
    const server = await shop({ catalog });
    const ana = new ShopClient(server.url);
    await ana.post('/login', { user: 'ana' });
    await ana.post('/cart', { productId: 1 });
    const first = await post(server.url, ana, '/checkout', {}, 'pay-once');
    const retry = await post(server.url, ana, '/checkout', {}, 'pay-once');
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(await retry.json()).toEqual(await first.json());
    expect(catalog.orders('ana')).toHaveLength(1);
  });

  it("keeps keys per session: another user's same key is a new request", async () => {
    const server = await shop();
    const ana = new ShopClient(server.url);
    const bo = new ShopClient(server.url);
    await ana.post('/login', { user: 'ana' });
    await bo.post('/login', { user: 'bo' });
    await post(server.url, ana, '/cart', { productId: 2 }, 'same-key');
    const bos = await post(server.url, bo, '/cart', { productId: 2 }, 'same-key');
    expect(bos.headers.get('idempotent-replayed')).toBeNull();
    expect((await bo.get('/cart')).body).toEqual({ items: [{ productId: 2, qty: 1 }] });
  });

  it('refuses a malformed key with 400', async () => {
    const server = await shop();
    const ana = new ShopClient(server.url);
    await ana.post('/login', { user: 'ana' });
    expect((await post(server.url, ana, '/cart', { productId: 2 }, 'has spaces')).status).toBe(400);
  });
});
