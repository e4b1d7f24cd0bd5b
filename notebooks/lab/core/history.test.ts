import { describe, expect, it } from 'vitest';
import { checkHistory, learn, newShopper, stepsOf, type HistoryRecord } from './history';
import { JOURNEY } from './journey';

const rec = (user: string, fields: Partial<HistoryRecord> & Pick<HistoryRecord, 'op'>) =>
  ({ user, outcome: 'ok', status: 200, ...fields }) as HistoryRecord;

/** Ann logs in, adds twice, is sure of 2 items; the shop orders only 1 of them. */
const ann: HistoryRecord[] = [
  rec('ann', { op: 'login' }),
  rec('ann', { op: 'browse', productId: 1 }),
  rec('ann', { op: 'add', productId: 2 }),
  rec('ann', { op: 'browse', productId: 3 }),
  rec('ann', { op: 'add', productId: 4 }),
  rec('ann', { op: 'cart', items: 2 }),
  rec('ann', { op: 'checkout', status: 201, items: 1 }),
];
/** Bob's second add comes back 503 from the lb: certainly not applied. */
const bob: HistoryRecord[] = [
  rec('bob', { op: 'login' }),
  rec('bob', { op: 'browse', productId: 1 }),
  rec('bob', { op: 'add', productId: 1, outcome: 'fail', status: 503 }),
];

describe('checkHistory: the one checker over the history', () => {
  it('replays each user on their own, however their records interleave', () => {
    const mixed = ann.flatMap((r, i) => (bob[i] ? [r, bob[i]] : [r]));
    const { users, totals } = checkHistory(mixed);
    expect(users.get('ann')?.losses).toEqual({
      forcedLogins: 0,
      lostCartItems: 1, // a short order: 2 acknowledged, 1 ordered
      failed: 0,
      unknown: 0,
    });
    expect(users.get('bob')?.losses.failed).toBe(1);
    expect(totals).toEqual({
      forcedLogins: 0,
      lostCartItems: 1,
      failed: 1,
      unknown: 0,
      orders: 1,
      requests: ann.length + bob.length,
    });
  });

  it('is the fold users run as they go: learn() step by step ends where checkHistory ends', () => {
    const shopper = newShopper();
    for (const step of stepsOf(ann)) learn(shopper, step);
    expect(checkHistory(ann).users.get('ann')).toEqual(shopper);
    expect(shopper.next).toBe(0); // a whole journey: back at its start
    expect(JOURNEY).toHaveLength(ann.length - 1);
  });

  it('a 401 is a forced login: the journey starts again after the next login', () => {
    const { users } = checkHistory([
      rec('cy', { op: 'login' }),
      rec('cy', { op: 'browse' }),
      rec('cy', { op: 'add', productId: 1 }),
      rec('cy', { op: 'browse', outcome: 'fail', status: 401 }),
    ]);
    // Still sure of the acknowledged item: a 401 shows no cart, so it proves none lost yet.
    expect(users.get('cy')).toMatchObject({ loggedIn: false, next: 0, cartItems: 1 });
    expect(users.get('cy')?.losses).toMatchObject({ forcedLogins: 1, lostCartItems: 0 });
  });

  it('two records sent together are one step, read together (understandTogether)', () => {
    const together = { together: true } as const;
    const history = [
      rec('di', { op: 'login' }),
      rec('di', { op: 'browse' }),
      rec('di', { op: 'add', productId: 1, ...together }),
      rec('di', { op: 'add', productId: 2, ...together }),
      rec('di', { op: 'browse' }),
      rec('di', { op: 'add', productId: 3, ...together }),
      rec('di', { op: 'add', productId: 4, ...together }),
    ];
    expect(stepsOf(history).map((step) => step.length)).toEqual([1, 1, 2, 1, 2]);
    const di = checkHistory(history).users.get('di');
    expect(di?.cartItems).toBe(4);
    expect(di?.next).toBe(JOURNEY.indexOf('cart')); // each pair moved the journey on once
  });
});
