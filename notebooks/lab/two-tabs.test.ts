// The concurrent-user nemesis on the embedded shared store: users in two tabs, two in-process
// servers sharing one memoryStore(), servers killed mid-round by a seeded schedule. The shop's
// atomic update() loses no acknowledged add on any seed; on the same seeds (same users, same
// kills), a store whose update() is a get, a pause and a set loses some, so the test can fail.
// (two-tabs-processes.test.ts: the same with SQLite and Redis across server processes.)
import { afterEach, describe, expect, it } from 'vitest';
import { openCatalog } from './catalog';
import { startCluster, type Cluster } from './cluster';
import { getThenSet, NAIVE_PAUSE_MS, sleep } from './race-stores';
import { roundRobin } from './policies';
import { createShop } from './shop';
import type { CartLine, Session } from './shop-types';
import { memoryStore, type StateStore } from './store';
import { TWO_TABS_RUN as RUN, TWO_TABS_SEEDS as SEEDS, twoTabsUnderChaos } from './two-tabs';

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

async function run(seed: number, cartWrites: 'update' | 'get-then-set') {
  const catalog = openCatalog();
  const sessions = memoryStore<Session>();
  const shared = memoryStore<CartLine[]>();
  const carts: StateStore<CartLine[]> =
    cartWrites === 'update' ? shared : getThenSet(shared, sleep(NAIVE_PAUSE_MS));
  cluster = await startCluster({
    size: 2,
    policy: roundRobin(),
    catalog,
    app: (name) => createShop({ name, catalog, sessions, carts }),
  });
  const result = await twoTabsUnderChaos(cluster, { ...RUN, seed, orders: catalog.orders });
  await cluster.stop();
  cluster = undefined;
  return result;
}

describe('two tabs, random kills, one shared in-process store', () => {
  it.each(SEEDS)(
    'seed %i: update() loses no acknowledged add; get-then-set loses some',
    async (seed) => {
      const atomic = await run(seed, 'update');
      expect(atomic.kills).toBeGreaterThan(0);
      expect(atomic.together).toBeGreaterThan(10);
      expect(atomic.audit.writesAcknowledged).toBeGreaterThan(40);
      expect(atomic.audit.acknowledgedLost).toBe(0);
      expect(atomic.audit.failedApplied).toBe(0);
      expect(atomic.audit.sameOnEveryServer).toBe(RUN.users);

      const naive = await run(seed, 'get-then-set');
      expect(naive.kills).toBe(atomic.kills);
      expect(naive.audit.acknowledgedLost).toBeGreaterThan(0);
    },
  );
});
