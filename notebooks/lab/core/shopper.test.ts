import { describe, expect, it } from 'vitest';
import { CHECKOUT_RUNNING } from './cart';
import { EMPTY_CART } from './shop-rules';
import {
  noLosses,
  reportedIn,
  understand,
  understandTogether,
  type Answered,
  type Belief,
  type Operation,
} from './shopper';
import type { Outcome } from './outcomes';

const shopper = (cartItems = 0): Belief => ({ loggedIn: true, cartItems, next: 0 });
/** An answer as a history records it: the body read down to what the shopper needs. */
const heard = (
  op: Operation,
  outcome: Outcome,
  answer: { status: number; body?: unknown },
): Answered => ({
  op,
  outcome,
  status: answer.status,
  ...reportedIn(op, answer.status, answer.body),
});

describe('understand: what one answer teaches a shopper', () => {
  it('an acknowledged add is an item the shopper is sure of', () => {
    const belief = shopper();
    understand(belief, noLosses(), heard('add', 'ok', { status: 200 }));
    expect(belief.cartItems).toBe(1);
  });

  it('an unknown add is not counted, and a cart that shows it later is adopted without a loss', () => {
    const belief = shopper(1);
    const losses = noLosses();
    understand(belief, losses, heard('add', 'unknown', { status: 502 }));
    expect(belief.cartItems).toBe(1);
    understand(belief, losses, heard('cart', 'ok', { status: 200, body: { items: [{ qty: 2 }] } }));
    expect(belief.cartItems).toBe(2);
    expect(losses).toEqual({ forcedLogins: 0, lostCartItems: 0, failed: 0, unknown: 1 });
  });

  it('after an unknown checkout an empty cart is no loss: the order may have been placed', () => {
    const belief = shopper(2);
    const losses = noLosses();
    understand(belief, losses, heard('checkout', 'unknown', { status: 0 }));
    understand(belief, losses, heard('cart', 'ok', { status: 200, body: { items: [] } }));
    expect(losses.lostCartItems).toBe(0);
  });

  it('a cart that shows fewer items than were acknowledged lost the difference', () => {
    const belief = shopper(2);
    const losses = noLosses();
    understand(belief, losses, heard('cart', 'ok', { status: 200, body: { items: [{ qty: 1 }] } }));
    expect(losses.lostCartItems).toBe(1);
  });

  it('a 401 is a forced login, a rejection, not a failed request; it shows no cart, so it loses none yet', () => {
    const belief = shopper(2);
    const losses = noLosses();
    const lesson = understand(belief, losses, heard('cart', 'fail', { status: 401 }));
    expect(lesson).toEqual({ forcedLogin: true, lostItems: 0, ordered: false });
    expect(belief).toEqual({ loggedIn: false, cartItems: 2, next: 0 });
    expect(losses).toEqual({ forcedLogins: 1, lostCartItems: 0, failed: 0, unknown: 0 });
  });

  it('after a 401, the next look at the cart tells: kept on the server that knew them, or lost', () => {
    // Logged in again on the server that still holds the cart (carts are kept per user): nothing lost.
    const kept = shopper(2);
    const keptLosses = noLosses();
    understand(kept, keptLosses, heard('cart', 'fail', { status: 401 }));
    understand(kept, keptLosses, heard('login', 'ok', { status: 200 }));
    understand(kept, keptLosses, heard('add', 'ok', { status: 200 }));
    understand(
      kept,
      keptLosses,
      heard('cart', 'ok', { status: 200, body: { items: [{ qty: 3 }] } }),
    );
    expect(keptLosses).toEqual({ forcedLogins: 1, lostCartItems: 0, failed: 0, unknown: 0 });
    // Logged in again on a server that never had it: the two acknowledged items are lost, once.
    const lost = shopper(2);
    const lostLosses = noLosses();
    understand(lost, lostLosses, heard('cart', 'fail', { status: 401 }));
    understand(lost, lostLosses, heard('login', 'ok', { status: 200 }));
    understand(lost, lostLosses, heard('add', 'ok', { status: 200 }));
    understand(
      lost,
      lostLosses,
      heard('cart', 'ok', { status: 200, body: { items: [{ qty: 1 }] } }),
    );
    understand(
      lost,
      lostLosses,
      heard('cart', 'ok', { status: 200, body: { items: [{ qty: 1 }] } }),
    );
    expect(lostLosses).toEqual({ forcedLogins: 1, lostCartItems: 2, failed: 0, unknown: 0 });
  });

  it('a request that never reached the shop is a failure and changes no belief', () => {
    const belief = shopper(2);
    const losses = noLosses();
    understand(belief, losses, heard('checkout', 'fail', { status: 503 }));
    understand(belief, losses, heard('add', 'fail', { status: 0 }));
    expect(belief.cartItems).toBe(2);
    expect(losses).toEqual({ forcedLogins: 0, lostCartItems: 0, failed: 2, unknown: 0 });
  });

  it('a checkout refused as empty lost what the shopper was sure of; one refused as running lost nothing', () => {
    const belief = shopper(2);
    const losses = noLosses();
    understand(belief, losses, heard('checkout', 'fail', CHECKOUT_RUNNING));
    expect([belief.cartItems, losses.lostCartItems]).toEqual([2, 0]);
    understand(belief, losses, heard('checkout', 'fail', EMPTY_CART));
    expect([belief.cartItems, losses.lostCartItems]).toEqual([0, 2]);
  });
});

describe('understandTogether: two requests sent at once, from two tabs', () => {
  const add = heard('add', 'ok', { status: 200 });
  const order = (qtys: number[]) =>
    heard('checkout', 'ok', { status: 201, body: { lines: qtys.map((qty) => ({ qty })) } });

  it('two acknowledged adds are two more items', () => {
    const belief = shopper(1);
    understandTogether(belief, noLosses(), [add, add]);
    expect(belief.cartItems).toBe(3);
  });

  it('an add beside a checkout: the order must hold what came before; the add is in the order or the cart', () => {
    for (const answers of [
      [add, order([1, 1, 1])], // the add landed before the checkout read the cart
      [order([1, 1]), add], // or after: it waits in the emptied cart
    ]) {
      const belief = shopper(2);
      const losses = noLosses();
      const lessons = understandTogether(belief, losses, answers);
      expect(losses.lostCartItems).toBe(0);
      expect(belief.cartItems).toBe(0); // sure of neither place: a lower bound
      expect(lessons.map((l) => l.ordered)).toEqual(answers.map((a) => a.op === 'checkout'));
    }
  });

  it('an order missing an item the shopper was sure of before both were sent is a loss', () => {
    const losses = noLosses();
    understandTogether(shopper(2), losses, [order([1]), add]);
    expect(losses.lostCartItems).toBe(1);
  });
});
