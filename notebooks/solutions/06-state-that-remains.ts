// Exercise 06 — a checkout that is safe to retry: one Idempotency-Key store shared by every server
// (reference solution). Chapter 6, "The state that remains". Check it: npm run check 06
//
// Every key has one record in the shared store, written before the order and again after it:
// 'running' says "this key's checkout has started", 'done' keeps the order to answer retries with.
// The record is written *before* the reply, so a server that dies before it answers has already
// told every other server what happened. The web servers stay stateless: the memory of which
// checkouts ran lives in the store, with the orders in the database.
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
  const seen = await store.get(key);
  if (seen && seen.fingerprint !== fingerprint) {
    return json(422, { error: 'this Idempotency-Key was already used for a different request' });
  }
  if (seen?.state === 'done')
    return json(201, { order: seen.order }, { 'idempotent-replayed': 'true' });
  if (seen?.state === 'running') {
    return json(
      409,
      { error: 'this checkout is still in progress; retry shortly' },
      { 'retry-after': '1' },
    );
  }
  await store.set(key, { state: 'running', fingerprint }, RUNNING_TTL_MS);
  let order: Order;
  try {
    order = await placeOrder();
  } catch (error) {
    await store.delete(key); // nothing was placed: a retry may run again
    throw error;
  }
  await store.set(key, { state: 'done', fingerprint, order }, 24 * 60 * 60 * 1000);
  return json(201, { order });
}
