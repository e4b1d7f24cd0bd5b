// The browser simulator (sim-model.ts) and the lab's users over real HTTP (users.ts, client.ts,
// balancer.ts) must tell the same story: the same scenario gives the same operations, statuses,
// outcomes and losses in both.
import { afterEach, describe, expect, it } from 'vitest';
import { openCatalog } from './catalog';
import { startCluster, type Cluster } from './cluster';
import { roundRobin } from './policies';
import { createShop } from './shop';
import type { CartLine, Session } from './shop-types';
import { createSimulation, type Architecture } from './sim-model';
import { memoryStore } from './store';
import { createUsers } from './workload';

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const STEPS = 14; // two journeys and a bit: logins, browsing, adds, cart views, checkouts

/** One user, two servers, round robin: every step as the lab's user recorded it. */
async function overHttp(architecture: Exclude<Architecture, 'sticky'>) {
  const catalog = openCatalog();
  const sessions = memoryStore<Session>();
  const carts = memoryStore<CartLine[]>();
  cluster = await startCluster({
    size: 2,
    policy: roundRobin(),
    catalog,
    app:
      architecture === 'stateless'
        ? (name) => createShop({ name, catalog, sessions, carts })
        : undefined,
  });
  const [user] = createUsers(1, cluster.lb.url, 1);
  for (let i = 0; i < STEPS; i++) await user.step();
  await cluster.kill('app-1');
  await cluster.kill('app-2');
  await user.step();
  return {
    steps: user.log.map((r) => ({
      op: r.op,
      status: r.status,
      outcome: r.outcome,
      server: r.servedBy,
    })),
    losses: user.losses,
  };
}

/** The same in the simulator: one user who steps on every tick. */
async function inTheSimulator(architecture: Exclude<Architecture, 'sticky'>) {
  const sim = createSimulation({ architecture, servers: 2, users: 1, activity: 1 });
  for (let i = 0; i < STEPS; i++) await sim.tick();
  sim.kill('app-1');
  sim.kill('app-2');
  await sim.tick();
  return {
    steps: sim.history.map((e) => ({
      op: e.op,
      status: e.status,
      outcome: e.outcome,
      server: e.server,
    })),
    losses: sim.users[0].losses,
  };
}

describe('the simulator and the lab agree on outcomes and losses', () => {
  it('stateless: ok all the way, orders placed; with every server down, fail (503)', async () => {
    const lab = await overHttp('stateless');
    expect(await inTheSimulator('stateless')).toEqual(lab);
    expect(lab.steps.map((s) => s.status)).toContain(201);
    expect(lab.steps.at(-1)).toEqual({
      op: 'add',
      status: 503,
      outcome: 'fail',
      server: undefined,
    });
    expect(lab.losses).toEqual({ forcedLogins: 0, lostCartItems: 0, failed: 1, unknown: 0 });
  });

  it('stateful round robin: 401 is fail, a forced login, and the acknowledged items are lost', async () => {
    const lab = await overHttp('stateful');
    expect(await inTheSimulator('stateful')).toEqual(lab);
    expect(lab.steps).toContainEqual({ op: 'cart', status: 401, outcome: 'fail', server: 'app-2' });
    expect(lab.losses.forcedLogins).toBeGreaterThan(0);
    expect(lab.losses.lostCartItems).toBeGreaterThan(0);
  });
});
