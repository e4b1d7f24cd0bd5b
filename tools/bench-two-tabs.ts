// Lost updates for `npm run bench` (issue 11): users in two tabs (an add sent at the same moment
// as another add or a checkout), two shop servers, a server killed mid-round by a seeded schedule
// (two-tabs.ts), on every home of the carts: one shared memoryStore() in this process, one SQLite
// file shared by two server processes, one Redis shared by two server processes (when
// redis-server is installed). Each with the shop's atomic update() and with a get and then a set.
// Bounded: TWO_TABS_SEEDS × TWO_TABS_RUN (users, rounds) per shop. Figures, not assertions (the
// tests assert: two-tabs.test.ts, two-tabs-processes.test.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisAvailability, startRedis } from '../notebooks/lab/node/redis-server';
import { TWO_TABS_RUN, TWO_TABS_SEEDS, type TwoTabsRun } from '../notebooks/lab/node/two-tabs';
import { startTwoTabsShop, type CartWrites } from '../notebooks/lab/node/two-tabs-shops';

const WAYS: readonly CartWrites[] = ['update', 'get-then-set'];

export interface LostUpdateFigures {
  store: string;
  cartWrites: CartWrites;
  /** Summed over the seeds. */
  acknowledged: number;
  lost: number;
  together: number;
  kills: number;
  unknownWrites: number;
  /** Seeds on which at least one acknowledged add was lost. */
  seedsWithLoss: number;
  seconds: number;
}

/** Every seed on one shop; the sums. */
async function runShop(
  store: string,
  label: string,
  storeUrl: string,
  cartWrites: CartWrites,
  dir: string,
) {
  const started = performance.now();
  const shop = await startTwoTabsShop({ store: storeUrl, cartWrites, label, dir });
  const runs: TwoTabsRun[] = [];
  try {
    for (const seed of TWO_TABS_SEEDS) runs.push(await shop.run(seed));
  } finally {
    await shop.stop();
  }
  const sum = (pick: (r: TwoTabsRun) => number) => runs.reduce((n, r) => n + pick(r), 0);
  return {
    store,
    cartWrites,
    acknowledged: sum((r) => r.audit.writesAcknowledged),
    lost: sum((r) => r.audit.acknowledgedLost),
    together: sum((r) => r.together),
    kills: sum((r) => r.kills),
    unknownWrites: sum((r) => r.audit.writesUnknown),
    seedsWithLoss: runs.filter((r) => r.audit.acknowledgedLost > 0).length,
    seconds: (performance.now() - started) / 1000,
  };
}

/** The bench section: one line per store and way of writing the cart. */
export async function reportLostUpdates(log: (line: string) => void = console.log) {
  const { users, rounds, killProbability } = TWO_TABS_RUN;
  log(
    `  ${users} users in two tabs, 2 servers, ${rounds} rounds, kill probability ${killProbability}, seeds ${TWO_TABS_SEEDS.join(' ')}`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'statelab-bench-two-tabs-'));
  const redis = redisAvailability();
  const redisServer = redis.available ? await startRedis() : undefined;
  const homes: [string, string, string][] = [
    ['shared memoryStore, in process', 'm', 'memory'],
    ['SQLite file, 2 processes', 's', `sqlite:${join(dir, 'state.sqlite')}`],
  ];
  if (redisServer) homes.push(['Redis, 2 processes', 'r', redisServer.url]);
  try {
    for (const [store, label, storeUrl] of homes) {
      for (const cartWrites of WAYS) {
        const f = await runShop(store, `${label}${cartWrites[0]}`, storeUrl, cartWrites, dir);
        log(
          `  ${f.store.padEnd(31)} ${f.cartWrites.padEnd(13)} lost ${String(f.lost).padStart(3)} of ${String(f.acknowledged).padStart(3)} acknowledged adds` +
            ` (${f.seedsWithLoss} of ${TWO_TABS_SEEDS.length} seeds)   ${f.together} times two at once, ${f.kills} kills, ${f.unknownWrites} unknown adds   ${f.seconds.toFixed(1)} s`,
        );
      }
    }
    if (!redisServer) log(`  Redis skipped: ${redis.why}`);
  } finally {
    await redisServer?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
