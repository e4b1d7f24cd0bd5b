// Idempotency keys: the client names a request (an `Idempotency-Key` header) so that sending it
// twice has the effect of sending it once, and a retry after a lost answer is safe. State: one
// record per key in a StateStore — every server's when the store is shared, else one server's.
// Status codes from the IETF Internet-Draft "The Idempotency-Key HTTP Header Field"
// (draft-ietf-httpapi-idempotency-key-header, work in progress, not an RFC): same key with another
// payload → 422; a retry while the first request is still being processed → 409.
// Platform-free.
import { liveStore } from './live-store';
import { json, type Reply } from './reply';
import type { StateStore } from './store';

export type IdempotencyRecord =
  { state: 'running'; fingerprint: string } | { state: 'done'; fingerprint: string; reply: Reply };

/** How long a key is kept, running or done (Stripe keeps keys at least 24 hours). */
export const KEY_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * How many keys a server keeps in its own memory. 24 hours of keys is unbounded: 20,000 requests
 * with fresh keys would keep 20,000 replies. Past this many, the oldest key is forgotten, and a
 * retry that comes after that runs again: the price of bounded memory, paid by the oldest key.
 * A shared store bounds itself (Redis's maxmemory, a database's disk).
 */
export const MAX_KEYS_IN_MEMORY = 10_000;

/** The shop's default home for keys: this process's memory, at most `maxKeys` of them. */
export const keysInMemory = (maxKeys = MAX_KEYS_IN_MEMORY) =>
  liveStore<IdempotencyRecord>(Date.now, maxKeys);

/**
 * Runs `run` at most once per key. The first request claims the key with the store's atomic
 * setIfAbsent, so two duplicates that reach two servers at the same moment cannot both run. A
 * duplicate with the same fingerprint gets the recorded reply (with an `idempotent-replayed: true`
 * header) and no second side effect; one with another fingerprint gets 422; one that arrives while
 * the key is still 'running' gets 409 and Retry-After, and later the recorded reply.
 * If `run` throws, it may have done its side effect first (an order placed, then the cart could
 * not be emptied): the key is recorded as done with a 500, as Stripe records 500s, and every retry
 * gets that 500 back. The outcome is unknown to the client, but the request never runs twice.
 *
 * Limit: the record lives in this store and the side effect wherever `run` puts it, so nothing
 * writes them together. A server that dies after the side effect and before the 'done' record
 * leaves a key marked 'running' forever after: the record cannot say whether the effect happened,
 * so the key answers 409 until it expires (KEY_TTL_MS) rather than risk doing it twice. Where the
 * effect is a database write, record the key in the same transaction (exercise 06): then a retry
 * gets the real answer.
 */
export async function withIdempotency(
  store: StateStore<IdempotencyRecord>,
  key: string,
  fingerprint: string,
  run: () => Promise<Reply>,
  /** Hears the error of a run that threw: the client gets a 500 without its details. */
  onError: (error: unknown) => void = (error) => console.error(error),
): Promise<Reply> {
  if (!(await store.setIfAbsent(key, { state: 'running', fingerprint }, KEY_TTL_MS))) {
    const seen = await store.get(key);
    if (seen && seen.fingerprint !== fingerprint) {
      return json(422, { error: 'this Idempotency-Key was already used for a different request' });
    }
    if (seen?.state === 'done') {
      return { ...seen.reply, headers: { ...seen.reply.headers, 'idempotent-replayed': 'true' } };
    }
    return stillRunning(); // or expired just now
  }
  let reply: Reply;
  try {
    reply = await run();
  } catch (error) {
    onError(error); // the details are for the server's log, not for the client
    reply = json(500, {
      error:
        'the request failed after it started; whether it took effect is unknown, and it will not run again with this Idempotency-Key',
    });
  }
  // An answer that asks the client to retry later (409 or 503 with Retry-After: a checkout of
  // this cart already running) did nothing, so it is not kept: the retry runs the request.
  if (reply.headers?.['retry-after'] !== undefined) await store.delete(key);
  else await store.set(key, { state: 'done', fingerprint, reply }, KEY_TTL_MS);
  return reply;
}

const stillRunning = () =>
  json(
    409,
    {
      error:
        'a request with this Idempotency-Key has started and not finished; retry shortly (if its server died, whether it took effect is unknown, and it will not run again)',
    },
    { 'retry-after': '1' },
  );
