// The user journey as a generator of operations: given what a shopper believes and their own
// random stream, the next request(s) to send. The lab's users over HTTP (node/users.ts) and the
// browser simulator (sim-users.ts) both plan here, and draw their random numbers here in one
// fixed order, so the same seed gives the same operations in both (node/sim-vs-servers.test.ts).
// State: none of its own; the belief moves on as the history is folded (history.ts).
import { SAMPLE_PRODUCT_COUNT } from './catalog';
import { seededRandom, type Random } from './random';
import type { Belief, Operation } from './shopper';

/** After logging in: browse → add → browse → add → look at the cart → check out, again. */
export const JOURNEY: readonly Operation[] = ['browse', 'add', 'browse', 'add', 'cart', 'checkout'];

/** A shopper in two tabs: the chance that the other tab sends an add at the same moment as the
 *  journey's add or checkout. */
export const OTHER_TAB_CHANCE = 0.5;

/** One request the shopper means to send: the product is picked before it is sent. */
export interface Planned {
  op: Operation;
  /** The product a browse looks at or an add puts in the cart. */
  productId?: number;
}

/**
 * The shopper's next step: a login when they believe they are logged out, else the journey's
 * next operation, and, for a shopper in two tabs, now and then an add from the other tab at the
 * same moment. The draws, in this order: whether the other tab joins in (only when it could),
 * then one product per browse or add, in the order of the returned requests.
 */
export function nextStep(belief: Belief, random: Random, tabs: 1 | 2 = 1): Planned[] {
  if (!belief.loggedIn) return [{ op: 'login' }];
  const op = JOURNEY[belief.next];
  const otherTab =
    tabs === 2 && (op === 'add' || op === 'checkout') && random.next() < OTHER_TAB_CHANCE;
  return (otherTab ? [op, 'add' as const] : [op]).map((op) =>
    op === 'browse' || op === 'add'
      ? { op, productId: 1 + random.int(SAMPLE_PRODUCT_COUNT) }
      : { op },
  );
}

/** Where the journey goes after a step that began with `op`: a login starts nothing (the journey
 *  resumes, or a 401 has sent it back to the start); any other step moves one on. */
export function advance(belief: Belief, op: Operation): void {
  if (op !== 'login') belief.next = (belief.next + 1) % JOURNEY.length;
}

/** User `index` (from 0) of a run seeded with `seed`: their own random stream, the same in the
 *  lab (workload.ts) and in the simulator. */
export const userRandom = (seed: number, index: number): Random =>
  seededRandom(seed * 100_003 + index);
