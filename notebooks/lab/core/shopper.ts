// A shopper's journey, what the shopper believes, and what one answer teaches them. Platform-free:
// the lab's simulated users (users.ts, over HTTP) and the browser simulator (sim-model.ts) both
// read the shop's answers here, so the two count outcomes and losses the same way.
// State: none of its own; it updates the Belief and Losses it is handed.
import type { Outcome } from './outcomes';
import { EMPTY_CART } from './shop-rules';

export type Operation = 'login' | 'browse' | 'add' | 'cart' | 'checkout';

/** After logging in: browse → add → browse → add → look at the cart → check out, again. */
export const JOURNEY: readonly Operation[] = ['browse', 'add', 'browse', 'add', 'cart', 'checkout'];
/** A shopper in two tabs: the chance that the other tab sends an add at the same moment as the
 *  journey's add or checkout (users.ts and sim-model.ts both draw it). */
export const OTHER_TAB_CHANCE = 0.5;

export interface Belief {
  loggedIn: boolean;
  /** Items the shopper is sure are in the cart: the adds the shop acknowledged since the cart
   *  was last shown, plus what it showed. A lower bound: an add with no answer may be there too. */
  cartItems: number;
  /** The next step of JOURNEY. */
  next: number;
}

export interface Losses {
  /** Times the shop forgot a logged-in user, who had to log in again. */
  forcedLogins: number;
  /** Items the shop had acknowledged that the user later found missing (a lower bound). */
  lostCartItems: number;
  /** Requests that certainly did not reach the shop: refused, or the lb forwarded them nowhere. */
  failed: number;
  /** Requests that may or may not have taken effect: cut after sending, no answer in time, or
   *  a 5xx from a server that had the request. */
  unknown: number;
}

export const noLosses = (): Losses => ({
  forcedLogins: 0,
  lostCartItems: 0,
  failed: 0,
  unknown: 0,
});

export interface Lesson {
  forcedLogin: boolean;
  /** Items this answer revealed as lost. */
  lostItems: number;
  /** A checkout the shop confirmed (201). */
  ordered: boolean;
}

const saysCartIsEmpty = (body: unknown) =>
  (body as { error?: unknown } | undefined)?.error === (EMPTY_CART.body as { error: string }).error;

const itemsIn = (lines: { qty: number }[] | undefined) =>
  (lines ?? []).reduce((n, line) => n + line.qty, 0);

/**
 * Updates the shopper's belief and losses from one answer, already classified (outcomes.ts).
 * A 401 means the shop has forgotten them: log in again, and the cart they had is gone. A cart
 * that shows fewer items than they were sure of, or a checkout that orders fewer, lost items.
 * An unknown checkout may have placed the order: from then on they are sure of no item.
 */
export function understand(
  belief: Belief,
  losses: Losses,
  op: Operation,
  outcome: Outcome,
  answer: { status: number; body?: unknown },
): Lesson {
  const lesson: Lesson = { forcedLogin: false, lostItems: 0, ordered: false };
  const lose = (items: number) => {
    lesson.lostItems += items;
    losses.lostCartItems += items;
  };
  const { status } = answer;
  if (outcome === 'unknown') {
    losses.unknown += 1;
    if (op === 'checkout') belief.cartItems = 0; // the order may exist; the audit will tell
    return lesson;
  }
  if (outcome === 'fail' && !(status >= 400 && status < 500)) {
    losses.failed += 1; // never reached the shop: nothing changed, nothing learnt
    return lesson;
  }
  if (status === 401) {
    lesson.forcedLogin = true;
    losses.forcedLogins += 1;
    lose(belief.cartItems);
    belief.cartItems = 0;
    belief.loggedIn = false;
    belief.next = 0;
    return lesson;
  }
  if (op === 'login') belief.loggedIn = status === 200;
  if (op === 'add' && status === 200) belief.cartItems += 1;
  if (op === 'cart' && status === 200) {
    const count = itemsIn((answer.body as { items?: { qty: number }[] } | undefined)?.items);
    if (count < belief.cartItems) lose(belief.cartItems - count);
    belief.cartItems = count; // also adopts an add whose answer never came but which happened
  }
  if (op === 'checkout') {
    // 201: the order holds what the cart held; 409 "the cart is empty": it lost it all. Any other
    // refusal (409: another checkout of this cart is running) changed nothing.
    if (status !== 201 && !saysCartIsEmpty(answer.body)) return lesson;
    lesson.ordered = status === 201;
    const body = answer.body as { lines?: { qty: number }[] } | undefined;
    const ordered = lesson.ordered ? itemsIn(body?.lines) : 0;
    if (ordered < belief.cartItems) lose(belief.cartItems - ordered);
    belief.cartItems = 0;
  }
  return lesson;
}

/** One answer, as understand() takes it. */
export interface Answered {
  op: Operation;
  outcome: Outcome;
  answer: { status: number; body?: unknown };
}

/**
 * Two requests the shopper sent at the same moment (two tabs), understood once both answered.
 * Adds together are simply two adds. An add together with a checkout: the checkout is read first,
 * against what the shopper was sure of before sending both (all of it must be in the order), and
 * the add, if acknowledged, landed in that order or in the emptied cart: the shopper cannot tell
 * which, so they stay sure of no more than before it. (The audit, which reads both, can tell.)
 * Lessons come back in the order of `answers`.
 */
export function understandTogether(
  belief: Belief,
  losses: Losses,
  answers: readonly Answered[],
): Lesson[] {
  const withCheckout = answers.some((a) => a.op === 'checkout');
  const checkoutsFirst = [...answers.keys()].sort(
    (a, b) => Number(answers[b].op === 'checkout') - Number(answers[a].op === 'checkout'),
  );
  const lessons: Lesson[] = [];
  for (const i of checkoutsFirst) {
    const { op, outcome, answer } = answers[i];
    const before = belief.cartItems;
    lessons[i] = understand(belief, losses, op, outcome, answer);
    if (withCheckout && op === 'add') belief.cartItems = Math.min(belief.cartItems, before);
  }
  return lessons;
}
