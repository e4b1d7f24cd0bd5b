// The concurrent-user nemesis across server processes: users in two tabs, two shop processes over
// one SQLite file or one Redis, processes SIGKILLed mid-round by a seeded schedule and restarted.
// The shop's atomic update() loses no acknowledged add on any seed; processes whose update() is a
// get, a pause and a set lose some on the same seeds (same users, same kills), so it can fail.
// Per store, one shop of each kind serves every seed (a process start costs about a second):
// each run's users have names of their own, so carts and orders never mix.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { redisTestGate, startRedis, type RunningRedis } from './redis-server';
import { TWO_TABS_SEEDS as SEEDS } from './two-tabs';
import { startTwoTabsShop, type TwoTabsShop } from './two-tabs-shops';
import { expectUpdateHoldsAndNaiveLoses } from './two-tabs.verdict';

const dir = mkdtempSync(join(tmpdir(), 'statelab-two-tabs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An atomic shop and a naive one over `store`, for every test of the describe it is called in. */
function bothShops(label: string, store: () => string) {
  const shops: TwoTabsShop[] = [];
  beforeAll(async () => {
    shops.push(
      await startTwoTabsShop({ store: store(), cartWrites: 'update', label: `${label}u`, dir }),
    );
    shops.push(
      await startTwoTabsShop({
        store: store(),
        cartWrites: 'get-then-set',
        label: `${label}g`,
        dir,
      }),
    );
  });
  afterAll(async () => {
    for (const shop of shops) await shop.stop();
  });
  return shops;
}

describe('two tabs, SIGKILLs, SQLite shared by two server processes', () => {
  const shops = bothShops('sqlite', () => `sqlite:${join(dir, 'state.sqlite')}`);
  it.each(SEEDS)(
    'seed %i: update() loses no acknowledged add; get-then-set loses some',
    async (seed) =>
      expectUpdateHoldsAndNaiveLoses(await shops[0].run(seed), await shops[1].run(seed)),
  );
});

const gate = redisTestGate();
describe.runIf(gate.run)('two tabs, SIGKILLs, Redis shared by two server processes', () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  const shops = bothShops('redis', () => redis.url);
  it.each(SEEDS)(
    'seed %i: update() loses no acknowledged add; get-then-set loses some',
    async (seed) =>
      expectUpdateHoldsAndNaiveLoses(await shops[0].run(seed), await shops[1].run(seed)),
  );
});
