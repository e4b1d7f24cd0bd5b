// The chapter 3 story as tests: stateful servers behind a load balancer, broken on purpose.
import { afterEach, describe, expect, it } from 'vitest';
import { openCatalog } from './catalog';
import { startCluster, type Cluster } from './cluster';
import { roundRobin, stickyCookie } from './policies';
import { slow } from './faults';
import { createShop } from './shop';
import type { CartLine, Session } from './shop-types';
import { memoryStore } from './store';
import { createUsers, pinnedPerServer, runRounds, summarize } from './workload';

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

describe('stateful servers behind a load balancer', () => {
  it('round robin forgets users: logins keep getting lost', async () => {
    cluster = await startCluster({ size: 3, policy: roundRobin(), catalog: openCatalog() });
    const users = createUsers(30, cluster.lb.url, 1);
    await runRounds(users, { rounds: 8 });
    expect(summarize(users).usersForcedToLogIn).toBeGreaterThan(20);
  });

  it('sticky sessions keep every user on one server: nothing is lost while nothing breaks', async () => {
    cluster = await startCluster({ size: 3, policy: stickyCookie(), catalog: openCatalog() });
    const users = createUsers(30, cluster.lb.url, 2);
    await runRounds(users, { rounds: 12 });
    const summary = summarize(users);
    expect([summary.forcedLogins, summary.lostCartItems, summary.failed, summary.unknown]).toEqual([
      0, 0, 0, 0,
    ]);
  });

  it.each([1, 2, 3, 4, 5])(
    'seed %i: killing app-1 costs exactly the users pinned to app-1 a login and their cart',
    async (seed) => {
      cluster = await startCluster({ size: 3, policy: stickyCookie(), catalog: openCatalog() });
      const users = createUsers(40, cluster.lb.url, seed);
      await runRounds(users, { rounds: 3 }); // log in, browse, add: everyone has one item
      const pinned = users.filter((u) => u.pinnedTo === 'app-1');
      expect(pinned.length).toBeGreaterThan(0);
      expect(pinnedPerServer(users)['(none)']).toBeUndefined();

      await cluster.kill('app-1');
      await runRounds(users, { rounds: 6 });
      const summary = summarize(users);
      expect(summary.usersForcedToLogIn).toBe(pinned.length);
      expect(summary.forcedLogins).toBe(pinned.length);
      expect(summary.lostCartItems).toBe(pinned.length);
      expect(users.filter((u) => u.losses.forcedLogins > 0)).toEqual(pinned);
      expect(summary.failed).toBe(0);
    },
  );

  it('with sessions and carts in one shared store, a kill costs nobody anything', async () => {
    const catalog = openCatalog();
    const sessions = memoryStore<Session>();
    const carts = memoryStore<CartLine[]>();
    cluster = await startCluster({
      size: 3,
      policy: roundRobin(),
      catalog,
      app: (name) => createShop({ name, catalog, sessions, carts }),
    });
    const users = createUsers(30, cluster.lb.url, 7);
    await runRounds(users, {
      rounds: 12,
      beforeRound: async (round) => {
        if (round === 4) await cluster!.kill('app-2');
        if (round === 8) await cluster!.restart('app-2');
      },
    });
    const summary = summarize(users);
    expect([summary.forcedLogins, summary.lostCartItems, summary.failed]).toEqual([0, 0, 0]);
  });
});

describe('the health-check timeout', () => {
  // A server that is up but answers /health late: the default timeout marks it down, a longer one does not.
  const lateHealth = (name: string) => {
    const shop = createShop({ name, catalog: openCatalog() });
    return name === 'app-1'
      ? slow(shop, 700) // slower than the balancer's default check timeout
      : shop;
  };

  it('marks a server down when its check answers later than the timeout', async () => {
    cluster = await startCluster({
      size: 2,
      policy: roundRobin(),
      catalog: openCatalog(),
      app: lateHealth,
    });
    expect(cluster.lb.backends.find((b) => b.name === 'app-1')?.healthy).toBe(false);
  });

  it('keeps it in rotation with healthTimeoutMs longer than its answers take', async () => {
    cluster = await startCluster({
      size: 2,
      policy: roundRobin(),
      catalog: openCatalog(),
      app: lateHealth,
      healthTimeoutMs: 2_000,
    });
    expect(cluster.lb.backends.find((b) => b.name === 'app-1')?.healthy).toBe(true);
  });
});
