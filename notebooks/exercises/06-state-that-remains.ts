// Exercise 06 — a checkout that is safe to retry: where the Idempotency-Key must live.
// Chapter 6, "The state that remains". Check it: npm run check 06 · stuck? npm run check -- 06 --hint
//
// A server can die after it placed the order and before its answer left: the client saw only a
// broken connection. Did it pay? It cannot tell, so it sends the checkout again, and the load
// balancer hands that retry to *another* server. Without help that server places a second order.
// The client's help is an Idempotency-Key header: one fresh key per checkout, the same key on
// every retry of it. The servers' part is what you write: remember each key, so that the same key
// never places a second order, and a retry gets the order that the first attempt placed.
//
// You have two places to remember keys in, both shared by every server process: `store`, a
// key-value store (a SQLite file of its own), and `db`, the shop's database, where placeOrder()
// writes the order. Which one you use, and how, decides what a crash does: a server can die
// between any two of your steps, and the retry finds whatever those steps left behind.
//
// The check runs two server processes, app-1 and app-2, over one database and one store. It
// SIGKILLs a server before the order is written, the moment the order is committed, and before
// the answer leaves; retries the same request, with the same key, on the other server (at once,
// and with that server's clock 23 hours ahead); sends two copies of one checkout to both servers
// at the same moment; and counts the orders in the database.
//
// The header itself is an IETF Internet-Draft, work in progress and not an RFC
// (https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/): it answers a
// retry that arrives while the first request is still being processed with 409, and a key reused
// with another payload (a fingerprint of the body tells them apart) with 422; how a server
// remembers keys is left to the server. Stripe (https://docs.stripe.com/api/idempotent_requests)
// saves the status code and body of the first request with a key, 500 errors included, keeps
// keys at least 24 hours, and answers a concurrent request with the same key with an error.
//
// Out of scope: a side effect outside your database (a card payment cannot join your transaction:
// pass your key on to the payment provider, whose API takes one); deleting keys after 24 hours.
import type { Order } from '../lab/core/catalog';
import { json, type Reply } from '../lab/core/reply';
import type { StateStore } from '../lab/core/store';

export type SqlValue = string | number | bigint | null;

/** The shop's SQLite database, as the servers hand it over: the `orders` table is in it. */
export interface ShopDatabase {
  /**
   * Runs `work` in one transaction (BEGIN IMMEDIATE … COMMIT): everything it wrote is kept
   * together, or none of it when it throws or the process dies first. It takes the database's
   * write lock before `work` starts, so one server's transaction runs at a time. `work` is
   * synchronous: no await inside.
   */
  transaction<R>(work: () => R): R;
  /** Runs one statement (CREATE, INSERT, UPDATE, DELETE); `changes`: how many rows it changed. */
  run(sql: string, ...params: SqlValue[]): { changes: number };
  /** The first row a query returns, or undefined. */
  get<Row>(sql: string, ...params: SqlValue[]): Row | undefined;
}

/** A table for keys, ready to use: in the same database as the orders. */
export const KEYS_TABLE = `CREATE TABLE IF NOT EXISTS idempotency_keys (
  key         TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  order_json  TEXT NOT NULL
)`;

/**
 * Places the order once per `key`, whichever server receives the request, and however often.
 * `fingerprint` identifies the request's body: the same key with another body is a client bug.
 * `placeOrder()` writes the order into `db`: inside db.transaction it commits with the rest.
 * Replies: 201 { order } the first time; the same 201 { order } on a retry, with no new order;
 * 422 for the same key with another fingerprint.
 */
export async function idempotentCheckout(
  store: StateStore<unknown>,
  key: string,
  fingerprint: string,
  placeOrder: () => Order,
  db: ShopDatabase,
): Promise<Reply> {
  db.run(KEYS_TABLE);
  // TODO: look the key up. Known with another fingerprint → 422. Known → 201 with the order
  //       recorded for it, and place none. Unknown → placeOrder(), and record the key with it.
  // TODO: then ask, of every step: if the server dies right after it, or if a second copy of
  //       this request runs the same step on the other server, what does the retry find?
  void [store, fingerprint, placeOrder, json];
  throw new Error(
    `TODO: place the order for Idempotency-Key ${key} once, however often it is sent`,
  );
}
