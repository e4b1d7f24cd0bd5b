// Exercise 06 — a checkout that is safe to retry: one Idempotency-Key store shared by every server.
// Chapter 6, "The state that remains". Check it: npm run check 06 · stuck? npm run check -- 06 --hint
//
// A server can die after it placed the order and before its answer left: the client saw only a
// broken connection. Did it pay? It cannot tell, so it sends the checkout again, and the load
// balancer hands that retry to *another* server. Without help that server places a second order.
// The client's help is an Idempotency-Key header: one fresh key per checkout, the same key on
// every retry of it. The servers' part is what you write: remember every key in `store` (shared
// by every server process: here a SQLite file), so the same key never places a second order.
//
// The check runs two server processes, app-1 and app-2, with one SQLite catalogue (the orders
// table) and one `store`. It SIGKILLs a server in the middle of a checkout, then retries the
// same request, with the same key, on the other server, and counts the orders in the database.
// Without a key a retry does place a second order: that is why clients send keys.
//
// Out of scope: two copies of one request that reach two servers at the very same moment (that
// needs the store's own atomic "insert if absent": SQL INSERT ... ON CONFLICT, Redis SET NX).
import type { Order } from '../lab/catalog';
import { json, type Reply } from '../lab/reply';
import type { StateStore } from '../lab/store';

/** What `store` keeps per key: the request's fingerprint and how far its checkout got. */
export type KeyRecord =
  { state: 'running'; fingerprint: string } | { state: 'done'; fingerprint: string; order: Order };

/** How long a 'running' record blocks its key when its server died (then a retry runs again). */
export const RUNNING_TTL_MS = 30_000;

/**
 * Places the order once per `key`, whichever server receives the request, and however often.
 * `fingerprint` identifies the request's body: the same key with another body is a client bug.
 * Replies: 201 { order } the first time; the same 201 { order } on a retry, with no new order;
 * 422 for the same key with another fingerprint; 409 while the key's checkout is still running.
 */
export async function idempotentCheckout(
  store: StateStore<KeyRecord>,
  key: string,
  fingerprint: string,
  placeOrder: () => Promise<Order>,
): Promise<Reply> {
  // TODO: look the key up first: const seen = await store.get(key). What should happen when a
  //       record exists with another fingerprint? When it is 'done'? When it is 'running'?
  // TODO: before placing the order, record { state: 'running', fingerprint } (with a TTL of
  //       RUNNING_TTL_MS): if this server dies right after the order is committed, that record
  //       is all that tells the other servers "this key already ran".
  // TODO: place the order, record { state: 'done', fingerprint, order }, and only then reply.
  void json;
  throw new Error(
    `TODO: check out once for key ${key} (fingerprint ${fingerprint.length} chars) using the ${store.kind} store, then call ${placeOrder.name || 'placeOrder'}`,
  );
}
