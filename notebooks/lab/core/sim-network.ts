// The browser simulator's network: a request goes from a user's browser through the simulated lb
// (the lab's routing policy, policies.ts) to a simulated server, which answers with the shop's own
// rules: a login is shop-rules.ts's startSession, and add, cart and checkout are cart.ts's routes.
// Only the session ID is the model's (from the seed; account.ts takes it from node:crypto).
// Platform-free and timer-free: a request is a chain of promises, nothing more.
import { addToCart, checkout, showCart } from './cart';
import { SAMPLE_PRODUCT_COUNT } from './catalog';
import type { Planned } from './journey';
import type { Observed } from './outcomes';
import type { Backend, Policy } from './policies';
import type { Random } from './random';
import { SESSION_COOKIE, startSession, type CartDatabase, type CartRequest } from './shop-rules';
import type { CartLine } from './shop-types';
import type { ServerState } from './sim-servers';

export interface SimServer extends Backend, ServerState {
  /** Requests this server answered. */
  requests: number;
}

/** A user's browser: its only state is its cookies, the session (sid) and the lb's affinity. */
export interface Browser {
  readonly name: string;
  sid?: string;
  affinity?: string;
}

/** The database tier: the sample products (ids 1 to SAMPLE_PRODUCT_COUNT), and the orders placed.
 *  The simulator breaks only the web tier, so this never fails. */
export interface SimDatabase extends CartDatabase {
  readonly orders: { user: string; lines: CartLine[] }[];
}

export function simDatabase(): SimDatabase {
  const orders: SimDatabase['orders'] = [];
  return {
    orders,
    get: (id) => (id >= 1 && id <= SAMPLE_PRODUCT_COUNT ? { id } : undefined),
    placeOrder: (user, lines) => {
      orders.push({ user, lines });
      return { user, lines };
    },
  };
}

/** What a browser saw of one request, before it makes sense of it. */
export interface Delivered {
  observed: Observed;
  body?: unknown;
  servedBy?: string;
}

export interface NetworkOptions {
  policy: Policy;
  /** The cluster's servers, up and down, as they are now. */
  servers: () => readonly SimServer[];
  database: SimDatabase;
  /** Where session IDs come from. */
  random: Random;
  /** The stores' clock. */
  now: () => number;
}

export interface Network {
  /** One request through the lb. */
  send(browser: Browser, request: Planned): Promise<Delivered>;
  /** The browser's cart on one server, asked directly (undefined: the server does not know its
   *  session). What the audit reads. */
  cartOn(server: SimServer, browser: Browser): Promise<CartLine[] | undefined>;
}

const ROUTES = { add: addToCart, cart: showCart, checkout } as const;

export function simNetwork(options: NetworkOptions): Network {
  const { policy, database, random, now } = options;
  const context = (browser: Browser, server: SimServer, body?: unknown): CartRequest => ({
    cookies: browser.sid ? { [SESSION_COOKIE]: browser.sid } : {},
    body,
    sessions: server.sessions,
    carts: server.carts,
    catalog: database,
    now,
  });

  return {
    async send(browser, { op, productId }) {
      const server = policy.pick(options.servers(), {
        affinity: browser.affinity,
        clientKey: browser.name,
      }) as SimServer | undefined;
      // As balancer.ts: no healthy backend is a 503 the lb marks as not forwarded.
      if (!server) return { observed: { kind: 'answer', status: 503, forwarded: false } };
      const servedBy = server.name;
      server.requests += 1;
      if (policy.pins) browser.affinity = server.name; // the LB (re-)pins with its cookie

      if (op === 'login') {
        const sid = `s${random.int(0x7fffffff).toString(36)}${random.int(0x7fffffff).toString(36)}`;
        await server.handle(() => startSession(context(browser, server), sid, browser.name));
        browser.sid = sid;
        return { observed: { kind: 'answer', status: 200 }, servedBy };
      }
      // Products are public; the catalogue is the database's.
      if (op === 'browse') {
        const status = database.get(productId ?? 0) ? 200 : 404;
        return { observed: { kind: 'answer', status }, servedBy };
      }
      const body = op === 'add' ? { productId } : undefined;
      const reply = await server.handle(() => ROUTES[op](context(browser, server, body)));
      return { observed: { kind: 'answer', status: reply.status }, body: reply.body, servedBy };
    },
    async cartOn(server, browser) {
      const reply = await showCart(context(browser, server));
      return reply.status === 200 ? (reply.body as { items: CartLine[] }).items : undefined;
    },
  };
}
