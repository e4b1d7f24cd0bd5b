// The browser simulator (core/sim-model.ts) against real servers: the same seeded workload through
// both, and the one checker (core/history.ts) and the audit (core/cart-audit.ts) must count the
// same. The model decides who steps in each tick (from the seed); the real users then step in
// that same schedule, one at a time, so the real run is as deterministic as the model: round robin
// and the sticky cookie send each request to the same server in both. Halfway, app-2 is killed. The simulator never cuts a request in flight, and neither does this run: a kill
// between steps leaves ok and fail only.
import { afterEach, describe, expect, it } from 'vitest';
import { auditCarts } from './audit';
import { startCluster, type Cluster } from './cluster';
import { createShop } from './shop';
import { openCatalog } from './sqlite-catalog';
import { createUsers } from './workload';
import { checkHistory, type HistoryRecord } from '../core/history';
import type { CartLine, Session } from '../core/shop-types';
import { createSimulation, policyFor, type Architecture } from '../core/sim-model';
import { memoryStore } from '../core/store';

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const USERS = 4;
const SERVERS = 3;
const TICKS = 20; // about two journeys each: logins, adds, cart views, checkouts
const KILL_AT = 10; // before this tick, app-2 dies with its memory
/** Each user steps in a tick with this chance (the model draws it), so users drift apart. */
const ACTIVITY = 0.75;
const SEEDS = [1, 2, 3, 4, 5];

/** What a record says, without the user's name (the lab's users are user-001…, the model's
 *  user-01…): which user by position, what was sent, what came back, what the shop reported. */
const seen = (names: string[]) => (r: HistoryRecord) => ({
  user: names.indexOf(r.user),
  op: r.op,
  productId: r.productId,
  outcome: r.outcome,
  status: r.status,
  servedBy: r.servedBy,
  items: r.items,
  emptyCart: r.emptyCart,
  together: r.together,
});

/** The same workload through real servers: the users step in the model's schedule (for each
 *  tick, the positions of the users who stepped, in order). */
async function throughServers(architecture: Architecture, seed: number, schedule: number[][]) {
  const catalog = openCatalog();
  const sessions = memoryStore<Session>();
  const carts = memoryStore<CartLine[]>();
  cluster = await startCluster({
    size: SERVERS,
    policy: policyFor(architecture),
    catalog,
    app:
      architecture === 'stateless'
        ? (name) => createShop({ name, catalog, sessions, carts })
        : undefined,
  });
  const users = createUsers(USERS, cluster.lb.url, seed);
  const history: HistoryRecord[] = [];
  for (const [tick, who] of schedule.entries()) {
    if (tick === KILL_AT) await cluster.kill('app-2');
    for (const i of who) history.push(...(await users[i].step()));
  }
  const up = cluster.servers.filter((s) => s.alive);
  return {
    history: history.map(seen(users.map((u) => u.name))),
    totals: checkHistory(history).totals,
    /** What each user counted as it went (the same fold as the checker's). */
    losses: users.map((u) => u.losses),
    audit: await auditCarts(users, up, catalog.orders()),
  };
}

async function inTheSimulator(architecture: Architecture, seed: number) {
  const sim = createSimulation({
    architecture,
    servers: SERVERS,
    users: USERS,
    activity: ACTIVITY,
    seed,
  });
  const names = sim.users.map((u) => u.name);
  const schedule: number[][] = [];
  for (let tick = 0; tick < TICKS; tick++) {
    if (tick === KILL_AT) sim.kill('app-2');
    const events = await sim.tick();
    schedule.push([...new Set(events.map((e) => names.indexOf(e.user)))]);
  }
  return {
    schedule,
    history: sim.history.map(seen(sim.users.map((u) => u.name))),
    totals: sim.totals(),
    losses: sim.users.map((u) => u.losses),
    audit: await sim.audit(),
  };
}

describe('the simulator and real servers: the same seeded workload, the same counts', () => {
  const runs: Record<Architecture, Awaited<ReturnType<typeof throughServers>>[]> = {
    stateless: [],
    stateful: [],
    sticky: [],
  };

  for (const architecture of ['stateless', 'stateful', 'sticky'] as const) {
    for (const seed of SEEDS) {
      it(`${architecture}, seed ${seed}: same operations, same checker totals, same audit`, async () => {
        const { schedule, ...model } = await inTheSimulator(architecture, seed);
        const real = await throughServers(architecture, seed, schedule);
        expect(model.history).toEqual(real.history);
        expect(model.totals).toEqual(real.totals);
        expect(model.losses).toEqual(real.losses);
        expect(model.audit).toEqual(real.audit);
        runs[architecture].push(real);
      });
    }
  }

  // The comparisons above would pass on two runs that did nothing: these say the runs exercised
  // what they compare. (They read the runs above, so they come after them.)
  it('the runs acknowledged writes and placed orders; the losses fall where the chapter says', () => {
    for (const architecture of ['stateless', 'stateful', 'sticky'] as const) {
      expect(runs[architecture]).toHaveLength(SEEDS.length);
      for (const { totals, audit } of runs[architecture]) {
        expect(audit.writesAcknowledged).toBeGreaterThan(0);
        expect(totals.unknown).toBe(0); // nothing is cut in flight in either
      }
    }
    // One shared store: the kill costs nobody anything, and orders are placed.
    for (const { totals, audit } of runs.stateless) {
      expect(totals).toMatchObject({ forcedLogins: 0, lostCartItems: 0, failed: 0 });
      expect(audit.acknowledgedLost).toBe(0);
      expect(totals.orders).toBeGreaterThan(0);
    }
    // Each server's own memory, round robin: users are forgotten and acknowledged items vanish.
    for (const { totals, audit } of runs.stateful) {
      expect(totals.forcedLogins).toBeGreaterThan(0);
      expect(audit.acknowledgedLost).toBeGreaterThan(0);
    }
    // Sticky: orders are placed, and the kill of app-2 forces its users to log in again.
    for (const { totals } of runs.sticky) {
      expect(totals.orders).toBeGreaterThan(0);
      expect(totals.forcedLogins).toBeGreaterThan(0);
    }
  });
});
