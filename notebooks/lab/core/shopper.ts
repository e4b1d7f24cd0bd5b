// What a shopper believes, and what one answer teaches them. Platform-free: the one checker
// (history.ts) folds a user's history through understand(), and the lab's users over HTTP
// (node/users.ts) and the browser simulator (sim-users.ts) keep their beliefs with that same fold,
// so all of them count outcomes and losses the same way. The journey is journey.ts.
// State: none of its own; it updates the Belief and Losses it is handed.
import type { Outcome } from './outcomes';
import { EMPTY_CART } from './shop-rules';

export type Operation = 'login' | 'browse' | 'add' | 'cart' | 'checkout';

export interface Belief {
  loggedIn: boolean;
  /** Items the shopper is sure are in the cart: the adds the shop acknowledged since the cart
   *  was last shown, plus what it showed. A lower bound: an add with no answer may be there too. */
  cartItems: number;
  /** The next step of the journey (journey.ts). */
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

/** What the shop reported in one answer, as much as a shopper reads of it: how many items the
 *  cart it showed (GET /cart 200) or the order it placed (201) held, and whether it refused a
 *  checkout because the cart was empty (409). A history record keeps this, not the whole body. */
export interface Reported {
  items?: number;
  emptyCart?: true;
}

const itemsIn = (lines: unknown) =>
  Array.isArray(lines) ? (lines as { qty: number }[]).reduce((n, line) => n + line.qty, 0) : 0;

/** Reads what understand() needs from an answer's body. */
export function reportedIn(op: Operation, status: number, body: unknown): Reported {
  const fields = (body ?? {}) as { items?: unknown; lines?: unknown; error?: unknown };
  if (op === 'cart' && status === 200) return { items: itemsIn(fields.items) };
  if (op === 'checkout' && status === 201) return { items: itemsIn(fields.lines) };
  if (op === 'checkout' && fields.error === (EMPTY_CART.body as { error: string }).error)
    return { emptyCart: true };
  return {};
}

/** One answer, as understand() takes it: the operation, its outcome (outcomes.ts), the status
 *  (0 when no whole answer came) and what the shop reported. A history record is one. */
export interface Answered extends Reported {
  op: Operation;
  outcome: Outcome;
  status: number;
}

/**
 * Updates the shopper's belief and losses from one answer, already classified (outcomes.ts).
 * A 401 means the shop has forgotten who they are: they log in again. It does not show them their
 * cart, so it proves no item lost: the cart may still be on the server that knew them (carts are
 * kept per user), and their next look at it tells. A cart that shows fewer items than they were
 * sure of, or a checkout that orders fewer, lost items: counted then, once.
 * An unknown checkout may have placed the order: from then on they are sure of no item.
 */
export function understand(belief: Belief, losses: Losses, answer: Answered): Lesson {
  const lesson: Lesson = { forcedLogin: false, lostItems: 0, ordered: false };
  const lose = (items: number) => {
    lesson.lostItems += items;
    losses.lostCartItems += items;
  };
  const { op, outcome, status } = answer;
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
    belief.loggedIn = false; // still sure of the items the shop acknowledged: they were not shown
    // missing yet (a server that knew them may still hold them when they log in there again)
    belief.next = 0;
    return lesson;
  }
  if (op === 'login') belief.loggedIn = status === 200;
  if (op === 'add' && status === 200) belief.cartItems += 1;
  if (op === 'cart' && status === 200) {
    const count = answer.items ?? 0;
    if (count < belief.cartItems) lose(belief.cartItems - count);
    belief.cartItems = count; // also adopts an add whose answer never came but which happened
  }
  if (op === 'checkout') {
    // 201: the order holds what the cart held; 409 "the cart is empty": it lost it all. Any other
    // refusal (409: another checkout of this cart is running) changed nothing.
    if (status !== 201 && !answer.emptyCart) return lesson;
    lesson.ordered = status === 201;
    const ordered = lesson.ordered ? (answer.items ?? 0) : 0;
    if (ordered < belief.cartItems) lose(belief.cartItems - ordered);
    belief.cartItems = 0;
  }
  return lesson;
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
    const before = belief.cartItems;
    lessons[i] = understand(belief, losses, answers[i]);
    if (withCheckout && answers[i].op === 'add')
      belief.cartItems = Math.min(belief.cartItems, before);
  }
  return lessons;
}
