// The verdict on one seed of the two-tab nemesis, for two-tabs.test.ts and
// two-tabs-processes.test.ts: the shop's update() lost nothing, the get-then-set shop lost some.
import { expect } from 'vitest';
import { TWO_TABS_RUN, type TwoTabsRun } from './two-tabs';

/** Every seed's checks: the atomic run lost nothing, the naive one lost, under the same kills. */
export function expectUpdateHoldsAndNaiveLoses(atomic: TwoTabsRun, naive: TwoTabsRun) {
  expect(atomic.kills).toBeGreaterThan(0);
  expect(atomic.together).toBeGreaterThan(10);
  expect(atomic.audit.writesAcknowledged).toBeGreaterThan(40);
  expect(atomic.audit).toMatchObject({ acknowledgedLost: 0, failedApplied: 0 });
  expect(atomic.audit.sameOnEveryServer).toBe(TWO_TABS_RUN.users);
  expect(naive.kills).toBe(atomic.kills);
  expect(naive.audit.acknowledgedLost).toBeGreaterThan(0);
}
