// Idempotency keys: the client names a request (an `Idempotency-Key` header) so that sending it
// twice has the effect of sending it once, and a retry after a lost answer is safe. State: one
// record per key in a StateStore — every server's when the store is shared, else one server's.
// Rules from the IETF draft "The Idempotency-Key HTTP Header Field" (draft-ietf-httpapi-
// idempotency-key-header): same key, other payload → 422; same key still in progress → 409.
// Platform-free.
import { json, type Reply } from './reply';
import type { StateStore } from './store';

export type IdempotencyRecord =
  { state: 'running'; fingerprint: string } | { state: 'done'; fingerprint: string; reply: Reply };

/** How long a finished request's reply is kept for replays. */
export const REPLAY_TTL_MS = 24 * 60 * 60 * 1000;
/** A server that dies mid-request leaves a 'running' record: it blocks the key this long at most. */
export const RUNNING_TTL_MS = 30 * 1000;

// Keys being run by this process, per store: the check and the mark happen in one synchronous
// step, so two duplicates inside one process can never both run.
const runningHere = new WeakMap<object, Set<string>>();

/**
 * Runs `run` once per key. A duplicate with the same fingerprint gets the stored reply (with an
 * `idempotent-replayed: true` header) and no second side effect; one with another fingerprint
 * gets 422. A duplicate that arrives while the first is still running gets 409 and Retry-After:
 * the client tries again and then gets the stored reply.
 * If `run` throws, the record is deleted, so a retry may run again.
 * Limit: a StateStore has no atomic "set if absent", so two duplicates reaching two *different*
 * processes within the same moment can both run; closing that gap needs the store's own atomic
 * insert (Redis `SET NX`, SQL `INSERT ... ON CONFLICT DO NOTHING`).
 */
export async function withIdempotency(
  store: StateStore<IdempotencyRecord>,
  key: string,
  fingerprint: string,
  run: () => Promise<Reply>,
): Promise<Reply> {
  const here = runningHere.get(store) ?? new Set<string>();
  runningHere.set(store, here);
  if (here.has(key)) return stillRunning();
  here.add(key);
  try {
    const seen = await store.get(key);
    if (seen && seen.fingerprint !== fingerprint) {
      return json(422, { error: 'this Idempotency-Key was already used for a different request' });
    }
    if (seen?.state === 'running') return stillRunning();
    if (seen?.state === 'done') {
      return { ...seen.reply, headers: { ...seen.reply.headers, 'idempotent-replayed': 'true' } };
    }
    await store.set(key, { state: 'running', fingerprint }, RUNNING_TTL_MS);
    let reply: Reply;
    try {
      reply = await run();
    } catch (error) {
      await store.delete(key);
      throw error;
    }
    await store.set(key, { state: 'done', fingerprint, reply }, REPLAY_TTL_MS);
    return reply;
  } finally {
    here.delete(key);
  }
}

const stillRunning = () =>
  json(
    409,
    { error: 'a request with this Idempotency-Key is still in progress; retry shortly' },
    { 'retry-after': '1' },
  );
