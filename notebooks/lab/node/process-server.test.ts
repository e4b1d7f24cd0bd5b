// One shop server as an OS process: a real pid, a real SIGKILL, and state that survives it only
// when it lives outside the process (a SQLite file, a Redis), never in the process's memory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ShopClient } from './client';
import { startProcessServer, type ProcessServer } from './process-server';
import { redisTestGate, startRedis } from './redis-server';

const dir = mkdtempSync(join(tmpdir(), 'statelab-process-server-'));
const catalogFile = join(dir, 'shop.sqlite');
let server: ProcessServer | undefined;
const pids: number[] = [];

const running = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

afterEach(async () => {
  await server?.stop();
  server = undefined;
  expect(pids.filter(running)).toEqual([]); // no orphans
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Logs in and adds an item, SIGKILLs the process, restarts it: what does the user still have? */
async function survivesSigkill(storeUrl?: string) {
  server = await startProcessServer({ name: 'app-1', catalogFile, storeUrl });
  const first = server.pid;
  pids.push(first);
  expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const client = new ShopClient(server.url);
  expect((await client.post('/login', { user: 'ada' })).status).toBe(200);
  expect((await client.post('/cart', { productId: 1 })).status).toBe(200);

  void server.kill();
  expect(server.alive).toBe(false);
  await server.restart();
  expect(server.pid).not.toBe(first);
  pids.push(server.pid);
  expect(running(first)).toBe(false);
  const me = await client.get('/me');
  const cart = await client.get('/cart');
  return { me: me.status, served: me.servedBy, cart: cart.body };
}

describe('a shop server in a process of its own', () => {
  it("keeps serving through SIGINT, which a Jupyter interrupt sends the kernel's whole group", async () => {
    server = await startProcessServer({ name: 'app-1', catalogFile });
    pids.push(server.pid);
    process.kill(server.pid, 'SIGINT'); // without a handler, it would end before it could answer
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect(running(server.pid)).toBe(true);
  });

  it('with no store (its own memory): a SIGKILL and restart forget the session', async () => {
    const after = await survivesSigkill();
    expect(after.me).toBe(401);
    expect(after.served).toBe('app-1');
  });

  it('with a sqlite: store: the session and the cart survive the SIGKILL', async () => {
    const after = await survivesSigkill(`sqlite:${join(dir, 'state.sqlite')}`);
    expect(after.me).toBe(200);
    expect(JSON.stringify(after.cart)).toContain('"productId":1');
  });

  it('stop() is graceful: the process exits by itself', async () => {
    server = await startProcessServer({ name: 'app-2', catalogFile });
    pids.push(server.pid);
    await server.stop();
    expect(server.alive).toBe(false);
    expect(running(server.pid)).toBe(false);
  });

  it('says why when the process cannot start', async () => {
    await expect(
      startProcessServer({ name: 'bad', catalogFile, storeUrl: 'ftp://nowhere' }),
    ).rejects.toThrow(/sqlite:\/absolute\/file or redis:/);
  });
});

const gate = redisTestGate();
// Without Redis in CI, redis-server.test.ts fails its gate test; these then do not run.
describe.runIf(gate.run)('a shop server process with a redis: store', () => {
  it('keeps the session and the cart through a SIGKILL', async () => {
    const redis = await startRedis();
    try {
      const after = await survivesSigkill(redis.url);
      expect(after.me).toBe(200);
      expect(JSON.stringify(after.cart)).toContain('"productId":1');
    } finally {
      await server?.stop();
      await redis.stop();
    }
  });
});
