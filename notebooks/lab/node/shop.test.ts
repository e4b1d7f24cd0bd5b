import { afterEach, describe, expect, it, vi } from 'vitest';
import { openCatalog } from './sqlite-catalog';
import { ShopClient } from './client';
import { MAX_BODY_BYTES, MAX_DRAIN_BYTES } from './http-edge';
import { keysInMemory, type IdempotencyRecord } from '../core/idempotency';
import { sendRaw, sendRawMany } from './raw-http';
import { startServer, type RunningServer } from './server';
import { createShop } from './shop';
import { SESSION_ABSOLUTE_TIMEOUT_MS, SESSION_IDLE_TIMEOUT_MS } from '../core/shop-rules';
import type { CartLine, Session } from '../core/shop-types';
import { memoryStore } from '../core/store';

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
      headers: { 'content-type': 'application/json' },
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
        headers: { cookie, 'content-type': 'application/json' },
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
    const bad = await fetch(`${server.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(bad.status).toBe(400);
  });

  it('reads a body over the limit to its end before the 413, so the connection serves the next request', async () => {
    const server = await shop();
    const big = 'x'.repeat(MAX_BODY_BYTES + 1);
    // Two requests in one write: the second waits on the connection behind the first's body.
    const both =
      `POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: ${big.length}\r\n\r\n${big}` +
      'GET /health HTTP/1.1\r\nHost: x\r\n\r\n';
    const answers = await sendRawMany(server.port, both, 2);
    expect(answers.map((a) => a.status)).toEqual([413, 200]);
    expect(JSON.parse(answers[0].body)).toEqual({
      error: `the body is larger than ${MAX_BODY_BYTES} bytes`,
    });
  });

  it('answers 413 in JSON, not a reset, to a body past what it will read at all, and closes', async () => {
    const server = await shop();
    const size = MAX_DRAIN_BYTES * 2;
    const head = `POST /cart HTTP/1.1\r\nHost: x\r\nContent-Length: ${size}\r\n\r\n`;
    const answer = await sendRaw(
      server.port,
      Buffer.concat([Buffer.from(head), Buffer.alloc(size, 120)]),
    );
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe('close');
    expect(JSON.parse(answer.body)).toHaveProperty('error');
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
    expect(answer).toMatch(/\r\n\r\n\{"error":"the request did not arrive in time"\}$/);
  }, 30_000);
});

describe('requests no route can read: a 4xx in JSON, and the server goes on', () => {
  it('answers 400 to a request target that is not a URL, such as http://[::1/', async () => {
    const server = await shop();
    const answer = await sendRaw(server.port, 'GET http://[::1/ HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ error: 'malformed URL' });
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('answers HEAD as it answers GET, without the body (RFC 9110 §9.3.2)', async () => {
    const server = await shop();
    for (const path of ['/health', '/products']) {
      const head = await fetch(`${server.url}${path}`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-type')).toContain('application/json');
      expect(await head.text()).toBe('');
    }
    expect((await fetch(`${server.url}/nowhere`, { method: 'HEAD' })).status).toBe(404);
  });

  it('serves every route whatever cookie another app on localhost set (theme=50%off)', async () => {
    const server = await shop();
    const ana = new ShopClient(server.url);
    await ana.post('/login', { user: 'ana' });
    const cookie = `theme=50%off; sid=${ana.jar.get('sid')}; theme=%zz`;
    const send = (method: string, path: string, body?: unknown) =>
      fetch(server.url + path, {
        method,
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await send('GET', '/health')).status).toBe(200);
    expect((await send('GET', '/products')).status).toBe(200);
    expect(await (await send('GET', '/me')).json()).toEqual({ user: 'ana' });
    expect((await send('POST', '/cart', { productId: 1 })).status).toBe(200);
    expect((await send('POST', '/checkout', {})).status).toBe(201);
  });

  it('answers in JSON even what Node refuses before the shop sees it', async () => {
    const server = await shop();
    const cases: [string, number][] = [
      ['GET /a b c HTTP/1.1\r\nHost: x\r\n\r\n', 400], // not HTTP: Node's parser refuses it
      [`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
      ['GET /health HTTP/1.1\r\n\r\n', 400], // HTTP/1.1 without Host (RFC 9112 §3.2)
      ['CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n', 405],
      ['POST /login HTTP/1.1\r\nHost: x\r\nExpect: lunch\r\nContent-Length: 2\r\n\r\n{}', 417],
    ];
    for (const [request, status] of cases) {
      const answer = await sendRaw(server.port, request);
      expect(answer.status, request.slice(0, 40)).toBe(status);
      expect(answer.headers['content-type'], request.slice(0, 40)).toMatch(/^application\/json/);
      expect(JSON.parse(answer.body), request.slice(0, 40)).toHaveProperty('error');
    }
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
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
    void server.kill();
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
      headers: {
        cookie: `sid=${client.jar.get('sid')}`,
        'idempotency-key': key,
        'content-type': 'application/json',
      },
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

  it('records nothing for a request without a session: it gets 401 whatever its key', async () => {
    const idempotency = keysInMemory();
    const server = await shop({ idempotency });
    for (let i = 0; i < 50; i++) {
      const headers = {
        'idempotency-key': `fresh-${i}`,
        'content-type': 'application/json',
        ...(i % 2 ? { cookie: `sid=made-up-${i}` } : {}),
      };
      const res = await fetch(`${server.url}/cart`, {
        method: 'POST',
        headers,
        body: '{"productId":1}',
      });
      expect(res.status).toBe(401);
    }
    expect(idempotency.size).toBe(0);
  });

  it('keeps a 43-character fingerprint of the body (SHA-256), not the body', async () => {
    const idempotency = keysInMemory();
    const seen: IdempotencyRecord[] = [];
    const set = idempotency.set.bind(idempotency);
    idempotency.set = async (key, record, ttl) =>
      void (seen.push(record), await set(key, record, ttl));
    const server = await shop({ idempotency });
    const ana = new ShopClient(server.url);
    await ana.post('/login', { user: 'ana' });
    const body = { productId: 2, note: 'x'.repeat(10_000) };
    expect((await post(server.url, ana, '/cart', body, 'big-body')).status).toBe(200);
    expect(seen.map((r) => r.fingerprint.length)).toEqual([43]);
    expect(
      (await post(server.url, ana, '/cart', body, 'big-body')).headers.get('idempotent-replayed'),
    ).toBe('true');
  });

  it('keeps at most its bound of keys in memory, however many fresh ones a user sends', async () => {
    const idempotency = keysInMemory(10);
    const server = await shop({ idempotency });
    const ana = new ShopClient(server.url);
    await ana.post('/login', { user: 'ana' });
    for (let i = 0; i < 40; i++) {
      expect((await post(server.url, ana, '/cart', { productId: 1 }, `key-${i}`)).status).toBe(200);
    }
    expect(idempotency.size).toBe(10);
    // The newest keys are the ones kept: a retry of the last request is still a replay.
    const retry = await post(server.url, ana, '/cart', { productId: 1 }, 'key-39');
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
  });

  it('refuses a malformed key with 400', async () => {
    const server = await shop();
    const ana = new ShopClient(server.url);
    await ana.post('/login', { user: 'ana' });
    expect((await post(server.url, ana, '/cart', { productId: 2 }, 'has spaces')).status).toBe(400);
  });
});
