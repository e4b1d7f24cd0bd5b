import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDurable, trial, type Durable } from './state-homes';

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
});
