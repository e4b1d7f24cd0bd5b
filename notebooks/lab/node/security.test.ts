// The session rules the course teaches, checked across servers that share their stores:
// what is true on one server must be true on every server.
import { afterEach, describe, expect, it } from 'vitest';
import { openCatalog } from './sqlite-catalog';
import { ShopClient } from './client';
import { startServer, type RunningServer } from './server';
import { createShop } from './shop';
import type { CartLine, Session } from '../core/shop-types';
import { memoryStore } from '../core/store';

const running: RunningServer[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});

/** Two stateless servers: one session store and one cart store shared by both. */
async function twoServers() {
  const catalog = openCatalog();
  const sessions = memoryStore<Session>();
  const carts = memoryStore<CartLine[]>();
  for (const name of ['app-1', 'app-2']) {
    running.push(
      await startServer({ name, app: () => createShop({ name, catalog, sessions, carts }) }),
    );
  }
  return running.map((s) => s.url);
}

/** A browser that holds exactly this session cookie. */
function browserWith(url: string, sid: string) {
  const client = new ShopClient(url);
  client.jar.set('sid', sid);
  return client;
}

describe('sessions across servers', () => {
  it('a session started on one server is known on every server', async () => {
    const [a, b] = await twoServers();
    const ana = new ShopClient(a);
    await ana.post('/login', { user: 'ana' });
    expect((await browserWith(b, ana.jar.get('sid')!).get('/me')).status).toBe(200);
  });

  it('after a new login the old ID is rejected on every server', async () => {
    const urls = await twoServers();
    const ana = new ShopClient(urls[0]);
    await ana.post('/login', { user: 'ana' });
    const old = ana.jar.get('sid')!;
    await ana.post('/login', { user: 'ana' });
    for (const url of urls) expect((await browserWith(url, old).get('/me')).status).toBe(401);
  });

  it('logout ends the session on every server', async () => {
    const urls = await twoServers();
    const ana = new ShopClient(urls[0]);
    await ana.post('/login', { user: 'ana' });
    const sid = ana.jar.get('sid')!;
    await browserWith(urls[1], sid).post('/logout');
    for (const url of urls) expect((await browserWith(url, sid).get('/me')).status).toBe(401);
  });

  it('never adopts a session ID the client chose', async () => {
    const urls = await twoServers();
    const chosen = 'attacker-chosen-id-0000000000';
    const victim = browserWith(urls[0], chosen);
    for (const url of urls) expect((await browserWith(url, chosen).get('/me')).status).toBe(401);
    await victim.post('/login', { user: 'victim' });
    expect(victim.jar.get('sid')).not.toBe(chosen);
    for (const url of urls) expect((await browserWith(url, chosen).get('/me')).status).toBe(401);
  });
});
