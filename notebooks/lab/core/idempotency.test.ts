import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  keysInMemory,
  KEY_TTL_MS,
  MAX_KEYS_IN_MEMORY,
  withIdempotency,
  type IdempotencyRecord,
} from './idempotency';
import { json, type Reply } from './reply';
import { sqliteStore } from '../node/sqlite-store';
import { memoryStore } from './store';

/** A side effect we can count: each run adds one. */
function counter() {
  let runs = 0;
  return {
    get runs() {
      return runs;
    },
    run: async (): Promise<Reply> => json(201, { run: ++runs }),
  };
}

describe('withIdempotency', () => {
  it('runs a request once and replays its reply to a retry with the same key', async () => {
    const store = memoryStore<IdempotencyRecord>();
    const effect = counter();
    const first = await withIdempotency(store, 'k1', '{"productId":2}', effect.run);
    const retry = await withIdempotency(store, 'k1', '{"productId":2}', effect.run);
    expect(effect.runs).toBe(1);
    expect(first).toEqual(json(201, { run: 1 }));
    expect(retry).toEqual(json(201, { run: 1 }, { 'idempotent-replayed': 'true' }));
  });

  it('answers 422 when the same key comes with a different request', async () => {
    const store = memoryStore<IdempotencyRecord>();
    const effect = counter();
    await withIdempotency(store, 'k1', '{"productId":2}', effect.run);
    const other = await withIdempotency(store, 'k1', '{"productId":3}', effect.run);
    expect(other.status).toBe(422);
    expect(effect.runs).toBe(1);
  });

  it('answers 409 to a duplicate that arrives while the first is still running', async () => {
    const store = memoryStore<IdempotencyRecord>();
    let finish!: () => void;
    const slow = () =>
      new Promise<Reply>((resolve) => (finish = () => resolve(json(200, { done: true }))));
    const first = withIdempotency(store, 'k1', 'body', slow);
    const duplicate = await withIdempotency(store, 'k1', 'body', slow);
    expect(duplicate.status).toBe(409);
    expect(duplicate.headers).toEqual({ 'retry-after': '1' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    finish();
    expect((await first).status).toBe(200);
    expect((await withIdempotency(store, 'k1', 'body', slow)).body).toEqual({ done: true });
  });

  it('hands the error of a run that threw to onError, and answers (and replays) a 500 without it', async () => {
    const store = memoryStore<IdempotencyRecord>();
    const errors: unknown[] = [];
    let runs = 0;
    const failing = () => {
      runs += 1;
      return Promise.reject(new Error('SqliteError: database is locked at /srv/shop.db'));
    };
    const first = await withIdempotency(store, 'k1', 'body', failing, (e) => errors.push(e));
    const retry = await withIdempotency(store, 'k1', 'body', failing, (e) => errors.push(e));
    expect(first.status).toBe(500);
    expect(JSON.stringify(first.body)).not.toMatch(/Sqlite|locked|srv/);
    expect(first.body).toEqual({ error: expect.stringMatching(/unknown/) });
    expect(retry).toMatchObject({ status: 500, body: first.body });
    expect(runs).toBe(1);
    expect(errors).toEqual([new Error('SqliteError: database is locked at /srv/shop.db')]);
  });

  it('sees another server\'s "running" record in a shared store and answers 409', async () => {
    const store = memoryStore<IdempotencyRecord>();
    await store.set('k1', { state: 'running', fingerprint: 'body' });
    const effect = counter();
    expect((await withIdempotency(store, 'k1', 'body', effect.run)).status).toBe(409);
    expect(effect.runs).toBe(0);
  });

  // Two connections to one SQLite file: two servers' views of one shared store.
  const dir = mkdtempSync(join(tmpdir(), 'statelab-idem-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let files = 0;
  const twoServers = (now: () => number = Date.now) => {
    const file = join(dir, `keys-${(files += 1)}.db`);
    return [1, 2].map(() => sqliteStore<IdempotencyRecord>(file, 'idempotency', now));
  };

  it('runs two duplicates that reach two servers at the same moment once (setIfAbsent)', async () => {
    // Each duplicate looks the key up before the other has written anything: only an atomic
    // set-if-absent lets exactly one of them claim it.
    const [app1, app2] = twoServers();
    const effect = counter();
    const replies = await Promise.all([
      withIdempotency(app1, 'k1', 'body', effect.run),
      withIdempotency(app2, 'k1', 'body', effect.run),
    ]);
    expect(effect.runs).toBe(1);
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it('never runs a key again whose server died mid-request, however long the retry waits', async () => {
    // app-1 runs the side effect and dies before it records "done" (its promise never settles).
    // Its "running" record cannot tell "died before the effect" from "died after it", so running
    // the key again could do it twice: the key answers 409 for as long as it is kept.
    let now = 0;
    const [app1, app2] = twoServers(() => now);
    let runs = 0;
    void withIdempotency(app1, 'k1', 'body', () => {
      runs += 1;
      return new Promise<Reply>(() => undefined);
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    const effect = counter();
    for (const later of [1_000, 60_000, 23 * 60 * 60 * 1000]) {
      now = later;
      expect((await withIdempotency(app2, 'k1', 'body', effect.run)).status).toBe(409);
    }
    expect([runs, effect.runs]).toEqual([1, 0]);
    now = KEY_TTL_MS; // a key is kept this long (Stripe: 24 hours); then it is a new request
    expect((await withIdempotency(app2, 'k1', 'body', effect.run)).status).toBe(201);
  });

  it('never runs a key again after its request threw, which may have been after the side effect', async () => {
    const store = memoryStore<IdempotencyRecord>();
    let orders = 0;
    const orderThenFail = async (): Promise<Reply> => {
      orders += 1; // the order is placed...
      throw new Error('cart store down'); // ...and emptying the cart fails
    };
    const first = await withIdempotency(store, 'k1', 'body', orderThenFail);
    expect(first.status).toBe(500);
    const retry = await withIdempotency(store, 'k1', 'body', orderThenFail);
    expect(retry.status).toBe(500);
    expect(retry.headers?.['idempotent-replayed']).toBe('true');
    expect(orders).toBe(1);
  });

  it('records no "retry later" answer: a retry after a 409 with Retry-After runs the request', async () => {
    // Such an answer (a checkout already running for this cart) says nothing was done: saving it
    // would replay the 409 to every retry for 24 hours, and the request could never succeed.
    const store = memoryStore<IdempotencyRecord>();
    let busy = true;
    let orders = 0;
    const checkout = async (): Promise<Reply> =>
      busy ? json(409, { error: 'busy' }, { 'retry-after': '1' }) : json(201, { order: ++orders });
    expect((await withIdempotency(store, 'k1', 'body', checkout)).status).toBe(409);
    busy = false;
    expect(await withIdempotency(store, 'k1', 'body', checkout)).toEqual(json(201, { order: 1 }));
    const replay = await withIdempotency(store, 'k1', 'body', checkout);
    expect(replay.headers?.['idempotent-replayed']).toBe('true');
    expect(orders).toBe(1);
  });

  it("keeps at most MAX_KEYS_IN_MEMORY keys in a server's own memory: 20,000 fresh keys leave that many", async () => {
    const store = keysInMemory();
    const effect = counter();
    for (let i = 0; i < 20_000; i++) await withIdempotency(store, `fresh-${i}`, 'body', effect.run);
    expect(effect.runs).toBe(20_000);
    expect(store.size).toBe(MAX_KEYS_IN_MEMORY);
    // The price of the bound: the oldest key is forgotten, and a retry of it would run again.
    expect(await store.get('fresh-0')).toBeUndefined();
    expect(await store.get('fresh-19999')).toMatchObject({ state: 'done' });
  });
});
