// The shops the two-tab nemesis (two-tabs.ts) runs against, one per home of the carts: two shop
// servers behind a round-robin lb, in this process over one shared memoryStore(), or as two OS
// processes over one SQLite file or one Redis. Each changes carts with the shop's atomic update()
// or, to show the lost update, with a get and then a set (race-stores.ts). Used by the tests and
// `npm run bench`. State: the cluster's, and a catalogue file in `dir`.
import { join } from 'node:path';
import { openCatalog } from './sqlite-catalog';
import { startCluster, type Cluster } from './cluster';
import { roundRobin } from '../core/policies';
import { startProcessCluster } from './process-cluster';
import { getThenSet, NAIVE_PAUSE_MS, sleep } from '../core/race-stores';
import { createShop } from './shop';
import type { CartLine, Session } from '../core/shop-types';
import { memoryStore, type StateStore } from '../core/store';
import { TWO_TABS_RUN, twoTabsUnderChaos, type TwoTabsRun } from './two-tabs';

export type CartWrites = 'update' | 'get-then-set';

export interface TwoTabsShopOptions {
  /** 'memory': in this process; else the store URL every server process gets (sqlite:/file, redis://…). */
  store: 'memory' | string;
  cartWrites: CartWrites;
  /** Names this shop's catalogue file and its users: shops that share a store need their own. */
  label: string;
  /** Where the catalogue file goes. */
  dir: string;
}

export interface TwoTabsShop {
  readonly cluster: Cluster;
  /** One run of the nemesis (TWO_TABS_RUN) with this seed; its users are `${label}${seed}-…`. */
  run(seed: number): Promise<TwoTabsRun>;
  stop(): Promise<void>;
}

export async function startTwoTabsShop(options: TwoTabsShopOptions): Promise<TwoTabsShop> {
  const { store, cartWrites, label } = options;
  const catalogFile = join(options.dir, `catalog-${label}.sqlite`);
  const catalog = openCatalog(catalogFile);
  let cluster: Cluster;
  if (store === 'memory') {
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
  } else {
    const policy = roundRobin();
    cluster = await startProcessCluster({
      size: 2,
      policy,
      catalogFile,
      storeUrl: store,
      cartWrites,
    });
  }
  return {
    cluster,
    run: (seed) =>
      twoTabsUnderChaos(cluster, {
        ...TWO_TABS_RUN,
        seed,
        prefix: `${label}${seed}`,
        orders: catalog.orders,
      }),
    async stop() {
      await cluster.stop();
      catalog.close();
    },
  };
}
