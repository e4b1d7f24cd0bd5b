// The concurrent-user nemesis: users who shop in two tabs (now and then the other tab sends an add
// at the same moment as the journey's add or checkout), through a cluster whose servers a seeded
// chaos schedule kills and restarts while requests are in flight. Then the audit: every add the
// shop acknowledged must be in one of the user's orders or in the cart (audit.ts).
// Used by the tests, chapter 4's notebook and the bench alike. State: none of its own.
import { auditCarts, type CartAudit } from './audit';
import type { Order } from '../core/catalog';
import { createChaos, randomSchedule } from '../core/chaos';
import type { Cluster } from './cluster';
import { createUsers, runRounds, summarize, type Summary } from './workload';

/** The nemesis the tests, the notebook and the bench run: two servers, 16 users, 12 rounds. */
export const TWO_TABS_RUN = { users: 16, rounds: 12, killProbability: 0.15 };
/** Seeds whose schedules (with TWO_TABS_RUN, two servers) kill a server after round 3, when the
 *  users are logged in and shopping. */
export const TWO_TABS_SEEDS: readonly number[] = [1, 2, 3, 21, 24];

export interface TwoTabsOptions {
  seed: number;
  users: number;
  rounds: number;
  /** The chance that each live server is killed in a round (randomSchedule). 0: no kills. */
  killProbability: number;
  /** Every order in the database; the audit picks this run's users' own. */
  orders: () => readonly Order[];
  /** Users are named `${prefix}-001`…: runs on one store need their own. Default `s${seed}`. */
  prefix?: string;
  /** How long a user's browser waits for an answer (default 10 s: a busy machine is no fault). */
  timeoutMs?: number;
}

export interface TwoTabsRun {
  seed: number;
  rounds: number;
  kills: number;
  /** Times a user sent two requests at the same moment. */
  together: number;
  summary: Summary;
  audit: CartAudit;
}

/** A couple of milliseconds into a round: its requests are on their way when the chaos strikes. */
const intoTheRound = () => new Promise((resolve) => setTimeout(resolve, 2));

export async function twoTabsUnderChaos(
  cluster: Cluster,
  options: TwoTabsOptions,
): Promise<TwoTabsRun> {
  const { seed, rounds } = options;
  const servers = cluster.servers.map((s) => s.name);
  const schedule = randomSchedule(seed, {
    steps: rounds,
    servers,
    killProbability: options.killProbability,
  });
  const chaos = createChaos(schedule, cluster);
  const users = createUsers(options.users, cluster.lb.url, seed, {
    tabs: 2,
    prefix: options.prefix ?? `s${seed}`,
    timeoutMs: options.timeoutMs ?? 10_000,
  });
  let strike: Promise<unknown> = Promise.resolve();
  const ran = await runRounds(users, {
    rounds,
    seed,
    deadlineMs: 120_000,
    beforeRound: async (round) => {
      await strike; // the last round's kills were noticed, and its restarts are healthy again
      strike = intoTheRound().then(() => chaos.step(round));
    },
  });
  await strike;
  for (const s of cluster.servers) if (!s.alive) await cluster.restart(s.name); // a deadline cut
  return {
    seed,
    rounds: ran,
    kills: chaos.log.filter((e) => e.action === 'kill').length,
    together: users.flatMap((u) => u.log).filter((r) => r.together).length / 2,
    summary: summarize(users),
    audit: await auditCarts(users, cluster.servers, options.orders()),
  };
}
