import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot, createDurable, trial, type Durable } from './state-homes';

let durable: Durable;
beforeAll(async () => {
  durable = await createDurable({ redis: false }); // the in-process shared cache
});
afterAll(() => durable.stop());

describe('where state can live, tested by faults', () => {
  it('loses exactly the users of a killed server when state is in server memory', async () => {
    const t = await trial('server memory', 'web server kill', durable, 6);
    expect(t.keptSession).toBe(3); // the lb spread 6 users over 2 servers in turn
    expect(t.keptCart).toBe(3);
  });

  it('keeps sessions and carts in the database through a whole-process restart', async () => {
    const t = await trial('database', 'whole-process restart', durable, 4);
    expect([t.keptSession, t.keptCart]).toEqual([4, 4]);
  });

  it('loses an in-process shared cache with the process, and on a cache restart', async () => {
    expect((await trial('shared cache', 'whole-process restart', durable, 4)).keptSession).toBe(0);
    expect((await trial('shared cache', 'cache restart', durable, 4)).keptCart).toBe(0);
  });

  it('keeps state in the client through a process restart, but not on a new device', async () => {
    const restart = await trial('client', 'whole-process restart', durable, 4);
    expect([restart.keptSession, restart.keptCart]).toEqual([4, 4]);
    const device = await trial('client', 'new device', durable, 4);
    expect([device.keptSession, device.keptCart]).toEqual([0, 0]);
  });

  it('keeps each kind of state in its own keys of the shared cache: a user name is no session', async () => {
    const shop = await boot('shared cache', durable);
    try {
      const send = (method: string, path: string, cookie: string, body?: unknown) =>
        fetch(shop.cluster.lb.url + path, {
          method,
          headers: { cookie, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      const login = await fetch(`${shop.cluster.lb.url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'ada' }),
      });
      const ada = login.headers.getSetCookie()[0].split(';')[0];
      expect((await send('POST', '/cart', ada, { productId: 1 })).status).toBe(200);
      // Her cart is kept under her name; a cookie holding that name is not a session.
      expect((await send('GET', '/me', 'sid=ada')).status).toBe(401);
      expect((await send('POST', '/cart', 'sid=ada', { productId: 2 })).status).toBe(401);
      await send('POST', '/logout', 'sid=ada');
      const cart = (await (await send('GET', '/cart', ada)).json()) as { items: unknown[] };
      expect(cart.items).toHaveLength(1);
    } finally {
      await shop.stop();
    }
  });
});
