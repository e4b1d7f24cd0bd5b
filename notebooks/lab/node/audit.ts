// Did the shop keep its word? The audit itself is core/cart-audit.ts, a pure function of the
// users' histories and what the shop holds at the end; this edge gathers what it holds: each
// user's orders (the database) and their cart, read from every server directly, not through the
// lb. State: none of its own; it reads the users' logs, the orders and the servers.
import type { Order } from '../core/catalog';
import { auditCarts as audit, type CartAudit, type Holding } from '../core/cart-audit';
import { ShopClient } from './client';
import { SESSION_COOKIE } from './account';
import type { CartLine } from '../core/shop-types';
import type { SimUser } from './users';

export type { CartAudit } from '../core/cart-audit';

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

/** The audit of these users' cart writes against the orders and every server's carts. */
export async function auditCarts(
  users: readonly SimUser[],
  servers: readonly { name: string; url: string }[],
  orders: readonly Order[],
): Promise<CartAudit> {
  const holdings: Holding[] = [];
  for (const user of users) {
    holdings.push({
      user: user.name,
      ordered: orders.filter((o) => o.user === user.name).flatMap((o) => o.lines),
      carts: await cartOnEachServer(user, servers),
    });
  }
  return audit(
    users.flatMap((u) => u.log),
    holdings,
  );
}
