// Exercise 08 — the capstone: find the state hidden in a shop that says it is stateless.
// Chapter 8, "Find the hidden state". Check it: npm run check 08 · stuck? npm run check -- 08 --hint
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
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

// A little speed-up: this server's copy of the catalogue, so a product page needs no database.
const productCache = new Map<number, Product>();
// Logged-in users.
const sessions = new Map<string, string>();
// Adds per user in the current minute.
const addsThisMinute = new Map<string, number>();
// Orders this server has mailed.
const mailed = new Set<number>();

export function mysteryShop(homes: Homes): MysteryShop {
  const json = (status: number, body: unknown, sid?: string): ShopReply => ({ status, body, sid });
  const receipts = join(process.cwd(), 'receipts');
  mkdirSync(receipts, { recursive: true });

  const product = (id: number) => {
    if (!productCache.has(id)) {
      const found = homes.catalog.get(id);
      if (found) productCache.set(id, found);
    }
    return productCache.get(id);
  };

  return {
    async handle({ method, path, sid, body }) {
      const fields = (body ?? {}) as { user?: unknown; productId?: unknown; priceCents?: unknown };
      const productPath = /^\/products\/(\d+)$/.exec(path);
      if (method === 'GET' && productPath) {
        const found = product(Number(productPath[1]));
        return found ? json(200, found) : json(404, { error: 'no such product' });
      }
      if (method === 'PUT' && productPath) {
        // The shop's admin changes a price.
        const updated = homes.catalog.setPrice(Number(productPath[1]), Number(fields.priceCents));
        if (!updated) return json(404, { error: 'no such product' });
        productCache.set(updated.id, updated);
        return json(200, updated);
      }
      const receipt = /^\/receipts\/(\d+)$/.exec(path);
      if (method === 'GET' && receipt) {
        try {
          return json(200, { receipt: readFileSync(join(receipts, `${receipt[1]}.txt`), 'utf8') });
        } catch {
          return json(404, { error: 'no such receipt' });
        }
      }
      if (method === 'POST' && path === '/login') {
        if (typeof fields.user !== 'string') return json(400, { error: 'send {"user": "<name>"}' });
        const id = homes.newId();
        sessions.set(id, fields.user);
        return json(200, { user: fields.user }, id);
      }

      const user = sid === undefined ? undefined : sessions.get(sid);
      if (user === undefined) return json(401, { error: 'not logged in' });

      if (method === 'GET' && path === '/cart') {
        return json(200, { items: (await homes.carts.get(user)) ?? [] });
      }
      if (method === 'POST' && path === '/cart') {
        const productId = Number(fields.productId);
        if (!product(productId)) return json(400, { error: 'no such product' });
        const minute = `${user} ${Math.floor(homes.now() / MINUTE_MS)}`;
        const adds = (addsThisMinute.get(minute) ?? 0) + 1;
        addsThisMinute.set(minute, adds);
        if (adds > ADDS_PER_MINUTE) return json(429, { error: 'slow down' });
        const items = (await homes.carts.get(user)) ?? [];
        items.push({ productId, qty: 1 });
        await homes.carts.set(user, items);
        return json(200, { items });
      }
      if (method === 'POST' && path === '/checkout') {
        const lines = (await homes.carts.get(user)) ?? [];
        if (lines.length === 0) return json(409, { error: 'the cart is empty' });
        const order = homes.catalog.placeOrder(user, lines);
        await homes.carts.delete(user);
        writeFileSync(
          join(receipts, `${order.id}.txt`),
          `Order ${order.id} for ${user}: ${lines.length} items, ${order.totalCents} cents`,
        );
        await homes.lists.update('orders', (ids) => [...(ids ?? []), order.id]);
        return json(201, order);
      }
      return json(404, { error: `no route for ${method} ${path}` });
    },

    async tick() {
      for (const id of (await homes.lists.get('orders')) ?? []) {
        if (mailed.has(id)) continue;
        homes.mail.send(`order-${id}`, `Thank you for your order ${id}`);
        mailed.add(id);
      }
    },
  };
}
