// Did the shop keep its word? For every simulated user, the cart writes (POST /cart) by outcome
// against what the shop holds at the end: the items in the user's orders (the database) plus the
// cart, read from every server directly, not through the lb. Counted per product, so an add whose
// answer was lost but which happened is told apart from an acknowledged add that vanished.
// State: none of its own; it reads the users' logs, the orders and the servers.
import type { Order } from '../core/catalog';
import { ShopClient } from './client';
import { SESSION_COOKIE } from './account';
import type { CartLine } from '../core/shop-types';
import type { SimUser } from './users';

export interface CartAudit {
  users: number;
  /** Cart writes by outcome: acknowledged (answered 200), failed (certainly not applied: refused,
   *  not forwarded, or rejected with a 4xx), unknown (may or may not have been applied). */
  writesAcknowledged: number;
  writesFailed: number;
  writesUnknown: number;
  /** Acknowledged items found in neither an order nor the final cart: the shop broke its word.
   *  A lower bound: an acknowledged item that vanished while an unknown add of the same product
   *  took effect shows as neither (item counts cannot tell the two apart). */
  acknowledgedLost: number;
  /** Unknown writes that took effect: held although their answer never came. Neither a loss nor
   *  a failure: the honest outcome of a write whose answer was lost. */
  unknownApplied: number;
  /** Writes counted as failed that took effect anyway. Must be 0: anything else means the client
   *  called "certainly not applied" something that was. */
  failedApplied: number;
  /** Users for whom every server gave the same cart. */
  sameOnEveryServer: number;
  /** Users whom at least one server did not know (401): their session is not on that server. */
  unknownToSomeServer: number;
}

/** The user's cart on each server, asked directly with the user's session cookie (401 → undefined). */
export async function cartOnEachServer(
  user: SimUser,
  servers: readonly { name: string; url: string }[],
): Promise<(CartLine[] | undefined)[]> {
  const sid = user.client.jar.get(SESSION_COOKIE);
  return Promise.all(
    servers.map(async (server) => {
      const direct = new ShopClient(server.url);
      if (sid) direct.jar.set(SESSION_COOKIE, sid);
      const res = await direct.get('/cart');
      if (res.status === 401) return undefined;
      if (res.status !== 200) throw new Error(`${server.name} answered GET /cart ${res.status}`);
      return (res.body as { items: CartLine[] }).items;
    }),
  );
}

/** Quantity per product id. */
function perProduct(lines: readonly { productId: number; qty: number }[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const line of lines)
    counts.set(line.productId, (counts.get(line.productId) ?? 0) + line.qty);
  return counts;
}

export async function auditCarts(
  users: readonly SimUser[],
  servers: readonly { name: string; url: string }[],
  orders: readonly Order[],
): Promise<CartAudit> {
  const audit: CartAudit = {
    users: users.length,
    writesAcknowledged: 0,
    writesFailed: 0,
    writesUnknown: 0,
    acknowledgedLost: 0,
    unknownApplied: 0,
    failedApplied: 0,
    sameOnEveryServer: 0,
    unknownToSomeServer: 0,
  };
  for (const user of users) {
    const writes = user.log.filter((r) => r.op === 'add');
    const byOutcome = (keep: (r: (typeof writes)[number]) => boolean) =>
      perProduct(writes.filter(keep).map((r) => ({ productId: r.productId ?? 0, qty: 1 })));
    const acknowledged = byOutcome((r) => r.outcome === 'ok' && r.status === 200);
    const unknown = byOutcome((r) => r.outcome === 'unknown');
    const failed = byOutcome((r) => r.outcome === 'fail');

    const carts = await cartOnEachServer(user, servers);
    const shapes = carts.map((c) => (c ? JSON.stringify([...perProduct(c)].sort()) : '401'));
    if (shapes.every((s) => s === shapes[0])) audit.sameOnEveryServer += 1;
    if (carts.includes(undefined)) audit.unknownToSomeServer += 1;

    const ordered = perProduct(orders.filter((o) => o.user === user.name).flatMap((o) => o.lines));
    const inCarts = carts.map((c) => perProduct(c ?? []));
    const products = new Set([...acknowledged.keys(), ...unknown.keys(), ...failed.keys()]);
    for (const map of [ordered, ...inCarts]) for (const id of map.keys()) products.add(id);
    for (const id of products) {
      const ack = acknowledged.get(id) ?? 0;
      const maybe = unknown.get(id) ?? 0;
      const held = (ordered.get(id) ?? 0) + Math.max(0, ...inCarts.map((m) => m.get(id) ?? 0));
      audit.writesAcknowledged += ack;
      audit.writesUnknown += maybe;
      audit.writesFailed += failed.get(id) ?? 0;
      audit.acknowledgedLost += Math.max(0, ack - held);
      const extra = Math.max(0, held - ack); // held beyond what was acknowledged
      audit.unknownApplied += Math.min(extra, maybe);
      audit.failedApplied += extra - Math.min(extra, maybe);
    }
  }
  return audit;
}
