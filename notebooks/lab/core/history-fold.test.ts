// The one-fold promise of history.ts, over histories nobody wrote by hand: users step as the lab's
// do (nextStep plans one request or two together, learn() folds each step as it comes back), the
// answers are drawn at random from everything the shop and the lb can say (401 mid-journey and
// inside a pair, unknown checkouts, 409 empty cart and 409 checkout running, 503 not forwarded, a
// short cart, a short order), and several users' records interleave in one history. The checker
// must rebuild every user exactly as they folded themselves. Unlike history.test.ts's fold test,
// the users here never call stepsOf(): they fold the steps they planned, so a checker that cut the
// history into steps differently would disagree.
import { describe, expect, it } from 'vitest';
import {
  checkHistory,
  learn,
  newShopper,
  totalOf,
  type HistoryRecord,
  type Shopper,
} from './history';
import { nextStep, userRandom, type Planned } from './journey';
import { seededRandom, type Random } from './random';
import type { Operation } from './shopper';

type Answer = Pick<HistoryRecord, 'outcome' | 'status' | 'items' | 'emptyCart'>;

/** Everything an answer to `op` can be, as the lab's users record it. */
function answers(op: Operation, random: Random): Answer[] {
  const items = random.int(5);
  const common: Answer[] = [
    { outcome: 'fail', status: 503 }, // no healthy server: not forwarded
    { outcome: 'fail', status: 0 }, // connection refused
    { outcome: 'unknown', status: 0 }, // cut, or no answer in time
    { outcome: 'unknown', status: 502 }, // a 5xx from a server that had it
  ];
  const forgotten: Answer = { outcome: 'fail', status: 401 };
  switch (op) {
    case 'login':
      return [...common, { outcome: 'ok', status: 200 }, { outcome: 'ok', status: 200 }];
    case 'browse':
      return [
        ...common,
        forgotten,
        { outcome: 'ok', status: 200 },
        { outcome: 'fail', status: 404 },
      ];
    case 'add':
      return [...common, forgotten, { outcome: 'ok', status: 200 }, { outcome: 'ok', status: 200 }];
    case 'cart':
      return [...common, forgotten, { outcome: 'ok', status: 200, items }];
    case 'checkout':
      return [
        ...common,
        forgotten,
        { outcome: 'ok', status: 201, items },
        { outcome: 'fail', status: 409, emptyCart: true },
        { outcome: 'fail', status: 409 }, // another checkout of this cart is running
      ];
  }
}

interface Run {
  history: HistoryRecord[];
  folded: Map<string, Shopper>;
  checkouts201: Map<string, number>;
}

/** `users` users in `tabs` tabs take `steps` steps between them, in a random order. */
function randomRun(seed: number, users: number, steps: number, tabs: 1 | 2): Run {
  const world = seededRandom(seed);
  const names = Array.from({ length: users }, (_, i) => `u${i}`);
  const folded = new Map(names.map((n) => [n, newShopper()]));
  const streams = new Map(names.map((n, i) => [n, userRandom(seed, i)]));
  const checkouts201 = new Map(names.map((n) => [n, 0]));
  const history: HistoryRecord[] = [];
  for (let s = 0; s < steps; s++) {
    const user = world.pick(names);
    const shopper = folded.get(user)!;
    const planned: Planned[] = nextStep(shopper, streams.get(user)!, tabs);
    const records = planned.map(({ op, productId }): HistoryRecord => {
      const record: HistoryRecord = { user, op, ...world.pick(answers(op, world)) };
      if (productId !== undefined) record.productId = productId;
      if (planned.length > 1) record.together = true;
      if (op === 'checkout' && record.status === 201)
        checkouts201.set(user, checkouts201.get(user)! + 1);
      return record;
    });
    learn(shopper, records); // as node/users.ts and sim-users.ts do, with the step as planned
    history.push(...records);
  }
  return { history, folded, checkouts201 };
}

describe('the checker over random histories: one fold with the users’ own', () => {
  const cases = [
    { tabs: 1 as const, seeds: 150 },
    { tabs: 2 as const, seeds: 150 },
  ];
  for (const { tabs, seeds } of cases) {
    it(`${tabs} tab(s), ${seeds} seeded histories: checkHistory rebuilds every user exactly`, () => {
      let pairs = 0;
      let forced = 0;
      for (let seed = 1; seed <= seeds; seed++) {
        const { history, folded, checkouts201 } = randomRun(seed, 3, 80, tabs);
        const checked = checkHistory(history);
        expect(checked.users, `seed ${seed}`).toEqual(folded);
        expect(checked.totals).toEqual(totalOf([...folded.values()], history.length));
        for (const [name, shopper] of folded) {
          expect(shopper.cartItems).toBeGreaterThanOrEqual(0);
          expect(shopper.orders).toBe(checkouts201.get(name));
        }
        pairs += history.filter((r) => r.together).length / 2;
        forced += checked.totals.forcedLogins;
      }
      // The histories reached what they were written for: pairs (with two tabs) and 401s.
      if (tabs === 2) expect(pairs).toBeGreaterThan(100);
      else expect(pairs).toBe(0);
      expect(forced).toBeGreaterThan(100);
    });
  }
});
