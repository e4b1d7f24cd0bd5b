// Exercise 08 — the reference solution: the mystery shop with every piece of state in a shared home.
// Chapter 8, "Find the hidden state".
//
// This shop works. Run it on one server, click around: everything is right. Its README says it
// is stateless, "so scale it out as far as you like". The check does: it runs it on two servers,
// then three, with users shopping in two tabs at once, kills a server, and restarts every server
// one at a time (each comes back as a fresh machine: a new process and an empty disk). Then it
// reads the history and says what each user lived through that one server would never have
// done to them.
//
// Somewhere below, state lives where it must not: in this process, or on this machine's disk.
// Find each piece from the check's evidence, and move it to the right home in `homes`: shared
// stores every server is given (chapter 5's table says which kind of state belongs where).
// Keep the routes and the answers as they are: only where the state lives should change.
import type { Order, Product } from '../lab/core/catalog';
// The shop's rule: a user may add at most ADDS_PER_MINUTE items to their cart per minute.
import { ADDS_PER_MINUTE, MINUTE_MS } from '../lab/core/hidden-state';
import type { CartLine } from '../lab/core/shop-types';
import type { StateStore } from '../lab/core/store';

/** Where state may live: every server is given the same homes (SQLite files they all open). */
export interface Homes {
  /** Session id → user name. */
  sessions: StateStore<string>;
  /** User name → cart lines. */
  carts: StateStore<CartLine[]>;
  /** Counters, by any key you choose. */
  counters: StateStore<number>;
  /** Files (text), by name: a blob store, as S3 is. */
  files: StateStore<string>;
  /** Flags, by any key you choose. */
  flags: StateStore<boolean>;
  /** Lists of order ids, by any key you choose. */
  lists: StateStore<number[]>;
  /** The shop's database: products and orders. */
  catalog: {
    get(id: number): Product | undefined;
    setPrice(id: number, priceCents: number): Product | undefined;
    placeOrder(user: string, lines: CartLine[]): Order;
  };
  /** The mail gateway: every call sends one mail. */
  mail: { send(to: string, subject: string): void };
  /** The clock (ms). */
  now(): number;
  /** A fresh, unguessable id. */
  newId(): string;
}

export interface ShopRequest {
  method: string;
  path: string;
  /** The session cookie, if the browser sent one. */
  sid?: string;
  body: unknown;
}

export interface ShopReply {
  status: number;
  body: unknown;
  /** A session cookie to set. */
  sid?: string;
}

export interface MysteryShop {
  handle(request: ShopRequest): Promise<ShopReply>;
  /** The confirmation-mail job: the scheduler runs it once a minute on every server. */
  tick(): Promise<void>;
}

// Nothing at the top level of this module: no cache, no sessions, no counters, no memory of
// what was mailed. Every server process is the same function of the homes it is given.

export function mysteryShop(homes: Homes): MysteryShop {
  const json = (status: number, body: unknown, sid?: string): ShopReply => ({ status, body, sid });
  // The database on every read: a price changed through any server is the price every server shows.
  const product = (id: number) => homes.catalog.get(id);

  return {
    async handle({ method, path, sid, body }) {
      const fields = (body ?? {}) as { user?: unknown; productId?: unknown; priceCents?: unknown };
      const productPath = /^\/products\/(\d+)$/.exec(path);
      if (method === 'GET' && productPath) {
        const found = product(Number(productPath[1]));
        return found ? json(200, found) : json(404, { error: 'no such product' });
      }
      if (method === 'PUT' && productPath) {
        const updated = homes.catalog.setPrice(Number(productPath[1]), Number(fields.priceCents));
        return updated ? json(200, updated) : json(404, { error: 'no such product' });
      }
      const receipt = /^\/receipts\/(\d+)$/.exec(path);
      if (method === 'GET' && receipt) {
        // The blob store, not this machine's disk: a replaced server starts with an empty disk.
        const text = await homes.files.get(`receipts/${receipt[1]}.txt`);
        return text === undefined
          ? json(404, { error: 'no such receipt' })
          : json(200, { receipt: text });
      }
      if (method === 'POST' && path === '/login') {
        if (typeof fields.user !== 'string') return json(400, { error: 'send {"user": "<name>"}' });
        const id = homes.newId();
        await homes.sessions.set(id, fields.user); // every server can look the session up
        return json(200, { user: fields.user }, id);
      }

      const user = sid === undefined ? undefined : await homes.sessions.get(sid);
      if (user === undefined) return json(401, { error: 'not logged in' });

      if (method === 'GET' && path === '/cart') {
        return json(200, { items: (await homes.carts.get(user)) ?? [] });
      }
      if (method === 'POST' && path === '/cart') {
        const productId = Number(fields.productId);
        if (!product(productId)) return json(400, { error: 'no such product' });
        // One shared counter per user and minute, counted in one atomic step: every server counts
        // the same adds, and two at once cannot both read the old count.
        const minute = `adds ${user} ${Math.floor(homes.now() / MINUTE_MS)}`;
        const adds = await homes.counters.update(minute, (n) => (n ?? 0) + 1, 2 * MINUTE_MS);
        if (adds > ADDS_PER_MINUTE) return json(429, { error: 'slow down' });
        // Read, change and write the cart as one step: a second tab's add cannot land in between.
        const items = await homes.carts.update(user, (cart) => [
          ...(cart ?? []),
          { productId, qty: 1 },
        ]);
        return json(200, { items });
      }
      if (method === 'POST' && path === '/checkout') {
        // Take the cart and empty it in one step: an add from the other tab lands either in this
        // order or in the next cart, never in between.
        let lines: CartLine[] = [];
        await homes.carts.update(user, (cart) => ((lines = cart ?? []), []));
        if (lines.length === 0) return json(409, { error: 'the cart is empty' });
        const order = homes.catalog.placeOrder(user, lines);
        await homes.files.set(
          `receipts/${order.id}.txt`,
          `Order ${order.id} for ${user}: ${lines.length} items, ${order.totalCents} cents`,
        );
        await homes.lists.update('orders', (ids) => [...(ids ?? []), order.id]);
        return json(201, order);
      }
      return json(404, { error: `no route for ${method} ${path}` });
    },

    async tick() {
      // The job runs on every server: each mail is claimed in the shared store first, and only
      // the one server whose claim succeeded sends it.
      for (const id of (await homes.lists.get('orders')) ?? []) {
        if (await homes.flags.setIfAbsent(`mailed ${id}`, true)) {
          homes.mail.send(`order-${id}`, `Thank you for your order ${id}`);
        }
      }
    },
  };
}
