// A platform-free, step-by-step model of chapter 3's cluster: simulated users shop through a
// simulated load balancer over simulated servers. The site's ClusterSimulator runs it in the
// browser; a notebook could run it too. No Node built-ins, no timers: it moves only when
// tick() is called, and every choice comes from a seed, so a run can be repeated exactly.
//
// This file only wires the parts together, and every part is the lab's own, not a copy:
// - the users (sim-users.ts) plan with the lab's journey (journey.ts), and record and count what
//   they lose with the lab's one checker (history.ts): node/sim-vs-servers.test.ts runs the same
//   seeded workload here and through real servers and compares the checker's counts;
// - the network (sim-network.ts) routes with the lab's policies and answers with the shop's rules;
// - the cluster (sim-cluster.ts) is the servers and which are up; sim-servers.ts is where each
//   keeps its state (its own memory, or one shared store).
// The model kills servers only between ticks, so no request is ever cut in flight here: its
// outcomes are ok and fail (a 503 from the lb, a 4xx from the shop), never unknown.
//
// Two tabs (`tabs: 2`): now and then a user's other tab sends an add at the same moment as the
// journey's add or checkout, and the model runs both at once, as a real cluster would. Whether
// they can interleave depends on where the servers keep the state: sim-servers.ts.
import { auditCarts, type CartAudit, type Holding } from './cart-audit';
import { totalOf, type Totals } from './history';
import { roundRobin, stickyCookie, type Policy } from './policies';
import { seededRandom } from './random';
import { simCluster, type ServerView } from './sim-cluster';
import { simDatabase, simNetwork, type SimServer } from './sim-network';
import { serverStates } from './sim-servers';
import { simUsers, stepUser, type SimEvent, type SimUserState } from './sim-users';

export type { ServerView } from './sim-cluster';
export type { SimServer } from './sim-network';
export type { SimEvent, SimUserState } from './sim-users';

/** stateful: per-server memory, round robin · sticky: per-server memory, sticky cookie ·
 *  stateless: one shared store, round robin. */
export type Architecture = 'stateful' | 'sticky' | 'stateless';

export const ARCHITECTURES: readonly Architecture[] = ['stateful', 'sticky', 'stateless'];

export interface SimOptions {
  architecture: Architecture;
  /** How many simulated users (default 24). */
  users?: number;
  /** How many servers at the start (default 3). */
  servers?: number;
  seed?: number;
  /** The chance that a user takes a step in one tick (default 0.75), so they do not march. */
  activity?: number;
  /** 2: users shop in two tabs, and now and then send two requests at once (default 1). */
  tabs?: 1 | 2;
  /** How the shop changes a cart: its atomic update() (default), or a get and then a set. */
  cartWrites?: 'update' | 'get-then-set';
}

export interface Simulation {
  readonly architecture: Architecture;
  readonly policy: Policy;
  readonly servers: readonly SimServer[];
  readonly users: readonly SimUserState[];
  readonly history: readonly SimEvent[];
  readonly tickCount: number;
  /** Every active user takes one step; resolves with this tick's events. */
  tick(): Promise<SimEvent[]>;
  /** A crash: the server is down and its memory is gone. The LB notices at once: the model has
   *  no health checks (the lab's balancer waits for 3 failed ones in a row; chapter 2). */
  kill(name: string): void;
  /** Starts the server again, with empty memory. */
  restart(name: string): void;
  /** Adds a server (app-N) and returns its name. */
  add(): string;
  /** Takes a server out of the cluster; its memory goes with it. */
  remove(name: string): void;
  /** The checker's counts over the history (history.ts), as the users folded it. `failed`: no
   *  healthy server (the lb's 503, not forwarded); `unknown` stays 0, since the model never cuts
   *  a request in flight. */
  totals(): Totals;
  /** The audit of the cart writes against the orders and the carts on the servers that are up
   *  (cart-audit.ts), as node/audit.ts takes it of real servers. */
  audit(): Promise<CartAudit>;
  view(): ServerView[];
}

export function policyFor(architecture: Architecture): Policy {
  return architecture === 'sticky' ? stickyCookie(roundRobin()) : roundRobin();
}

export function createSimulation(options: SimOptions): Simulation {
  const { architecture, activity = 0.75, tabs = 1 } = options;
  const seed = options.seed ?? 1;
  // The simulation's own stream (who steps in a tick, session IDs); each user has their own.
  const random = seededRandom(seed);
  const policy = policyFor(architecture);
  let tickCount = 0;
  // The stores' and the session rules' clock is the tick count, so a session's 30-minute idle
  // timeout (shop-rules.ts) is 1.8 million ticks: nothing expires during a run, and a paused
  // simulator forgets nothing.
  const now = () => tickCount;
  const cluster = simCluster(
    options.servers ?? 3,
    // Stateless: one store every server shares. Stateful: each server gets its own memory.
    serverStates({
      shared: architecture === 'stateless',
      cartWrites: options.cartWrites ?? 'update',
      now,
    }),
  );
  const database = simDatabase();
  const network = simNetwork({ policy, servers: () => cluster.servers, database, random, now });
  const users = simUsers(options.users ?? 24, seed);
  const history: SimEvent[] = [];

  return {
    architecture,
    policy,
    servers: cluster.servers,
    users,
    history,
    get tickCount() {
      return tickCount;
    },
    async tick() {
      tickCount += 1;
      const events: SimEvent[] = [];
      for (const user of users) {
        if (random.next() >= activity) continue;
        events.push(...(await stepUser(user, network, tabs, tickCount)));
      }
      history.push(...events);
      return events;
    },
    kill: cluster.kill,
    restart: cluster.restart,
    add: cluster.add,
    remove: cluster.remove,
    // The users' own folds of their histories: what checkHistory(history) would rebuild
    // (sim-model.test.ts checks it), without replaying a long run on every frame.
    totals: () => totalOf(users, history.length),
    async audit() {
      const up = cluster.servers.filter((s) => s.healthy);
      const holdings: Holding[] = [];
      for (const user of users) {
        holdings.push({
          user: user.name,
          ordered: database.orders.filter((o) => o.user === user.name).flatMap((o) => o.lines),
          carts: await Promise.all(up.map((server) => network.cartOn(server, user))),
        });
      }
      return auditCarts(history, holdings);
    },
    view: () => cluster.view(users),
  };
}
