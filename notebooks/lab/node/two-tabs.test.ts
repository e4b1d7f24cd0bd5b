// The concurrent-user nemesis on the embedded shared store: users in two tabs, two in-process
// servers sharing one memoryStore(), servers killed mid-round by a seeded schedule. The shop's
// atomic update() loses no acknowledged add on any seed; on the same seeds (same users, same
// kills), a store whose update() is a get, a pause and a set loses some, so the test can fail.
// (two-tabs-processes.test.ts: the same with SQLite and Redis across server processes.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { TWO_TABS_SEEDS as SEEDS } from './two-tabs';
import { startTwoTabsShop, type TwoTabsShop } from './two-tabs-shops';
import { expectUpdateHoldsAndNaiveLoses } from './two-tabs.verdict';

const dir = mkdtempSync(join(tmpdir(), 'statelab-two-tabs-memory-'));
const shops: TwoTabsShop[] = [];
beforeAll(async () => {
  shops.push(await startTwoTabsShop({ store: 'memory', cartWrites: 'update', label: 'u', dir }));
  shops.push(
    await startTwoTabsShop({ store: 'memory', cartWrites: 'get-then-set', label: 'g', dir }),
  );
});
afterAll(async () => {
  for (const shop of shops) await shop.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('two tabs, random kills, one shared in-process store', () => {
  it.each(SEEDS)(
    'seed %i: update() loses no acknowledged add; get-then-set loses some',
    async (seed) =>
      expectUpdateHoldsAndNaiveLoses(await shops[0].run(seed), await shops[1].run(seed)),
  );
});
