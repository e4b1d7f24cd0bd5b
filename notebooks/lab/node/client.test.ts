// What a client can know about a request decides its outcome (Jepsen's ok / fail / info): fail
// only when the request certainly had no effect, unknown whenever it may have had one.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startBalancer } from './balancer';
import { ShopClient } from './client';
import { roundRobin } from '../core/policies';
import { startServer } from './server';
import type { Handler } from './http-edge';

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of running.splice(0).reverse()) await thing.stop();
});

/** A plain HTTP server on 127.0.0.1, for answers the shop never gives. */
async function rawServer(handler: Handler): Promise<string> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  running.push({
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A port nothing listens on: it was free a moment ago and is closed again. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** The lab's balancer in front of one backend running `app` (health checks answered). */
async function behindLb(app: Handler) {
  const backend = await startServer({
    name: 'app-1',
    app: () => (req, res) => (req.url === '/health' ? res.end('ok') : app(req, res)),
  });
  const lb = await startBalancer({
    backends: [{ name: backend.name, url: backend.url }],
    policy: roundRobin(),
    // As balancer-testing.ts: a check late on a busy machine does not take the backend out.
    healthCheck: { intervalMs: 20, timeoutMs: 2_000 },
  });
  running.push(backend, lb);
  await lb.waitFor(backend.name, true); // in rotation, even if its first check came too late
  return { backend, lb };
}

describe('ShopClient outcomes: fail only when the request certainly had no effect', () => {
  it('a refused connection is fail: not a byte of the request was sent', async () => {
    const res = await new ShopClient(await closedPort()).post('/cart', { productId: 1 });
    expect(res).toMatchObject({ outcome: 'fail', status: 0, error: 'ECONNREFUSED' });
  });

  it('a connection reset after the request was sent is unknown: the server may have acted on it', async () => {
    const url = await rawServer((req, res) => {
      req.resume();
      req.on('end', () => res.socket?.destroy()); // read it all, then cut the connection
    });
    const res = await new ShopClient(url).post('/cart', { productId: 1 });
    expect(res).toMatchObject({ outcome: 'unknown', status: 0 });
  });

  it('an answer cut in the middle of its body is unknown, with the error that cut it', async () => {
    const url = await rawServer((req, res) => {
      req.resume();
      // The head and part of a body announced as longer, then the connection goes.
      res
        .writeHead(200, { 'content-length': '100' })
        .write('{"half":', () => res.socket?.destroy());
    });
    const res = await new ShopClient(url).post('/checkout');
    expect(res).toMatchObject({ outcome: 'unknown', status: 0, error: 'ECONNRESET' });
  });

  it('a 502 from the lb after it forwarded the request is unknown', async () => {
    const { lb } = await behindLb((req) => {
      req.resume();
      req.on('end', () => req.socket.destroy()); // the backend dies with the request in hand
    });
    const res = await new ShopClient(lb.url).post('/cart', { productId: 1 });
    expect(res).toMatchObject({ outcome: 'unknown', status: 502 });
  });

  it('a 503 from the lb with no healthy backend is fail, and the lb says no backend saw it', async () => {
    const { backend, lb } = await behindLb((_req, res) => res.end('{}'));
    void backend.kill();
    await lb.waitFor('app-1', false);
    const res = await new ShopClient(lb.url).post('/cart', { productId: 1 });
    expect(res).toMatchObject({ outcome: 'fail', status: 503 });
    expect(res.forwarded).toBe(false);
  });

  it('a 503 the backend itself answered, passed on by the lb, is unknown', async () => {
    const { lb } = await behindLb((_req, res) => {
      res.setHeader('x-lb-forwarded', 'no'); // a backend cannot pass itself off as the lb
      res.writeHead(503).end('{"error":"overloaded"}');
    });
    const res = await new ShopClient(lb.url).post('/cart', { productId: 1 });
    expect(res).toMatchObject({ outcome: 'unknown', status: 503, forwarded: true });
  });

  it('the lb answers 503 (not forwarded), not 502, when the backend refuses the connection', async () => {
    const backend = await startServer({ name: 'app-1', app: () => (_req, res) => res.end('ok') });
    // Health checks off: the lb believes the backend is up, as it does between two checks.
    const lb = await startBalancer({
      backends: [{ name: backend.name, url: backend.url }],
      policy: roundRobin(),
      healthCheck: false,
    });
    running.push(backend, lb);
    void backend.kill();
    const res = await new ShopClient(lb.url).post('/cart', { productId: 1 });
    expect(res).toMatchObject({ outcome: 'fail', status: 503, forwarded: false });
  });

  it('a 500 from the app is unknown: it may have written before it failed', async () => {
    const url = await rawServer((_req, res) => res.writeHead(500).end('{}'));
    expect(await new ShopClient(url).post('/cart', {})).toMatchObject({
      outcome: 'unknown',
      status: 500,
    });
  });

  it('a 4xx the shop answers is fail: it rejected the request and changed nothing', async () => {
    const url = await rawServer((_req, res) => res.writeHead(401).end('{}'));
    expect(await new ShopClient(url).post('/cart', {})).toMatchObject({
      outcome: 'fail',
      status: 401,
    });
  });

  it('no answer in time is unknown', async () => {
    const url = await rawServer(() => {}); // never answers
    const res = await new ShopClient(url, { timeoutMs: 100 }).post('/cart', {});
    expect(res).toMatchObject({ outcome: 'unknown', status: 0 });
  });

  it('a 2xx is ok', async () => {
    const url = await rawServer((_req, res) => res.end('{"ok":true}'));
    expect(await new ShopClient(url).get('/')).toMatchObject({ outcome: 'ok', status: 200 });
  });
});
