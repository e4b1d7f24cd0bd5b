import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { retryable, type RunningBalancer } from './balancer';
import { answerName, send, startBackends, startLb, stopAfterTest, until } from './balancer-testing';
import { openCatalog } from './sqlite-catalog';
import { ShopClient } from './client';
import type { IdempotencyRecord } from '../core/idempotency';
import { hashClientKey, roundRobin, stickyCookie, type Policy } from '../core/policies';
import { startServer, type RunningServer } from './server';
import { createShop, type Handler } from './shop';
import type { CartLine, Session } from '../core/shop-types';
import { memoryStore } from '../core/store';

async function servedBy(lb: RunningBalancer, count: number, headers: Record<string, string> = {}) {
  const hits: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const { body } = await send(lb.url, { headers });
    hits[body] = (hits[body] ?? 0) + 1;
  }
  return hits;
}

describe('startBalancer', () => {
  it('spreads requests evenly over three backends with round robin, and counts them', async () => {
    const lb = await startLb(await startBackends(3));
    expect(lb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await servedBy(lb, 30)).toEqual({ 'app-1': 10, 'app-2': 10, 'app-3': 10 });
    expect(lb.stats()['app-2']).toEqual({ routed: 10, failed: 0, retried: 0 });
    lb.resetStats();
    expect(lb.stats()['app-2']).toEqual({ routed: 0, failed: 0, retried: 0 });
  });

  it('forwards method, path, headers and body, and adds x-forwarded-for', async () => {
    const [echo] = await startBackends(1, () => (req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      req.on('end', () =>
        res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body })),
      );
    });
    const lb = await startLb([echo]);
    const answer = await send(`${lb.url}/cart?x=1`, {
      method: 'POST',
      headers: { 'x-thing': 'yes' },
      body: 'hello',
    });
    expect(JSON.parse(answer.body)).toMatchObject({
      method: 'POST',
      url: '/cart?x=1',
      headers: { 'x-thing': 'yes', 'x-forwarded-for': '127.0.0.1' },
      body: 'hello',
    });
  });

  it('stops sending requests to a killed backend, and brings it back after a restart', async () => {
    const servers = await startBackends(3);
    const lb = await startLb(servers);
    void servers[1].kill();
    await lb.waitFor('app-2', false);
    expect(await servedBy(lb, 20)).toEqual({ 'app-1': 10, 'app-3': 10 });

    await servers[1].restart();
    await lb.waitFor('app-2', true);
    expect((await servedBy(lb, 30))['app-2']).toBe(10);
  });

  it('pins a new client with an HttpOnly, SameSite=Lax cookie and keeps it on that backend', async () => {
    const lb = await startLb(await startBackends(3), { policy: stickyCookie() });
    const first = await send(lb.url);
    expect(first.setCookie).toEqual([`lb-backend=${first.body}; Path=/; HttpOnly; SameSite=Lax`]);

    const cookie = `lb-backend=${first.body}`;
    expect(await servedBy(lb, 10, { cookie })).toEqual({ [first.body]: 10 });
    expect((await send(lb.url, { headers: { cookie } })).setCookie).toEqual([]); // already pinned
  });

  it('re-pins a client whose backend went down', async () => {
    const servers = await startBackends(2);
    const lb = await startLb(servers, { policy: stickyCookie() });
    void servers[0].kill();
    await lb.waitFor('app-1', false);
    const answer = await send(lb.url, { headers: { cookie: 'lb-backend=app-1' } });
    expect(answer.body).toBe('app-2');
    expect(answer.setCookie[0]).toMatch(/^lb-backend=app-2;/);
  });

  it("keeps the backend's own Set-Cookie alongside its own", async () => {
    const [shop] = await startBackends(1, () => (_req, res) => {
      res.setHeader('set-cookie', ['sid=abc; HttpOnly']).end('ok');
    });
    const lb = await startLb([shop], { policy: stickyCookie() });
    expect((await send(lb.url)).setCookie).toEqual([
      'sid=abc; HttpOnly',
      'lb-backend=app-1; Path=/; HttpOnly; SameSite=Lax',
    ]);
  });

  it('routes by x-client-id when the policy hashes the client key', async () => {
    const lb = await startLb(await startBackends(3), { policy: hashClientKey() });
    expect(Object.keys(await servedBy(lb, 10, { 'x-client-id': 'alice' }))).toHaveLength(1);
  });

  it('answers 502, without retrying, when the backend dies mid-request', async () => {
    let arrived = false;
    const [slow] = await startBackends(1, () => (req, res) => {
      if (req.url === '/health') res.end('ok');
      else arrived = true; // and never gets an answer
    });
    const lb = await startLb([slow]);
    const pending = send(`${lb.url}/checkout`);
    // Killed once the backend has the request: killed before it accepted the connection, it never
    // saw the request, and the LB rightly answers 503, not forwarded.
    await until(() => arrived);
    void slow.kill();
    const answer = await pending;
    expect(answer.status).toBe(502);
    expect(JSON.parse(answer.body)).toEqual({ error: 'backend app-1 failed: ECONNRESET' });
    expect(lb.stats()['app-1']).toEqual({ routed: 1, failed: 1, retried: 0 });
    expect(lb.backends[0].inFlight).toBe(0);
  });

  it('answers 503 when no backend is healthy', async () => {
    const servers = await startBackends(2);
    const lb = await startLb(servers);
    for (const s of servers) void s.kill();
    await Promise.all([lb.waitFor('app-1', false), lb.waitFor('app-2', false)]);
    const answer = await send(lb.url);
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body)).toEqual({ error: 'no healthy backend' });
    expect(lb.stats().lb).toEqual({ routed: 0, failed: 1, retried: 0 });
  });

  it('answers 500 and reports the error when the policy throws, and keeps serving', async () => {
    const errors: unknown[] = [];
    let broken = true;
    const fallback = roundRobin();
    const lb = await startLb(await startBackends(1), {
      policy: {
        name: 'sometimes broken',
        pins: false,
        pick(backends, request) {
          if (broken) throw new Error('bug in pick');
          return fallback.pick(backends, request);
        },
      },
      onError: (error) => errors.push(error),
    });
    const answer = await send(lb.url);
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body)).toEqual({ error: 'the routing policy failed' });
    expect(errors).toEqual([new Error('bug in pick')]);
    expect(lb.stats().lb).toEqual({ routed: 0, failed: 1, retried: 0 });
    broken = false;
    expect((await send(lb.url)).body).toBe('app-1');
  });

  it('takes a removed backend out at once, and gives an added one traffic once it passes a check', async () => {
    const servers = await startBackends(3);
    const lb = await startLb(servers.slice(0, 2));
    void lb.remove('app-1');
    expect(await servedBy(lb, 4)).toEqual({ 'app-2': 4 });
    lb.add({ name: 'app-3', url: servers[2].url });
    await lb.waitFor('app-3', true);
    expect(await servedBy(lb, 4)).toEqual({ 'app-2': 2, 'app-3': 2 });
    await expect(lb.waitFor('app-1', true)).rejects.toThrow('no backend named app-1');
  });

  it('remove() resolves once the requests already on their way to that backend are answered', async () => {
    let answerLater: (() => void) | undefined;
    const [held] = await startBackends(1, () => (req, res) => {
      if (req.url === '/health') return res.end('ok');
      answerLater = () => res.end('done');
    });
    const lb = await startLb([held]);
    const pending = send(lb.url);
    await until(() => answerLater !== undefined);
    let removed = false;
    const removal = lb.remove('app-1').then(() => (removed = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(removed).toBe(false); // still one request in flight
    answerLater!();
    expect(await pending).toMatchObject({ status: 200, body: 'done' });
    await removal;
    expect(lb.backends).toEqual([]);
  });

  it('waitFor gives up after its timeout', async () => {
    const lb = await startLb(await startBackends(1));
    await expect(lb.waitFor('app-1', false, 100)).rejects.toThrow(
      'was not unhealthy within 100 ms',
    );
  });

  it('stop() closes the port', async () => {
    const lb = await startLb(await startBackends(1));
    await send(lb.url);
    await lb.stop();
    await expect(send(lb.url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('safe retries (retry: true)', () => {
  /** Always the first healthy backend in the list: app-1 while it looks healthy. */
  const firstHealthy: Policy = {
    name: 'first healthy',
    pins: false,
    pick: (backends) => backends.find((b) => b.healthy),
  };

  /** app-1 runs `handler` but crashes before its answer to a `crashOn` request leaves; app-2 runs it normally. */
  async function crashingPair(
    handler: () => Handler,
    crashOn = (req: IncomingMessage) => req.url !== '/health',
  ) {
    let app1: RunningServer | undefined;
    const crashBeforeAnswering = (): Handler => {
      const inner = handler();
      return (req, res) => {
        if (!crashOn(req)) return inner(req, res);
        res.writeHead = (() => {
          void app1?.kill(); // the work is done, the answer is lost: the connection is cut
          return res;
        }) as typeof res.writeHead;
        inner(req, res);
      };
    };
    app1 = await startServer({ name: 'app-1', app: crashBeforeAnswering });
    const app2 = await startServer({ name: 'app-2', app: handler });
    return [stopAfterTest(app1), stopAfterTest(app2)];
  }

  it('answers retryable() for idempotent methods and for a POST with an Idempotency-Key', () => {
    expect(['GET', 'HEAD', 'PUT', 'DELETE'].every((m) => retryable(m, {}))).toBe(true);
    expect(retryable('POST', {})).toBe(false);
    expect(retryable('POST', { 'idempotency-key': 'k' })).toBe(true);
    expect(retryable('PATCH', { 'idempotency-key': 'k' })).toBe(false);
  });

  it('retries a GET whose backend dies mid-flight on another backend, and it succeeds', async () => {
    const servers = await crashingPair(() => answerName('shop'));
    const lb = await startLb(servers, { policy: firstHealthy, healthCheck: false, retry: true });
    const answer = await send(`${lb.url}/products`);
    expect(answer).toMatchObject({ status: 200, body: 'shop' });
    expect(lb.stats()).toMatchObject({
      'app-1': { routed: 1, failed: 0, retried: 1 },
      'app-2': { routed: 1, failed: 0, retried: 0 },
    });
    expect(lb.backends.map((b) => b.inFlight)).toEqual([0, 0]);
  });

  it('retries a GET refused by a dead backend the LB still thinks is up', async () => {
    const servers = await startBackends(2);
    const lb = await startLb(servers, { policy: firstHealthy, healthCheck: false, retry: true });
    void servers[0].kill();
    expect(await send(lb.url)).toMatchObject({ status: 200, body: 'app-2' });
    expect(lb.stats()['app-1']).toEqual({ routed: 1, failed: 0, retried: 1 });
  });

  /** Two shops sharing sessions, carts and idempotency records: stateless servers. */
  async function sharedShops() {
    const catalog = openCatalog();
    const stores = {
      sessions: memoryStore<Session>(),
      carts: memoryStore<CartLine[]>(),
      idempotency: memoryStore<IdempotencyRecord>(),
    };
    const servers = await crashingPair(
      () => createShop({ name: 'shop', catalog, ...stores }),
      (req) => req.method === 'POST' && req.url === '/cart',
    );
    const lb = await startLb(servers, { policy: firstHealthy, healthCheck: false, retry: true });
    const ana = new ShopClient(lb.url);
    await ana.post('/login', { user: 'ana' });
    lb.resetStats();
    const addTwo = (headers: Record<string, string> = {}) =>
      send(`${lb.url}/cart`, {
        method: 'POST',
        headers: {
          cookie: `sid=${ana.jar.get('sid')}`,
          'content-type': 'application/json',
          ...headers,
        },
        body: JSON.stringify({ productId: 2 }),
      });
    const cart = async () => ((await ana.get('/cart')).body as { items: CartLine[] }).items;
    return { lb, addTwo, cart };
  }

  it('does not retry a POST without an Idempotency-Key: 502, though app-1 had added the item', async () => {
    const { lb, addTwo, cart } = await sharedShops();
    const answer = await addTwo();
    expect(answer.status).toBe(502);
    expect(lb.stats()['app-1']).toMatchObject({ failed: 1, retried: 0 });
    expect(await cart()).toEqual([{ productId: 2, qty: 1 }]); // the "failed" request took effect
  });

  it('retries a POST with an Idempotency-Key, and the shops apply it once', async () => {
    const { lb, addTwo, cart } = await sharedShops();
    const answer = await addTwo({ 'idempotency-key': 'add-2' });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ items: [{ productId: 2, qty: 1 }] });
    expect(lb.stats()['app-1']).toMatchObject({ routed: 1, retried: 1 });
    expect(await cart()).toEqual([{ productId: 2, qty: 1 }]); // applied by app-1, replayed by app-2
  });
});
