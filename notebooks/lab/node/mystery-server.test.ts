// One server of the mystery shop, as the nemesis drives it: a server asked for its last answer
// (x-test-last-answer) dies the moment it sends it. What it started and had not finished never
// lands, however late the kill comes, and it answers nobody after.
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCatalog } from './sqlite-catalog';
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
