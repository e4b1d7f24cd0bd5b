// runRounds' timeline: what each round of a run cost the users, recorded where the rounds run, on
// a real stateful cluster that loses a server mid-run.
import { afterEach, expect, it } from 'vitest';
import { openCatalog } from './sqlite-catalog';
import { startCluster, type Cluster } from './cluster';
import { stickyCookie } from '../core/policies';
import { lossTimeline } from '../core/round-losses';
import { createUsers, runRounds, summarize } from './workload';

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

it('records each round’s losses: none before the kill, then the pinned users’ logins and items', async () => {
  // Checks a busy machine cannot fail (2 s, not 500 ms): the test counts what the kill cost.
  cluster = await startCluster({
    size: 3,
    policy: stickyCookie(),
    catalog: openCatalog(),
    healthTimeoutMs: 2_000,
  });
  const users = createUsers(40, cluster.lb.url, 1);
  await runRounds(users, { rounds: 1 }); // everyone logged in: before the timeline starts
  const timeline = lossTimeline();
  let pinned = 0;
  await runRounds(users, {
    rounds: 11,
    timeline,
    beforeRound: async (round) => {
      if (round !== 3) return;
      pinned = users.filter((u) => u.pinnedTo === 'app-1').length;
      await cluster!.kill('app-1');
    },
  });
  const { rounds } = timeline;
  expect(rounds.map((r) => r.round)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  expect(pinned).toBeGreaterThan(0);
  const before = rounds.slice(0, 3);
  expect(before.map((r) => [r.forcedLogins, r.lostCartItems])).toEqual([
    [0, 0],
    [0, 0],
    [0, 0],
  ]);
  const sum = (key: 'forcedLogins' | 'lostCartItems') => rounds.reduce((n, r) => n + r[key], 0);
  // Each pinned user: one 401 when app-1 is gone, one item found missing at the next look.
  expect([sum('forcedLogins'), sum('lostCartItems')]).toEqual([pinned, pinned]);
  const total = summarize(users);
  expect([sum('forcedLogins'), sum('lostCartItems')]).toEqual([
    total.forcedLogins,
    total.lostCartItems,
  ]);
  // A loss is counted when the user learns of it: the logins come before the items.
  const first = (key: 'forcedLogins' | 'lostCartItems') => rounds.find((r) => r[key] > 0)!.round;
  expect(first('forcedLogins')).toBeGreaterThanOrEqual(3);
  expect(first('lostCartItems')).toBeGreaterThan(first('forcedLogins'));
});
