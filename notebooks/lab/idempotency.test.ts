import { describe, expect, it } from 'vitest';
import { withIdempotency, type IdempotencyRecord } from './idempotency';
import { json, type Reply } from './reply';
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

  it('sees another server\'s "running" record in a shared store and answers 409', async () => {
    const store = memoryStore<IdempotencyRecord>();
    await store.set('k1', { state: 'running', fingerprint: 'body' });
    const effect = counter();
    expect((await withIdempotency(store, 'k1', 'body', effect.run)).status).toBe(409);
    expect(effect.runs).toBe(0);
  });

  it('forgets the key when the request throws, so a retry runs again', async () => {
    const store = memoryStore<IdempotencyRecord>();
    const failing = async (): Promise<Reply> => {
      throw new Error('database down');
    };
    await expect(withIdempotency(store, 'k1', 'body', failing)).rejects.toThrow('database down');
    const effect = counter();
    expect((await withIdempotency(store, 'k1', 'body', effect.run)).status).toBe(201);
    expect(effect.runs).toBe(1);
  });
});
