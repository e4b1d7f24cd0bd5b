// Did the shop keep its word? For every simulated user, the cart writes the shop acknowledged
// (POST /cart answered 200) against what the shop holds at the end: the items in the user's
// orders (the database) plus the cart, read from every server directly, not through the lb.
// State: none of its own; it reads the users' logs, the orders and the servers.
import type { Order } from './catalog';
import { ShopClient } from './client';
import { SESSION_COOKIE } from './account';
import type { SimUser } from './users';

export interface CartAudit {
  users: number;
  /** Cart writes (POST /cart) by outcome: answered 200, certainly failed, no answer in time. */
  writesAcknowledged: number;
  writesFailed: number;
  writesUnknown: number;
  /** Acknowledged items found in neither an order nor the final cart: the shop broke its word. */
  acknowledgedLost: number;
  /** Items held beyond the acknowledged ones: writes that happened although their answer was lost. */
  unacknowledgedKept: number;
  /** Users for whom every server gave the same cart. */
  sameOnEveryServer: number;
  /** Users whom at least one server did not know (401): their session is not on that server. */
  unknownToSomeServer: number;
}

/** The user's cart on each server, asked directly with the user's session cookie (401 → undefined). */
export async function cartOnEachServer(
  user: SimUser,
  servers: readonly { name: string; url: string }[],
): Promise<(number | undefined)[]> {
  const sid = user.client.jar.get(SESSION_COOKIE);
  return Promise.all(
    servers.map(async (server) => {
      const direct = new ShopClient(server.url);
      if (sid) direct.jar.set(SESSION_COOKIE, sid);
      const res = await direct.get('/cart');
      if (res.status === 401) return undefined;
      if (res.status !== 200) throw new Error(`${server.name} answered GET /cart ${res.status}`);
      return (res.body as { items: { qty: number }[] }).items.reduce((n, i) => n + i.qty, 0);
    }),
  );
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
    unacknowledgedKept: 0,
    sameOnEveryServer: 0,
    unknownToSomeServer: 0,
  };
  for (const user of users) {
    const writes = user.log.filter((r) => r.op === 'add');
    const acknowledged = writes.filter((r) => r.outcome === 'ok' && r.status === 200).length;
    audit.writesAcknowledged += acknowledged;
    audit.writesFailed += writes.filter((r) => r.outcome === 'fail').length;
    audit.writesUnknown += writes.filter((r) => r.outcome === 'unknown').length;

    const carts = await cartOnEachServer(user, servers);
    if (carts.every((c) => c === carts[0])) audit.sameOnEveryServer += 1;
    if (carts.includes(undefined)) audit.unknownToSomeServer += 1;
    const ordered = orders
      .filter((o) => o.user === user.name)
      .reduce((n, o) => n + o.lines.reduce((m, l) => m + l.qty, 0), 0);
    const held = ordered + Math.max(0, ...carts.map((c) => c ?? 0));
    audit.acknowledgedLost += Math.max(0, acknowledged - held);
    audit.unacknowledgedKept += Math.max(0, held - acknowledged);
  }
  return audit;
}
