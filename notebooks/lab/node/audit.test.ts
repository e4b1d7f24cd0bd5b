import { afterEach, describe, expect, it } from 'vitest';
import { auditCarts } from './audit';
import { openCatalog } from './sqlite-catalog';
import { startCluster, type Cluster } from './cluster';
import { roundRobin, stickyCookie } from '../core/policies';
import { createShop, type Handler } from './shop';
import type { CartLine, Session } from '../core/shop-types';
import { memoryStore } from '../core/store';
import { createUsers, runRounds } from './workload';

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

describe('auditCarts', () => {
  it('finds every acknowledged item when the servers share their stores, after a kill', async () => {
    const catalog = openCatalog();
    const sessions = memoryStore<Session>();
    const carts = memoryStore<CartLine[]>();
    cluster = await startCluster({
      size: 3,
      policy: roundRobin(),
      catalog,
      app: (name) => createShop({ name, catalog, sessions, carts }),
    });
    const users = createUsers(20, cluster.lb.url, 4);
    await runRounds(users, {
      rounds: 10,
      beforeRound: async (round) => {
        if (round === 5) await cluster!.kill('app-1');
      },
    });
    await cluster.restart('app-1');
    const audit = await auditCarts(users, cluster.servers, catalog.orders());
    expect(audit.writesAcknowledged).toBeGreaterThan(20);
    expect(audit.acknowledgedLost).toBe(0);
    expect(audit.sameOnEveryServer).toBe(20);
    expect(audit.unknownToSomeServer).toBe(0);
  });

  it('counts the acknowledged items a crash took from stateful servers', async () => {
    const catalog = openCatalog();
    cluster = await startCluster({ size: 3, policy: stickyCookie(), catalog });
    const users = createUsers(20, cluster.lb.url, 4);
    await runRounds(users, { rounds: 3 }); // log in, browse, add: one item each
    const pinned = users.filter((u) => u.pinnedTo === 'app-1').length;
    await cluster.kill('app-1');
    await cluster.restart('app-1');
    const audit = await auditCarts(users, cluster.servers, catalog.orders());
    expect(audit.writesAcknowledged).toBe(20);
    expect(audit.acknowledgedLost).toBe(pinned);
    expect(audit.unknownToSomeServer).toBe(20); // each session is on one server only
  });

  /** One user behind a stateless pair whose first POST /cart is applied, then its answer cut. */
  async function cutFirstAdd() {
    const catalog = openCatalog();
    const sessions = memoryStore<Session>();
    const carts = memoryStore<CartLine[]>();
    let cut = false;
    const cutting =
      (inner: Handler): Handler =>
      (req, res) => {
        if (req.method === 'POST' && req.url === '/cart' && !cut) {
          cut = true;
          res.writeHead = (() => {
            res.socket?.destroy(); // the cart was written; the answer never leaves
            return res;
          }) as typeof res.writeHead;
        }
        inner(req, res);
      };
    cluster = await startCluster({
      size: 2,
      policy: roundRobin(),
      catalog,
      app: (name) => cutting(createShop({ name, catalog, sessions, carts })),
    });
    const [user] = createUsers(1, cluster.lb.url, 5);
    for (let i = 0; i < 5; i++) await user.step(); // login, browse, add (cut), browse, add
    return { user, catalog, carts };
  }

  it('counts an unknown write that happened as neither a loss nor a failure', async () => {
    const { user, catalog } = await cutFirstAdd();
    expect(user.log.filter((r) => r.op === 'add').map((r) => [r.status, r.outcome])).toEqual([
      [502, 'unknown'],
      [200, 'ok'],
    ]);
    const audit = await auditCarts([user], cluster!.servers, catalog.orders());
    expect(audit).toMatchObject({
      writesAcknowledged: 1,
      writesUnknown: 1,
      writesFailed: 0,
      acknowledgedLost: 0,
      unknownApplied: 1,
      failedApplied: 0,
    });
  });

  it('counts an acknowledged write that is missing as a loss', async () => {
    const { user, catalog, carts } = await cutFirstAdd();
    await carts.delete(user.name); // the store forgets the cart: both items go
    const audit = await auditCarts([user], cluster!.servers, catalog.orders());
    expect(audit).toMatchObject({ acknowledgedLost: 1, unknownApplied: 0, failedApplied: 0 });
  });

  it('counts writes that never reached a server as failed, and finds none of them applied', async () => {
    const catalog = openCatalog();
    const sessions = memoryStore<Session>();
    const carts = memoryStore<CartLine[]>();
    cluster = await startCluster({
      size: 1,
      policy: roundRobin(),
      catalog,
      app: (name) => createShop({ name, catalog, sessions, carts }),
    });
    const [user] = createUsers(1, cluster.lb.url, 5);
    for (let i = 0; i < 3; i++) await user.step(); // login, browse, add
    await cluster.kill('app-1');
    await user.step(); // browse: 503, no server
    await user.step(); // add: 503, no server
    await cluster.restart('app-1');
    const audit = await auditCarts([user], cluster.servers, catalog.orders());
    expect(user.losses).toMatchObject({ failed: 2, unknown: 0 });
    expect(audit).toMatchObject({
      writesAcknowledged: 1,
      writesFailed: 1,
      acknowledgedLost: 0,
      failedApplied: 0,
    });
  });
});
