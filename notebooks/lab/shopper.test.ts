import { describe, expect, it } from 'vitest';
import { noLosses, understand, type Belief } from './shopper';

const shopper = (cartItems = 0): Belief => ({ loggedIn: true, cartItems, next: 0 });

describe('understand: what one answer teaches a shopper', () => {
  it('an acknowledged add is an item the shopper is sure of', () => {
    const belief = shopper();
    understand(belief, noLosses(), 'add', 'ok', { status: 200 });
    expect(belief.cartItems).toBe(1);
  });

  it('an unknown add is not counted, and a cart that shows it later is adopted without a loss', () => {
    const belief = shopper(1);
    const losses = noLosses();
    understand(belief, losses, 'add', 'unknown', { status: 502 });
    expect(belief.cartItems).toBe(1);
    understand(belief, losses, 'cart', 'ok', { status: 200, body: { items: [{ qty: 2 }] } });
    expect(belief.cartItems).toBe(2);
    expect(losses).toEqual({ forcedLogins: 0, lostCartItems: 0, failed: 0, unknown: 1 });
  });

  it('after an unknown checkout an empty cart is no loss: the order may have been placed', () => {
    const belief = shopper(2);
    const losses = noLosses();
    understand(belief, losses, 'checkout', 'unknown', { status: 0 });
    understand(belief, losses, 'cart', 'ok', { status: 200, body: { items: [] } });
    expect(losses.lostCartItems).toBe(0);
  });

  it('a cart that shows fewer items than were acknowledged lost the difference', () => {
    const belief = shopper(2);
    const losses = noLosses();
    understand(belief, losses, 'cart', 'ok', { status: 200, body: { items: [{ qty: 1 }] } });
    expect(losses.lostCartItems).toBe(1);
  });

  it('a 401 is a forced login that loses the cart; it is a rejection, not a failed request', () => {
    const belief = shopper(2);
    const losses = noLosses();
    const lesson = understand(belief, losses, 'cart', 'fail', { status: 401 });
    expect(lesson).toEqual({ forcedLogin: true, lostItems: 2, ordered: false });
    expect(belief).toEqual({ loggedIn: false, cartItems: 0, next: 0 });
    expect(losses).toEqual({ forcedLogins: 1, lostCartItems: 2, failed: 0, unknown: 0 });
  });

  it('a request that never reached the shop is a failure and changes no belief', () => {
    const belief = shopper(2);
    const losses = noLosses();
    understand(belief, losses, 'checkout', 'fail', { status: 503 });
    understand(belief, losses, 'add', 'fail', { status: 0 });
    expect(belief.cartItems).toBe(2);
    expect(losses).toEqual({ forcedLogins: 0, lostCartItems: 0, failed: 2, unknown: 0 });
  });
});
