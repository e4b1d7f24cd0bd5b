// The chapter 3 story as tests: stateful servers behind a load balancer, broken on purpose.
import { afterEach, describe, expect, it } from 'vitest';
import { openCatalog } from './sqlite-catalog';
import { ShopClient } from './client';
import { startCluster, type Cluster, type InProcessCluster } from './cluster';
import { slow } from './faults';
import { roundRobin, stickyCookie } from '../core/policies';
import { createShop, type Handler } from './shop';
import type { CartLine, Session } from '../core/shop-types';
import { memoryStore } from '../core/store';
import { createUsers, pinnedPerServer, runRounds, summarize } from './workload';

let cluster: InProcessCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

/** Health checks a busy machine cannot fail: these tests count what a kill costs, and a live
 *  server whose check answered after the default 500 ms, three times, would cost users too. */
const PATIENT_CHECKS = { healthTimeoutMs: 2_000 };

describe('stateful servers behind a load balancer', () => {
  it('round robin forgets users: logins keep getting lost', async () => {
    cluster = await startCluster({
      size: 3,
      policy: roundRobin(),
      catalog: openCatalog(),
      ...PATIENT_CHECKS,
    });
    const users = createUsers(30, cluster.lb.url, 1);
    await runRounds(users, { rounds: 8 });
    expect(summarize(users).usersForcedToLogIn).toBeGreaterThan(20);
  });

  it('sticky sessions keep every user on one server: nothing is lost while nothing breaks', async () => {
    cluster = await startCluster({
      size: 3,
      policy: stickyCookie(),
      catalog: openCatalog(),
      ...PATIENT_CHECKS,
    });
    const users = createUsers(30, cluster.lb.url, 2);
    await runRounds(users, { rounds: 12 });
    const summary = summarize(users);
    expect([summary.forcedLogins, summary.lostCartItems, summary.failed, summary.unknown]).toEqual([
      0, 0, 0, 0,
    ]);
  });

  it.each([1, 2, 3, 4, 5])(
    'seed %i: killing app-1 costs exactly the users pinned to app-1 a login and their cart',
    async (seed) => {
      cluster = await startCluster({
        size: 3,
        policy: stickyCookie(),
        catalog: openCatalog(),
        ...PATIENT_CHECKS,
      });
      const users = createUsers(40, cluster.lb.url, seed);
      await runRounds(users, { rounds: 3 }); // log in, browse, add: everyone has one item
      const pinned = users.filter((u) => u.pinnedTo === 'app-1');
      expect(pinned.length).toBeGreaterThan(0);
      expect(pinnedPerServer(users)['(none)']).toBeUndefined();

      await cluster.kill('app-1');
      // browse (public), add: 401; log in elsewhere, browse, add, browse, add, and the cart shows
      // the item gone: a 401 shows no cart, so the loss is counted at that look.
      await runRounds(users, { rounds: 8 });
      const summary = summarize(users);
      expect(summary.usersForcedToLogIn).toBe(pinned.length);
      expect(summary.forcedLogins).toBe(pinned.length);
      expect(summary.lostCartItems).toBe(pinned.length);
      expect(users.filter((u) => u.losses.forcedLogins > 0)).toEqual(pinned);
      expect(summary.failed).toBe(0);
    },
  );

  it('with sessions and carts in one shared store, a kill costs nobody anything', async () => {
    const catalog = openCatalog();
    const sessions = memoryStore<Session>();
    const carts = memoryStore<CartLine[]>();
    cluster = await startCluster({
      size: 3,
      policy: roundRobin(),
      catalog,
      app: (name) => createShop({ name, catalog, sessions, carts }),
      ...PATIENT_CHECKS,
    });
    const users = createUsers(30, cluster.lb.url, 7);
    await runRounds(users, {
      rounds: 12,
      beforeRound: async (round) => {
        if (round === 4) await cluster!.kill('app-2');
        if (round === 8) await cluster!.restart('app-2');
      },
    });
    const summary = summarize(users);
    expect([summary.forcedLogins, summary.lostCartItems, summary.failed]).toEqual([0, 0, 0]);
  });
});

describe('the health-check timeout', () => {
  // A server that is up but answers /health late: the default timeout marks it down, a longer one does not.
  const lateHealth = (name: string) => {
    const shop = createShop({ name, catalog: openCatalog() });
    return name === 'app-1'
      ? slow(shop, 700) // slower than the balancer's default check timeout
      : shop;
  };

  it('marks a server down when its check answers later than the timeout', async () => {
    cluster = await startCluster({
      size: 2,
      policy: roundRobin(),
      catalog: openCatalog(),
      app: lateHealth,
    });
    expect(cluster.lb.backends.find((b) => b.name === 'app-1')?.healthy).toBe(false);
  });

  it('keeps it in rotation with healthTimeoutMs longer than its answers take', async () => {
    cluster = await startCluster({
      size: 2,
      policy: roundRobin(),
      catalog: openCatalog(),
      app: lateHealth,
      healthTimeoutMs: 2_000,
    });
    expect(cluster.lb.backends.find((b) => b.name === 'app-1')?.healthy).toBe(true);
  });
});

describe('stopping a server with requests in flight', () => {
  /** Two stateless servers whose every answer takes `ms` (the requests a deploy meets). */
  async function slowStateless(ms: number, wrap: (h: Handler) => Handler = (h) => h) {
    const catalog = openCatalog();
    const sessions = memoryStore<Session>();
    const carts = memoryStore<CartLine[]>();
    return startCluster({
      size: 2,
      policy: roundRobin(),
      catalog,
      app: (name) => slow(wrap(createShop({ name, catalog, sessions, carts })), ms),
    });
  }
  const inFlight = (c: Cluster, name: string) =>
    c.lb.backends.find((b) => b.name === name)?.inFlight ?? 0;
  /** Polls for a state no event announces; bounded (10 s, far beyond what a busy machine needs). */
  async function until(condition: () => boolean) {
    const deadline = performance.now() + 10_000;
    while (!condition() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(condition()).toBe(true);
  }

  it('kill cuts the request in flight: its client cannot know, so it is unknown', async () => {
    cluster = await slowStateless(200);
    const pending = new ShopClient(cluster.lb.url).get('/products/1');
    // Until app-1 itself has the request: the lb counts it in flight before app-1 has accepted the
    // connection, and a kill in between is refused, not cut (a 503, rightly, not this test's case).
    await until(() => cluster!.unanswered('app-1') === 1);
    await cluster.kill('app-1');
    expect(await pending).toMatchObject({ outcome: 'unknown', status: 502 });
  });

  it('drain lets the request in flight finish, sends the server nothing new, then stops it', async () => {
    cluster = await slowStateless(200);
    const client = new ShopClient(cluster.lb.url);
    const pending = client.get('/products/1');
    await until(() => inFlight(cluster!, 'app-1') === 1);
    const drained = cluster.drain('app-1');
    const meanwhile = await client.get('/products/2'); // sent while app-1 drains
    expect(await pending).toMatchObject({ outcome: 'ok', status: 200, servedBy: 'app-1' });
    expect(meanwhile).toMatchObject({ outcome: 'ok', servedBy: 'app-2' });
    expect(await drained).toBe(true);
    expect(cluster.server('app-1').alive).toBe(false);
    await cluster.restart('app-1');
    expect(cluster.lb.backends.map((b) => [b.name, b.healthy])).toEqual([
      ['app-2', true],
      ['app-1', true],
    ]);
  });

  it('drain kills a server still busy when the grace period ends', async () => {
    const hangOnCart =
      (inner: Handler): Handler =>
      (req, res) => {
        if (req.url !== '/cart') inner(req, res); // a POST /cart never gets an answer
      };
    cluster = await slowStateless(0, hangOnCart);
    const pending = new ShopClient(cluster.lb.url, { timeoutMs: 5_000 }).post('/cart', {});
    await until(() => inFlight(cluster!, 'app-1') === 1);
    expect(await cluster.drain('app-1', 100)).toBe(false);
    expect(cluster.server('app-1').alive).toBe(false);
    expect(await pending).toMatchObject({ outcome: 'unknown' });
  });

  it.each([false, true])(
    'a rolling restart under traffic (drain: %s): killing leaves unknowns, draining none',
    async (drain) => {
      cluster = await slowStateless(15);
      const users = createUsers(30, cluster.lb.url, 8, { timeoutMs: 10_000 });
      await runRounds(users, { rounds: 2 }); // everyone logged in
      let deploying = true;
      const traffic = runRounds(users, { rounds: 10_000, until: () => !deploying });
      for (const name of ['app-1', 'app-2']) {
        await until(() => cluster!.unanswered(name) > 0); // a deploy does not wait for a lull
        if (drain) await cluster.drain(name);
        else await cluster.kill(name);
        await cluster.restart(name);
      }
      deploying = false;
      await traffic;
      const summary = summarize(users);
      expect(summary.forcedLogins).toBe(0);
      if (drain) expect([summary.failed, summary.unknown]).toEqual([0, 0]);
      else expect(summary.unknown).toBeGreaterThan(0);
    },
  );
});
