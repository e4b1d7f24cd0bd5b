import { describe, expect, it } from 'vitest';
import { SAMPLE_PRODUCT_COUNT as N } from './catalog';
import { JOURNEY, nextStep, userRandom } from './journey';
import type { Random } from './random';
import type { Belief } from './shopper';

const at = (next: number, loggedIn = true): Belief => ({ loggedIn, cartItems: 0, next });

/** A Random that hands out these numbers in turn, and says what was asked of it. */
function scripted(values: number[]): Random & { asked: string[] } {
  const asked: string[] = [];
  const take = () => values.shift() ?? 0;
  return {
    asked,
    next: () => (asked.push('next'), take()),
    int: (n) => (asked.push(`int(${n})`), Math.floor(take() * n)),
    pick: (items) => items[0],
    shuffle: (items) => [...items],
  };
}

describe('nextStep: the journey as a generator of operations', () => {
  it('a logged-out shopper logs in, drawing nothing', () => {
    const random = scripted([]);
    expect(nextStep(at(3, false), random, 2)).toEqual([{ op: 'login' }]);
    expect(random.asked).toEqual([]);
  });

  it('follows the journey; a browse and an add draw their product, the others draw nothing', () => {
    const random = userRandom(1, 0);
    const ops = JOURNEY.map((_, next) => nextStep(at(next), random));
    expect(ops.map((step) => step.map((p) => p.op))).toEqual(JOURNEY.map((op) => [op]));
    for (const [planned] of ops) {
      expect(planned.productId !== undefined).toBe(planned.op === 'browse' || planned.op === 'add');
    }
  });

  it('two tabs: first whether the other tab joins in, then one product per add, in order', () => {
    const random = scripted([0.1, 0.2, 0.7]);
    const step = nextStep(at(JOURNEY.indexOf('add')), random, 2);
    expect(random.asked).toEqual(['next', `int(${N})`, `int(${N})`]);
    expect(step.map((p) => p.op)).toEqual(['add', 'add']);
    expect(step.map((p) => p.productId)).toEqual([
      1 + Math.floor(0.2 * N),
      1 + Math.floor(0.7 * N),
    ]);
  });

  it('one tab never draws for the other tab', () => {
    const random = scripted([0.1]);
    expect(nextStep(at(JOURNEY.indexOf('checkout')), random, 1)).toEqual([{ op: 'checkout' }]);
    expect(random.asked).toEqual([]);
  });

  it('the same seed and index give the same operations; another index, others', () => {
    const plan = (index: number) => {
      const random = userRandom(7, index);
      return Array.from({ length: 30 }, (_, i) => nextStep(at(i % JOURNEY.length), random, 2));
    };
    expect(plan(0)).toEqual(plan(0));
    expect(plan(0)).not.toEqual(plan(1));
  });
});
