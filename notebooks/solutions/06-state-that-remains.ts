// Exercise 06 — a checkout that is safe to retry: the Idempotency-Key kept with the order
// (reference solution). Chapter 6, "The state that remains". Check it: npm run check 06
//
// The key lives in the shop's database, beside the orders, and one transaction looks it up and
// either finds it (a retry: answer with the order recorded for it) or writes the order and the key
// together. A crash before the commit keeps neither, so the retry simply places the order; a crash
// after it keeps both, so the retry gets that order, however much later it comes. There is no
// "running" state to time out. The transaction takes the database's write lock first (BEGIN
// IMMEDIATE), so of two copies of one request on two servers the second waits for the first,
// then finds its key. `store` is not used: a record apart from the order is what can go wrong.
// The web servers stay stateless: the memory of which checkouts ran lives in the database.
// (The IETF draft answers a copy that arrives while the first is in progress with 409; here the
// lock makes the copy wait the few milliseconds of the first transaction and then answer with
// its order. Either is correct: neither places a second order.)
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

/** The keys' table: in the same database as the orders, so one transaction can write both. */
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
  _store: StateStore<unknown>,
  key: string,
  fingerprint: string,
  placeOrder: () => Order,
  db: ShopDatabase,
): Promise<Reply> {
  db.run(KEYS_TABLE);
  const outcome = db.transaction(() => {
    const seen = db.get<{ fingerprint: string; order_json: string }>(
      'SELECT fingerprint, order_json FROM idempotency_keys WHERE key = ?',
      key,
    );
    if (seen) return { replay: true, ...seen };
    const order = placeOrder();
    db.run(
      'INSERT INTO idempotency_keys (key, fingerprint, order_json) VALUES (?, ?, ?)',
      key,
      fingerprint,
      JSON.stringify(order),
    );
    return { replay: false, fingerprint, order_json: JSON.stringify(order) };
  });
  if (outcome.fingerprint !== fingerprint) {
    return json(422, { error: 'this Idempotency-Key was already used for a different request' });
  }
  const order = JSON.parse(outcome.order_json) as Order;
  return outcome.replay
    ? json(201, { order }, { 'idempotent-replayed': 'true' })
    : json(201, { order });
}
