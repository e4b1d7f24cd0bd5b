// What each round of a run cost its users, for a timeline of a chaos run: the users' running
// totals of losses (shopper.ts's Losses), taken after every round, turned into what that round
// added. A loss is counted in the round the user learns of it, as the checker counts it: a 401 when
// it comes back, a lost item when the cart or the order shows it missing, which can be a few rounds
// after the kill that caused it. Platform-free. State: the timeline holds the rounds and the last
// totals it was given; the users hold their own losses.
import { noLosses, type Losses } from './shopper';

/** What one round added to the users' losses. */
export interface RoundLosses extends Losses {
  round: number;
}

const KINDS = Object.keys(noLosses()) as (keyof Losses)[];

/** Everyone's losses added up. */
export function addLosses(all: readonly Losses[]): Losses {
  const sum = noLosses();
  for (const losses of all) for (const kind of KINDS) sum[kind] += losses[kind];
  return sum;
}

export interface LossTimeline {
  /** The users' totals before the first round: what they had lost already is no round's loss. */
  start(totals: Losses): void;
  /** The users' totals after round `round`; keeps and returns what the round added. */
  record(round: number, totals: Losses): RoundLosses;
  /** Every recorded round, in order. */
  readonly rounds: readonly RoundLosses[];
}

export function lossTimeline(): LossTimeline {
  const rounds: RoundLosses[] = [];
  let last = noLosses();
  return {
    rounds,
    start(totals) {
      last = { ...totals };
    },
    record(round, totals) {
      const added = { round } as RoundLosses;
      for (const kind of KINDS) {
        added[kind] = totals[kind] - last[kind];
        // Totals only grow: a smaller one means another run's users, or a round recorded twice.
        if (added[kind] < 0)
          throw new Error(`round ${round}: ${kind} fell from ${last[kind]} to ${totals[kind]}`);
      }
      last = { ...totals };
      rounds.push(added);
      return added;
    },
  };
}
