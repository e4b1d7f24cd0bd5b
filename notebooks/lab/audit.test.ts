import { afterEach, describe, expect, it } from 'vitest';
import { auditCarts } from './audit';
import { openCatalog } from './catalog';
import { startCluster, type Cluster } from './cluster';
import { roundRobin, stickyCookie } from './policies';
import { createShop } from './shop';
import type { CartLine, Session } from './shop-types';
import { memoryStore } from './store';
import { createUsers, runRounds } from './workload';

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

describe('auditCarts', () => {
  it('finds every acknowledged item when the servers share their stores, after a kill', async () => {
    const catalog = openCatalog();
    const sessions = memoryStore<Session>();
    const carts = memoryStore<CartLine[]>();
    cluster = await startCluster({
      size: 3,
      policy: roundRobin(),
      catalog,
      app: (name) => createShop({ name, catalog, sessions, carts }),
    });
    const users = createUsers(20, cluster.lb.url, 4);
    await runRounds(users, {
      rounds: 10,
      beforeRound: async (round) => {
        if (round === 5) await cluster!.kill('app-1');
      },
    });
    await cluster.restart('app-1');
    const audit = await auditCarts(users, cluster.servers, catalog.orders());
    expect(audit.writesAcknowledged).toBeGreaterThan(20);
    expect(audit.acknowledgedLost).toBe(0);
    expect(audit.sameOnEveryServer).toBe(20);
    expect(audit.unknownToSomeServer).toBe(0);
  });

  it('counts the acknowledged items a crash took from stateful servers', async () => {
    const catalog = openCatalog();
    cluster = await startCluster({ size: 3, policy: stickyCookie(), catalog });
    const users = createUsers(20, cluster.lb.url, 4);
    await runRounds(users, { rounds: 3 }); // log in, browse, add: one item each
    const pinned = users.filter((u) => u.pinnedTo === 'app-1').length;
    await cluster.kill('app-1');
    await cluster.restart('app-1');
    const audit = await auditCarts(users, cluster.servers, catalog.orders());
    expect(audit.writesAcknowledged).toBe(20);
    expect(audit.acknowledgedLost).toBe(pinned);
    expect(audit.unknownToSomeServer).toBe(20); // each session is on one server only
  });
});
