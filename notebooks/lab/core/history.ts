// The operation history and the one checker over it, as Maelstrom splits a workload into
// generator (journey.ts), client (node/users.ts over HTTP, sim-users.ts in the simulator) and
// checker. Every request is recorded with what was sent, what came back and what the shop
// reported; checkHistory() replays the records through the same fold, learn(), that each user
// runs as it goes, so a user's losses and the checker's cannot disagree: they are one function.
// State: none of its own; it updates the Shopper it is handed.
import { advance } from './journey';
import type { Outcome } from './outcomes';
import {
  noLosses,
  understand,
  understandTogether,
  type Belief,
  type Lesson,
  type Losses,
  type Operation,
  type Reported,
} from './shopper';

/** One request of one user. */
export interface HistoryRecord extends Reported {
  user: string;
  /** What was sent: the operation, and the product a browse or an add named. */
  op: Operation;
  productId?: number;
  /** What came back: ok / fail / unknown (outcomes.ts), the status (0 when no whole answer came)
   *  and the server that answered (the x-served-by header), if any. */
  outcome: Outcome;
  status: number;
  servedBy?: string;
  /** Sent at the same moment as another request of this user's (two tabs): both records say so,
   *  and they stand side by side in the user's history. */
  together?: true;
}

/** A user as the checker rebuilds them: what they believe, what they lost, the orders placed. */
export interface Shopper extends Belief {
  losses: Losses;
  orders: number;
}

export const newShopper = (): Shopper => ({
  loggedIn: false,
  cartItems: 0,
  next: 0,
  losses: noLosses(),
  orders: 0,
});

/**
 * The fold: one step of one user (one record, or the two a user sent together) and what the
 * shopper learns from it. Users call it as they go; checkHistory() calls it over the records.
 * Lessons come back in the order of `step`.
 */
export function learn(shopper: Shopper, step: readonly HistoryRecord[]): Lesson[] {
  advance(shopper, step[0].op);
  const lessons =
    step.length > 1
      ? understandTogether(shopper, shopper.losses, step)
      : [understand(shopper, shopper.losses, step[0])];
  shopper.orders += lessons.filter((lesson) => lesson.ordered).length;
  return lessons;
}

/** One user's records cut into steps: a record alone, or two sent together. */
export function stepsOf(records: readonly HistoryRecord[]): HistoryRecord[][] {
  const steps: HistoryRecord[][] = [];
  for (let i = 0; i < records.length; i++) {
    const pair = records[i].together && records[i + 1]?.together;
    steps.push(pair ? [records[i], records[++i]] : [records[i]]);
  }
  return steps;
}

/** The users' records, each user's in the order they were sent. */
export function byUser(history: readonly HistoryRecord[]): Map<string, HistoryRecord[]> {
  const users = new Map<string, HistoryRecord[]>();
  for (const record of history) {
    const own = users.get(record.user) ?? [];
    if (own.length === 0) users.set(record.user, own);
    own.push(record);
  }
  return users;
}

export interface Totals extends Losses {
  orders: number;
  requests: number;
}

export interface Checked {
  /** Each user, rebuilt from their records. */
  users: Map<string, Shopper>;
  totals: Totals;
}

/** Replays every user's records through learn() and adds up what they lost. */
export function checkHistory(history: readonly HistoryRecord[]): Checked {
  const users = new Map<string, Shopper>();
  for (const [name, records] of byUser(history)) {
    const shopper = newShopper();
    for (const step of stepsOf(records)) learn(shopper, step);
    users.set(name, shopper);
  }
  return { users, totals: totalOf([...users.values()], history.length) };
}

/** The users' losses and orders added up; `requests`: how many records. */
export function totalOf(shoppers: readonly Shopper[], requests: number): Totals {
  const totals: Totals = { ...noLosses(), orders: 0, requests };
  for (const { losses, orders } of shoppers) {
    totals.forcedLogins += losses.forcedLogins;
    totals.lostCartItems += losses.lostCartItems;
    totals.failed += losses.failed;
    totals.unknown += losses.unknown;
    totals.orders += orders;
  }
  return totals;
}
