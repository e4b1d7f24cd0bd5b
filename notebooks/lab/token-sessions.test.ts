import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from './catalog';
import { ShopClient } from './client';
import { startServer, type RunningServer } from './server';
import { peek } from './signed-token';
import { memoryStore } from './store';
import { createTokenShop, TOKEN_COOKIE } from './token-sessions';

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
    servers[0].kill();
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
});
