// Runs simulated users in rounds: every user takes one step per round, all at once, and a hook
// between rounds can break things (chaos). Bounded: a fixed number of rounds, and a deadline.
import { checkHistory } from '../core/history';
import { seededRandom } from '../core/random';
import { addLosses, type LossTimeline } from '../core/round-losses';
import { userRandom } from '../core/journey';
import { SimUser, type Losses, type UserOptions } from './users';

export interface CreateUsersOptions extends UserOptions {
  /** Users are named `${prefix}-001`…; default 'user'. Runs that share a store need their own. */
  prefix?: string;
}

/** `count` users named user-001…, each with its own random stream derived from `seed`. */
export function createUsers(
  count: number,
  baseUrl: string,
  seed: number,
  options: CreateUsersOptions = {},
): SimUser[] {
  const { prefix = 'user', ...userOptions } = options;
  return Array.from({ length: count }, (_, i) => {
    const name = `${prefix}-${String(i + 1).padStart(3, '0')}`;
    return new SimUser(name, baseUrl, userRandom(seed, i), userOptions);
  });
}

export interface RoundsOptions {
  rounds: number;
  /** Runs before each round (round 0 included); the place for kills, restarts and scaling. */
  beforeRound?: (round: number) => unknown;
  /** Stop early once this much time has passed. Default 60 s. */
  deadlineMs?: number;
  /** Stop early, before a round, once this returns true (e.g. when a deploy running beside the
   *  users has finished). */
  until?: () => boolean;
  /** Seeds the order in which users arrive each round. Default 0. */
  seed?: number;
  /** Records what each round cost the users (core/round-losses.ts), for a timeline of the run. */
  timeline?: LossTimeline;
}

/** Runs the rounds; returns how many ran (fewer than asked only if the deadline passed). */
export async function runRounds(
  users: readonly SimUser[],
  options: RoundsOptions,
): Promise<number> {
  const stopAt = Date.now() + (options.deadlineMs ?? 60_000);
  const random = seededRandom(options.seed ?? 0);
  const totals = () => addLosses(users.map((user) => user.losses));
  options.timeline?.start(totals());
  let round = 0;
  for (; round < options.rounds && Date.now() < stopAt && !options.until?.(); round += 1) {
    await options.beforeRound?.(round);
    // Real users do not arrive in the same order every time. (In a fixed order, round robin
    // would send each user to the same server every round, and look sticky by accident.)
    await Promise.all(random.shuffle(users).map((user) => user.step()));
    options.timeline?.record(round, totals());
  }
  return round;
}

/** Every operation is exactly one of ok, rejected, failed and unknown. */
export interface Summary extends Losses {
  operations: number;
  ok: number;
  /** Answered 4xx: the shop refused the request (401 not logged in, 409 empty cart or a checkout
   *  already running) and changed nothing. Like `failed`, a definite failure; unlike it, an answer
   *  from the shop. */
  rejected: number;
  /** Users who had to log in again at least once. */
  usersForcedToLogIn: number;
  /** Users who lost at least one cart item. */
  usersWhoLostItems: number;
}

/** The users' operations by outcome, and their losses as the checker (core/history.ts) counts
 *  them over every user's log. */
export function summarize(users: readonly SimUser[]): Summary {
  const log = users.flatMap((u) => u.log);
  const { users: checked, totals } = checkHistory(log);
  const losers = (key: keyof Losses) =>
    [...checked.values()].filter((shopper) => shopper.losses[key] > 0).length;
  return {
    operations: log.length,
    ok: log.filter((r) => r.outcome === 'ok').length,
    rejected: log.filter((r) => r.outcome === 'fail' && r.status >= 400 && r.status < 500).length,
    failed: totals.failed,
    unknown: totals.unknown,
    forcedLogins: totals.forcedLogins,
    lostCartItems: totals.lostCartItems,
    usersForcedToLogIn: losers('forcedLogins'),
    usersWhoLostItems: losers('lostCartItems'),
  };
}

/** How many answers each server gave, from the users' logs (x-served-by). */
export function answersPerServer(users: readonly SimUser[], since = 0): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const user of users) {
    for (const record of user.log.slice(since)) {
      if (record.servedBy) counts[record.servedBy] = (counts[record.servedBy] ?? 0) + 1;
    }
  }
  return counts;
}

/** How many users each backend has pinned (by the LB's affinity cookie). */
export function pinnedPerServer(users: readonly SimUser[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const user of users) {
    const pin = user.pinnedTo ?? '(none)';
    counts[pin] = (counts[pin] ?? 0) + 1;
  }
  return counts;
}
