import { describe, expect, it } from 'vitest';
import { seededRandom } from './random';

const take = (seed: number, n: number) => {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => random.next());
};

describe('seededRandom', () => {
  it('gives the same sequence for the same seed', () => {
    expect(take(42, 20)).toEqual(take(42, 20));
  });

  it('gives a different sequence for a different seed', () => {
    expect(take(1, 20)).not.toEqual(take(2, 20));
  });

  it('stays within [0, 1) and spreads over the range', () => {
    const values = take(7, 10_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const low = values.filter((v) => v < 0.5).length;
    expect(low).toBeGreaterThan(4_700);
    expect(low).toBeLessThan(5_300);
  });

  it('draws whole numbers below the limit and refuses a limit of zero', () => {
    const random = seededRandom(3);
    const seen = new Set(Array.from({ length: 200 }, () => random.int(4)));
    expect([...seen].sort()).toEqual([0, 1, 2, 3]);
    expect(() => random.int(0)).toThrow(RangeError);
  });

  it('picks from a list and refuses an empty one', () => {
    const random = seededRandom(5);
    expect(['a', 'b', 'c']).toContain(random.pick(['a', 'b', 'c']));
    expect(() => random.pick([])).toThrow(RangeError);
  });

  it('shuffles a copy, keeping every item, the same way for the same seed', () => {
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    const shuffled = seededRandom(9).shuffle(items);
    expect(items).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...shuffled].sort()).toEqual(items);
    expect(seededRandom(9).shuffle(items)).toEqual(shuffled);
  });
});
