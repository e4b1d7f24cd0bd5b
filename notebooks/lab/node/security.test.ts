// The session rules the course teaches, checked across servers that share their stores:
// what is true on one server must be true on every server.
import { afterEach, describe, expect, it } from 'vitest';
import { openCatalog } from './sqlite-catalog';
import { ShopClient } from './client';
import { NOT_JSON_TYPE } from './http-edge';
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

describe('bodies a form on another site can send', () => {
  // A form can post text/plain, urlencoded or multipart across sites with no CORS preflight, and a
  // text/plain form can be made to send JSON: <input name='{"user":"mallory","x":"' value='"}'>
  // sends {"user":"mallory","x":"="} and a CRLF (the HTML standard's text/plain encoding), which
  // JSON.parse reads. A shop that read it would log the reader in as mallory.
  const forged = '{"user":"mallory","x":"="}\r\n';

  it('refuses a JSON body sent as anything but JSON (415), and starts no session', async () => {
    const [url] = await twoServers();
    for (const type of [
      'text/plain',
      'text/plain;charset=UTF-8',
      'text/plain; x=application/json',
      'text/plain;application/json',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      undefined,
    ]) {
      const res = await fetch(`${url}/login`, {
        method: 'POST',
        headers: type === undefined ? {} : { 'content-type': type },
        body: type === undefined ? new Uint8Array(Buffer.from(forged)) : forged,
      });
      expect(res.status, `Content-Type: ${type}`).toBe(415);
      expect(await res.json(), `Content-Type: ${type}`).toEqual({ error: NOT_JSON_TYPE });
      expect(res.headers.get('set-cookie'), `Content-Type: ${type}`).toBeNull();
    }
  });

  it('takes the same body sent as JSON, with or without parameters or in capitals', async () => {
    const [url] = await twoServers();
    for (const type of [
      'application/json',
      'application/json; charset=utf-8',
      'Application/JSON',
    ]) {
      const res = await fetch(`${url}/login`, {
        method: 'POST',
        headers: { 'content-type': type },
        body: forged,
      });
      expect(res.status, `Content-Type: ${type}`).toBe(200);
    }
  });
});
