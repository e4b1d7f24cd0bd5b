import { describe, expect, it } from 'vitest';
import { auditCarts } from './cart-audit';
import type { HistoryRecord } from './history';

const add = (
  user: string,
  productId: number,
  outcome: HistoryRecord['outcome'] = 'ok',
  status = outcome === 'ok' ? 200 : outcome === 'fail' ? 503 : 0,
): HistoryRecord => ({ user, op: 'add', productId, outcome, status });

describe('auditCarts: the cart writes against what the shop holds at the end', () => {
  it('counts writes by outcome, and an acknowledged item held nowhere as lost', () => {
    const history = [add('ann', 1), add('ann', 2), add('ann', 3, 'fail'), add('ann', 4, 'unknown')];
    const audit = auditCarts(history, [
      // product 1 was ordered, 2 vanished, 3 (failed) is nowhere, 4 (unknown) did happen
      { user: 'ann', ordered: [{ productId: 1, qty: 1 }], carts: [[{ productId: 4, qty: 1 }]] },
    ]);
    expect(audit).toEqual({
      users: 1,
      writesAcknowledged: 2,
      writesFailed: 1,
      writesUnknown: 1,
      acknowledgedLost: 1,
      unknownApplied: 1,
      failedApplied: 0,
      sameOnEveryServer: 1,
      unknownToSomeServer: 0,
    });
  });

  it('a failed write that is held anyway is failedApplied: the client was wrong', () => {
    const audit = auditCarts(
      [add('bob', 5, 'fail')],
      [{ user: 'bob', ordered: [], carts: [[{ productId: 5, qty: 1 }]] }],
    );
    expect(audit).toMatchObject({ writesFailed: 1, failedApplied: 1 });
  });

  it('reads every server: a cart on one and a 401 on another is not the same everywhere', () => {
    const line = { productId: 1, qty: 1 };
    const audit = auditCarts(
      [add('cy', 1), add('di', 1)],
      [
        { user: 'cy', ordered: [], carts: [[line], undefined] },
        { user: 'di', ordered: [], carts: [[line], [line]] },
      ],
    );
    expect(audit).toMatchObject({
      users: 2,
      acknowledgedLost: 0,
      sameOnEveryServer: 1,
      unknownToSomeServer: 1,
    });
  });
});
