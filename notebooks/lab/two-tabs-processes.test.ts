// The concurrent-user nemesis across server processes: users in two tabs, two shop processes over
// one SQLite file or one Redis, processes SIGKILLed mid-round by a seeded schedule and restarted.
// The shop's atomic update() loses no acknowledged add on any seed; processes whose update() is a
// get, a pause and a set lose some on the same seeds (same users, same kills), so it can fail.
// Per store, one cluster of each kind serves every seed (a process start costs about a second):
// each seed's users have names of their own, so their carts and orders never mix.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from './catalog';
import { roundRobin } from './policies';
import { startProcessCluster } from './process-cluster';
import { redisTestGate, startRedis, type RunningRedis } from './redis-server';
import {
  TWO_TABS_RUN as RUN,
  TWO_TABS_SEEDS as SEEDS,
  twoTabsUnderChaos,
  type TwoTabsRun,
} from './two-tabs';

const dir = mkdtempSync(join(tmpdir(), 'statelab-two-tabs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type CartWrites = 'update' | 'get-then-set';

/** Two server processes over `storeUrl` that change carts this way, and their own catalogue. */
async function shop(label: string, storeUrl: string, cartWrites: CartWrites) {
  const catalogFile = join(dir, `catalog-${label}.sqlite`);
  const catalog = openCatalog(catalogFile);
  const cluster = await startProcessCluster({
    size: 2,
    policy: roundRobin(),
    catalogFile,
    storeUrl,
    cartWrites,
  });
  return {
    // Users named after the shop and the seed: one store may serve several shops and seeds.
    run: (seed: number) =>
      twoTabsUnderChaos(cluster, {
        ...RUN,
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
type Shop = Awaited<ReturnType<typeof shop>>;

function expectAtomicHolds(run: TwoTabsRun) {
  expect(run.kills).toBeGreaterThan(0);
  expect(run.together).toBeGreaterThan(10);
  expect(run.audit.writesAcknowledged).toBeGreaterThan(40);
  expect(run.audit).toMatchObject({ acknowledgedLost: 0, failedApplied: 0 });
  expect(run.audit.sameOnEveryServer).toBe(RUN.users);
}

/** Both shops, one seed: the atomic one loses nothing, the naive one loses, same kills. */
async function sameSeed(atomicShop: Shop, naiveShop: Shop, seed: number) {
  const atomic = await atomicShop.run(seed);
  expectAtomicHolds(atomic);
  const naive = await naiveShop.run(seed);
  expect(naive.kills).toBe(atomic.kills);
  expect(naive.audit.acknowledgedLost).toBeGreaterThan(0);
}

describe('two tabs, SIGKILLs, SQLite shared by two server processes', () => {
  const shops: Shop[] = [];
  beforeAll(async () => {
    const storeUrl = `sqlite:${join(dir, 'state.sqlite')}`;
    shops.push(await shop('sqlite-a', storeUrl, 'update'));
    shops.push(await shop('sqlite-n', storeUrl, 'get-then-set'));
  });
  afterAll(async () => {
    for (const s of shops) await s.stop();
  });

  it.each(SEEDS)(
    'seed %i: update() loses no acknowledged add; get-then-set loses some',
    async (seed) => sameSeed(shops[0], shops[1], seed),
  );
});

const gate = redisTestGate();
describe.runIf(gate.run)('two tabs, SIGKILLs, Redis shared by two server processes', () => {
  let redis: RunningRedis;
  const shops: Shop[] = [];
  beforeAll(async () => {
    redis = await startRedis();
    shops.push(await shop('redis-a', redis.url, 'update'));
    shops.push(await shop('redis-n', redis.url, 'get-then-set'));
  });
  afterAll(async () => {
    for (const s of shops) await s.stop();
    await redis?.stop();
  });

  it.each(SEEDS)(
    'seed %i: update() loses no acknowledged add; get-then-set loses some',
    async (seed) => sameSeed(shops[0], shops[1], seed),
  );
});
it.runIf(gate.failure !== undefined)('Redis must run in CI', () => {
  throw new Error(gate.failure);
});
