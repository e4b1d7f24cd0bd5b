// Chapter 4's promise, on several seeds: with sessions and carts in stores every server shares,
// random seeded crashes lose no acknowledged cart write, and every server agrees on every cart,
// with users in two tabs sending adds and checkouts at the same moment (two-tabs.ts has more).
import { afterEach, describe, expect, it } from 'vitest';
import { auditCarts } from './audit';
import { openCatalog } from './sqlite-catalog';
import { createChaos, randomSchedule } from '../core/chaos';
import { startCluster, type Cluster } from './cluster';
import { roundRobin } from '../core/policies';
import { createShop } from './shop';
import type { CartLine, Session } from '../core/shop-types';
import { memoryStore } from '../core/store';
import { createUsers, runRounds } from './workload';

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

describe('stateless servers under random crashes', () => {
  it.each([11, 12, 13])('seed %i: 0 acknowledged cart writes lost', async (seed) => {
    const catalog = openCatalog();
    const sessions = memoryStore<Session>();
    const carts = memoryStore<CartLine[]>();
    cluster = await startCluster({
      size: 3,
      policy: roundRobin(),
      catalog,
      app: (name) => createShop({ name, catalog, sessions, carts }),
    });
    const rounds = 18;
    const schedule = randomSchedule(seed, {
      steps: rounds,
      servers: ['app-1', 'app-2', 'app-3'],
      killProbability: 0.3,
    });
    const chaos = createChaos(schedule, cluster);
    const users = createUsers(60, cluster.lb.url, seed, { tabs: 2 });
    await runRounds(users, { rounds, seed, beforeRound: (round) => chaos.step(round) });
    for (const server of cluster.servers) if (!server.alive) await cluster.restart(server.name);

    const audit = await auditCarts(users, cluster.servers, catalog.orders());
    expect(chaos.log.filter((e) => e.action === 'kill').length).toBeGreaterThan(0);
    expect(audit.writesAcknowledged).toBeGreaterThan(100);
    expect(users.flatMap((u) => u.log).filter((r) => r.together).length).toBeGreaterThan(50);
    expect(audit.acknowledgedLost).toBe(0);
    expect(audit.sameOnEveryServer).toBe(users.length);
  });
});
